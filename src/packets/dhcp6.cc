#include "packets/dhcp6.h"

#include <fmt/format.h>

namespace ovnx::packets {

std::string_view dhcp6_message_type_name(Dhcp6MessageType type) {
  switch (type) {
    case Dhcp6MessageType::solicit:
      return "SOLICIT";
    case Dhcp6MessageType::advertise:
      return "ADVERTISE";
    case Dhcp6MessageType::request:
      return "REQUEST";
    case Dhcp6MessageType::confirm:
      return "CONFIRM";
    case Dhcp6MessageType::renew:
      return "RENEW";
    case Dhcp6MessageType::rebind:
      return "REBIND";
    case Dhcp6MessageType::reply:
      return "REPLY";
    case Dhcp6MessageType::release:
      return "RELEASE";
    case Dhcp6MessageType::decline:
      return "DECLINE";
    case Dhcp6MessageType::reconfigure:
      return "RECONFIGURE";
    case Dhcp6MessageType::information_request:
      return "INFORMATION-REQUEST";
  }
  return "?";
}

const Dhcp6Option* Dhcp6Message::find(uint16_t code) const {
  for (const Dhcp6Option& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

Result<std::vector<Dhcp6Option>> parse_dhcp6_options(ByteView data) {
  ByteReader r(data, "DHCPv6 options");
  std::vector<Dhcp6Option> out;
  while (!r.empty()) {
    OVNX_ASSIGN_OR_RETURN(uint16_t code, r.u16("option code"));
    OVNX_ASSIGN_OR_RETURN(uint16_t len, r.u16("option length"));
    OVNX_ASSIGN_OR_RETURN(ByteView value, r.bytes(len, fmt::format("option {} value", code)));
    out.push_back(Dhcp6Option{code, Bytes(value.begin(), value.end())});
  }
  return out;
}

void append_dhcp6_options(const std::vector<Dhcp6Option>& options, Bytes& out) {
  ByteWriter w(out);
  for (const Dhcp6Option& o : options) {
    w.u16(o.code);
    w.u16(uint16_t(o.value.size()));
    w.bytes(o.value);
  }
}

Result<Dhcp6Message> parse_dhcp6(ByteView data) {
  ByteReader r(data, "DHCPv6 message");
  OVNX_ASSIGN_OR_RETURN(uint8_t type, r.u8("message type"));
  if (type == 12 || type == 13) {
    return malformed("DHCPv6 message", fmt::format("relay message type {} not supported", type));
  }
  if (type < 1 || type > 11) {
    return malformed("DHCPv6 message", fmt::format("unknown message type {}", type));
  }
  Dhcp6Message m;
  m.type = Dhcp6MessageType(type);
  OVNX_ASSIGN_OR_RETURN(m.xid, r.u24("transaction id"));
  OVNX_ASSIGN_OR_RETURN(m.options, parse_dhcp6_options(r.rest()));
  return m;
}

Bytes build_dhcp6(const Dhcp6Message& m) {
  Bytes out;
  ByteWriter w(out);
  w.u8(uint8_t(m.type));
  w.u24(m.xid & 0xffffff);
  append_dhcp6_options(m.options, out);
  return out;
}

Result<Dhcp6IaNa> parse_dhcp6_ia_na(ByteView value) {
  ByteReader r(value, "DHCPv6 IA_NA");
  Dhcp6IaNa ia;
  OVNX_ASSIGN_OR_RETURN(ia.iaid, r.u32("IAID"));
  OVNX_ASSIGN_OR_RETURN(ia.t1, r.u32("T1"));
  OVNX_ASSIGN_OR_RETURN(ia.t2, r.u32("T2"));
  OVNX_ASSIGN_OR_RETURN(auto options, parse_dhcp6_options(r.rest()));
  for (Dhcp6Option& o : options) {
    if (o.code != kDhcp6OptIaAddr) {
      ia.options.push_back(std::move(o));
      continue;
    }
    ByteReader a(o.value, "DHCPv6 IA Address");
    Dhcp6IaAddress addr;
    OVNX_ASSIGN_OR_RETURN(addr.addr, a.ipv6("address"));
    OVNX_ASSIGN_OR_RETURN(addr.preferred_lifetime, a.u32("preferred lifetime"));
    OVNX_ASSIGN_OR_RETURN(addr.valid_lifetime, a.u32("valid lifetime"));
    OVNX_ASSIGN_OR_RETURN(addr.options, parse_dhcp6_options(a.rest()));
    ia.addresses.push_back(std::move(addr));
  }
  return ia;
}

Bytes build_dhcp6_ia_na(const Dhcp6IaNa& ia) {
  Bytes out;
  ByteWriter w(out);
  w.u32(ia.iaid);
  w.u32(ia.t1);
  w.u32(ia.t2);
  for (const Dhcp6IaAddress& a : ia.addresses) {
    Bytes body;
    ByteWriter b(body);
    b.ipv6(a.addr);
    b.u32(a.preferred_lifetime);
    b.u32(a.valid_lifetime);
    append_dhcp6_options(a.options, body);
    w.u16(kDhcp6OptIaAddr);
    w.u16(uint16_t(body.size()));
    w.bytes(body);
  }
  append_dhcp6_options(ia.options, out);
  return out;
}

Bytes make_duid_ll(const MacAddr& mac) {
  Bytes out;
  ByteWriter w(out);
  w.u16(3);
  w.u16(1);
  w.mac(mac);
  return out;
}

Bytes make_dhcp6_status(uint16_t code, std::string_view message) {
  Bytes out;
  ByteWriter w(out);
  w.u16(code);
  w.text(message);
  return out;
}

}  // namespace ovnx::packets
