// Connection tracking: ct_next, ct_commit, ct_dnat/ct_snat (and *_in_czone), ct_lb/ct_lb_mark,
// ct_clear, ct_commit_nat, ct_snat_to_vip.
//
// Zones (ovn-architecture(7)): a logical switch tracks in the logical port's zone (reg13), a
// router in its DNAT zone (reg11); DNAT and SNAT use reg11 and reg12 in both, and the
// "common zone" variants reg11.
#include <fmt/format.h>

#include "logical/action_parser.h"
#include "logical/action_registry.h"
#include "logical/encoder.h"

namespace ovnx::logical::act {
namespace {

openflow::U128 of(U128 v) { return openflow::U128(v.hi, v.lo); }

openflow::Nat nat_to(bool snat, const Constant& ip, uint16_t port_min, uint16_t port_max) {
  openflow::Nat n;
  n.kind = snat ? openflow::Nat::Kind::kSrc : openflow::Nat::Kind::kDst;
  n.family = ip.format == IntFormat::kIPv6 ? openflow::Nat::Family::kIpv6
                                           : openflow::Nat::Family::kIpv4;
  n.addr_min = of(ip.value);
  n.port_min = port_min;
  n.port_max = port_max;
  return n;
}

Result<Constant> parse_ip(ActionParser& p) {
  if (p.tok().type != TokenType::kInteger ||
      (p.tok().format != IntFormat::kIPv4 && p.tok().format != IntFormat::kIPv6)) {
    return p.expecting("IPv4 or IPv6 address");
  }
  return p.parse_constant();
}

std::string format_ip(const Constant& ip, uint16_t port, bool bracket_v6) {
  std::string s = ip.to_string();
  if (ip.format == IntFormat::kIPv6 && bracket_v6 && port) s = "[" + s + "]";
  if (port) s += fmt::format(":{}", port);
  return s;
}

}  // namespace

// --- ct_next ------------------------------------------------------------------------------------

Result<CtNext> CtNext::parse(ActionParser&, const ParseCall&) { return CtNext{}; }

Status CtNext::encode(Encoder& e) const {
  openflow::Ct ct;
  ct.zone_src = e.ct_zone();
  ct.recirc_table = e.next_table();
  e.add(std::move(ct));
  return ok_status();
}

void CtNext::prerequisites(Prereqs& pre) const { pre.add("ip"); }

// --- ct_commit { } ------------------------------------------------------------------------------

Result<CtCommit> CtCommit::parse(ActionParser& p, const ParseCall&) {
  CtCommit c;
  if (p.tok().type == TokenType::kLParen) {
    return p.error_here("write ct_commit { ct_mark = ...; ct_label = ...; }");
  }
  if (p.tok().type == TokenType::kLCurly) {
    OVNX_ASSIGN_OR_RETURN(c.actions, p.parse_block(NestScope::kCtCommit));
  }
  return c;
}

void CtCommit::format(std::string& out) const {
  if (actions.empty()) {
    out += "ct_commit;";
    return;
  }
  out += "ct_commit ";
  format_block(actions, out);
  out += ';';
}

Status CtCommit::encode(Encoder& e) const {
  openflow::Ct ct;
  ct.commit = true;
  ct.zone_src = e.ct_zone();
  // Committing applies any NAT already set up for the connection (ovn-controller 23.03 does).
  openflow::Nat nat;
  nat.kind = openflow::Nat::Kind::kSrc;
  ct.actions.push_back(nat);
  Encoder inner(e.params(), ct.actions);
  for (const Action& a : actions) OVNX_RETURN_IF_ERROR(encode_action(a, inner));
  e.add(std::move(ct));
  return ok_status();
}

void CtCommit::prerequisites(Prereqs& pre) const {
  pre.add("ip");
  pre.add_actions(actions);
}

// --- ct_dnat / ct_snat --------------------------------------------------------------------------

Result<CtNat> CtNat::parse(ActionParser& p, const ParseCall& call) {
  CtNat n;
  n.snat = call.name.starts_with("ct_snat");
  n.common_zone = call.name.ends_with("_in_czone");
  if (!p.lexer().match(TokenType::kLParen)) return n;
  OVNX_ASSIGN_OR_RETURN(n.ip, parse_ip(p));
  if (p.lexer().match(TokenType::kComma)) {
    OVNX_ASSIGN_OR_RETURN(uint64_t lo, p.parse_uint("port", 0, 65535));
    uint64_t hi = lo;
    if (p.lexer().match(TokenType::kHyphen)) {
      OVNX_ASSIGN_OR_RETURN(hi, p.parse_uint("port", lo, 65535));
    }
    n.port_min = uint16_t(lo);
    n.port_max = uint16_t(hi);
  }
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return n;
}

void CtNat::format(std::string& out) const {
  out += snat ? "ct_snat" : "ct_dnat";
  if (common_zone) out += "_in_czone";
  if (ip) {
    out += "(" + ip->to_string();
    if (port_min) {
      out += port_max != port_min ? fmt::format(", {}-{}", port_min, port_max)
                                  : fmt::format(", {}", port_min);
    }
    out += ")";
  }
  out += ';';
}

Status CtNat::encode(Encoder& e) const {
  openflow::Ct ct;
  int zone = common_zone || !snat ? ovn::kRegDnatZone : ovn::kRegSnatZone;
  ct.zone_src = Encoder::zone_reg(zone);
  ct.recirc_table = e.next_table();
  if (ip) {
    ct.commit = true;
    ct.actions.push_back(nat_to(snat, *ip, port_min, port_max != port_min ? port_max : 0));
  } else {
    ct.actions.push_back(openflow::Nat{});
  }
  e.add(std::move(ct));
  return ok_status();
}

void CtNat::prerequisites(Prereqs& pre) const { pre.add("ip"); }

// --- ct_lb / ct_lb_mark -------------------------------------------------------------------------

Result<CtLb> CtLb::parse(ActionParser& p, const ParseCall& call) {
  CtLb lb;
  lb.mark = call.name == "ct_lb_mark";
  if (!p.lexer().match(TokenType::kLParen)) return lb;
  lb.has_args = true;
  // ct_lb(backends=A,B; hash_fields="..."; skip_snat), or the older ct_lb(A, B).
  if (p.lexer().match_id("backends")) OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
  do {
    Backend b;
    bool bracket = p.lexer().match(TokenType::kLSquare);
    OVNX_ASSIGN_OR_RETURN(b.ip, parse_ip(p));
    if (bracket) {
      if (b.ip.format != IntFormat::kIPv6) return p.error_here("only IPv6 addresses go in [ ]");
      OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRSquare, "`]`"));
    }
    if (p.lexer().match(TokenType::kColon)) {
      if (b.ip.format == IntFormat::kIPv6 && !bracket) {
        return p.error_here("write an IPv6 backend with a port as [address]:port");
      }
      OVNX_ASSIGN_OR_RETURN(uint64_t port, p.parse_uint("port", 1, 65535));
      b.port = uint16_t(port);
    }
    if (!lb.backends.empty() && b.ip.format != lb.backends[0].ip.format) {
      return p.error_here("backends mix IPv4 and IPv6 addresses");
    }
    lb.backends.push_back(std::move(b));
  } while (p.lexer().match(TokenType::kComma));
  while (p.lexer().match(TokenType::kSemicolon)) {
    if (p.lexer().match_id("hash_fields")) {
      OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
      if (p.tok().type != TokenType::kString) return p.expecting("quoted field list");
      lb.hash_fields = p.tok().text;
      p.lexer().advance();
    } else if (p.lexer().match_id("skip_snat")) {
      lb.flag = Flag::kSkipSnat;
    } else if (p.lexer().match_id("force_snat")) {
      lb.flag = Flag::kForceSnat;
    } else {
      return p.expecting("`hash_fields`, `skip_snat` or `force_snat`");
    }
  }
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return lb;
}

