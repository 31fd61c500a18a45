#include "ovsdb/condition.h"

#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "ovsdb/json.h"

namespace ovnx::ovsdb {

namespace json = boost::json;

namespace {

bool parse_function(std::string_view s, ConditionFunction* f) {
  static const std::pair<std::string_view, ConditionFunction> kNames[] = {
      {"<", ConditionFunction::lt},        {"<=", ConditionFunction::le},
      {"==", ConditionFunction::eq},       {"!=", ConditionFunction::ne},
      {">=", ConditionFunction::ge},       {">", ConditionFunction::gt},
      {"includes", ConditionFunction::includes}, {"excludes", ConditionFunction::excludes}};
  for (const auto& [name, fn] : kNames) {
    if (s == name) {
      *f = fn;
      return true;
    }
  }
  return false;
}

Result<Clause> parse_clause(const TableSchema& table, const json::value& value,
                            SymbolTable* symtab) {
  Clause c;
  if (value.is_bool()) {
    c.function = value.get_bool() ? ConditionFunction::true_ : ConditionFunction::false_;
    return c;
  }
  const json::array* a = value.if_array();
  if (!a || a->size() != 3 || !(*a)[0].is_string() || !(*a)[1].is_string()) {
    return make_error("syntax error", "condition clause must be [column, function, value]");
  }
  std::string_view col = (*a)[0].get_string();
  std::string_view fn = (*a)[1].get_string();
  c.column = table.find_column(col);
  if (!c.column) {
    return make_error("unknown column",
                      fmt::format("No column {} in table {}.", col, table.name()));
  }
  if (!parse_function(fn, &c.function)) {
    return make_error("unknown function", fmt::format("No function named {}.", fn));
  }
  Type type = c.column->type;
  switch (c.function) {
    case ConditionFunction::lt:
    case ConditionFunction::le:
    case ConditionFunction::ge:
    case ConditionFunction::gt:
      // ovsdb-server(7) 5.1: also "set of 0 or 1" integers or reals (false when empty).
      if ((!type.is_scalar() && !type.is_optional()) ||
          (type.key.type != AtomicType::integer && type.key.type != AtomicType::real)) {
        return make_error("syntax error",
                          fmt::format("Type mismatch: \"{}\" operator may not be applied to "
                                      "column {} of type {}.",
                                      fn, c.column->name, type.describe()));
      }
      break;
    case ConditionFunction::includes:
    case ConditionFunction::excludes:
      if (!type.is_scalar()) {
        type.n_min = 0;
        type.n_max = Type::kUnlimited;
      }
      break;
    default:
      break;
  }
  // Arguments are checked for type only: a condition may compare against any value.
  type.key = type.key.unconstrained();
  if (type.value) type.value = type.value->unconstrained();
  auto arg = datum_from_json(type, (*a)[2], symtab);
  if (!arg.ok()) return std::move(arg).error();
  bool ordering = c.function == ConditionFunction::lt || c.function == ConditionFunction::le ||
                  c.function == ConditionFunction::ge || c.function == ConditionFunction::gt;
  if (ordering && arg->size() != 1) {
    return make_error("syntax error",
                      fmt::format("\"{}\" needs a single {} argument", fn,
                                  atomic_type_name(type.key.type)));
  }
  if (c.function != ConditionFunction::includes && c.function != ConditionFunction::excludes) {
    // == and != compare whole values, which must fit the column's size limits.
    if (arg->size() < type.n_min || arg->size() > type.n_max) {
      return make_error("syntax error",
                        fmt::format("condition value for column {} does not fit type {}",
                                    c.column->name, c.column->type.describe()));
    }
  }
  c.arg = std::move(*arg);
  return c;
}

}  // namespace

bool Clause::evaluate(const Row& row) const {
  switch (function) {
    case ConditionFunction::true_: return true;
    case ConditionFunction::false_: return false;
    default: break;
  }
  const Datum& v = row.columns[column->index];
  switch (function) {
    case ConditionFunction::eq: return v == arg;
    case ConditionFunction::ne: return v != arg;
    case ConditionFunction::includes: return v.includes(arg);
    case ConditionFunction::excludes: return v.excludes(arg);
    default: {
      if (v.empty()) return false;  // an empty optional column compares false
      int c = v.scalar_atom().compare(arg.scalar_atom());
      switch (function) {
        case ConditionFunction::lt: return c < 0;
        case ConditionFunction::le: return c <= 0;
        case ConditionFunction::ge: return c >= 0;
        case ConditionFunction::gt: return c > 0;
        default: return false;
      }
    }
  }
}

Result<Condition> Condition::from_json(const TableSchema& table, const json::value& value,
                                       SymbolTable* symtab) {
  const json::array* a = value.if_array();
  if (!a) return make_error("syntax error", "condition must be an array of clauses");
  Condition cond;
  cond.clauses_.reserve(a->size());
  for (const json::value& v : *a) {
    OVNX_ASSIGN_OR_RETURN(Clause c, parse_clause(table, v, symtab));
    cond.clauses_.push_back(std::move(c));
  }
  return cond;
}

bool Condition::evaluate(const Row& row) const {
  for (const Clause& c : clauses_) {
    if (!c.evaluate(row)) return false;
  }
  return true;
}

bool Condition::is_true() const {
  for (const Clause& c : clauses_) {
    if (c.function != ConditionFunction::true_) return false;
  }
  return true;
}

bool Condition::is_false() const {
  for (const Clause& c : clauses_) {
    if (c.function == ConditionFunction::false_) return true;
  }
  return false;
}

const Uuid* Condition::uuid_equality() const {
  for (const Clause& c : clauses_) {
    if (c.function == ConditionFunction::eq && c.column && c.column->index == kUuidColumn &&
        c.arg.size() == 1) {
      return &c.arg.scalar_atom().uuid();
    }
  }
  return nullptr;
}

}  // namespace ovnx::ovsdb
