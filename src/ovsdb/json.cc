#include "ovsdb/json.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

namespace ovnx::ovsdb {

namespace json = boost::json;

SymbolTable::Symbol& SymbolTable::get(std::string_view name) {
  auto it = symbols_.find(std::string(name));
  if (it != symbols_.end()) return it->second;
  Symbol s;
  s.uuid = Uuid::generate();
  return symbols_.emplace(std::string(name), s).first->second;
}

SymbolTable::Symbol* SymbolTable::find(std::string_view name) {
  auto it = symbols_.find(std::string(name));
  return it == symbols_.end() ? nullptr : &it->second;
}

namespace {

Error type_error(const BaseType& type, const json::value& value) {
  std::string text = json::serialize(value);
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return make_error("syntax error", fmt::format("expected {}, got {}",
                                                atomic_type_name(type.type), text));
}

}  // namespace

Result<Atom> atom_from_json(const BaseType& type, const json::value& value, SymbolTable* symtab) {
  switch (type.type) {
    case AtomicType::integer:
      if (value.is_int64()) return Atom(value.get_int64());
      if (value.is_uint64()) {
        return make_error("syntax error", fmt::format("integer {} is out of range",
                                                      value.get_uint64()));
      }
      return type_error(type, value);
    case AtomicType::real:
      if (value.is_double()) return Atom(value.get_double());
      if (value.is_int64()) return Atom(static_cast<double>(value.get_int64()));
      if (value.is_uint64()) return Atom(static_cast<double>(value.get_uint64()));
      return type_error(type, value);
    case AtomicType::boolean:
      if (value.is_bool()) return Atom(value.get_bool());
      return type_error(type, value);
    case AtomicType::string:
      if (value.is_string()) return Atom(std::string_view(value.get_string()));
      return type_error(type, value);
    case AtomicType::uuid: {
      const json::array* a = value.if_array();
      if (!a || a->size() != 2 || !(*a)[0].is_string() || !(*a)[1].is_string()) {
        return type_error(type, value);
      }
      std::string_view tag = (*a)[0].get_string();
      std::string_view text = (*a)[1].get_string();
      if (tag == "uuid") {
        auto u = Uuid::parse(text);
        if (!u) return make_error("syntax error", fmt::format("\"{}\" is not a valid UUID", text));
        return Atom(*u);
      }
      if (tag == "named-uuid") {
        if (!symtab) {
          return make_error("syntax error",
                            fmt::format("named-uuid \"{}\" not allowed in this context", text));
        }
        SymbolTable::Symbol& s = symtab->get(text);
        if (type.is_ref()) (type.ref_type == RefType::strong ? s.strong_ref : s.weak_ref) = true;
        return Atom(s.uuid);
      }
      return type_error(type, value);
    }
  }
  return type_error(type, value);
}

Result<Datum> datum_from_json(const Type& type, const json::value& value, SymbolTable* symtab) {
  const json::array* a = value.if_array();
  if (type.is_map()) {
    if (!a || a->size() != 2 || !(*a)[0].is_string() || (*a)[0].get_string() != "map" ||
        !(*a)[1].is_array()) {
      return make_error("syntax error", fmt::format("expected [\"map\", [...]] for {}, got {}",
                                                    type.describe(), json::serialize(value)));
    }
    Datum d = Datum::empty_map();
    for (const json::value& pair : (*a)[1].get_array()) {
      const json::array* p = pair.if_array();
      if (!p || p->size() != 2) {
        return make_error("syntax error", "map element is not a [key, value] pair");
      }
      OVNX_ASSIGN_OR_RETURN(Atom k, atom_from_json(type.key, (*p)[0], symtab));
      OVNX_ASSIGN_OR_RETURN(Atom v, atom_from_json(*type.value, (*p)[1], symtab));
      d.append_unchecked(std::move(k), std::move(v));
    }
    if (!d.sort_unique()) return make_error("syntax error", "map contains duplicate key");
    return d;
  }
  if (a && a->size() == 2 && (*a)[0].is_string() && (*a)[0].get_string() == "set") {
    if (!(*a)[1].is_array()) return make_error("syntax error", "\"set\" needs an array");
    Datum d;
    for (const json::value& e : (*a)[1].get_array()) {
      OVNX_ASSIGN_OR_RETURN(Atom k, atom_from_json(type.key, e, symtab));
      d.append_unchecked(std::move(k));
    }
    if (!d.sort_unique()) return make_error("syntax error", "set contains duplicate value");
    return d;
  }
  OVNX_ASSIGN_OR_RETURN(Atom k, atom_from_json(type.key, value, symtab));
  return Datum::scalar(std::move(k));
}

json::value atom_to_json(const Atom& atom) {
  switch (atom.type()) {
    case AtomicType::integer: return json::value(atom.integer());
    case AtomicType::real: return json::value(atom.real());
    case AtomicType::boolean: return json::value(atom.boolean());
    case AtomicType::string: return json::value(atom.string());
    case AtomicType::uuid: return json::array{"uuid", atom.uuid().to_string()};
  }
  return nullptr;
}

json::value datum_to_json(const Datum& datum, const Type& type) {
  if (type.is_map()) {
    json::array pairs;
    pairs.reserve(datum.size());
    for (size_t i = 0; i < datum.size(); ++i) {
      pairs.push_back(json::array{atom_to_json(datum.key(i)), atom_to_json(datum.value(i))});
    }
    return json::array{"map", std::move(pairs)};
  }
  if (datum.size() == 1) return atom_to_json(datum.key(0));
  json::array elems;
  elems.reserve(datum.size());
  for (const Atom& a : datum.keys()) elems.push_back(atom_to_json(a));
  return json::array{"set", std::move(elems)};
}

void append_json_string(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          out->append(fmt::format("\\u{:04x}", c));
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void append_atom_json(const Atom& atom, std::string* out) {
  switch (atom.type()) {
    case AtomicType::integer: fmt::format_to(std::back_inserter(*out), "{}", atom.integer()); break;
    case AtomicType::real: out->append(json::serialize(json::value(atom.real()))); break;
    case AtomicType::boolean: out->append(atom.boolean() ? "true" : "false"); break;
    case AtomicType::string: append_json_string(atom.string(), out); break;
    case AtomicType::uuid:
      out->append("[\"uuid\",\"");
      out->append(atom.uuid().to_string());
      out->append("\"]");
      break;
  }
}

void append_datum_json(const Datum& datum, const Type& type, std::string* out) {
  if (type.is_map()) {
    out->append("[\"map\",[");
    for (size_t i = 0; i < datum.size(); ++i) {
      if (i) out->push_back(',');
      out->push_back('[');
      append_atom_json(datum.key(i), out);
      out->push_back(',');
      append_atom_json(datum.value(i), out);
      out->push_back(']');
    }
    out->append("]]");
    return;
  }
  if (datum.size() == 1) {
    append_atom_json(datum.key(0), out);
    return;
  }
  out->append("[\"set\",[");
  for (size_t i = 0; i < datum.size(); ++i) {
    if (i) out->push_back(',');
    append_atom_json(datum.key(i), out);
  }
  out->append("]]");
}

json::value error_to_json(const Error& error) {
  json::object o;
  o["error"] = error.tag;
  if (!error.details.empty()) o["details"] = error.details;
  return o;
}

}  // namespace ovnx::ovsdb
