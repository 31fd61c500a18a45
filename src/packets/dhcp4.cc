#include "packets/dhcp4.h"

#include <fmt/format.h>

#include <algorithm>

namespace ovnx::packets {
namespace {

std::string c_string(ByteView field) {
  auto end = std::find(field.begin(), field.end(), uint8_t{0});
  return std::string(field.begin(), end);
}

void put_fixed_string(ByteWriter& w, const std::string& s, size_t field_len) {
  size_t n = std::min(s.size(), field_len - 1);
  w.text(std::string_view(s).substr(0, n));
  w.zeros(field_len - n);
}

// Appends the options found in `area` to `msg`, concatenating repeated codes.
Status parse_option_area(ByteView area, std::string_view what, DhcpMessage& msg) {
  ByteReader r(area, what);
  while (!r.empty()) {
    OVNX_ASSIGN_OR_RETURN(uint8_t code, r.u8("option code"));
    if (code == kDhcpOptPad) continue;
    if (code == kDhcpOptEnd) break;
    OVNX_ASSIGN_OR_RETURN(uint8_t len, r.u8("option length"));
    OVNX_ASSIGN_OR_RETURN(ByteView value, r.bytes(len, fmt::format("option {} value", code)));
    auto it = std::find_if(msg.options.begin(), msg.options.end(),
                           [code](const DhcpOption& o) { return o.code == code; });
    if (it == msg.options.end()) {
      msg.options.push_back(DhcpOption{code, Bytes(value.begin(), value.end())});
    } else {
      it->value.insert(it->value.end(), value.begin(), value.end());
    }
  }
  return {};
}

}  // namespace

std::string_view dhcp_message_type_name(DhcpMessageType type) {
  switch (type) {
    case DhcpMessageType::discover:
      return "DHCPDISCOVER";
    case DhcpMessageType::offer:
      return "DHCPOFFER";
    case DhcpMessageType::request:
      return "DHCPREQUEST";
    case DhcpMessageType::decline:
      return "DHCPDECLINE";
    case DhcpMessageType::ack:
      return "DHCPACK";
    case DhcpMessageType::nak:
      return "DHCPNAK";
    case DhcpMessageType::release:
      return "DHCPRELEASE";
    case DhcpMessageType::inform:
      return "DHCPINFORM";
  }
  return "DHCP?";
}

MacAddr DhcpMessage::client_mac() const {
  MacAddr m;
  std::copy(chaddr.begin(), chaddr.begin() + 6, m.bytes.begin());
  return m;
}

void DhcpMessage::set_client_mac(const MacAddr& mac) {
  chaddr.fill(0);
  std::copy(mac.bytes.begin(), mac.bytes.end(), chaddr.begin());
  htype = 1;
  hlen = 6;
}

const DhcpOption* DhcpMessage::find(uint8_t code) const {
  for (const DhcpOption& o : options) {
    if (o.code == code) return &o;
  }
  return nullptr;
}

void DhcpMessage::set(uint8_t code, Bytes value) {
  for (DhcpOption& o : options) {
    if (o.code == code) {
      o.value = std::move(value);
      return;
    }
  }
  options.push_back(DhcpOption{code, std::move(value)});
}

std::optional<DhcpMessageType> DhcpMessage::message_type() const {
  const DhcpOption* o = find(kDhcpOptMessageType);
  if (!o || o->value.size() != 1 || o->value[0] < 1 || o->value[0] > 8) return std::nullopt;
  return DhcpMessageType(o->value[0]);
}

std::vector<uint8_t> DhcpMessage::requested_options() const {
  const DhcpOption* o = find(kDhcpOptParamRequest);
  if (!o) return {};
  return o->value;
}

Result<DhcpMessage> parse_dhcp4(ByteView data) {
  ByteReader r(data, "DHCP message");
  DhcpMessage m;
  OVNX_ASSIGN_OR_RETURN(m.op, r.u8("op"));
  OVNX_ASSIGN_OR_RETURN(m.htype, r.u8("htype"));
  OVNX_ASSIGN_OR_RETURN(m.hlen, r.u8("hlen"));
  OVNX_ASSIGN_OR_RETURN(m.hops, r.u8("hops"));
  OVNX_ASSIGN_OR_RETURN(m.xid, r.u32("xid"));
  OVNX_ASSIGN_OR_RETURN(m.secs, r.u16("secs"));
  OVNX_ASSIGN_OR_RETURN(m.flags, r.u16("flags"));
  OVNX_ASSIGN_OR_RETURN(m.ciaddr, r.ipv4("ciaddr"));
  OVNX_ASSIGN_OR_RETURN(m.yiaddr, r.ipv4("yiaddr"));
  OVNX_ASSIGN_OR_RETURN(m.siaddr, r.ipv4("siaddr"));
  OVNX_ASSIGN_OR_RETURN(m.giaddr, r.ipv4("giaddr"));
  OVNX_ASSIGN_OR_RETURN(ByteView chaddr, r.bytes(16, "chaddr"));
  std::copy(chaddr.begin(), chaddr.end(), m.chaddr.begin());
  OVNX_ASSIGN_OR_RETURN(ByteView sname, r.bytes(64, "sname"));
  OVNX_ASSIGN_OR_RETURN(ByteView file, r.bytes(128, "file"));
  OVNX_ASSIGN_OR_RETURN(uint32_t cookie, r.u32("magic cookie"));
  if (cookie != kDhcp4MagicCookie) {
    return malformed("DHCP message",
                     fmt::format("magic cookie {:#010x} is not 0x63825363", cookie));
  }
  OVNX_RETURN_IF_ERROR(parse_option_area(r.rest(), "DHCP options", m));
  uint8_t overload = 0;
  if (const DhcpOption* o = m.find(kDhcpOptOverload)) {
    if (o->value.size() != 1 || o->value[0] < 1 || o->value[0] > 3) {
      return malformed("DHCP message", "bad option overload value");
    }
    overload = o->value[0];
  }
  // RFC 2131 4.1: with overload, options continue in file, then sname.
  if (overload & 1) {
    OVNX_RETURN_IF_ERROR(parse_option_area(file, "DHCP options in file", m));
  } else {
    m.file = c_string(file);
  }
  if (overload & 2) {
    OVNX_RETURN_IF_ERROR(parse_option_area(sname, "DHCP options in sname", m));
  } else {
    m.sname = c_string(sname);
  }
  return m;
}

Bytes build_dhcp4(const DhcpMessage& m) {
  Bytes out;
  out.reserve(kDhcp4MinLen);
  ByteWriter w(out);
  w.u8(m.op);
  w.u8(m.htype);
  w.u8(m.hlen);
  w.u8(m.hops);
  w.u32(m.xid);
  w.u16(m.secs);
  w.u16(m.flags);
  w.ipv4(m.ciaddr);
  w.ipv4(m.yiaddr);
  w.ipv4(m.siaddr);
  w.ipv4(m.giaddr);
  w.bytes(m.chaddr);
  put_fixed_string(w, m.sname, 64);
  put_fixed_string(w, m.file, 128);
  w.u32(kDhcp4MagicCookie);
  for (const DhcpOption& o : m.options) {
    // We never spill options into file/sname, so a parsed overload option must not be echoed.
    if (o.code == kDhcpOptPad || o.code == kDhcpOptEnd || o.code == kDhcpOptOverload) continue;
    ByteView v = o.value;
    do {  // an empty value is still one (zero-length) instance
      size_t n = std::min(v.size(), size_t{255});
      w.u8(o.code);
      w.u8(uint8_t(n));
      w.bytes(v.first(n));
      v = v.subspan(n);
    } while (!v.empty());
  }
  w.u8(kDhcpOptEnd);
  if (out.size() < kDhcp4MinLen) w.zeros(kDhcp4MinLen - out.size());
  return out;
}

DhcpMessage make_dhcp4_reply(const DhcpMessage& request, DhcpMessageType type) {
  DhcpMessage reply;
  reply.op = kBootReply;
  reply.htype = request.htype;
  reply.hlen = request.hlen;
  reply.xid = request.xid;
  reply.flags = request.flags;
  reply.giaddr = request.giaddr;
  reply.chaddr = request.chaddr;
  reply.options.push_back(DhcpOption{kDhcpOptMessageType, {uint8_t(type)}});
  return reply;
}

}  // namespace ovnx::packets
