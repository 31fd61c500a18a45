// dns_lookup: ovn-controller's DNS responder (ovn-sb(5) DNS table, ovn-nb(5) DNS records).
//
// The records of every Southbound DNS row that lists the packet's datapath are searched, names
// compared without regard to case. A record's value is a list of addresses separated by spaces
// or commas (A and AAAA answers), or, for a reverse name such as "4.0.0.10.in-addr.arpa", the
// domain name to answer a PTR query with. ANY gets every address. A query with no answer is not
// answered (result 0): it goes on to whatever DNS server it was sent to.
//
// The answer replaces the query's UDP payload; the next logical flow swaps the addresses and
// ports and sends it back, so headers keep the query's orientation. Swapping source and
// destination leaves the UDP checksum unchanged, so it is computed here once.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/log.h"
#include "controller/pinctrl_handlers.h"
#include "ovsdb/client/sb.h"
#include "packets/dns.h"
#include "packets/ethernet.h"
#include "packets/ipv4.h"
#include "packets/ipv6.h"
#include "packets/packet.h"
#include "packets/udp.h"

OVNX_LOG_MODULE(pinctrl);

namespace ovnx::controller::pinctrl {

namespace {

constexpr uint32_t kAnswerTtl = 3600;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

// The record value for NAME in the DNS rows of datapath DP_KEY.
std::optional<std::string> find_record(const ovsdb::client::Replica& sb, uint32_t dp_key,
                                       const std::string& name) {
  const sb::DatapathBinding* dp = find_datapath(sb, dp_key);
  if (!dp) return std::nullopt;
  for (const sb::DNS* row : sb::DNS::rows(sb)) {
    bool ours = false;
    for (const sb::DatapathBinding* d : row->datapaths()) ours |= d == dp;
    if (!ours) continue;
    for (const auto& [key, value] : row->records()) {
      if (lower(key) == name) return std::string(value);
    }
  }
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) i++;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '\t') j++;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<packets::DnsAnswer> answer_question(const ovsdb::client::Replica& sb, uint32_t dp_key,
                                                const packets::DnsQuestion& q) {
  std::vector<packets::DnsAnswer> out;
  if (q.qclass != packets::kDnsClassIn) return out;
  auto value = find_record(sb, dp_key, lower(q.name));
  if (!value) return out;
  if (q.type == packets::kDnsTypePtr) {
    for (const std::string& target : split_list(*value)) {
      if (packets::parse_ip(target).ok()) continue;  // an address record, not a name
      out.push_back(packets::DnsAnswer{q.name, kAnswerTtl, packets::DnsPtrTarget{target}});
    }
    return out;
  }
  const bool want_a = q.type == packets::kDnsTypeA || q.type == packets::kDnsTypeAny;
  const bool want_aaaa = q.type == packets::kDnsTypeAaaa || q.type == packets::kDnsTypeAny;
  for (const std::string& item : split_list(*value)) {
    auto ip = packets::parse_ip(item);
    if (!ip.ok()) continue;
    if (!ip->is_v6 && want_a) out.push_back(packets::DnsAnswer{q.name, kAnswerTtl, ip->v4});
    if (ip->is_v6 && want_aaaa) out.push_back(packets::DnsAnswer{q.name, kAnswerTtl, ip->v6});
  }
  return out;
}

// The answer frame, nullopt when there is nothing to answer.
Result<std::optional<packets::Bytes>> build_answer(const PacketInEvent& ev,
                                                   const ovsdb::client::Replica* sb) {
  OVNX_ASSIGN_OR_RETURN(packets::ParsedPacket p, packets::parse_packet(ev.raw->packet));
  if (!p.udp || (!p.ipv4 && !p.ipv6)) return make_error("pinctrl", "dns_lookup: not UDP over IP");
  OVNX_ASSIGN_OR_RETURN(packets::DnsMessage query, packets::parse_dns(p.udp->payload));
  if (query.header.qr || query.header.opcode != 0 || query.questions.empty()) {
    return make_error("pinctrl", "dns_lookup: not a standard query");
  }
  if (!sb) return std::optional<packets::Bytes>();
  std::vector<packets::DnsAnswer> answers;
  for (const packets::DnsQuestion& q : query.questions) {
    auto a = answer_question(*sb, ev.dp_key, q);
    answers.insert(answers.end(), a.begin(), a.end());
  }
  if (answers.empty()) {
    LOG_DBG("dns_lookup: no record for {}", query.questions[0].name);
    return std::optional<packets::Bytes>();
  }
  OVNX_ASSIGN_OR_RETURN(packets::Bytes dns, packets::build_dns_response(query, answers));
  packets::Bytes l3;
  if (p.ipv4) {
    packets::Ipv4Header ip = p.ipv4->header;
    ip.more_fragments = false;
    ip.frag_offset = 0;
    l3 = packets::build_ipv4(ip, packets::build_udp(packets::Ipv4Endpoints{ip.src, ip.dst},
                                                    p.udp->src_port, p.udp->dst_port, dns));
  } else {
    packets::Ipv6Header ip = p.ipv6->header;
    ip.next_header = packets::kIpProtoUdp;  // extension headers are not carried over
    l3 = packets::build_ipv6(ip, packets::build_udp(packets::Ipv6Endpoints{ip.src, ip.dst},
                                                    p.udp->src_port, p.udp->dst_port, dns));
  }
  return std::optional<packets::Bytes>(packets::build_ethernet(p.eth.header, l3));
}

}  // namespace

void DnsHandler::handle(const PacketInEvent& ev, PinctrlContext& ctx) {
  auto rb = logical::decode_result_bit(ev.payload);
  if (!rb.ok()) {
    stats_.malformed++;
    LOG_DBG("dns_lookup: {}", rb.error().to_string());
    return;
  }
  auto frame = build_answer(ev, ctx.sb());
  if (!frame.ok()) {
    LOG_DBG("{}", frame.error().to_string());
    finish_paused(ev, ctx, *rb, std::nullopt, stats_, /*malformed=*/true);
    return;
  }
  finish_paused(ev, ctx, *rb, std::move(frame).value(), stats_);
}

}  // namespace ovnx::controller::pinctrl