void CtLb::format(std::string& out) const {
  out += mark ? "ct_lb_mark" : "ct_lb";
  if (has_args) {
    out += "(backends=";
    for (size_t i = 0; i < backends.size(); i++) {
      if (i) out += ",";
      out += format_ip(backends[i].ip, backends[i].port, true);
    }
    if (!hash_fields.empty()) out += "; hash_fields=" + quote_string(hash_fields);
    if (flag == Flag::kSkipSnat) out += "; skip_snat";
    if (flag == Flag::kForceSnat) out += "; force_snat";
    out += ")";
  }
  out += ';';
}

Status CtLb::encode(Encoder& e) const {
  if (!has_args || backends.empty()) {
    openflow::Ct ct;
    ct.zone_src = e.ct_zone();
    ct.recirc_table = e.next_table();
    ct.actions.push_back(openflow::Nat{});
    e.add(std::move(ct));
    return ok_status();
  }
  if (!e.params().groups) return make_error("invalid action", "ct_lb with backends needs a group table");
  // One bucket per backend: commit with DNAT to it, marking the connection natted (bit 1) in
  // ct_mark (ct_lb_mark) or ct_label (ct_lb), plus the skip/force SNAT bit.
  openflow::Field flag_field = mark ? openflow::Field::ct_mark : openflow::Field::ct_label;
  GroupSpec g;
  if (!hash_fields.empty()) {
    g.selection_method = "hash";
    std::string_view rest = hash_fields;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view f = rest.substr(0, comma);
      while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
      while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
      if (!f.empty()) g.fields.emplace_back(f);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  for (const Backend& b : backends) {
    openflow::Ct ct;
    ct.commit = true;
    ct.zone_src = e.ct_zone();
    ct.recirc_table = e.next_table();
    ct.actions.push_back(nat_to(false, b.ip, b.port, 0));
    ct.actions.push_back(openflow::SetField{flag_field, openflow::U128(1u << ovn::kCtNattedBit),
                                            openflow::U128(1u << ovn::kCtNattedBit)});
    if (flag != Flag::kNone) {
      uint32_t bit = 1u << (flag == Flag::kSkipSnat ? ovn::kCtLbSkipSnatBit : ovn::kCtLbForceSnatBit);
      ct.actions.push_back(openflow::SetField{flag_field, openflow::U128(bit), openflow::U128(bit)});
    }
    GroupBucket bucket;
    bucket.actions.push_back(std::move(ct));
    g.buckets.push_back(std::move(bucket));
  }
  e.add(openflow::Group{e.params().groups->group_id(g)});
  return ok_status();
}

void CtLb::prerequisites(Prereqs& pre) const { pre.add("ip"); }

// --- ct_clear, ct_commit_nat, ct_snat_to_vip -----------------------------------------------------

Result<CtClear> CtClear::parse(ActionParser&, const ParseCall&) { return CtClear{}; }

Status CtClear::encode(Encoder& e) const {
  e.add(openflow::CtClear{});
  return ok_status();
}

Result<CtCommitNat> CtCommitNat::parse(ActionParser&, const ParseCall&) { return CtCommitNat{}; }

Status CtCommitNat::encode(Encoder& e) const {
  openflow::Ct ct;
  ct.commit = true;
  ct.zone_src = e.ct_zone();
  ct.recirc_table = e.next_table();
  ct.actions.push_back(openflow::Nat{});
  e.add(std::move(ct));
  return ok_status();
}

void CtCommitNat::prerequisites(Prereqs& pre) const { pre.add("ip"); }

Result<CtSnatToVip> CtSnatToVip::parse(ActionParser&, const ParseCall&) { return CtSnatToVip{}; }

Status CtSnatToVip::encode(Encoder& e) const {
  e.resubmit(ovn::kTableCtSnatHairpin);
  return ok_status();
}

}  // namespace ovnx::logical::act
