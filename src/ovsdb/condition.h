// OVSDB conditions (RFC 7047 section 5.1 <condition>, and the boolean clauses true/false that
// monitor_cond accepts): parsed against a table schema, evaluated on rows.
#pragma once

#include <memory>
#include <vector>

#include <boost/json/fwd.hpp>

#include "base/result.h"
#include "ovsdb/datum.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"

namespace ovnx::ovsdb {

enum class ConditionFunction : uint8_t { lt, le, eq, ne, ge, gt, includes, excludes, true_, false_ };

struct Clause {
  ConditionFunction function = ConditionFunction::true_;
  const ColumnSchema* column = nullptr;  // null for true/false
  Datum arg;

  bool evaluate(const Row& row) const;
};

// A conjunction of clauses ("where"); an empty condition matches every row.
class Condition {
 public:
  // With SYMTAB, ["named-uuid", ...] arguments are allowed (transactions).
  static Result<Condition> from_json(const TableSchema& table, const boost::json::value& json,
                                     class SymbolTable* symtab = nullptr);
  static Condition always_true() { return Condition(); }

  bool evaluate(const Row& row) const;
  const std::vector<Clause>& clauses() const { return clauses_; }
  // True if the condition is trivially true (no clause, or only "true" clauses).
  bool is_true() const;
  bool is_false() const;
  // If the condition includes "_uuid == U", returns U (a fast path for lookups).
  const Uuid* uuid_equality() const;

 private:
  std::vector<Clause> clauses_;
};

}  // namespace ovnx::ovsdb
