// Builders of Southbound and Open vSwitch replica snapshots for the controller's unit tests:
// rows are described in C++ and loaded into a Replica as a monitor's initial update, so the
// code under test reads them exactly as it reads a live database.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ovsdb/client/replica.h"

namespace ovnx::controller::test {

using StrMap = std::map<std::string, std::string>;

// Collects rows as JSON and applies them to a replica.
class Snapshot {
 public:
  // A row of TABLE with COLUMNS (JSON text per column); returns its uuid (given or generated).
  std::string row(const std::string& table, const std::map<std::string, std::string>& columns,
                  std::string uuid = "");
  // Loads everything as "initial" rows.
  void load(ovsdb::client::Replica& replica) const;
  // Applies the rows added since the last call as inserts, with the given deletions and
  // modifications (uuid -> columns) — a later monitor update.
  void modify(ovsdb::client::Replica& replica, const std::string& table, const std::string& uuid,
              const std::map<std::string, std::string>& columns) const;
  void remove(ovsdb::client::Replica& replica, const std::string& table,
              const std::string& uuid) const;

  // JSON helpers.
  static std::string str(const std::string& s);
  static std::string ref(const std::string& uuid);
  static std::string map(const StrMap& m);
  static std::string set(const std::vector<std::string>& json_atoms);
  static std::string strset(const std::vector<std::string>& strings);
  static std::string refset(const std::vector<std::string>& uuids);

 private:
  struct Row {
    std::string table, uuid;
    std::map<std::string, std::string> columns;
  };
  std::vector<Row> rows_;
  int next_ = 1;
};

// Southbound rows with OVN's shapes.
class SbSnapshot : public Snapshot {
 public:
  std::string datapath(int64_t key, bool is_switch, const std::string& name,
                       const std::string& uuid = "");
  std::string chassis(const std::string& name, const std::string& ip,
                      const std::string& type = "geneve", const std::string& uuid = "");
  std::string port(const std::string& dp, const std::string& name, int64_t key,
                   const std::string& type = "", const StrMap& options = {},
                   const std::string& chassis = "", const std::vector<std::string>& mac = {},
                   const std::vector<std::string>& port_security = {},
                   const std::string& uuid = "");
  std::string mcgroup(const std::string& dp, const std::string& name, int64_t key,
                      const std::vector<std::string>& ports, const std::string& uuid = "");
  std::string lflow(const std::string& dp, const std::string& pipeline, int table, int priority,
                    const std::string& match, const std::string& actions,
                    const std::string& uuid = "");
  std::string mac_binding(const std::string& dp, const std::string& lport, const std::string& ip,
                          const std::string& mac, const std::string& uuid = "");
  void sb_global(int64_t nb_cfg);
};

// An Open vSwitch database with one Open_vSwitch row and bridges.
class OvsSnapshot : public Snapshot {
 public:
  explicit OvsSnapshot(const StrMap& external_ids);
  // A port with one interface on BRIDGE; returns the interface uuid. OFPORT 0: none assigned
  // yet (the column is empty).
  std::string iface(const std::string& name, int64_t ofport, const StrMap& iface_external_ids,
                    const std::string& type = "", const StrMap& options = {},
                    const StrMap& port_external_ids = {});
  void bridge(const std::string& name, const StrMap& external_ids = {});
  std::string root_uuid() const { return root_; }

 private:
  std::string root_;
  StrMap root_external_ids_;
  std::vector<std::string> ports_;
};

}  // namespace ovnx::controller::test
