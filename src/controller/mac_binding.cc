#include "controller/mac_binding.h"

#include "controller/of_util.h"
#include "packets/addresses.h"

namespace ovnx::controller {

using namespace of;  // NOLINT: flow-building vocabulary

bool add_mac_binding_flows(std::vector<Flow>& out, const MacBindingSpec& spec) {
  auto mac = packets::parse_mac(spec.mac);
  auto ip = packets::parse_ip(spec.ip);
  if (!mac.ok() || !ip.ok()) return false;
  U128 mac_value(mac->to_u64());
  uint64_t cookie = cookie_of(spec.uuid);

  auto put_ip = [&](Match& m) {
    if (ip->is_v6) {
      m.set(Field::xxreg0, U128::from_be_bytes(ip->v6.bytes));
    } else {
      match_reg(m, 0, ip->v4.value);
    }
  };

  Flow get = make_flow(ovn::kTableMacBinding, spec.priority, cookie);
  match_reg(get.match, ovn::kRegLogOutport, spec.port_key);
  match_metadata(get.match, spec.dp_key);
  put_ip(get.match);
  get.actions.push_back(openflow::SetField::exact(Field::eth_dst, mac_value));
  get.actions.push_back(set_flag(ovn::kFlagLookupMacBit, true));
  out.push_back(std::move(get));

  Flow lookup = make_flow(ovn::kTableMacLookup, spec.priority, cookie);
  match_reg(lookup.match, ovn::kRegLogInport, spec.port_key);
  match_metadata(lookup.match, spec.dp_key);
  put_ip(lookup.match);
  lookup.match.set(Field::eth_src, mac_value);
  if (ip->is_v6) {
    // lookup_nd runs on neighbour advertisements (ICMPv6 code 0), as OVN matches them.
    lookup.match.set(Field::eth_type, U128(0x86dd));
    lookup.match.set(Field::nw_proto, U128(58));
    lookup.match.set(Field::icmpv6_code, U128(0));
  } else {
    lookup.match.set(Field::eth_type, U128(0x0806));
  }
  lookup.actions.push_back(set_flag(ovn::kFlagLookupMacBit, true));
  out.push_back(std::move(lookup));
  return true;
}

}  // namespace ovnx::controller
