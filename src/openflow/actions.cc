#include "openflow/actions.h"

#include <type_traits>

namespace ovnx::openflow {

// Out of line because they recurse through ActionList, which needs Action complete.
std::strong_ordering Ct::operator<=>(const Ct&) const = default;
bool Ct::operator==(const Ct&) const = default;
std::strong_ordering Clone::operator<=>(const Clone&) const = default;
bool Clone::operator==(const Clone&) const = default;

std::strong_ordering Action::operator<=>(const Action& o) const {
  return variant() <=> o.variant();
}
bool Action::operator==(const Action& o) const { return variant() == o.variant(); }

namespace {

size_t mix(size_t seed, const Subfield& sf) {
  seed = hash_combine(seed, static_cast<uint64_t>(sf.field));
  return hash_combine(seed, (uint64_t{sf.ofs} << 16) | sf.n_bits);
}

size_t mix_bytes(size_t seed, const std::vector<uint8_t>& bytes) {
  seed = hash_combine(seed, bytes.size());
  uint64_t word = 0;
  for (size_t i = 0; i < bytes.size(); i++) {
    word = (word << 8) | bytes[i];
    if (i % 8 == 7) seed = hash_combine(seed, word), word = 0;
  }
  return hash_combine(seed, word);
}

struct Hasher {
  size_t seed;

  size_t operator()(const Output& a) { return hash_combine(seed, (a.port << 16) | a.max_len); }
  size_t operator()(const OutputReg& a) { return hash_combine(mix(seed, a.src), a.max_len); }
  size_t operator()(const Resubmit& a) { return hash_combine(seed, (a.in_port << 8) | a.table); }
  size_t operator()(const SetField& a) {
    return hash_combine(hash_combine(hash_combine(seed, static_cast<uint64_t>(a.field)), a.value),
                        a.mask);
  }
  size_t operator()(const Move& a) { return mix(mix(seed, a.src), a.dst); }
  size_t operator()(const Conjunction& a) {
    return hash_combine(seed, (uint64_t{a.id} << 16) | (a.clause << 8) | a.n_clauses);
  }
  size_t operator()(const Ct& a) {
    size_t s = hash_combine(seed, (uint64_t{a.commit} << 1) | a.force);
    if (a.zone_src) s = mix(s, *a.zone_src);
    s = hash_combine(s, (uint64_t{a.zone_imm} << 24) | (uint64_t{a.recirc_table} << 16) | a.alg);
    return hash_combine(s, hash_value(a.actions));
  }
  size_t operator()(const Nat& a) {
    size_t s = hash_combine(seed, (static_cast<uint64_t>(a.kind) << 8) |
                                      static_cast<uint64_t>(a.family));
    s = hash_combine(hash_combine(s, a.addr_min), a.addr_max);
    return hash_combine(s, (uint64_t{a.port_min} << 32) | (uint64_t{a.port_max} << 16) |
                               (uint64_t{a.persistent} << 2) | (uint64_t{a.hash} << 1) |
                               a.random);
  }
  size_t operator()(const CtClear&) { return seed; }
  size_t operator()(const Controller& a) {
    size_t s = hash_combine(seed, (uint64_t{a.max_len} << 32) | (uint64_t{a.controller_id} << 16) |
                                      (uint64_t{a.reason} << 8) | a.pause);
    s = hash_combine(s, a.meter_id ? (uint64_t{1} << 32) | *a.meter_id : 0);
    return mix_bytes(s, a.userdata);
  }
  size_t operator()(const Clone& a) { return hash_combine(seed, hash_value(a.actions)); }
  size_t operator()(const DecTtl&) { return seed; }
  size_t operator()(const Group& a) { return hash_combine(seed, a.group_id); }
  size_t operator()(const Meter& a) { return hash_combine(seed, a.meter_id); }
  size_t operator()(const Note& a) { return mix_bytes(seed, a.data); }
  size_t operator()(const SetQueue& a) { return hash_combine(seed, a.queue_id); }
  size_t operator()(const PushVlan& a) { return hash_combine(seed, a.ethertype); }
  size_t operator()(const PopVlan&) { return seed; }
  size_t operator()(const StackPush& a) { return mix(seed, a.src); }
  size_t operator()(const StackPop& a) { return mix(seed, a.dst); }
  size_t operator()(const CheckPktLarger& a) { return mix(hash_combine(seed, a.pkt_len), a.dst); }
};

}  // namespace

size_t hash_value(const Action& a) {
  return std::visit(Hasher{hash_combine(0, a.index())}, a.variant());
}

size_t hash_value(const ActionList& actions) {
  size_t seed = hash_combine(0x5eed, actions.size());
  for (const Action& a : actions) seed = hash_combine(seed, hash_value(a));
  return seed;
}

const char* action_name(const Action& a) {
  static constexpr const char* kNames[] = {
      "output", "output_reg", "resubmit", "set_field", "move", "conjunction", "ct", "nat",
      "ct_clear", "controller", "clone", "dec_ttl", "group", "meter", "note", "set_queue",
      "push_vlan", "pop_vlan", "push", "pop", "check_pkt_larger"};
  static_assert(std::size(kNames) == std::variant_size_v<ActionVariant>);
  return kNames[a.index()];
}

}  // namespace ovnx::openflow
