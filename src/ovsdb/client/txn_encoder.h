// Internal to the client library: turns a Transaction into the params of a "transact" request
// and interprets the server's reply into a TxnReport.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "base/result.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::ovsdb::client {

class EncodedTransaction {
 public:
  // PARAMS of the "transact" request: [DB, operations...]. LOCK, if not empty, is asserted.
  static EncodedTransaction encode(const Transaction& txn, const std::string& db,
                                   const std::string& lock);

  const boost::json::array& params() const { return params_; }
  // The params, moved out: a large transaction's JSON need not outlive its sending.
  boost::json::array take_params() { return std::move(params_); }
  bool empty() const { return checks_.empty(); }
  // The report for the server's REPLY (a result array, or the request's failure).
  TxnReport interpret(const Result<boost::json::value>& reply) const;

 private:
  enum class Check { none, count_one, wait, lock, insert, increment };
  struct OpCheck {
    Check check = Check::none;
    Uuid provisional;  // insert: the row's provisional uuid
    std::string what;  // for errors: "table T row U"
  };
  boost::json::array params_;
  std::vector<OpCheck> checks_;
  std::string increment_column_;
};

}  // namespace ovnx::ovsdb::client
