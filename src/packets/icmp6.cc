#include "packets/icmp6.h"

#include <fmt/format.h>

#include <algorithm>

#include "packets/dns_name.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"

namespace ovnx::packets {
namespace {

constexpr size_t kIcmp6ErrorMaxLen = 1280 - kIpv6HeaderLen;

int8_t decode_preference(uint8_t bits) {
  switch (bits & 3) {
    case 1:
      return 1;
    case 3:
      return -1;
    default:
      return 0;  // 2 is reserved and treated as medium (RFC 4191 2.2)
  }
}

uint8_t encode_preference(int8_t pref) { return pref > 0 ? 1 : pref < 0 ? 3 : 0; }

Status parse_prefix_info(ByteView body, NdOptions& opts) {
  ByteReader r(body, "ND prefix information option");
  if (body.size() != 30) return malformed("ND prefix information option", "length is not 4");
  NdPrefixInfo p;
  OVNX_ASSIGN_OR_RETURN(uint8_t len, r.u8("prefix length"));
  if (len > 128) return malformed("ND prefix information option", "prefix length above 128");
  OVNX_ASSIGN_OR_RETURN(uint8_t flags, r.u8("flags"));
  p.on_link = (flags & 0x80) != 0;
  p.autonomous = (flags & 0x40) != 0;
  OVNX_ASSIGN_OR_RETURN(p.valid_lifetime, r.u32("valid lifetime"));
  OVNX_ASSIGN_OR_RETURN(p.preferred_lifetime, r.u32("preferred lifetime"));
  OVNX_RETURN_IF_ERROR(r.skip(4, "reserved"));
  OVNX_ASSIGN_OR_RETURN(p.prefix.addr, r.ipv6("prefix"));
  p.prefix.len = len;
  opts.prefixes.push_back(p);
  return {};
}

Status parse_route_info(ByteView body, NdOptions& opts) {
  ByteReader r(body, "ND route information option");
  NdRouteInfo ri;
  OVNX_ASSIGN_OR_RETURN(uint8_t len, r.u8("prefix length"));
  if (len > 128) return malformed("ND route information option", "prefix length above 128");
  OVNX_ASSIGN_OR_RETURN(uint8_t flags, r.u8("flags"));
  ri.preference = decode_preference(flags >> 3);
  OVNX_ASSIGN_OR_RETURN(ri.lifetime, r.u32("route lifetime"));
  size_t prefix_bytes = r.remaining();  // 0, 8 or 16 (option length 1, 2 or 3)
  if (prefix_bytes > 16 || prefix_bytes * 8 < len) {
    return malformed("ND route information option", "prefix does not fit the option length");
  }
  OVNX_ASSIGN_OR_RETURN(ByteView pb, r.bytes(prefix_bytes, "prefix"));
  std::copy(pb.begin(), pb.end(), ri.prefix.addr.bytes.begin());
  ri.prefix.len = len;
  opts.routes.push_back(ri);
  return {};
}

Status parse_nd_options(ByteView data, NdOptions& opts) {
  ByteReader r(data, "ND options");
  while (!r.empty()) {
    OVNX_ASSIGN_OR_RETURN(uint8_t type, r.u8("option type"));
    OVNX_ASSIGN_OR_RETURN(uint8_t len, r.u8("option length"));
    if (len == 0) return malformed("ND options", fmt::format("option {} has length 0", type));
    OVNX_ASSIGN_OR_RETURN(ByteView body, r.bytes(size_t(len) * 8 - 2, "option body"));
    switch (type) {
      case kNdOptSourceLla:
      case kNdOptTargetLla: {
        // Ethernet addresses take one 8-byte unit; other link layers are not ours.
        if (len != 1) return malformed("ND options", "link-layer address option length not 1");
        MacAddr m;
        std::copy(body.begin(), body.begin() + 6, m.bytes.begin());
        (type == kNdOptSourceLla ? opts.source_lla : opts.target_lla) = m;
        break;
      }
      case kNdOptPrefixInfo:
        OVNX_RETURN_IF_ERROR(parse_prefix_info(body, opts));
        break;
      case kNdOptMtu:
        if (len != 1) return malformed("ND options", "MTU option length not 1");
        opts.mtu = uint32_t(load_u16(&body[2])) << 16 | load_u16(&body[4]);
        break;
      case kNdOptRouteInfo:
        OVNX_RETURN_IF_ERROR(parse_route_info(body, opts));
        break;
      case kNdOptRdnss: {
        if (len < 3 || len % 2 == 0) return malformed("ND options", "RDNSS option length");
        opts.rdnss_lifetime = uint32_t(load_u16(&body[2])) << 16 | load_u16(&body[4]);
        for (size_t i = 6; i + 16 <= body.size(); i += 16) {
          opts.rdnss.push_back(Ipv6Addr::from_bytes(&body[i]));
        }
        break;
      }
      case kNdOptDnssl: {
        if (len < 2) return malformed("ND options", "DNSSL option length");
        opts.dnssl_lifetime = uint32_t(load_u16(&body[2])) << 16 | load_u16(&body[4]);
        OVNX_ASSIGN_OR_RETURN(auto names, decode_dns_name_list(body.subspan(6), false, true));
        opts.dnssl.insert(opts.dnssl.end(), names.begin(), names.end());
        break;
      }
      default:
        opts.other.push_back(NdRawOption{type, Bytes(body.begin(), body.end())});
    }
  }
  return {};
}

void put_lla(ByteWriter& w, uint8_t type, const MacAddr& mac) {
  w.u8(type);
  w.u8(1);
  w.mac(mac);
}

Status build_nd_options(const NdOptions& o, Bytes& out) {
  if (o.rdnss.size() > 127) return malformed("ND RDNSS option", "too many addresses");
  ByteWriter w(out);
  if (o.source_lla) put_lla(w, kNdOptSourceLla, *o.source_lla);
  if (o.target_lla) put_lla(w, kNdOptTargetLla, *o.target_lla);
  if (o.mtu) {
    w.u8(kNdOptMtu);
    w.u8(1);
    w.u16(0);
    w.u32(*o.mtu);
  }
  for (const NdPrefixInfo& p : o.prefixes) {
    w.u8(kNdOptPrefixInfo);
    w.u8(4);
    w.u8(p.prefix.len);
    w.u8(uint8_t((p.on_link ? 0x80 : 0) | (p.autonomous ? 0x40 : 0)));
    w.u32(p.valid_lifetime);
    w.u32(p.preferred_lifetime);
    w.u32(0);
    w.ipv6(p.prefix.network());
  }
  for (const NdRouteInfo& ri : o.routes) {
    size_t prefix_bytes = ri.prefix.len == 0 ? 0 : ri.prefix.len <= 64 ? 8 : 16;
    w.u8(kNdOptRouteInfo);
    w.u8(uint8_t(1 + prefix_bytes / 8));
    w.u8(ri.prefix.len);
    w.u8(uint8_t(encode_preference(ri.preference) << 3));
    w.u32(ri.lifetime);
    w.bytes(ByteView(ri.prefix.network().bytes).first(prefix_bytes));
  }
  if (!o.rdnss.empty()) {
    w.u8(kNdOptRdnss);
    w.u8(uint8_t(1 + 2 * o.rdnss.size()));
    w.u16(0);
    w.u32(o.rdnss_lifetime);
    for (const Ipv6Addr& a : o.rdnss) w.ipv6(a);
  }
  if (!o.dnssl.empty()) {
    Bytes names;
    for (const std::string& n : o.dnssl) OVNX_RETURN_IF_ERROR(encode_dns_name(n, names));
    size_t total = (8 + names.size() + 7) / 8 * 8;
    if (total > 255 * 8) return malformed("ND DNSSL option", "too long");
    w.u8(kNdOptDnssl);
    w.u8(uint8_t(total / 8));
    w.u16(0);
    w.u32(o.dnssl_lifetime);
    w.bytes(names);
    w.zeros(total - 8 - names.size());
  }
  for (const NdRawOption& raw : o.other) {
    size_t total = (2 + raw.body.size() + 7) / 8 * 8;
    if (total > 255 * 8) return malformed("ND option", fmt::format("option {} too long", raw.type));
    w.u8(raw.type);
    w.u8(uint8_t(total / 8));
    w.bytes(raw.body);
    w.zeros(total - 2 - raw.body.size());
  }
  return {};
}

}  // namespace

Result<Icmp6Message> parse_icmp6(ByteView data) {
  ByteReader r(data, "ICMPv6 message");
  Icmp6Message m;
  OVNX_ASSIGN_OR_RETURN(m.type, r.u8("type"));
  OVNX_ASSIGN_OR_RETURN(m.code, r.u8("code"));
  OVNX_ASSIGN_OR_RETURN(m.checksum, r.u16("checksum"));
  switch (m.type) {
    case kIcmp6EchoRequest:
    case kIcmp6EchoReply: {
      OVNX_ASSIGN_OR_RETURN(m.id, r.u16("identifier"));
      OVNX_ASSIGN_OR_RETURN(m.seq, r.u16("sequence"));
      m.body = r.rest();
      break;
    }
    case kNdRouterSolicit:
      OVNX_RETURN_IF_ERROR(r.skip(4, "reserved"));
      OVNX_RETURN_IF_ERROR(parse_nd_options(r.rest(), m.options));
      break;
    case kNdRouterAdvert: {
      OVNX_ASSIGN_OR_RETURN(m.cur_hop_limit, r.u8("current hop limit"));
      OVNX_ASSIGN_OR_RETURN(uint8_t flags, r.u8("flags"));
      m.managed = (flags & 0x80) != 0;
      m.other_config = (flags & 0x40) != 0;
      m.router_preference = decode_preference(flags >> 3);
      OVNX_ASSIGN_OR_RETURN(m.router_lifetime, r.u16("router lifetime"));
      OVNX_ASSIGN_OR_RETURN(m.reachable_time, r.u32("reachable time"));
      OVNX_ASSIGN_OR_RETURN(m.retrans_timer, r.u32("retrans timer"));
      OVNX_RETURN_IF_ERROR(parse_nd_options(r.rest(), m.options));
      break;
    }
    case kNdNeighborSolicit:
    case kNdNeighborAdvert: {
      OVNX_ASSIGN_OR_RETURN(uint32_t flags, r.u32("flags"));
      m.router = (flags & 0x80000000u) != 0;
      m.solicited = (flags & 0x40000000u) != 0;
      m.override = (flags & 0x20000000u) != 0;
      OVNX_ASSIGN_OR_RETURN(m.target, r.ipv6("target address"));
      OVNX_RETURN_IF_ERROR(parse_nd_options(r.rest(), m.options));
      break;
    }
    default: {  // errors and anything else: a 32-bit parameter, then the body
      OVNX_ASSIGN_OR_RETURN(m.param, r.u32("parameter"));
      m.body = r.rest();
    }
  }
  return m;
}

bool icmp6_checksum_ok(const Ipv6Endpoints& ip, ByteView data) {
  uint32_t sum = pseudo_header_sum(ip, kIpProtoIcmpv6, uint32_t(data.size()));
  return data.size() >= 4 && checksum_finish(checksum_add(sum, data)) == 0;
}

Result<Bytes> build_icmp6(const Ipv6Endpoints& ip, const Icmp6Message& m) {
  Bytes out;
  ByteWriter w(out);
  w.u8(m.type);
  w.u8(m.code);
  w.u16(0);
  switch (m.type) {
    case kIcmp6EchoRequest:
    case kIcmp6EchoReply:
      w.u16(m.id);
      w.u16(m.seq);
      w.bytes(m.body);
      break;
    case kNdRouterSolicit:
      w.u32(0);
      OVNX_RETURN_IF_ERROR(build_nd_options(m.options, out));
      break;
    case kNdRouterAdvert:
      w.u8(m.cur_hop_limit);
      w.u8(uint8_t((m.managed ? 0x80 : 0) | (m.other_config ? 0x40 : 0) |
                   encode_preference(m.router_preference) << 3));
      w.u16(m.router_lifetime);
      w.u32(m.reachable_time);
      w.u32(m.retrans_timer);
      OVNX_RETURN_IF_ERROR(build_nd_options(m.options, out));
      break;
    case kNdNeighborSolicit:
    case kNdNeighborAdvert:
      w.u32((m.router ? 0x80000000u : 0) | (m.solicited ? 0x40000000u : 0) |
            (m.override ? 0x20000000u : 0));
      w.ipv6(m.target);
      OVNX_RETURN_IF_ERROR(build_nd_options(m.options, out));
      break;
    default:
      w.u32(m.param);
      w.bytes(m.body.first(std::min(m.body.size(), kIcmp6ErrorMaxLen - 8)));
  }
  uint32_t sum = pseudo_header_sum(ip, kIpProtoIcmpv6, uint32_t(out.size()));
  w.put_u16_at(2, checksum_finish(checksum_add(sum, out)));
  return out;
}

Icmp6Message make_icmp6_echo_reply(const Icmp6Message& request) {
  Icmp6Message m;
  m.type = kIcmp6EchoReply;
  m.id = request.id;
  m.seq = request.seq;
  m.body = request.body;
  return m;
}

Icmp6Message make_nd_na(const Ipv6Addr& target, const MacAddr& mac, bool router, bool solicited) {
  Icmp6Message m;
  m.type = kNdNeighborAdvert;
  m.target = target;
  m.router = router;
  m.solicited = solicited;
  m.override = true;
  m.options.target_lla = mac;
  return m;
}

Icmp6Message make_icmp6_error(uint8_t type, uint8_t code, ByteView original, uint32_t param) {
  Icmp6Message m;
  m.type = type;
  m.code = code;
  m.param = param;
  m.body = original;
  return m;
}

Icmp6Message make_nd_ns(const Ipv6Addr& target, const MacAddr& source_mac) {
  Icmp6Message m;
  m.type = kNdNeighborSolicit;
  m.target = target;
  m.options.source_lla = source_mac;
  return m;
}

}  // namespace ovnx::packets
