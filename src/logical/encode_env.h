// What encoding actions into OpenFlow needs from the caller: where the flow sits (pipeline,
// table, switch or router), how to name ports, and the group and meter tables a chassis keeps.
// Public: the controller and tools fill these in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logical/resolver.h"
#include "openflow/actions.h"

namespace ovnx::logical {

enum class Pipeline : uint8_t { kIngress, kEgress };
std::string_view pipeline_name(Pipeline p);

// An OpenFlow select group some actions need (ct_lb with backends, select). The controller
// installs one group per distinct spec and hands out its id.
struct GroupBucket {
  uint16_t weight = 100;
  openflow::ActionList actions;
  friend bool operator==(const GroupBucket&, const GroupBucket&) = default;
};
struct GroupSpec {
  // "dp_hash" (the default) or "hash" with `fields`.
  std::string selection_method = "dp_hash";
  std::vector<std::string> fields;  // OpenFlow field names for selection_method=hash
  std::optional<uint64_t> selection_method_param;
  std::vector<GroupBucket> buckets;
  friend bool operator==(const GroupSpec&, const GroupSpec&) = default;
};

class GroupTable {
 public:
  virtual ~GroupTable() = default;
  // The id of the group with this spec, allocating one if needed.
  virtual uint32_t group_id(const GroupSpec& spec) = 0;
};

// A meter set_meter() asks for (rate and burst in kbps / kbits).
struct MeterSpec {
  uint64_t rate = 0;
  uint64_t burst = 0;
  friend bool operator==(const MeterSpec&, const MeterSpec&) = default;
};

class MeterTable {
 public:
  virtual ~MeterTable() = default;
  // The id of the Southbound Meter named `name` (log(meter=...), controller_meter), if any.
  virtual std::optional<uint32_t> named_meter(std::string_view name) = 0;
  // The id of a meter with this rate, allocating one if needed.
  virtual uint32_t rate_meter(const MeterSpec& spec) = 0;
};

// Tables that just number what they are given, for tools and tests.
class SimpleGroupTable : public GroupTable {
 public:
  explicit SimpleGroupTable(uint32_t first_id = 1) : next_(first_id) {}
  uint32_t group_id(const GroupSpec& spec) override;
  const std::vector<std::pair<uint32_t, GroupSpec>>& groups() const { return groups_; }

 private:
  uint32_t next_;
  std::vector<std::pair<uint32_t, GroupSpec>> groups_;
};

class SimpleMeterTable : public MeterTable {
 public:
  std::map<std::string, uint32_t, std::less<>> named;  // known Southbound meters
  std::optional<uint32_t> named_meter(std::string_view name) override;
  uint32_t rate_meter(const MeterSpec& spec) override;
  const std::vector<std::pair<uint32_t, MeterSpec>>& rate_meters() const { return rates_; }

 private:
  uint32_t next_ = 1;
  std::vector<std::pair<uint32_t, MeterSpec>> rates_;
};

// Where and for whom actions are encoded.
struct EncodeParams {
  Pipeline pipeline = Pipeline::kIngress;
  uint8_t table_id = 0;  // logical table of the flow: `next` goes to table_id + 1
  bool is_switch = true;  // logical switch (conntrack zone reg13) or router (reg11/reg12)
  const Resolver* resolver = nullptr;  // port names in `outport = "p"`, bind_vport()
  GroupTable* groups = nullptr;        // required by ct_lb(backends=...) and select()
  MeterTable* meters = nullptr;        // log(meter=...), set_meter(); optional
  std::optional<uint32_t> controller_meter;  // meter for every controller() action
};

}  // namespace ovnx::logical
