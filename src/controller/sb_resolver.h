// The logical-flow language's view of the Southbound database, in the scope of one datapath:
// logical port and multicast group names -> tunnel keys, address sets, port groups (northd
// writes them per datapath as "<datapath key>_<name>"), and which ports reside here.
//
// Address sets and port groups are parsed once and cached in a SetCache shared by every
// resolver; the owner invalidates an entry when its row changes.
#pragma once

#include <map>
#include <string>

#include "controller/local_datapaths.h"
#include "controller/sb_indexes.h"
#include "logical/resolver.h"

namespace ovnx::controller {

class SetCache {
 public:
  const logical::ConstantSet* address_set(const ovsdb::client::Replica& sb, std::string_view name);
  const logical::ConstantSet* port_group(const ovsdb::client::Replica& sb, std::string_view name);
  void invalidate_address_set(const std::string& name) { address_sets_.erase(name); }
  void invalidate_port_group(const std::string& name) { port_groups_.erase(name); }
  void clear() {
    address_sets_.clear();
    port_groups_.clear();
  }

 private:
  // nullopt: the row does not exist (cached too, so misses stay cheap).
  std::map<std::string, std::optional<logical::ConstantSet>, std::less<>> address_sets_;
  std::map<std::string, std::optional<logical::ConstantSet>, std::less<>> port_groups_;
};

class SbResolver final : public logical::Resolver {
 public:
  SbResolver(const SbIndexes& sb, const sb::DatapathBinding& dp, const LocalState& local,
             SetCache& sets)
      : sb_(sb), dp_(dp), local_(local), sets_(sets) {}

  const logical::ConstantSet* address_set(std::string_view name) const override;
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
