// The Southbound content a trace needs, as plain values: datapaths, port bindings, multicast
// groups, logical flows (one entry per flow; a flow of a datapath group lists every datapath),
// address sets, port groups and MAC bindings. sb_snapshot.h fills one from a live database; tests
// build one by hand. Independent of OVSDB.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logical/constant.h"
#include "logical/encode_env.h"
#include "logical/resolver.h"

namespace ovnx::trace {

struct Datapath {
  std::string name;  // external_ids:name (else name2, else the UUID)
  std::string uuid;
  uint32_t key = 0;  // tunnel_key
  bool is_router = false;
};

struct Port {
  std::string name;     // logical_port
  std::string type;     // "" (VIF), "patch", "router", "localnet", "l3gateway", ...
  size_t datapath = 0;  // index into Snapshot::datapaths
  uint32_t key = 0;
  std::string peer;                        // options:peer: where a patch port leads
  std::vector<std::string> port_security;  // entries "MAC [IP[/PLEN]...]"
};

struct MulticastGroup {
  size_t datapath = 0;
  std::string name;
  uint32_t key = 0;
  std::vector<std::string> ports;  // logical port names
};

struct LogicalFlow {
  std::vector<size_t> datapaths;  // indexes into Snapshot::datapaths
  logical::Pipeline pipeline = logical::Pipeline::kIngress;
  int table = 0;
  int priority = 0;
  std::string match;
  std::string actions;
  std::string stage;   // external_ids:stage-name
  std::string source;  // external_ids:source, may be empty
  std::string uuid;
};

struct MacBinding {
  std::string logical_port;
  std::string ip;
  std::string mac;
};

struct Snapshot {
  std::vector<Datapath> datapaths;
  std::vector<Port> ports;
  std::vector<MulticastGroup> multicast_groups;
  std::vector<LogicalFlow> flows;
  std::map<std::string, std::vector<std::string>, std::less<>> address_sets;
  std::map<std::string, std::vector<std::string>, std::less<>> port_groups;
  std::vector<MacBinding> mac_bindings;

  // A datapath by name, UUID (or a unique UUID prefix of 4+ digits) or tunnel key.
  std::optional<size_t> find_datapath(std::string_view id) const;
  const Port* find_port(std::string_view name) const;
  // A port or multicast group of datapath `dp` by tunnel key.
  const Port* port_by_key(size_t dp, uint32_t key) const;
  const MulticastGroup* multicast_by_key(size_t dp, uint32_t key) const;
  const MacBinding* find_mac_binding(std::string_view port, std::string_view ip) const;
};

// Name lookups in the scope of one datapath, for parsing and evaluating its flows. Port groups
// are looked up as "<datapath key>_<name>" first (how northd shards them per switch), then by
// name. REQUIRES: the snapshot outlives the resolver.
class DatapathResolver : public logical::Resolver {
 public:
  DatapathResolver(const Snapshot& snapshot, size_t dp);

  const logical::ConstantSet* address_set(std::string_view name) const override;
  const logical::ConstantSet* port_group(std::string_view name) const override;
  std::optional<uint32_t> port_key(std::string_view name) const override;
  std::optional<std::string> port_name(uint32_t key) const override;
  bool is_chassis_resident(std::string_view) const override { return true; }

 private:
  const Snapshot* snapshot_;
  size_t dp_;
  std::map<std::string, uint32_t, std::less<>> keys_;
  mutable std::map<std::string, logical::ConstantSet, std::less<>> sets_;
};

}  // namespace ovnx::trace
