// Southbound MAC_Binding (and Static_MAC_Binding) rows as the OpenFlow tables get_arp/get_nd
// (table 66) and lookup_arp/lookup_nd (table 67) resubmit to (ovn-architecture(7)): the logical
// port key is in reg15 (get) or reg14 (lookup), the IPv4 address in reg0 or the IPv6 address in
// xxreg0, the MAC in eth.src for a lookup. A hit in 66 loads the MAC into eth.dst; a hit in
// either sets the lookup flag (reg10 bit 6).
//
// Pure: one binding -> its two flows.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/uuid.h"
#include "openflow/match.h"

namespace ovnx::controller {

struct MacBindingSpec {
  Uuid uuid;          // cookie source
  uint32_t dp_key = 0;
  uint32_t port_key = 0;
  std::string_view ip;
  std::string_view mac;
  uint16_t priority = 100;
};

// Appends the table 66 and 67 flows; false (nothing added) if IP or MAC does not parse.
bool add_mac_binding_flows(std::vector<openflow::Flow>& out, const MacBindingSpec& spec);

}  // namespace ovnx::controller
