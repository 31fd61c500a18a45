#include "ovsdb/types.h"

#include <fmt/format.h>

namespace ovnx::ovsdb {

namespace {

// Number of Unicode characters in valid UTF-8 text (continuation bytes not counted).
uint64_t utf8_length(const std::string& s) {
  uint64_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

std::string atom_text(const Atom& a) {
  switch (a.type()) {
    case AtomicType::integer: return std::to_string(a.integer());
    case AtomicType::real: return fmt::format("{}", a.real());
    case AtomicType::boolean: return a.boolean() ? "true" : "false";
    case AtomicType::string: return "\"" + a.string() + "\"";
    case AtomicType::uuid: return a.uuid().to_string();
  }
  return "?";
}

}  // namespace

bool BaseType::has_constraints() const {
  return enum_values || min_integer != std::numeric_limits<int64_t>::min() ||
         max_integer != std::numeric_limits<int64_t>::max() ||
         min_real != -std::numeric_limits<double>::max() ||
         max_real != std::numeric_limits<double>::max() || min_length != 0 ||
         max_length != std::numeric_limits<uint64_t>::max() || is_ref();
}

Status BaseType::check_atom(const Atom& atom) const {
  if (atom.type() != type) {
    return make_error("constraint violation",
                      fmt::format("expected {}, got {}", atomic_type_name(type),
                                  atomic_type_name(atom.type())));
  }
  if (enum_values && !enum_values->contains(atom)) {
    std::string allowed;
    for (const Atom& a : enum_values->keys()) {
      if (!allowed.empty()) allowed += ", ";
      allowed += atom_text(a);
    }
    return make_error("constraint violation",
                      fmt::format("{} is not one of the allowed values ({})", atom_text(atom),
                                  allowed));
  }
  switch (type) {
    case AtomicType::integer:
      if (atom.integer() < min_integer || atom.integer() > max_integer) {
        return make_error("constraint violation",
                          fmt::format("{} is not in the valid range {} to {} (inclusive)",
                                      atom.integer(), min_integer, max_integer));
      }
      break;
    case AtomicType::real:
      if (atom.real() < min_real || atom.real() > max_real) {
        return make_error("constraint violation",
                          fmt::format("{} is not in the valid range {} to {} (inclusive)",
                                      atom.real(), min_real, max_real));
      }
      break;
    case AtomicType::string: {
      uint64_t n = utf8_length(atom.string());
      if (n < min_length) {
        return make_error("constraint violation",
                          fmt::format("\"{}\" length {} is less than minimum allowed length {}",
                                      atom.string(), n, min_length));
      }
      if (n > max_length) {
        return make_error("constraint violation",
                          fmt::format("\"{}\" length {} is greater than maximum allowed length {}",
                                      atom.string(), n, max_length));
      }
      break;
    }
    default:
      break;
  }
  return {};
}

std::string Type::describe() const {
  std::string k(atomic_type_name(key.type));
  if (is_map()) {
    std::string v(atomic_type_name(value->type));
    if (n_max == kUnlimited) return fmt::format("map of {}-{} pairs", k, v);
    return fmt::format("map of up to {} {}-{} pairs", n_max, k, v);
  }
  if (is_scalar()) return k;
  if (is_optional()) return "optional " + k;
  if (n_max == kUnlimited) return fmt::format("set of {}s", k);
  return fmt::format("set of up to {} {}s", n_max, k);
}

}  // namespace ovnx::ovsdb
