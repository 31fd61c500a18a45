// libFuzzer target over every packet parser, plus round-trip properties that must hold for any
// input a parser accepts. Inputs: the first byte picks what the rest is fed to.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "packets/addresses.h"
#include "packets/dhcp4.h"
#include "packets/dhcp6.h"
#include "packets/dhcp_options.h"
#include "packets/dns.h"
#include "packets/dns_name.h"
#include "packets/packet.h"

namespace p = ovnx::packets;

namespace {

// Crash (so libFuzzer reports it) when a property does not hold.
void check(bool property) {
  if (!property) std::abort();
}

void fuzz_frame(p::ByteView data) {
  auto pkt = p::parse_packet(data);
  if (!pkt.ok()) return;
  if (pkt->ipv4 || pkt->ipv6) {
    if (pkt->udp) {
      (void)p::udp_checksum_ok(pkt->endpoints(), pkt->l4);
      (void)p::parse_dhcp4(pkt->udp->payload);
      (void)p::parse_dhcp6(pkt->udp->payload);
      (void)p::parse_dns(pkt->udp->payload);
    }
    if (pkt->tcp) (void)p::make_tcp_rst(*pkt->tcp);
  }
  if (pkt->icmp6) {
    // Whatever options parsed must serialize and parse back to the same options.
    auto again = p::build_icmp6(p::Ipv6Endpoints{}, *pkt->icmp6);
    if (again.ok()) {
      auto back = p::parse_icmp6(*again);
      check(back.ok());
      bool nd = pkt->icmp6->type >= p::kNdRouterSolicit && pkt->icmp6->type <= p::kNdNeighborAdvert;
      if (nd) check(back->options.source_lla == pkt->icmp6->options.source_lla);
    }
  }
}

void fuzz_dhcp4(p::ByteView data) {
  auto m = p::parse_dhcp4(data);
  if (!m.ok()) return;
  (void)m->message_type();
  (void)p::build_dhcp4(*m);
}

void fuzz_dhcp6(p::ByteView data) {
  auto m = p::parse_dhcp6(data);
  if (!m.ok()) return;
  // Client/server messages re-serialize byte for byte.
  p::Bytes again = p::build_dhcp6(*m);
  check(again.size() == data.size() && std::equal(again.begin(), again.end(), data.begin()));
  if (const auto* ia = m->find(p::kDhcp6OptIaNa)) (void)p::parse_dhcp6_ia_na(ia->value);
}

void fuzz_dns(p::ByteView data) {
  auto m = p::parse_dns(data);
  if (!m.ok()) return;
  // Any parsed query can be answered, and the answer parses.
  std::vector<p::DnsAnswer> answers;
  for (const auto& q : m->questions) answers.push_back({q.name, 60, p::Ipv4Addr{0x0a000001}});
  auto response = p::build_dns_response(*m, answers);
  if (response.ok()) check(p::parse_dns(*response).ok());
}

void fuzz_text(p::ByteView data) {
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  if (auto a = p::parse_ipv6(text); a.ok()) check(*p::parse_ipv6(a->to_string()) == *a);
  if (auto a = p::parse_ipv4(text); a.ok()) check(a->to_string() == text);
  if (auto m = p::parse_mac(text); m.ok()) check(*p::parse_mac(m->to_string()) == *m);
  (void)p::parse_ipv4_prefix(text);
  (void)p::parse_ipv6_prefix(text);
  (void)p::parse_reverse_dns_name(text);
  for (const auto& def : p::dhcp4_option_catalogue()) (void)p::encode_dhcp_option_value(def, text);
  for (const auto& def : p::dhcp6_option_catalogue()) (void)p::encode_dhcp_option_value(def, text);
  p::Bytes name;
  if (p::encode_dns_name(text, name).ok()) {
    size_t off = 0;
    auto decoded = p::decode_dns_name(name, off);
    check(decoded.ok() && off == name.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  p::ByteView rest(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      fuzz_frame(rest);
      break;
    case 1:
      fuzz_dhcp4(rest);
      break;
    case 2:
      fuzz_dhcp6(rest);
      break;
    case 3:
      fuzz_dns(rest);
      break;
    case 4:
      fuzz_text(rest);
      break;
  }
  return 0;
}
