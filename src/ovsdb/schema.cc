#include "ovsdb/schema.h"

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "ovsdb/json.h"

namespace ovnx::ovsdb {

namespace json = boost::json;

namespace {

Error syntax(std::string details) { return make_error("syntax error", std::move(details)); }

// Checks that OBJ has only ALLOWED members.
Status check_members(const json::object& obj, std::initializer_list<std::string_view> allowed,
                     std::string_view what) {
  for (const auto& kv : obj) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || kv.key() == a;
    if (!ok) {
      return syntax(fmt::format("{}: unknown member \"{}\"", what, std::string_view(kv.key())));
    }
  }
  return {};
}

Result<int64_t> get_integer(const json::value& v, std::string_view what) {
  if (v.is_int64()) return v.get_int64();
  return syntax(fmt::format("{} must be an integer", what));
}

Result<double> get_number(const json::value& v, std::string_view what) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_double()) return v.get_double();
  return syntax(fmt::format("{} must be a number", what));
}

bool is_version(std::string_view v) {
  int parts = 0;
  size_t i = 0;
  while (i <= v.size()) {
    size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    if (i == start) return false;
    ++parts;
    if (i == v.size()) break;
    if (v[i] != '.') return false;
    ++i;
  }
  return parts == 3;
}

}  // namespace

