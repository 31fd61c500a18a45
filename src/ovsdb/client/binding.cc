#include "ovsdb/client/binding.h"

#include <cassert>

#include "ovsdb/client/row.h"

namespace ovnx::ovsdb::client {

std::unique_ptr<Row> TableBinding::new_row() const {
  return make_row ? make_row() : std::make_unique<Row>();
}

DatabaseBinding::DatabaseBinding(
    std::shared_ptr<const DatabaseSchema> schema,
    const std::vector<std::pair<std::string_view, RowFactory>>& factories)
    : schema_(std::move(schema)) {
  tables_.reserve(schema_->tables().size());
  for (const auto& [name, table] : schema_->tables()) {
    TableBinding b;
    b.id = tables_.size();
    b.schema = table.get();
    for (const auto& [fname, factory] : factories) {
      if (fname == name) b.make_row = factory;
    }
    tables_.push_back(b);
  }
}

Result<std::shared_ptr<const DatabaseBinding>> DatabaseBinding::from_schema_text(
    std::string_view text) {
  OVNX_ASSIGN_OR_RETURN(auto schema, DatabaseSchema::from_text(text));
  return std::shared_ptr<const DatabaseBinding>(std::make_shared<DatabaseBinding>(schema));
}

const TableBinding* DatabaseBinding::find_table(std::string_view name) const {
  // Tables are in name order (the schema's std::map order).
  size_t lo = 0, hi = tables_.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = tables_[mid].name().compare(name);
    if (c == 0) return &tables_[mid];
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return nullptr;
}

const TableBinding& DatabaseBinding::table_of(const TableSchema& schema) const {
  const TableBinding* t = find_table(schema.name());
  assert(t && t->schema == &schema);
  return *t;
}

}  // namespace ovnx::ovsdb::client
