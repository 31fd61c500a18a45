#include "ovsdb/atom.h"

#include <functional>

namespace ovnx::ovsdb {

std::string_view atomic_type_name(AtomicType type) {
  switch (type) {
    case AtomicType::integer: return "integer";
    case AtomicType::real: return "real";
    case AtomicType::boolean: return "boolean";
    case AtomicType::string: return "string";
    case AtomicType::uuid: return "uuid";
  }
  return "?";
}

bool parse_atomic_type(std::string_view name, AtomicType* out) {
  for (AtomicType t : {AtomicType::integer, AtomicType::real, AtomicType::boolean,
                       AtomicType::string, AtomicType::uuid}) {
    if (name == atomic_type_name(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

Atom Atom::default_for(AtomicType type) {
  switch (type) {
    case AtomicType::integer: return Atom(int64_t{0});
    case AtomicType::real: return Atom(0.0);
    case AtomicType::boolean: return Atom(false);
    case AtomicType::string: return Atom(std::string());
    case AtomicType::uuid: return Atom(Uuid{});
  }
  return Atom();
}

int Atom::compare(const Atom& other) const {
  if (v_.index() != other.v_.index()) return v_.index() < other.v_.index() ? -1 : 1;
  switch (type()) {
    case AtomicType::integer: {
      int64_t a = integer(), b = other.integer();
      return a < b ? -1 : a > b;
    }
    case AtomicType::real: {
      double a = real(), b = other.real();
      return a < b ? -1 : a > b;
    }
    case AtomicType::boolean: return static_cast<int>(boolean()) - static_cast<int>(other.boolean());
    case AtomicType::string: {
      int c = string().compare(other.string());
      return c < 0 ? -1 : c > 0;
    }
    case AtomicType::uuid: {
      auto c = uuid() <=> other.uuid();
      return c < 0 ? -1 : c > 0;
    }
  }
  return 0;
}

size_t Atom::hash() const {
  switch (type()) {
    case AtomicType::integer: return std::hash<int64_t>()(integer()) * 0x9e3779b97f4a7c15ULL;
    case AtomicType::real: return std::hash<double>()(real());
    case AtomicType::boolean: return boolean() ? 0x51ed27 : 0x3c6ef3;
    case AtomicType::string: return std::hash<std::string>()(string());
    case AtomicType::uuid: return std::hash<Uuid>()(uuid());
  }
  return 0;
}

}  // namespace ovnx::ovsdb
