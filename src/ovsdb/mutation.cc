#include "ovsdb/mutation.h"

#include <cmath>

#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "ovsdb/json.h"

namespace ovnx::ovsdb {

namespace json = boost::json;

namespace {

bool parse_mutator(std::string_view s, Mutator* m) {
  static const std::pair<std::string_view, Mutator> kNames[] = {
      {"+=", Mutator::add}, {"-=", Mutator::sub}, {"*=", Mutator::mul},
      {"/=", Mutator::div}, {"%=", Mutator::mod}, {"insert", Mutator::insert},
      {"delete", Mutator::erase}};
  for (const auto& [name, mu] : kNames) {
    if (s == name) {
      *m = mu;
      return true;
    }
  }
  return false;
}

const char* mutator_name(Mutator m) {
  switch (m) {
    case Mutator::add: return "+=";
    case Mutator::sub: return "-=";
    case Mutator::mul: return "*=";
    case Mutator::div: return "/=";
    case Mutator::mod: return "%=";
    case Mutator::insert: return "insert";
    case Mutator::erase: return "delete";
  }
  return "?";
}

bool is_arithmetic(Mutator m) { return m != Mutator::insert && m != Mutator::erase; }

Result<Mutation> parse_mutation(const TableSchema& table, const json::value& value,
                                SymbolTable* symtab) {
  const json::array* a = value.if_array();
  if (!a || a->size() != 3 || !(*a)[0].is_string() || !(*a)[1].is_string()) {
    return make_error("syntax error", "mutation must be [column, mutator, value]");
  }
  std::string_view col = (*a)[0].get_string();
  std::string_view mu = (*a)[1].get_string();
  Mutation m;
  m.column = table.find_column(col);
  if (!m.column) {
    return make_error("unknown column", fmt::format("No column {} in table {}.", col,
                                                    table.name()));
  }
  if (!m.column->is_mutable || m.column->index < kFirstUserColumn) {
    return make_error("constraint violation",
                      fmt::format("Cannot mutate immutable column {} in table {}.", col,
                                  table.name()));
  }
  if (!parse_mutator(mu, &m.mutator)) {
    return make_error("unknown mutator", fmt::format("No mutator named {}.", mu));
  }
  const Type& ct = m.column->type;
  if (is_arithmetic(m.mutator)) {
    AtomicType at = ct.key.type;
    bool numeric = at == AtomicType::integer || (at == AtomicType::real && m.mutator != Mutator::mod);
    if (!numeric || ct.is_map()) {
      return make_error("syntax error",
                        fmt::format("Type mismatch: \"{}\" operator may not be applied to column "
                                    "{} of type {}.",
                                    mu, col, ct.describe()));
    }
    Type arg_type(at);
    OVNX_ASSIGN_OR_RETURN(m.arg, datum_from_json(arg_type, (*a)[2], symtab));
    return m;
  }
  // insert/delete: the argument is a set or map of the column's element type, any size.
  Type arg_type = ct;
  arg_type.n_min = 0;
  arg_type.n_max = Type::kUnlimited;
  if (m.mutator == Mutator::erase && ct.is_map()) {
    // delete from a map takes either a map (pairs) or a set of keys.
    auto as_map = datum_from_json(arg_type, (*a)[2], symtab);
    if (as_map.ok()) {
      m.arg = std::move(*as_map);
      return m;
    }
    Type key_set(ct.key.type);
    key_set.key = ct.key;
    key_set.n_min = 0;
    key_set.n_max = Type::kUnlimited;
    OVNX_ASSIGN_OR_RETURN(m.arg, datum_from_json(key_set, (*a)[2], symtab));
    return m;
  }
  if (!ct.is_map() && ct.is_scalar()) {
    return make_error("syntax error",
                      fmt::format("Type mismatch: \"{}\" operator may not be applied to column "
                                  "{} of type {}.",
                                  mu, col, ct.describe()));
  }
  OVNX_ASSIGN_OR_RETURN(m.arg, datum_from_json(arg_type, (*a)[2], symtab));
  if (m.mutator == Mutator::insert) {
    // Inserted elements must satisfy the column's element constraints.
    Type check = ct;
    check.n_min = 0;
    check.n_max = Type::kUnlimited;
    OVNX_RETURN_IF_ERROR(m.arg.check_constraints(check));
  }
  return m;
}

Result<Atom> arith(Mutator m, const Atom& x, const Atom& y) {
  if (x.type() == AtomicType::integer) {
    int64_t a = x.integer(), b = y.integer(), r = 0;
    bool overflow = false;
    switch (m) {
      case Mutator::add: overflow = __builtin_add_overflow(a, b, &r); break;
      case Mutator::sub: overflow = __builtin_sub_overflow(a, b, &r); break;
      case Mutator::mul: overflow = __builtin_mul_overflow(a, b, &r); break;
      case Mutator::div:
      case Mutator::mod:
        if (b == 0) return make_error("domain error", "Division by zero.");
        if (a == INT64_MIN && b == -1) {
          overflow = m == Mutator::div;
          r = 0;
        } else {
          r = m == Mutator::div ? a / b : a % b;
        }
        break;
      default: break;
    }
    if (overflow) {
      return make_error("range error", fmt::format("Result of \"{}\" operation is out of range.",
                                                   mutator_name(m)));
    }
    return Atom(r);
  }
  double a = x.real(), b = y.real(), r = 0;
  switch (m) {
    case Mutator::add: r = a + b; break;
    case Mutator::sub: r = a - b; break;
    case Mutator::mul: r = a * b; break;
    case Mutator::div:
      if (b == 0) return make_error("domain error", "Division by zero.");
      r = a / b;
      break;
    default: break;
  }
  if (!std::isfinite(r)) {
    return make_error("range error", fmt::format("Result of \"{}\" operation is out of range.",
                                                 mutator_name(m)));
  }
  return Atom(r);
}

}  // namespace

Result<MutationSet> MutationSet::from_json(const TableSchema& table, const json::value& value,
                                           SymbolTable* symtab) {
  const json::array* a = value.if_array();
  if (!a) return make_error("syntax error", "mutations must be an array");
  MutationSet set;
  for (const json::value& v : *a) {
    OVNX_ASSIGN_OR_RETURN(Mutation m, parse_mutation(table, v, symtab));
    set.mutations_.push_back(std::move(m));
  }
  return set;
}

Status MutationSet::apply(std::vector<Datum>* row) const {
  for (const Mutation& m : mutations_) {
    Datum& d = (*row)[m.column->index];
    const Type& type = m.column->type;
    if (is_arithmetic(m.mutator)) {
      Datum result;
      for (const Atom& x : d.keys()) {
        OVNX_ASSIGN_OR_RETURN(Atom r, arith(m.mutator, x, m.arg.scalar_atom()));
        result.append_unchecked(std::move(r));
      }
      if (!result.sort_unique()) {
        return make_error("constraint violation",
                          fmt::format("Result of \"{}\" operation contains duplicates.",
                                      mutator_name(m.mutator)));
      }
      d = std::move(result);
    } else if (m.mutator == Mutator::insert) {
      d.union_with(m.arg);
    } else {
      d.subtract(m.arg);
    }
    Status s = d.check_constraints(type);
    if (!s.ok()) {
      return make_error("constraint violation",
                        fmt::format("Attempted to store {} elements in {} with type {}: {}",
                                    d.size(), m.column->name, type.describe(), s.error().details));
    }
  }
  return {};
}

}  // namespace ovnx::ovsdb
