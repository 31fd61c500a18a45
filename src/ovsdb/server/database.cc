#include "ovsdb/server/database.h"

namespace ovnx::ovsdb::server {

UniqueIndex::UniqueIndex(std::vector<size_t> columns)
    : columns_(std::make_shared<const std::vector<size_t>>(std::move(columns))),
      rows_(0, KeyHash{columns_}, KeyEq{columns_}) {}

size_t UniqueIndex::KeyHash::operator()(const Row* row) const noexcept {
  size_t h = 0x84222325cbf29ce4ULL;
  for (size_t c : *columns) h = (h ^ row->columns[c].hash()) * 0x100000001b3ULL;
  return h;
}

bool UniqueIndex::KeyEq::operator()(const Row* a, const Row* b) const noexcept {
  for (size_t c : *columns) {
    if (a->columns[c] != b->columns[c]) return false;
  }
  return true;
}

const Row* UniqueIndex::find(const Row& row) const {
  auto it = rows_.find(&row);
  return it == rows_.end() ? nullptr : *it;
}

bool UniqueIndex::same_key(const Row& a, const Row& b) const {
  return KeyEq{columns_}(&a, &b);
}

Table::Table(const TableSchema& schema, size_t index) : schema_(&schema), index_(index) {
  for (const std::vector<size_t>& cols : schema.indexes()) indexes_.emplace_back(cols);
}

Database::Database(std::shared_ptr<const DatabaseSchema> schema) : schema_(std::move(schema)) {
  for (const auto& [name, ts] : schema_->tables()) {
    size_t index = tables_.size();
    tables_.push_back(std::make_unique<Table>(*ts, index));
    by_name_.emplace(std::string_view(ts->name()), index);
    by_schema_.emplace(ts.get(), index);
  }
  // Reference columns, resolved to table indexes once.
  for (auto& table : tables_) {
    for (const ColumnSchema& c : table->schema().columns()) {
      auto add = [&](const BaseType& b, bool in_values) {
        if (!b.is_ref() || !b.ref_table) return;
        RefSpec spec{c.index, in_values, by_schema_.at(b.ref_table), b.ref_type};
        (b.ref_type == RefType::strong ? table->strong_refs_ : table->weak_refs_).push_back(spec);
      };
      add(c.type.key, false);
      if (c.type.value) add(*c.type.value, true);
    }
  }
}

Table* Database::find_table(std::string_view name) {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : tables_[it->second].get();
}

const Table* Database::find_table(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : tables_[it->second].get();
}

Table& Database::table_for(const TableSchema& schema) { return *tables_[by_schema_.at(&schema)]; }

size_t Database::count_rows() const {
  size_t n = 0;
  for (const auto& t : tables_) n += t->size();
  return n;
}

}  // namespace ovnx::ovsdb::server
