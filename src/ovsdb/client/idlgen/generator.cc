#include "ovsdb/client/idlgen/generator.h"

#include <fmt/format.h>

#include <set>

namespace ovnx::idlgen {

namespace {

using ovsdb::AtomicType;
using ovsdb::BaseType;
using ovsdb::ColumnSchema;
using ovsdb::TableSchema;
using ovsdb::Type;

// Names a generated getter may not take: C++ keywords and the members of the bases.
const std::set<std::string>& reserved() {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class",
      "const", "constexpr", "continue", "default", "delete", "do", "double", "else", "enum",
      "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline",
      "int", "long", "mutable", "namespace", "new", "noexcept", "not", "nullptr", "operator", "or",
      "private", "protected", "public", "register", "return", "short", "signed", "sizeof", "static",
      "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typeid",
      "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "while", "xor",
      // client::Row / TypedRow members.
      "uuid", "table_binding", "datum", "source", "resolve", "change", "is_inserted", "is_modified",
      "is_deleted", "column_changed", "old_datum", "binding_table", "get", "rows", "tracked", "in",
      "check", "insert", "edit", "database_binding", "Col", "Writer"};
  return words;
}

std::string member_name(const std::string& column) {
  return reserved().count(column) ? column + "_" : column;
}

std::string cpp_atomic(AtomicType t) {
  switch (t) {
    case AtomicType::integer:
      return "int64_t";
    case AtomicType::real:
      return "double";
    case AtomicType::boolean:
      return "bool";
    case AtomicType::string:
      return "std::string";
    case AtomicType::uuid:
      return "Uuid";
  }
  return "int64_t";
}

// Parameter type of a setter taking one atom.
std::string cpp_arg(AtomicType t) {
  switch (t) {
    case AtomicType::string:
      return "std::string_view";
    case AtomicType::uuid:
      return "const Uuid&";
    default:
      return cpp_atomic(t);
  }
}

std::string ref_class(const BaseType& b) { return class_name(b.ref_table_name); }

std::string describe(const Type& t) { return t.describe(); }

void column_code(const std::string& cls, const ColumnSchema& c, std::string* getters,
                 std::string* setters, std::string* defs) {
  const Type& t = c.type;
  const std::string m = member_name(c.name);
  const std::string col = "Col::" + member_name(c.name);
  const bool ref = t.key.is_ref();
  const std::string k = cpp_atomic(t.key.type);
  std::string& g = *getters;
  std::string& s = *setters;
  std::string& d = *defs;
  const std::string w = cls + "::Writer";
  g += fmt::format("  // {}: {}\n", c.name, describe(t));

  if (t.is_map()) {
    const std::string v = cpp_atomic(t.value->type);
    std::string view = fmt::format("client::MapView<{}, {}>", k, v);
    g += fmt::format("  {} {}() const;\n", view, m);
    d += fmt::format("inline {} {}::{}() const {{ return {}(datum({})); }}\n", view, cls, m, view,
                     col);
    s += fmt::format("  void set_{}(const std::map<{}, {}>& value) const;\n", c.name, k, v);
    s += fmt::format("  void update_{}({} key, {} value) const;\n", c.name, cpp_arg(t.key.type),
                     cpp_arg(t.value->type));
    s += fmt::format("  void delete_{}({} key) const;\n", c.name, cpp_arg(t.key.type));
    d += fmt::format(
        "inline void {}::set_{}(const std::map<{}, {}>& value) const {{ do_write({}, "
        "client::make_map_datum(value)); }}\n",
        w, c.name, k, v, col);
    d += fmt::format(
        "inline void {}::update_{}({} key, {} value) const {{ do_map_put({}, ovsdb::Atom(key), "
        "ovsdb::Atom(value)); }}\n",
        w, c.name, cpp_arg(t.key.type), cpp_arg(t.value->type), col);
    d += fmt::format(
        "inline void {}::delete_{}({} key) const {{ do_map_erase({}, ovsdb::Atom(key)); }}\n", w,
        c.name, cpp_arg(t.key.type), col);
  } else if (t.is_scalar()) {
    if (ref) {
      std::string rc = ref_class(t.key);
      g += fmt::format("  const {}* {}() const;\n", rc, m);
      d += fmt::format(
          "inline const {}* {}::{}() const {{ return client::ref_value<{}>(*this, {}); }}\n", rc,
          cls, m, rc, col);
      s += fmt::format("  void set_{}(const {}* row) const;\n", c.name, rc);
      d += fmt::format(
          "inline void {}::set_{}(const {}* row) const {{ do_write({}, "
          "ovsdb::Datum::scalar(ovsdb::Atom(row->uuid()))); }}\n",
          w, c.name, rc, col);
    } else {
      std::string ret = t.key.type == AtomicType::string ? "const std::string&"
                        : t.key.type == AtomicType::uuid ? "const Uuid&"
                                                         : k;
      g += fmt::format("  {} {}() const;\n", ret, m);
      d += fmt::format(
          "inline {} {}::{}() const {{ return client::scalar_value<{}>(*this, {}); }}\n", ret, cls,
          m, k, col);
      s += fmt::format("  void set_{}({} value) const;\n", c.name, cpp_arg(t.key.type));
      d += fmt::format(
          "inline void {}::set_{}({} value) const {{ do_write({}, "
          "ovsdb::Datum::scalar(ovsdb::Atom(value))); }}\n",
          w, c.name, cpp_arg(t.key.type), col);
    }
  } else if (t.is_optional()) {
    if (ref) {
      std::string rc = ref_class(t.key);
      g += fmt::format("  const {}* {}() const;\n", rc, m);
      d += fmt::format(
          "inline const {}* {}::{}() const {{ return client::ref_value<{}>(*this, {}); }}\n", rc,
          cls, m, rc, col);
      s += fmt::format("  void set_{}(const {}* row) const;  // nullptr clears\n", c.name, rc);
      d += fmt::format(
          "inline void {}::set_{}(const {}* row) const {{ do_write({}, row ? "
          "ovsdb::Datum::scalar(ovsdb::Atom(row->uuid())) : ovsdb::Datum()); }}\n",
          w, c.name, rc, col);
    } else {
      std::string out = t.key.type == AtomicType::string ? "std::string_view" : k;
      g += fmt::format("  std::optional<{}> {}() const;\n", out, m);
      d += fmt::format(
          "inline std::optional<{}> {}::{}() const {{ return client::optional_value<{}>(*this, "
          "{}); "
          "}}\n",
          out, cls, m, k, col);
      std::string arg = t.key.type == AtomicType::string ? "std::string_view" : k;
      s += fmt::format("  void set_{}(std::optional<{}> value) const;  // nullopt clears\n", c.name,
                       arg);
      d += fmt::format(
          "inline void {}::set_{}(std::optional<{}> value) const {{ do_write({}, value ? "
          "ovsdb::Datum::scalar(ovsdb::Atom(*value)) : ovsdb::Datum()); }}\n",
          w, c.name, arg, col);
    }
  } else {  // a set
    if (ref) {
      std::string rc = ref_class(t.key);
      std::string view = fmt::format("client::RefSetView<{}>", rc);
      g += fmt::format("  {} {}() const;\n", view, m);
      d += fmt::format("inline {} {}::{}() const {{ return {}(*this, datum({})); }}\n", view, cls,
                       m, view, col);
      s += fmt::format("  void set_{}(const std::vector<const {}*>& rows) const;\n", c.name, rc);
      s += fmt::format("  void add_{}(const {}* row) const;\n", c.name, rc);
      s += fmt::format("  void remove_{}(const {}* row) const;\n", c.name, rc);
      d += fmt::format(
          "inline void {}::set_{}(const std::vector<const {}*>& rows) const {{ do_write({}, "
          "client::make_ref_set_datum(rows)); }}\n",
          w, c.name, rc, col);
      d += fmt::format(
          "inline void {}::add_{}(const {}* row) const {{ do_set_insert({}, "
          "ovsdb::Atom(row->uuid())); }}\n",
          w, c.name, rc, col);
      d += fmt::format(
          "inline void {}::remove_{}(const {}* row) const {{ do_set_erase({}, "
          "ovsdb::Atom(row->uuid())); }}\n",
          w, c.name, rc, col);
    } else {
      std::string view = fmt::format("client::SetView<{}>", k);
      g += fmt::format("  {} {}() const;\n", view, m);
      d += fmt::format("inline {} {}::{}() const {{ return {}(datum({}).keys()); }}\n", view, cls,
                       m, view, col);
      s += fmt::format("  void set_{}(const std::vector<{}>& values) const;\n", c.name, k);
      s += fmt::format("  void add_{}({} value) const;\n", c.name, cpp_arg(t.key.type));
      s += fmt::format("  void remove_{}({} value) const;\n", c.name, cpp_arg(t.key.type));
      d += fmt::format(
          "inline void {}::set_{}(const std::vector<{}>& values) const {{ do_write({}, "
          "client::make_set_datum(values)); }}\n",
          w, c.name, k, col);
      d += fmt::format(
          "inline void {}::add_{}({} value) const {{ do_set_insert({}, ovsdb::Atom(value)); }}\n",
          w, c.name, cpp_arg(t.key.type), col);
      d += fmt::format(
          "inline void {}::remove_{}({} value) const {{ do_set_erase({}, ovsdb::Atom(value)); }}\n",
          w, c.name, cpp_arg(t.key.type), col);
    }
  }
  s += fmt::format("  void verify_{}() const;\n", c.name);
  d += fmt::format("inline void {}::verify_{}() const {{ do_verify({}); }}\n", w, c.name, col);
}

// A lookup function for one of the table's schema indexes (scalar and optional columns only).
void index_code(const std::string& cls, const TableSchema& table, size_t n,
                const std::vector<size_t>& columns, std::string* decls, std::string* defs) {
  std::string name = "find_by";
  std::string params;
  std::string keys;
  for (size_t ci : columns) {
    const ColumnSchema& c = table.column(ci);
    const Type& t = c.type;
    if (t.is_map() || !(t.is_scalar() || t.is_optional())) return;
    name += "_" + c.name;
    std::string p = member_name(c.name);
    std::string atom;
    if (t.key.is_ref()) {
      params += fmt::format(", const {}* {}", ref_class(t.key), p);
      atom = fmt::format("ovsdb::Atom({}->uuid())", p);
      keys +=
          t.is_optional()
              ? fmt::format("  key.push_back({0} ? ovsdb::Datum::scalar({1}) : ovsdb::Datum());\n",
                            p, atom)
              : fmt::format("  key.push_back(ovsdb::Datum::scalar({}));\n", atom);
    } else if (t.is_optional()) {
      std::string arg =
          t.key.type == AtomicType::string ? "std::string_view" : cpp_atomic(t.key.type);
      params += fmt::format(", std::optional<{}> {}", arg, p);
      keys += fmt::format(
          "  key.push_back({0} ? ovsdb::Datum::scalar(ovsdb::Atom(*{0})) : ovsdb::Datum());\n", p);
    } else {
      params += fmt::format(", {} {}", cpp_arg(t.key.type), p);
      keys += fmt::format("  key.push_back(ovsdb::Datum::scalar(ovsdb::Atom({})));\n", p);
    }
  }
  *decls += fmt::format("  // The row with these values of the schema index #{}, or nullptr.\n", n);
  *decls +=
      fmt::format("  static const {}* {}(const client::Replica& replica{});\n", cls, name, params);
  *defs += fmt::format(
      "inline const {0}* {0}::{1}(const client::Replica& replica{2}) {{\n"
      "  check(replica);\n"
      "  std::vector<ovsdb::Datum> key;\n"
      "  key.reserve({3});\n"
      "{4}"
      "  return static_cast<const {0}*>(replica.schema_index(kTableId, {5})->find_one(key));\n"
      "}}\n",
      cls, name, params, columns.size(), keys, n);
}

}  // namespace

