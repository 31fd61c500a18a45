// Small helpers over FlowState for the tracer: metadata vs. packet header fields, reading and
// writing a FieldRef. Internal to the trace library.
#pragma once

#include <optional>
#include <string_view>

#include "logical/expr.h"
#include "logical/expr_eval.h"
#include "logical/symtab.h"

namespace ovnx::trace {

// Registers, logical flags, connection tracking state, metadata: what a packet carries only
// inside one chassis's pipeline, not in its headers.
bool is_metadata_field(const logical::PhysField& f);

// Zeroes the logical registers reg0..reg9 and, with `flags_and_ports`, the logical flags and
// the ingress and egress ports: what output to the egress pipeline (registers only) and through
// a patch port into another datapath (all of them) do. The connection tracking state stays.
void clear_registers(logical::FlowState& state, bool flags_and_ports);

// "0a:00:00:00:00:01" -> its 48-bit value; nullopt when malformed.
std::optional<logical::U128> parse_mac(std::string_view text);

inline logical::U128 get_ref(const logical::FlowState& s, const logical::FieldRef& f) {
  return s.get_bits(*f.phys(), f.phys_ofs(), f.n_bits);
}
inline void set_ref(logical::FlowState& s, const logical::FieldRef& f, logical::U128 v) {
  s.set_bits(*f.phys(), f.phys_ofs(), f.n_bits, v & logical::U128::low_bits(f.n_bits));
}

}  // namespace ovnx::trace
