// The "transact" method (RFC 7047 sections 4.1.3 and 5.2): parses and runs each operation of a
// request in order through a name -> handler table, stops at the first error, and commits the
// transaction atomically when every operation succeeded.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>

#include "base/result.h"
#include "ovsdb/server/change_set.h"
#include "ovsdb/server/database.h"

namespace ovnx::ovsdb::server {

class Transaction;

struct ExecuteParams {
  using Clock = std::chrono::steady_clock;

  Database* db = nullptr;
  // Write operations fail with "not allowed" and READ_ONLY_REASON in the details, e.g.
  // "in reserved database _Server" or "when database server is in read only mode".
  bool read_only = false;
  std::string read_only_reason;
  // Whether the requesting client owns a lock (the "assert" operation).
  std::function<bool(std::string_view)> holds_lock;
  // When the request arrived (start of "wait" timeouts) and the current time.
  Clock::time_point start = Clock::now();
  Clock::time_point now = Clock::now();
  // Called with a prepared transaction before it is applied: the durable log write. An error
  // aborts the transaction and is reported to the client.
  std::function<Status(const ChangeSet&)> before_commit;
};

struct ExecuteOutcome {
  boost::json::array results;  // the transact reply's "result"
  ChangeSetPtr committed;      // what changed, if the transaction committed a change
  // A "wait" operation is not satisfied yet: nothing was done; run the request again after
  // the database changes, or once more at DEADLINE to report "timed out".
  bool retry = false;
  ExecuteParams::Clock::time_point deadline;
};

// Runs the operations OPS (the transact params after the database name).
ExecuteOutcome execute_transaction(const ExecuteParams& params, const boost::json::array& ops,
                                   size_t first_op = 1);

}  // namespace ovnx::ovsdb::server