std::string class_name(const std::string& table) {
  std::string out;
  for (char c : table) {
    if (c != '_') out.push_back(c);
  }
  return out;
}

Result<Output> generate(const ovsdb::DatabaseSchema& schema, const std::string& schema_text,
                        const Options& options) {
  Output out;
  std::string& h = out.header;
  std::string classes, defs, fwd;
  std::set<std::string> names;
  size_t table_id = 0;
  for (const auto& [tname, table] : schema.tables()) {
    std::string cls = class_name(tname);
    if (cls.empty() || !names.insert(cls).second) {
      return make_error("idlgen", fmt::format("table {} gives a duplicate class name", tname));
    }
    fwd += fmt::format("class {};\n", cls);
    std::string getters, setters, cols, index_decls;
    for (const ColumnSchema& c : table->columns()) {
      if (c.index < ovsdb::kFirstUserColumn) continue;
      cols += fmt::format("    static constexpr size_t {} = {};\n", member_name(c.name), c.index);
      column_code(cls, c, &getters, &setters, &defs);
    }
    for (size_t i = 0; i < table->indexes().size(); ++i) {
      index_code(cls, *table, i, table->indexes()[i], &index_decls, &defs);
    }
    classes += fmt::format(
        "// Table {0}.\n"
        "class {1} final : public client::TypedRow<{1}> {{\n"
        " public:\n"
        "  static constexpr size_t kTableId = {2};\n"
        "  static constexpr std::string_view kTableName = \"{0}\";\n"
        "  static const client::DatabaseBinding& database_binding() {{ return binding(); }}\n"
        "  // Schema column indexes, for Row::datum(), Idl::monitor() and conditions.\n"
        "  struct Col {{\n{3}  }};\n\n"
        "{4}\n"
        "{5}"
        "  class Writer;\n"
        "  // Records a new row into TXN.\n"
        "  static Writer insert(client::Transaction& txn);\n"
        "  // Records edits of ROW (a replica row or a row of TXN) into TXN.\n"
        "  static Writer edit(client::Transaction& txn, const {1}* row);\n"
        "}};\n\n"
        "class {1}::Writer : public client::RowWriter {{\n"
        " public:\n"
        "  using RowWriter::RowWriter;\n"
        "  // The row as the transaction leaves it.\n"
        "  const {1}* row() const {{ return static_cast<const {1}*>(txn().view(raw_row())); }}\n"
        "{6}"
        "}};\n\n",
        tname, cls, table_id, cols, getters, index_decls, setters);
    defs += fmt::format(
        "inline {0}::Writer {0}::insert(client::Transaction& txn) {{\n"
        "  return Writer(txn, txn.insert(binding_table()));\n}}\n"
        "inline {0}::Writer {0}::edit(client::Transaction& txn, const {0}* row) {{\n"
        "  return Writer(txn, row);\n}}\n\n",
        cls);
    ++table_id;
  }

  h += fmt::format(
      "// Generated by ovnx-idlgen from {0} ({1} {2}). Do not edit.\n"
      "// Typed rows of {1}; see ovsdb/client/typed.h for the mapping of column types.\n"
      "#pragma once\n\n"
      "#include <cstdint>\n#include <map>\n#include <memory>\n#include <optional>\n"
      "#include <string>\n#include <string_view>\n#include <vector>\n\n"
      "#include \"ovsdb/client/typed.h\"\n\n"
      "namespace ovnx::{3} {{\n\n"
      "namespace client = ::ovnx::ovsdb::client;\n\n"
      "inline constexpr std::string_view kDatabaseName = \"{1}\";\n"
      "inline constexpr std::string_view kSchemaVersion = \"{2}\";\n\n"
      "// The binding of the compiled-in schema to the classes below (shared, immutable).\n"
      "const std::shared_ptr<const client::DatabaseBinding>& binding_ptr();\n"
      "inline const client::DatabaseBinding& binding() {{ return *binding_ptr(); }}\n\n"
      "{4}\n{5}// ---- Inline definitions.\n\n{6}\n}}  // namespace ovnx::{3}\n",
      options.schema_path.substr(options.schema_path.find_last_of("/") + 1), schema.name(),
      schema.version(), options.ns, fwd, classes, defs);

  std::string factories;
  for (const auto& [tname, table] : schema.tables()) {
    factories += fmt::format("      {{\"{}\", &make<{}>}},\n", tname, class_name(tname));
  }
  std::string checks;
  for (const auto& [tname, table] : schema.tables()) {
    checks +=
        fmt::format("    if (b->table({0}::kTableId).name() != {0}::kTableName) std::abort();\n",
                    class_name(tname));
  }
  out.source = fmt::format(
      "// Generated by ovnx-idlgen from {0}. Do not edit.\n"
      "#include \"{1}\"\n\n"
      "#include <cstdio>\n#include <cstdlib>\n\n"
      "namespace ovnx::{2} {{\n\n"
      "namespace {{\n\n"
      "constexpr std::string_view kSchemaText = R\"ovnx_schema({3})ovnx_schema\";\n\n"
      "template <class T>\n"
      "std::unique_ptr<client::Row> make() {{\n  return std::make_unique<T>();\n}}\n\n"
      "}}  // namespace\n\n"
      "const std::shared_ptr<const client::DatabaseBinding>& binding_ptr() {{\n"
      "  static const std::shared_ptr<const client::DatabaseBinding> binding = [] {{\n"
      "    auto schema = ovsdb::DatabaseSchema::from_text(kSchemaText);\n"
      "    if (!schema.ok()) {{\n"
      "      std::fprintf(stderr, \"compiled-in schema: %s\\n\", "
      "schema.error().to_string().c_str());\n"
      "      std::abort();\n"
      "    }}\n"
      "    auto b = std::make_shared<const client::DatabaseBinding>(\n"
      "        *schema, std::vector<std::pair<std::string_view, client::RowFactory>>{{\n{4}"
      "        }});\n"
      "    // The generator numbered tables and columns from the same text.\n{5}"
      "    return b;\n"
      "  }}();\n"
      "  return binding;\n"
      "}}\n\n"
      "}}  // namespace ovnx::{2}\n",
      options.schema_path.substr(options.schema_path.find_last_of("/") + 1), options.include_name,
      options.ns, schema_text, factories, checks);
  return out;
}

}  // namespace ovnx::idlgen