bool is_valid_id(std::string_view name) {
  if (name.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(name[0])) return false;
  for (char c : name) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

Result<BaseType> parse_base_type(const json::value& value) {
  if (value.is_string()) {
    BaseType b;
    if (!parse_atomic_type(value.get_string(), &b.type)) {
      return syntax(fmt::format("\"{}\" is not an atomic type",
                                std::string_view(value.get_string())));
    }
    return b;
  }
  const json::object* o = value.if_object();
  if (!o) return syntax("base type must be a string or an object");
  OVNX_RETURN_IF_ERROR(check_members(*o, {"type", "enum", "minInteger", "maxInteger", "minReal",
                                          "maxReal", "minLength", "maxLength", "refTable",
                                          "refType"},
                                     "base type"));
  const json::value* t = o->if_contains("type");
  if (!t || !t->is_string()) return syntax("base type lacks \"type\"");
  BaseType b;
  if (!parse_atomic_type(t->get_string(), &b.type)) {
    return syntax(fmt::format("\"{}\" is not an atomic type", std::string_view(t->get_string())));
  }
  auto only_for = [&](const char* member, AtomicType needed) -> Status {
    if (o->contains(member) && b.type != needed) {
      return syntax(fmt::format("\"{}\" is not allowed for type {}", member,
                                atomic_type_name(b.type)));
    }
    return {};
  };
  OVNX_RETURN_IF_ERROR(only_for("minInteger", AtomicType::integer));
  OVNX_RETURN_IF_ERROR(only_for("maxInteger", AtomicType::integer));
  OVNX_RETURN_IF_ERROR(only_for("minReal", AtomicType::real));
  OVNX_RETURN_IF_ERROR(only_for("maxReal", AtomicType::real));
  OVNX_RETURN_IF_ERROR(only_for("minLength", AtomicType::string));
  OVNX_RETURN_IF_ERROR(only_for("maxLength", AtomicType::string));
  OVNX_RETURN_IF_ERROR(only_for("refTable", AtomicType::uuid));
  if (const json::value* v = o->if_contains("minInteger")) {
    OVNX_ASSIGN_OR_RETURN(b.min_integer, get_integer(*v, "minInteger"));
  }
  if (const json::value* v = o->if_contains("maxInteger")) {
    OVNX_ASSIGN_OR_RETURN(b.max_integer, get_integer(*v, "maxInteger"));
  }
  if (b.min_integer > b.max_integer) {
    return syntax(fmt::format("minInteger {} exceeds maxInteger {}", b.min_integer, b.max_integer));
  }
  if (const json::value* v = o->if_contains("minReal")) {
    OVNX_ASSIGN_OR_RETURN(b.min_real, get_number(*v, "minReal"));
  }
  if (const json::value* v = o->if_contains("maxReal")) {
    OVNX_ASSIGN_OR_RETURN(b.max_real, get_number(*v, "maxReal"));
  }
  if (b.min_real > b.max_real) {
    return syntax(fmt::format("minReal {} exceeds maxReal {}", b.min_real, b.max_real));
  }
  if (const json::value* v = o->if_contains("minLength")) {
    OVNX_ASSIGN_OR_RETURN(int64_t n, get_integer(*v, "minLength"));
    if (n < 0) return syntax("minLength must be nonnegative");
    b.min_length = static_cast<uint64_t>(n);
  }
  if (const json::value* v = o->if_contains("maxLength")) {
    OVNX_ASSIGN_OR_RETURN(int64_t n, get_integer(*v, "maxLength"));
    if (n < 0) return syntax("maxLength must be nonnegative");
    b.max_length = static_cast<uint64_t>(n);
  }
  if (b.min_length > b.max_length) {
    return syntax(fmt::format("minLength {} exceeds maxLength {}", b.min_length, b.max_length));
  }
  if (const json::value* v = o->if_contains("refTable")) {
    if (!v->is_string() || !is_valid_id(v->get_string())) {
      return syntax("refTable must be a table name");
    }
    b.ref_table_name = std::string(v->get_string());
  }
  if (const json::value* v = o->if_contains("refType")) {
    if (!b.is_ref()) return syntax("refType is allowed only with refTable");
    if (!v->is_string()) return syntax("refType must be \"strong\" or \"weak\"");
    if (v->get_string() == "strong") {
      b.ref_type = RefType::strong;
    } else if (v->get_string() == "weak") {
      b.ref_type = RefType::weak;
    } else {
      return syntax(fmt::format("refType must be \"strong\" or \"weak\" (not \"{}\")",
                                std::string_view(v->get_string())));
    }
  }
  if (const json::value* v = o->if_contains("enum")) {
    Type set_type;
    set_type.key = BaseType(b.type);
    set_type.n_min = 0;
    set_type.n_max = Type::kUnlimited;
    auto d = datum_from_json(set_type, *v);
    if (!d.ok()) return syntax("enum: " + d.error().details);
    b.enum_values = std::make_shared<const Datum>(std::move(*d));
  }
  return b;
}

Result<Type> parse_type(const json::value& value) {
  if (value.is_string()) {
    OVNX_ASSIGN_OR_RETURN(BaseType b, parse_base_type(value));
    Type t;
    t.key = std::move(b);
    return t;
  }
  const json::object* o = value.if_object();
  if (!o) return syntax("type must be a string or an object");
  OVNX_RETURN_IF_ERROR(check_members(*o, {"key", "value", "min", "max"}, "type"));
  const json::value* k = o->if_contains("key");
  if (!k) return syntax("type lacks \"key\"");
  Type t;
  OVNX_ASSIGN_OR_RETURN(t.key, parse_base_type(*k));
  if (const json::value* v = o->if_contains("value")) {
    OVNX_ASSIGN_OR_RETURN(BaseType vb, parse_base_type(*v));
    t.value = std::move(vb);
  }
  if (const json::value* v = o->if_contains("min")) {
    if (!v->is_int64() || v->get_int64() < 0 || v->get_int64() > 1) {
      return syntax("\"min\" must be 0 or 1");
    }
    t.n_min = static_cast<unsigned>(v->get_int64());
  }
  if (const json::value* v = o->if_contains("max")) {
    if (v->is_string() && v->get_string() == "unlimited") {
      t.n_max = Type::kUnlimited;
    } else if (v->is_int64() && v->get_int64() >= 1 && v->get_int64() < Type::kUnlimited) {
      t.n_max = static_cast<unsigned>(v->get_int64());
    } else {
      return syntax("\"max\" must be a positive integer or \"unlimited\"");
    }
  }
  if (t.n_min > t.n_max) return syntax("\"min\" exceeds \"max\"");
  return t;
}

json::value base_type_to_json(const BaseType& b) {
  if (!b.has_constraints()) return json::value(std::string(atomic_type_name(b.type)));
  json::object o;
  o["type"] = std::string(atomic_type_name(b.type));
  if (b.enum_values) {
    Type set_type(b.type);
    set_type.n_min = 0;
    set_type.n_max = Type::kUnlimited;
    json::array elems;
    for (const Atom& a : b.enum_values->keys()) elems.push_back(atom_to_json(a));
    o["enum"] = json::array{"set", std::move(elems)};
  }
  if (b.min_integer != std::numeric_limits<int64_t>::min()) o["minInteger"] = b.min_integer;
  if (b.max_integer != std::numeric_limits<int64_t>::max()) o["maxInteger"] = b.max_integer;
  if (b.min_real != -std::numeric_limits<double>::max()) o["minReal"] = b.min_real;
  if (b.max_real != std::numeric_limits<double>::max()) o["maxReal"] = b.max_real;
  if (b.min_length != 0) o["minLength"] = static_cast<int64_t>(b.min_length);
  if (b.max_length != std::numeric_limits<uint64_t>::max()) o["maxLength"] = static_cast<int64_t>(b.max_length);
  if (b.is_ref()) {
    o["refTable"] = b.ref_table_name;
    if (b.ref_type == RefType::weak) o["refType"] = "weak";
  }
  return o;
}

json::value type_to_json(const Type& t) {
  if (t.is_scalar() && !t.key.has_constraints()) return base_type_to_json(t.key);
  json::object o;
  o["key"] = base_type_to_json(t.key);
  if (t.value) o["value"] = base_type_to_json(*t.value);
  if (t.n_min != 1) o["min"] = static_cast<int64_t>(t.n_min);
  if (t.n_max == Type::kUnlimited) {
    o["max"] = "unlimited";
  } else if (t.n_max != 1) {
    o["max"] = static_cast<int64_t>(t.n_max);
  }
  return o;
}

const ColumnSchema* TableSchema::find_column(std::string_view name) const {
  auto it = column_index_.find(std::string(name));
  return it == column_index_.end() ? nullptr : &columns_[it->second];
}

Result<std::unique_ptr<TableSchema>> parse_table_schema(std::string_view name,
                                                        const json::value& value) {
  auto where = [&](std::string_view detail) {
    return syntax(fmt::format("table {}: {}", name, detail));
  };
  const json::object* o = value.if_object();
  if (!o) return where("table schema must be an object");
  Status members = check_members(*o, {"columns", "maxRows", "isRoot", "indexes"}, "table");
  if (!members.ok()) return where(members.error().details);
  auto t = std::make_unique<TableSchema>();
  t->name_ = std::string(name);
  // Implicit columns.
  ColumnSchema uuid_col{"_uuid", Type(AtomicType::uuid), false, false, kUuidColumn};
  ColumnSchema version_col{"_version", Type(AtomicType::uuid), false, false, kVersionColumn};
  t->columns_.push_back(uuid_col);
  t->columns_.push_back(version_col);
  t->column_index_["_uuid"] = kUuidColumn;
  t->column_index_["_version"] = kVersionColumn;

  const json::value* cols = o->if_contains("columns");
  if (!cols || !cols->is_object()) return where("lacks \"columns\" object");
  if (cols->get_object().empty()) return where("table must have at least one column");
  for (const auto& kv : cols->get_object()) {
    std::string cname(kv.key());
    if (!is_valid_id(cname)) return where(fmt::format("\"{}\" is not a valid column name", cname));
    if (cname[0] == '_') {
      return where(fmt::format("column {}: names beginning with \"_\" are reserved", cname));
    }
    const json::object* c = kv.value().if_object();
    if (!c) return where(fmt::format("column {}: column schema must be an object", cname));
    Status m = check_members(*c, {"type", "ephemeral", "mutable"}, "column");
    if (!m.ok()) return where(fmt::format("column {}: {}", cname, m.error().details));
    const json::value* type = c->if_contains("type");
    if (!type) return where(fmt::format("column {}: lacks \"type\"", cname));
    auto parsed = parse_type(*type);
    if (!parsed.ok()) return where(fmt::format("column {}: {}", cname, parsed.error().details));
    ColumnSchema col;
    col.name = cname;
    col.type = std::move(*parsed);
    if (const json::value* e = c->if_contains("ephemeral")) {
      if (!e->is_bool()) return where(fmt::format("column {}: ephemeral must be boolean", cname));
      col.ephemeral = e->get_bool();
    }
    if (const json::value* mu = c->if_contains("mutable")) {
      if (!mu->is_bool()) return where(fmt::format("column {}: mutable must be boolean", cname));
      col.is_mutable = mu->get_bool();
    }
    col.index = t->columns_.size();
    t->column_index_[cname] = col.index;
    t->columns_.push_back(std::move(col));
  }
  if (const json::value* mr = o->if_contains("maxRows")) {
    if (!mr->is_int64() || mr->get_int64() < 1) return where("maxRows must be at least 1");
    t->max_rows_ = static_cast<uint64_t>(mr->get_int64());
  }
  if (const json::value* root = o->if_contains("isRoot")) {
    if (!root->is_bool()) return where("isRoot must be boolean");
    t->is_root_ = root->get_bool();
    t->root_given_ = true;
  }
  if (const json::value* idx = o->if_contains("indexes")) {
    if (!idx->is_array()) return where("indexes must be an array");
    for (const json::value& index : idx->get_array()) {
      if (!index.is_array() || index.get_array().empty()) {
        return where("each index must be a nonempty array of column names");
      }
      std::vector<size_t> cols_of_index;
      std::set<size_t> seen;
      for (const json::value& cn : index.get_array()) {
        if (!cn.is_string()) return where("index column names must be strings");
        const ColumnSchema* c = t->find_column(cn.get_string());
        if (!c) {
          return where(fmt::format("index refers to unknown column \"{}\"",
                                   std::string_view(cn.get_string())));
        }
        if (c->ephemeral) {
          return where(fmt::format("ephemeral column {} may not be indexed", c->name));
        }
        if (!seen.insert(c->index).second) {
          return where(fmt::format("column {} appears twice in one index", c->name));
        }
        cols_of_index.push_back(c->index);
      }
      t->indexes_.push_back(std::move(cols_of_index));
    }
  }
  return t;
}

Result<std::shared_ptr<const DatabaseSchema>> DatabaseSchema::from_json(const json::value& value) {
  const json::object* o = value.if_object();
  if (!o) return syntax("database schema must be a JSON object");
  OVNX_RETURN_IF_ERROR(check_members(*o, {"name", "version", "cksum", "tables"}, "database schema"));
  auto db = std::make_shared<DatabaseSchema>();
  const json::value* name = o->if_contains("name");
  if (!name || !name->is_string() || !is_valid_id(name->get_string())) {
    return syntax("database schema lacks a valid \"name\"");
  }
  db->name_ = std::string(name->get_string());
  if (const json::value* v = o->if_contains("version")) {
    if (!v->is_string() || !is_version(v->get_string())) {
      return syntax(fmt::format("database {}: \"version\" must be a string of the form x.y.z",
                                db->name_));
    }
    db->version_ = std::string(v->get_string());
  }
  if (const json::value* c = o->if_contains("cksum")) {
    if (!c->is_string()) return syntax("\"cksum\" must be a string");
    db->cksum_ = std::string(c->get_string());
  }
  const json::value* tables = o->if_contains("tables");
  if (!tables || !tables->is_object()) {
    return syntax(fmt::format("database {}: lacks \"tables\" object", db->name_));
  }
  for (const auto& kv : tables->get_object()) {
    std::string tname(kv.key());
    if (!is_valid_id(tname)) return syntax(fmt::format("\"{}\" is not a valid table name", tname));
    if (tname[0] == '_') {
      return syntax(fmt::format("table {}: names beginning with \"_\" are reserved", tname));
    }
    OVNX_ASSIGN_OR_RETURN(auto table, parse_table_schema(tname, kv.value()));
    db->tables_.emplace(tname, std::move(table));
  }
  // Resolve references.
  bool any_root_given = false;
  for (auto& [tname, table] : db->tables_) {
    any_root_given = any_root_given || table->root_given_;
    for (ColumnSchema& col : table->columns_) {
      for (BaseType* b : {&col.type.key, col.type.value ? &*col.type.value : nullptr}) {
        if (!b || !b->is_ref()) continue;
        auto it = db->tables_.find(b->ref_table_name);
        if (it == db->tables_.end()) {
          return syntax(fmt::format("table {} column {}: refTable \"{}\" does not exist", tname,
                                    col.name, b->ref_table_name));
        }
        b->ref_table = it->second.get();
        it->second->referenced_ = true;
      }
    }
  }
  // Schemas from before "isRoot" existed had no garbage collection: every table is a root.
  if (!any_root_given) {
    for (auto& [tname, table] : db->tables_) table->is_root_ = true;
  }
  return std::shared_ptr<const DatabaseSchema>(std::move(db));
}

Result<std::shared_ptr<const DatabaseSchema>> DatabaseSchema::from_text(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return syntax(fmt::format("schema is not valid JSON: {}", ec.message()));
  return from_json(v);
}

Result<std::shared_ptr<const DatabaseSchema>> DatabaseSchema::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("I/O error", fmt::format("{}: cannot open schema file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  auto r = from_text(ss.str());
  if (!r.ok()) return make_error(r.error().tag, fmt::format("{}: {}", path, r.error().details));
  return r;
}

const TableSchema* DatabaseSchema::find_table(std::string_view name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second.get();
}

json::value DatabaseSchema::to_json() const {
  json::object o;
  o["name"] = name_;
  if (!version_.empty()) o["version"] = version_;
  if (!cksum_.empty()) o["cksum"] = cksum_;
  json::object tables;
  for (const auto& [tname, t] : tables_) {
    json::object to;
    json::object cols;
    for (size_t i = kFirstUserColumn; i < t->columns().size(); ++i) {
      const ColumnSchema& c = t->columns()[i];
      json::object co;
      co["type"] = type_to_json(c.type);
      if (c.ephemeral) co["ephemeral"] = true;
      if (!c.is_mutable) co["mutable"] = false;
      cols[c.name] = std::move(co);
    }
    to["columns"] = std::move(cols);
    if (t->max_rows()) to["maxRows"] = static_cast<int64_t>(*t->max_rows());
    if (t->is_root()) to["isRoot"] = true;
    if (!t->indexes().empty()) {
      json::array idx;
      for (const auto& index : t->indexes()) {
        json::array names;
        for (size_t c : index) names.push_back(json::value(t->column(c).name));
        idx.push_back(std::move(names));
      }
      to["indexes"] = std::move(idx);
    }
    tables[tname] = std::move(to);
  }
  o["tables"] = std::move(tables);
  return o;
}

}  // namespace ovnx::ovsdb
