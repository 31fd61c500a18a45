// The logical datapath every golden and unit test of the logical module compiles against.
#pragma once

#include "logical/resolver.h"

namespace ovnx::logical::testing {

// Ports lp1..lp9 have keys 1..9 (lp1 and lp3 are resident here); "_MC_flood" is 32768.
// Address sets: $set1 = {10.0.0.1, 10.0.0.2, 10.0.0.3}, $set6 = {fe80::1, fe80::2},
// $macs = {00:00:00:00:00:01, 00:00:00:00:00:02}, $nets = {10.0.0.0/24, 192.168.0.0/16},
// $empty = {}. Port groups: @pg1 = {lp1, lp2}, @pg_unknown = {lp1, nosuchport}, @pg_empty = {}.
inline const MapResolver& test_resolver() {
  static const MapResolver* r = [] {
    auto* m = new MapResolver();
    for (int i = 1; i <= 9; i++) m->ports["lp" + std::to_string(i)] = uint32_t(i);
    m->ports["_MC_flood"] = 32768;
    m->resident["lp1"] = true;
    m->resident["lp3"] = true;
    m->address_sets["set1"] =
        ConstantSet::parse_addresses({"10.0.0.1", "10.0.0.2", "10.0.0.3"}).value();
    m->address_sets["set6"] = ConstantSet::parse_addresses({"fe80::1", "fe80::2"}).value();
    m->address_sets["macs"] =
        ConstantSet::parse_addresses({"00:00:00:00:00:01", "00:00:00:00:00:02"}).value();
    m->address_sets["nets"] =
        ConstantSet::parse_addresses({"10.0.0.0/24", "192.168.0.0/16"}).value();
    m->address_sets["empty"] = ConstantSet{};
    m->port_groups["pg1"] = ConstantSet::of_strings({"lp1", "lp2"});
    m->port_groups["pg_unknown"] = ConstantSet::of_strings({"lp1", "nosuchport"});
    m->port_groups["pg_empty"] = ConstantSet::of_strings({});
    return m;
  }();
  return *r;
}

}  // namespace ovnx::logical::testing
