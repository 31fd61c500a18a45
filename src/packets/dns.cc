#include "packets/dns.h"

#include <fmt/format.h>

#include "packets/dns_name.h"

namespace ovnx::packets {
namespace {

Status parse_records(ByteView data, size_t& offset, uint16_t count, std::string_view section,
                     std::vector<DnsRecord>& out) {
  for (uint16_t i = 0; i < count; ++i) {
    DnsRecord rec;
    OVNX_ASSIGN_OR_RETURN(rec.name, decode_dns_name(data, offset));
    ByteReader r(data.subspan(offset), section);
    OVNX_ASSIGN_OR_RETURN(rec.type, r.u16("type"));
    OVNX_ASSIGN_OR_RETURN(rec.rclass, r.u16("class"));
    OVNX_ASSIGN_OR_RETURN(rec.ttl, r.u32("TTL"));
    OVNX_ASSIGN_OR_RETURN(uint16_t len, r.u16("RDLENGTH"));
    OVNX_ASSIGN_OR_RETURN(ByteView rdata, r.bytes(len, "RDATA"));
    size_t rdata_offset = offset + r.offset() - len;
    rec.rdata.assign(rdata.begin(), rdata.end());
    if (rec.type == kDnsTypePtr) {
      size_t o = rdata_offset;
      OVNX_ASSIGN_OR_RETURN(rec.ptr_name, decode_dns_name(data.first(rdata_offset + len), o));
      if (o != rdata_offset + len) return malformed(section, "PTR RDATA longer than its name");
    }
    offset += r.offset();
    out.push_back(std::move(rec));
  }
  return {};
}

}  // namespace

Result<DnsMessage> parse_dns(ByteView data) {
  ByteReader r(data, "DNS header");
  DnsMessage m;
  OVNX_ASSIGN_OR_RETURN(m.header.id, r.u16("id"));
  OVNX_ASSIGN_OR_RETURN(uint16_t flags, r.u16("flags"));
  m.header.qr = flags & 0x8000;
  m.header.opcode = (flags >> 11) & 0xf;
  m.header.aa = flags & 0x0400;
  m.header.tc = flags & 0x0200;
  m.header.rd = flags & 0x0100;
  m.header.ra = flags & 0x0080;
  m.header.ad = flags & 0x0020;
  m.header.cd = flags & 0x0010;
  m.header.rcode = flags & 0xf;
  OVNX_ASSIGN_OR_RETURN(uint16_t qd, r.u16("QDCOUNT"));
  OVNX_ASSIGN_OR_RETURN(uint16_t an, r.u16("ANCOUNT"));
  OVNX_ASSIGN_OR_RETURN(uint16_t ns, r.u16("NSCOUNT"));
  OVNX_ASSIGN_OR_RETURN(uint16_t ar, r.u16("ARCOUNT"));
  size_t offset = r.offset();
  for (uint16_t i = 0; i < qd; ++i) {
    DnsQuestion q;
    OVNX_ASSIGN_OR_RETURN(q.name, decode_dns_name(data, offset));
    ByteReader qr(data.subspan(offset), "DNS question");
    OVNX_ASSIGN_OR_RETURN(q.type, qr.u16("QTYPE"));
    OVNX_ASSIGN_OR_RETURN(q.qclass, qr.u16("QCLASS"));
    offset += 4;
    m.questions.push_back(std::move(q));
  }
  OVNX_RETURN_IF_ERROR(parse_records(data, offset, an, "DNS answer", m.answers));
  OVNX_RETURN_IF_ERROR(parse_records(data, offset, ns, "DNS authority record", m.authority));
  OVNX_RETURN_IF_ERROR(parse_records(data, offset, ar, "DNS additional record", m.additional));
  return m;
}

Result<Bytes> build_dns_response(const DnsMessage& query, const std::vector<DnsAnswer>& answers,
                                 uint8_t rcode) {
  Bytes out;
  ByteWriter w(out);
  const DnsHeader& q = query.header;
  w.u16(q.id);
  w.u16(uint16_t(0x8000 | (q.opcode & 0xf) << 11 | 0x0400 | (q.rd ? 0x0100 : 0) |
                 (q.cd ? 0x0010 : 0) | (rcode & 0xf)));
  w.u16(uint16_t(query.questions.size()));
  w.u16(uint16_t(answers.size()));
  w.u16(0);
  w.u16(0);
  DnsNameCompressor names(0);
  for (const DnsQuestion& question : query.questions) {
    OVNX_RETURN_IF_ERROR(names.encode(question.name, out));
    w.u16(question.type);
    w.u16(question.qclass);
  }
  for (const DnsAnswer& a : answers) {
    OVNX_RETURN_IF_ERROR(names.encode(a.name, out));
    if (const auto* v4 = std::get_if<Ipv4Addr>(&a.value)) {
      w.u16(kDnsTypeA);
      w.u16(kDnsClassIn);
      w.u32(a.ttl);
      w.u16(4);
      w.ipv4(*v4);
    } else if (const auto* v6 = std::get_if<Ipv6Addr>(&a.value)) {
      w.u16(kDnsTypeAaaa);
      w.u16(kDnsClassIn);
      w.u32(a.ttl);
      w.u16(16);
      w.ipv6(*v6);
    } else {
      w.u16(kDnsTypePtr);
      w.u16(kDnsClassIn);
      w.u32(a.ttl);
      size_t len_at = out.size();
      w.u16(0);
      OVNX_RETURN_IF_ERROR(names.encode(std::get<DnsPtrTarget>(a.value).name, out));
      w.put_u16_at(len_at, uint16_t(out.size() - len_at - 2));
    }
  }
  return out;
}

std::string reverse_dns_name(const IpAddr& addr) {
  std::string out;
  if (!addr.is_v6) {
    auto b = addr.v4.to_bytes();
    return fmt::format("{}.{}.{}.{}.in-addr.arpa", b[3], b[2], b[1], b[0]);
  }
  for (size_t i = 16; i-- > 0;) {
    out += fmt::format("{:x}.{:x}.", addr.v6.bytes[i] & 0xf, addr.v6.bytes[i] >> 4);
  }
  return out + "ip6.arpa";
}

std::optional<IpAddr> parse_reverse_dns_name(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (ends_with(".in-addr.arpa")) {
    std::string_view labels = name.substr(0, name.size() - 13);
    std::string forward;
    while (!labels.empty()) {  // reverse the label order
      size_t dot = labels.rfind('.');
      std::string_view label = dot == std::string_view::npos ? labels : labels.substr(dot + 1);
      forward += (forward.empty() ? "" : ".") + std::string(label);
      labels = dot == std::string_view::npos ? std::string_view{} : labels.substr(0, dot);
    }
    auto v4 = parse_ipv4(forward);
    if (!v4.ok()) return std::nullopt;
    return IpAddr::of(*v4);
  }
  if (ends_with(".ip6.arpa")) {
    std::string_view nibbles = name.substr(0, name.size() - 9);
    if (nibbles.size() != 63) return std::nullopt;  // 32 nibbles and 31 dots
    Ipv6Addr a;
    for (size_t i = 0; i < 32; ++i) {
      char c = nibbles[i * 2];
      if (i < 31 && nibbles[i * 2 + 1] != '.') return std::nullopt;
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0) return std::nullopt;
      size_t nibble = 31 - i;  // the first label is the lowest nibble
      a.bytes[nibble / 2] |= uint8_t(nibble % 2 == 0 ? v << 4 : v);
    }
    return IpAddr::of(a);
  }
  return std::nullopt;
}

}  // namespace ovnx::packets
