// The logical-flow language's view of the Southbound database, in the scope of one datapath:
// logical port and multicast group names -> tunnel keys, address sets, port groups (northd
// writes them per datapath as "<datapath key>_<name>"), and which ports reside here.
//
// A port group stands for its members that can be local here, as in ovn-controller: a VIF
// bound to another chassis (or to none) is never the inport of the ingress pipeline nor the
// outport of the egress pipeline on this chassis, so `outport == @pg` need not list it
// (port_is_elsewhere()). Like ovn-controller's, this applies to every use of the group, so a
// to-lport ACL on `inport == @pg` sees only the group's local members as sources. On a
// bind this leaves out most of an ACL's ports, and so most of its flows: an ACL naming a port
// group and an address set becomes a few flows per local member instead of a conjunctive match
// over every member, on every switch.
//
// Address sets and port groups' local views are parsed once and cached in a SetCache shared
// by every resolver; the owner invalidates an entry when its row changes, and asks which local
// views a port's locality change makes stale (drop_flipped()).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "controller/local_datapaths.h"
#include "controller/sb_indexes.h"
#include "logical/resolver.h"

namespace ovnx::controller {

// Nothing of LPORT happens on this chassis: it is a plain VIF neither bound nor claimed here,
// or the port of a gateway router (l3gateway) that lives on another chassis. (Other port
// types, and names with no Port_Binding, may carry packets here.)
bool port_is_elsewhere(std::string_view lport, const LocalState& local,
                       const ovsdb::client::Replica& sb);

class SetCache {
 public:
  const logical::ConstantSet* address_set(const ovsdb::client::Replica& sb, std::string_view name);
  // Port group NAME's members that are not elsewhere (port_is_elsewhere()); null if there
  // is no such group.
  const logical::ConstantSet* local_port_group(const ovsdb::client::Replica& sb,
                                               std::string_view name, const LocalState& local);
  void invalidate_address_set(const std::string& name) { address_sets_.erase(name); }
  void invalidate_port_group(std::string_view name);
  // LPORT became local (LOCAL_NOW) or remote: forgets the cached local views of the port
  // groups holding it that say otherwise, and returns their names (their flows must be
  // compiled again).
  std::vector<std::string> drop_flipped(std::string_view lport, bool local_now);
  void clear() {
    address_sets_.clear();
    port_groups_.clear();
    groups_of_port_.clear();
  }

 private:
  struct LocalView {
    std::optional<logical::ConstantSet> set;  // nullopt: the row does not exist
    std::vector<std::string> members;         // every member of the row
    std::vector<std::string> local;           // the members in SET, sorted
  };
  // nullopt: the row does not exist (cached too, so misses stay cheap).
  std::map<std::string, std::optional<logical::ConstantSet>, std::less<>> address_sets_;
  std::map<std::string, LocalView, std::less<>> port_groups_;
  // Member -> the cached port groups holding it.
  std::unordered_map<std::string, std::vector<std::string>> groups_of_port_;
};

class SbResolver final : public logical::Resolver {
 public:
  SbResolver(const SbIndexes& sb, const sb::DatapathBinding& dp, const LocalState& local,
             SetCache& sets)
      : sb_(sb), dp_(dp), local_(local), sets_(sets) {}

  const logical::ConstantSet* address_set(std::string_view name) const override;
  // The local members of the datapath's share of group NAME (see above).
  const logical::ConstantSet* port_group(std::string_view name) const override;
  std::optional<uint32_t> port_key(std::string_view name) const override;
  std::optional<std::string> port_name(uint32_t key) const override;
  bool is_chassis_resident(std::string_view name) const override;

 private:
  const SbIndexes& sb_;
  const sb::DatapathBinding& dp_;
  const LocalState& local_;
  SetCache& sets_;
};

}  // namespace ovnx::controller
