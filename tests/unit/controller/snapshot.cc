#include "snapshot.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

namespace ovnx::controller::test {

namespace json = boost::json;
using ovsdb::client::UpdateFormat;

std::string Snapshot::str(const std::string& s) { return json::serialize(json::value(s)); }
std::string Snapshot::ref(const std::string& uuid) { return "[\"uuid\"," + str(uuid) + "]"; }
std::string Snapshot::map(const StrMap& m) {
  std::string out = "[\"map\",[";
  bool first = true;
  for (const auto& [k, v] : m) {
    out += fmt::format("{}[{},{}]", first ? "" : ",", str(k), str(v));
    first = false;
  }
  return out + "]]";
}
std::string Snapshot::set(const std::vector<std::string>& atoms) {
  std::string out = "[\"set\",[";
  for (size_t i = 0; i < atoms.size(); ++i) out += (i ? "," : "") + atoms[i];
  return out + "]]";
}
std::string Snapshot::strset(const std::vector<std::string>& strings) {
  std::vector<std::string> atoms;
  for (const auto& s : strings) atoms.push_back(str(s));
  return set(atoms);
}
std::string Snapshot::refset(const std::vector<std::string>& uuids) {
  std::vector<std::string> atoms;
  for (const auto& u : uuids) atoms.push_back(ref(u));
  return set(atoms);
}

std::string Snapshot::row(const std::string& table,
                          const std::map<std::string, std::string>& columns, std::string uuid) {
  if (uuid.empty()) uuid = fmt::format("{:08x}-0000-4000-8000-{:012x}", 0xa0000000u + next_, next_);
  ++next_;
  rows_.push_back(Row{table, uuid, columns});
  return uuid;
}

namespace {

std::string row_json(const std::map<std::string, std::string>& columns) {
  std::string out = "{";
  bool first = true;
  for (const auto& [c, v] : columns) {
    out += fmt::format("{}\"{}\":{}", first ? "" : ",", c, v);
    first = false;
  }
  return out + "}";
}

void apply_json(ovsdb::client::Replica& replica, const std::string& text) {
  Status st = replica.apply(json::parse(text), UpdateFormat::update2);
  ASSERT_TRUE(st.ok()) << st.error().to_string() << "\n" << text;
}

}  // namespace

void Snapshot::load(ovsdb::client::Replica& replica) const {
  std::map<std::string, std::string> by_table;
  for (const Row& r : rows_) {
    std::string& t = by_table[r.table];
    t += fmt::format("{}\"{}\":{{\"initial\":{}}}", t.empty() ? "" : ",", r.uuid,
                     row_json(r.columns));
  }
  std::string out = "{";
  bool first = true;
  for (const auto& [table, rows] : by_table) {
    out += fmt::format("{}\"{}\":{{{}}}", first ? "" : ",", table, rows);
    first = false;
  }
  apply_json(replica, out + "}");
}

void Snapshot::modify(ovsdb::client::Replica& replica, const std::string& table,
                      const std::string& uuid,
                      const std::map<std::string, std::string>& columns) const {
  // update2 "modify" carries diffs; for scalars the new value. Tests only modify scalars and
  // replace maps/sets through remove+insert, so send the columns as an "insert"-free modify.
  apply_json(replica, fmt::format("{{\"{}\":{{\"{}\":{{\"modify\":{}}}}}}}", table, uuid,
                             row_json(columns)));
}

void Snapshot::remove(ovsdb::client::Replica& replica, const std::string& table,
                      const std::string& uuid) const {
  apply_json(replica, fmt::format("{{\"{}\":{{\"{}\":{{\"delete\":null}}}}}}", table, uuid));
}

// ---- Southbound.

std::string SbSnapshot::datapath(int64_t key, bool is_switch, const std::string& name,
                                 const std::string& uuid) {
  return row("Datapath_Binding",
             {{"tunnel_key", std::to_string(key)},
              {"external_ids",
               map({{is_switch ? "logical-switch" : "logical-router", "00000000-0000-0000-0000-000000000001"},
                    {"name", name}})}},
             uuid);
}

std::string SbSnapshot::chassis(const std::string& name, const std::string& ip,
                                const std::string& type, const std::string& uuid) {
  std::string encap = row("Encap", {{"type", str(type)},
                                    {"ip", str(ip)},
                                    {"chassis_name", str(name)},
                                    {"options", map({{"csum", "true"}})}});
  return row("Chassis", {{"name", str(name)}, {"hostname", str(name)}, {"encaps", refset({encap})}},
             uuid);
}

std::string SbSnapshot::port(const std::string& dp, const std::string& name, int64_t key,
                             const std::string& type, const StrMap& options,
                             const std::string& chassis, const std::vector<std::string>& mac,
                             const std::vector<std::string>& port_security,
                             const std::string& uuid) {
  std::map<std::string, std::string> cols{{"datapath", ref(dp)},
                                          {"logical_port", str(name)},
                                          {"tunnel_key", std::to_string(key)},
                                          {"type", str(type)},
                                          {"options", map(options)},
                                          {"mac", strset(mac)},
                                          {"port_security", strset(port_security)}};
  if (!chassis.empty()) cols["chassis"] = ref(chassis);
  return row("Port_Binding", cols, uuid);
}

std::string SbSnapshot::mcgroup(const std::string& dp, const std::string& name, int64_t key,
                                const std::vector<std::string>& ports, const std::string& uuid) {
  return row("Multicast_Group", {{"datapath", ref(dp)},
                                 {"name", str(name)},
                                 {"tunnel_key", std::to_string(key)},
                                 {"ports", refset(ports)}},
             uuid);
}

std::string SbSnapshot::lflow(const std::string& dp, const std::string& pipeline, int table,
                              int priority, const std::string& match, const std::string& actions,
                              const std::string& uuid) {
  return row("Logical_Flow", {{"logical_datapath", ref(dp)},
                              {"pipeline", str(pipeline)},
                              {"table_id", std::to_string(table)},
                              {"priority", std::to_string(priority)},
                              {"match", str(match)},
                              {"actions", str(actions)}},
             uuid);
}

std::string SbSnapshot::mac_binding(const std::string& dp, const std::string& lport,
                                    const std::string& ip, const std::string& mac,
                                    const std::string& uuid) {
  return row("MAC_Binding",
             {{"datapath", ref(dp)}, {"logical_port", str(lport)}, {"ip", str(ip)}, {"mac", str(mac)}},
             uuid);
}

void SbSnapshot::sb_global(int64_t nb_cfg) {
  row("SB_Global", {{"nb_cfg", std::to_string(nb_cfg)}});
}

// ---- Open vSwitch.

OvsSnapshot::OvsSnapshot(const StrMap& external_ids) {
  root_ = "00000000-0000-4000-8000-0000000000ff";
  // The root row is written by bridge(), once the bridge list is known; without a bridge it
  // is added by the first load through an empty bridge() call.
  root_external_ids_ = external_ids;
}

std::string OvsSnapshot::iface(const std::string& name, int64_t ofport, const StrMap& iface_ids,
                               const std::string& type, const StrMap& options,
                               const StrMap& port_ids) {
  std::string i = row("Interface", {{"name", str(name)},
                                    {"ofport", ofport ? std::to_string(ofport) : "[\"set\",[]]"},
                                    {"external_ids", map(iface_ids)},
                                    {"type", str(type)},
                                    {"options", map(options)}});
  ports_.push_back(row("Port", {{"name", str(name)},
                                {"interfaces", refset({i})},
                                {"external_ids", map(port_ids)}}));
  return i;
}

void OvsSnapshot::bridge(const std::string& name, const StrMap& external_ids) {
  std::vector<std::string> bridges;
  if (!name.empty()) {
    bridges.push_back(row("Bridge", {{"name", str(name)},
                                     {"ports", refset(ports_)},
                                     {"external_ids", map(external_ids)},
                                     {"fail_mode", set({str("secure")})},
                                     {"datapath_type", str("netdev")}}));
  }
  row("Open_vSwitch",
      {{"bridges", refset(bridges)},
       {"external_ids", map(root_external_ids_)},
       {"iface_types", strset({"geneve", "internal", "system", "vxlan"})}},
      root_);
}

}  // namespace ovnx::controller::test
