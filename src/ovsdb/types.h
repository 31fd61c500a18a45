// OVSDB column types (RFC 7047 section 3.2 <type>, <base-type>) with their constraints.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "ovsdb/atom.h"
#include "ovsdb/datum.h"

namespace ovnx::ovsdb {

class TableSchema;

enum class RefType : uint8_t { strong, weak };

struct BaseType {
  AtomicType type = AtomicType::integer;
  std::shared_ptr<const Datum> enum_values;  // allowed atoms (a set), if constrained
  int64_t min_integer = std::numeric_limits<int64_t>::min();
  int64_t max_integer = std::numeric_limits<int64_t>::max();
  double min_real = -std::numeric_limits<double>::max();
  double max_real = std::numeric_limits<double>::max();
  uint64_t min_length = 0;  // in Unicode characters
  uint64_t max_length = std::numeric_limits<uint64_t>::max();
  std::string ref_table_name;  // uuid only; empty if not a reference
  RefType ref_type = RefType::strong;
  const TableSchema* ref_table = nullptr;  // resolved by DatabaseSchema

  BaseType() = default;
  explicit BaseType(AtomicType t) : type(t) {}

  bool is_ref() const { return !ref_table_name.empty(); }
  bool is_strong_ref() const { return is_ref() && ref_type == RefType::strong; }
  bool has_constraints() const;
  // "constraint violation" when ATOM breaks enum/range/length constraints.
  Status check_atom(const Atom& atom) const;
  // Same type without constraints (for mutation/condition arguments).
  BaseType unconstrained() const { return BaseType(type); }
};

struct Type {
  static constexpr unsigned kUnlimited = std::numeric_limits<unsigned>::max();

  BaseType key;
  std::optional<BaseType> value;  // maps only
  unsigned n_min = 1;
  unsigned n_max = 1;

  Type() = default;
  explicit Type(AtomicType t) : key(t) {}

  bool is_map() const { return value.has_value(); }
  bool is_scalar() const { return !is_map() && n_min == 1 && n_max == 1; }
  bool is_optional() const { return n_min == 0 && n_max == 1; }
  bool is_set() const { return !is_map() && !(n_min == 1 && n_max == 1); }
  // A readable description, e.g. "set of up to 5 strings", for error messages.
  std::string describe() const;
};

}  // namespace ovnx::ovsdb
