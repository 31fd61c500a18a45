// Match (a set of field constraints) and Flow (a flow-table entry), as plain values.
//
// A Match holds at most one (value, mask) constraint per field, kept canonical so that two
// matches that mean the same thing compare equal — which is what lets the controller diff
// the flows it wants against the flows it installed or dumped back from the switch:
//   - value &= mask, and bits outside the field's width are dropped;
//   - a zero mask removes the constraint;
//   - aliases are folded onto the field that holds their bits, as Open vSwitch does:
//     xreg<N>/xxreg<N> onto reg<..> (split per 32-bit register), ip_dscp onto nw_tos,
//     vlan_vid/vlan_pcp onto vlan_tci; nw_tos keeps only its DSCP bits (mask 0xfc);
//   - constraints are sorted by Field.
// Prerequisites are NOT added here: a match on ip_src needs eth_type=0x0800 set by the caller
// (the logical-flow compiler does this), or the switch rejects the flow with OFPBMC_BAD_PREREQ.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <span>

#include "openflow/actions.h"
#include "openflow/field_match_list.h"
#include "openflow/fields.h"
#include "openflow/value.h"

namespace ovnx::openflow {

class Match {
 public:
  Match() = default;

  // Constrains FIELD to VALUE under MASK, replacing any previous constraint on FIELD (for an
  // alias, on the bits it covers in the storage fields). A zero mask clears the constraint.
  void set_masked(Field field, U128 value, U128 mask);
  // Replaces the constraint fields()[INDEX] by (VALUE, MASK) on that field: what set_masked()
  // on its field does, without looking the field up. For building many matches that differ
  // only in one field from a template. REQUIRES: INDEX < size().
  void set_masked_at(size_t index, U128 value, U128 mask);
  // Exact match on the whole field.
  void set(Field field, U128 value);
  // Constrains the bits of SF to VALUE (right-aligned in the subfield), keeping the
  // constraints on the field's other bits: set_subfield(reg0[0..7], 1) then
  // set_subfield(reg0[8..15], 2) gives reg0=0x201/0xffff.
  void set_subfield(const Subfield& sf, U128 value);
  // Removes every constraint on FIELD (an alias clears the bits it covers).
  void clear(Field field);
  // Makes room for N constraints (no effect on the value; saves reallocations while building).
  void reserve(size_t n) { fields_.reserve(n); }

  // The constraint on FIELD, or nullptr. Aliases are not looked through: ask for reg0, not xreg0.
  const FieldMatch* find(Field field) const;
  // Constraints sorted by Field.
  std::span<const FieldMatch> fields() const { return {fields_.data(), fields_.size()}; }
  bool empty() const { return fields_.empty(); }
  size_t size() const { return fields_.size(); }

  std::strong_ordering operator<=>(const Match&) const = default;
  bool operator==(const Match&) const = default;

 private:
  FieldMatchList fields_;
};

size_t hash_value(const Match& m);

// OFPFF_* flow_mod flags.
inline constexpr uint16_t kFlowSendFlowRem = 1 << 0;
inline constexpr uint16_t kFlowCheckOverlap = 1 << 1;
inline constexpr uint16_t kFlowResetCounts = 1 << 2;
inline constexpr uint16_t kFlowNoPktCounts = 1 << 3;
inline constexpr uint16_t kFlowNoBytCounts = 1 << 4;

inline constexpr uint16_t kDefaultPriority = 0x8000;

// A flow-table entry. Its identity in the switch (what a strict modify/delete names) is
// (table_id, priority, match); see FlowKey.
struct Flow {
  uint8_t table_id = 0;
  uint16_t priority = kDefaultPriority;
  uint64_t cookie = 0;
  Match match;
  ActionList actions;  // empty = drop
  uint16_t idle_timeout = 0;
  uint16_t hard_timeout = 0;
  uint16_t flags = 0;  // kFlow* bits

  std::strong_ordering operator<=>(const Flow&) const = default;
  bool operator==(const Flow&) const = default;
};

size_t hash_value(const Flow& f);

// The identity of a flow within a switch: two flows with equal keys cannot coexist.
struct FlowKey {
  uint8_t table_id = 0;
  uint16_t priority = kDefaultPriority;
  Match match;

  static FlowKey of(const Flow& f) { return FlowKey{f.table_id, f.priority, f.match}; }
  std::strong_ordering operator<=>(const FlowKey&) const = default;
  bool operator==(const FlowKey&) const = default;
};

size_t hash_value(const FlowKey& k);

}  // namespace ovnx::openflow

template <>
struct std::hash<ovnx::openflow::Match> {
  size_t operator()(const ovnx::openflow::Match& m) const { return ovnx::openflow::hash_value(m); }
};
template <>
struct std::hash<ovnx::openflow::Flow> {
  size_t operator()(const ovnx::openflow::Flow& f) const { return ovnx::openflow::hash_value(f); }
};
template <>
struct std::hash<ovnx::openflow::FlowKey> {
  size_t operator()(const ovnx::openflow::FlowKey& k) const {
    return ovnx::openflow::hash_value(k);
  }
};
