// Which rows of a table a monitor replicates (monitor_cond "where"): a row is replicated if it
// matches ANY clause (ovsdb-server(7) section 4.1.12). No clause means every row.
#pragma once

#include <vector>

#include "ovsdb/condition.h"
#include "ovsdb/datum.h"

namespace ovnx::ovsdb::client {

class MonitorCondition {
 public:
  struct Clause {
    // For ConditionFunction::true_ / false_ the column and argument are unused.
    ConditionFunction function = ConditionFunction::true_;
    size_t column = 0;  // schema column index (kUuidColumn allowed)
    Datum arg;
    bool operator==(const Clause& o) const {
      return function == o.function && column == o.column && arg == o.arg;
    }
  };

  // Every row (the default).
  static MonitorCondition all() { return MonitorCondition(); }
  // No row at all.
  static MonitorCondition none() {
    MonitorCondition c;
    c.clauses_.push_back({ConditionFunction::false_, 0, {}});
    return c;
  }

  // Adds a disjunct: rows where COLUMN FUNCTION ARG also match.
  MonitorCondition& add(size_t column, ConditionFunction function, Datum arg) {
    clauses_.push_back({function, column, std::move(arg)});
    return *this;
  }

  const std::vector<Clause>& clauses() const { return clauses_; }
  bool matches_all() const { return clauses_.empty(); }
  bool operator==(const MonitorCondition& o) const { return clauses_ == o.clauses_; }

 private:
  std::vector<Clause> clauses_;
};

}  // namespace ovnx::ovsdb::client
