// OVSDB mutations (RFC 7047 section 5.1 <mutation>): +=, -=, *=, /=, %= on integer and real
// columns (element-wise on sets), insert and delete on sets and maps.
#pragma once

#include <vector>

#include <boost/json/fwd.hpp>

#include "base/result.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"

namespace ovnx::ovsdb {

class SymbolTable;

enum class Mutator : uint8_t { add, sub, mul, div, mod, insert, erase };

struct Mutation {
  const ColumnSchema* column = nullptr;
  Mutator mutator = Mutator::add;
  Datum arg;
};

class MutationSet {
 public:
  static Result<MutationSet> from_json(const TableSchema& table, const boost::json::value& json,
                                       SymbolTable* symtab = nullptr);

  // Applies every mutation to ROW in order. Errors: "domain error" (division by zero),
  // "range error" (integer overflow), "constraint violation" (result breaks the column type).
  // On error ROW may be partly modified; callers work on a copy.
  Status apply(std::vector<Datum>* row_columns) const;
  const std::vector<Mutation>& mutations() const { return mutations_; }

 private:
  std::vector<Mutation> mutations_;
};

}  // namespace ovnx::ovsdb
