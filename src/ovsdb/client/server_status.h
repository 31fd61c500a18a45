// Internal to the client library: the status of one database as the _Server database reports
// it (ovsdb-server(5) "_Server"), kept from a monitor_cond on its Database table.
#pragma once

#include <boost/json/fwd.hpp>
#include <optional>
#include <string>

#include "base/result.h"

namespace ovnx::ovsdb::client {

class ServerStatus {
 public:
  // Applies a <table-updates2> of _Server's Database table (only DB's row matters). Sets
  // *SCHEMA_CHANGED if the row's schema column changed (an online schema conversion).
  Status apply(const boost::json::value& updates, const std::string& db,
               bool* schema_changed = nullptr);

  // Why this server cannot serve DB, or nothing if it can.
  std::optional<std::string> problem(const std::string& db, bool leader_only) const;

  bool found() const { return found_; }
  const std::string& model() const { return model_; }

 private:
  bool found_ = false;
  std::string uuid_;
  std::string model_;
  bool connected_ = false;
  bool leader_ = false;
};

}  // namespace ovnx::ovsdb::client
