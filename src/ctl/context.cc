#include "ctl/command.h"
#include "ovsdb/client/idl.h"

namespace ovnx::ctl {

bool Context::has_option(std::string_view option) const {
  return options_.find(option) != options_.end();
}

const std::string* Context::option(std::string_view option) const {
  auto it = options_.find(option);
  return it == options_.end() ? nullptr : &it->second;
}

Result<const ovsdb::client::TableBinding*> Context::table(std::string_view name) const {
  return find_table(*binding_, name);
}

Result<const ovsdb::ColumnSchema*> Context::column(const ovsdb::client::TableBinding& table,
                                                   std::string_view name, bool allow_uuid) const {
  return find_column(table, name, allow_uuid);
}

Result<const ovsdb::client::Row*> Context::row(const ovsdb::client::TableBinding& table,
                                               std::string_view id, bool must_exist) const {
  return find_row(*txn_, table, id, *row_ids_, must_exist);
}

Symbol& Context::symbol(std::string_view name) {
  auto it = symbols_->find(name);
  if (it == symbols_->end()) {
    it = symbols_->emplace(std::string(name), Symbol{Uuid::generate()}).first;
  }
  return it->second;
}

Result<ovsdb::Datum> Context::parse_datum(std::string_view text, const ovsdb::Type& type) {
  SymbolResolver resolve = [this](std::string_view name) -> Result<Uuid> {
    Symbol& s = symbol(name);
    s.referenced = true;
    return s.uuid;
  };
  return ctl::parse_datum(text, type, &resolve);
}

Result<ovsdb::Atom> Context::parse_atom(std::string_view text, const ovsdb::BaseType& type) {
  SymbolResolver resolve = [this](std::string_view name) -> Result<Uuid> {
    Symbol& s = symbol(name);
    s.referenced = true;
    return s.uuid;
  };
  return ctl::parse_atom(text, type, &resolve);
}

void Context::monitor(const ovsdb::client::TableBinding& table, std::vector<size_t> columns) {
  idl_->monitor_table(table.id, std::move(columns));
}

void Context::monitor(std::string_view table_name) {
  if (const auto* t = binding_->find_table(table_name)) idl_->monitor_table(t->id);
}

OutputTable& Context::table_output() {
  if (!table_) table_ = std::make_unique<OutputTable>();
  return *table_;
}

}  // namespace ovnx::ctl
