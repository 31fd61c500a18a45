// Small helpers for building the OpenFlow flows the controller installs: register matches and
// loads in OVN's conventions (base/ovn_conventions.h). Header-only, no state.
#pragma once

#include <cstdint>

#include "base/ovn_conventions.h"
#include "openflow/actions.h"
#include "openflow/match.h"

namespace ovnx::controller::of {

using openflow::Action;
using openflow::ActionList;
using openflow::Field;
using openflow::Flow;
using openflow::Match;
using openflow::Subfield;
using openflow::U128;

inline Flow make_flow(uint8_t table, uint16_t priority, uint64_t cookie = 0) {
  Flow f;
  f.table_id = table;
  f.priority = priority;
  f.cookie = cookie;
  return f;
}

inline void match_reg(Match& m, int reg, uint32_t value) {
  m.set(openflow::reg(reg), U128(value));
}
inline void match_reg_masked(Match& m, int reg, uint32_t value, uint32_t mask) {
  m.set_masked(openflow::reg(reg), U128(value), U128(mask));
}
inline void match_metadata(Match& m, uint32_t dp_key) { m.set(Field::metadata, U128(dp_key)); }
inline void match_flag(Match& m, int bit, bool set) {
  match_reg_masked(m, ovn::kRegLogFlags, set ? (1u << bit) : 0u, 1u << bit);
}

// set_field:VALUE->regN
inline Action load_reg(int reg, uint32_t value) {
  return openflow::SetField::exact(openflow::reg(reg), U128(value));
}
inline Action load_metadata(uint32_t dp_key) {
  return openflow::SetField::exact(Field::metadata, U128(dp_key));
}
// set_field:VALUE/MASK->reg10 for one flag bit.
inline Action set_flag(int bit, bool on) {
  return openflow::SetField{openflow::reg(ovn::kRegLogFlags), U128(on ? (1u << bit) : 0u),
                            U128(1u << bit)};
}
inline Action resubmit(uint8_t table) { return openflow::Resubmit{openflow::kPortInPort, table}; }
inline Action output(uint16_t port) { return openflow::Output{port, 0}; }

inline uint64_t cookie_of(const Uuid& uuid) { return uuid.prefix32(); }

}  // namespace ovnx::controller::of
