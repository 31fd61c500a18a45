// The actions of the logical-flow language (ovn-sb(5) Logical_Flow "actions"), one struct each.
//
// Every struct is one entry of the single action registry (action_registry.h): it must provide
//   static constexpr std::array kNames        the keywords it is spelled with
//   static constexpr Syntax kSyntax           statement (`next;`), function (`R = f(...)`) or
//                                             assignment (`a = b`, `a <-> b`, `ip.ttl--`)
//   static Result<T> parse(ActionParser&, const ParseCall&)
//   void format(std::string&) const           canonical text, parse(format(x)) == x
//   Status encode(Encoder&) const             OpenFlow actions, per ovn-architecture(7)
//   void prerequisites(Prereqs&) const        what the flow's match must imply
// and the LogicalAction concept checks all of them when the registry is built, so an action
// cannot be added with a part missing. The tracer inspects parsed actions with std::visit.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "logical/constant.h"
#include "logical/encode_env.h"
#include "logical/expr.h"
#include "logical/u128.h"

namespace ovnx::logical {

class ActionParser;
class Encoder;
class Prereqs;

enum class Syntax { kStatement, kFunction, kAssignment };

// What the parser knows when it hands over to an action's parse(): the keyword (current token
// is just past it, at `(`, `{`, `;` ...), and for functions the destination `R` of `R = f()`.
struct ParseCall {
  std::string_view name;
  size_t pos = 0;  // of the keyword (or of the destination for assignments)
  std::optional<FieldRef> dst;
};

struct Action;
using ActionList = std::vector<Action>;

namespace act {

// --- Control flow and plain field operations (actions_basic.cc) ------------------------------

struct Next {  // next; next(N); next(pipeline=P, table=N);
  static constexpr std::array<std::string_view, 1> kNames{"next"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::optional<Pipeline> pipeline;
  std::optional<int> table;
  static Result<Next> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

struct Output {  // output;
  static constexpr std::array<std::string_view, 1> kNames{"output"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<Output> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "output;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

struct Drop {  // drop;  (must be the only action)
  static constexpr std::array<std::string_view, 1> kNames{"drop"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<Drop> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "drop;"; }
  Status encode(Encoder&) const { return ok_status(); }
  void prerequisites(Prereqs&) const {}
};

struct Load {  // field = constant;
  static constexpr std::array<std::string_view, 0> kNames{};
  static constexpr Syntax kSyntax = Syntax::kAssignment;
  FieldRef dst;
  Constant value;
  static Result<Load> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct Move {  // field = field;
  static constexpr std::array<std::string_view, 0> kNames{};
  static constexpr Syntax kSyntax = Syntax::kAssignment;
  FieldRef dst;
  FieldRef src;
  static Result<Move> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct Exchange {  // field <-> field;
  static constexpr std::array<std::string_view, 0> kNames{};
  static constexpr Syntax kSyntax = Syntax::kAssignment;
  FieldRef a;
  FieldRef b;
  static Result<Exchange> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct DecTtl {  // ip.ttl--;
  static constexpr std::array<std::string_view, 0> kNames{};
  static constexpr Syntax kSyntax = Syntax::kAssignment;
  static Result<DecTtl> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "ip.ttl--;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// icmp4.frag_mtu = N; icmp6.frag_mtu = N; — headers only ovn-controller can write.
struct OvnFieldLoad {
  static constexpr std::array<std::string_view, 0> kNames{};
  static constexpr Syntax kSyntax = Syntax::kAssignment;
  const Symbol* field = nullptr;
  U128 value;
  static Result<OvnFieldLoad> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct Clone {  // clone { ... };
  static constexpr std::array<std::string_view, 1> kNames{"clone"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::vector<Action> actions;
  static Result<Clone> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct SetQueue {  // set_queue(N);
  static constexpr std::array<std::string_view, 1> kNames{"set_queue"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  uint16_t queue = 0;
  static Result<SetQueue> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

struct SetMeter {  // set_meter(rate[, burst]);
  static constexpr std::array<std::string_view, 1> kNames{"set_meter"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  uint64_t rate = 0;
  uint64_t burst = 0;
  static Result<SetMeter> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

struct CheckPktLarger {  // R = check_pkt_larger(L);
  static constexpr std::array<std::string_view, 1> kNames{"check_pkt_larger"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  FieldRef dst;
  uint16_t length = 0;
  static Result<CheckPktLarger> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

// R = select(N1[=W1], N2[=W2], ...);  a weighted choice by 5-tuple hash, then next table.
struct Select {
  static constexpr std::array<std::string_view, 1> kNames{"select"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  struct Choice {
    uint16_t value = 0;
    uint16_t weight = 100;
  };
  FieldRef dst;
  std::vector<Choice> choices;
  static Result<Select> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

// --- Connection tracking (actions_ct.cc) -----------------------------------------------------

struct CtNext {  // ct_next;
  static constexpr std::array<std::string_view, 1> kNames{"ct_next"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<CtNext> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "ct_next;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct CtCommit {  // ct_commit; ct_commit { ct_mark = ...; ct_label = ...; };
  static constexpr std::array<std::string_view, 1> kNames{"ct_commit"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::vector<Action> actions;  // only assignments to ct_mark / ct_label
  static Result<CtCommit> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// ct_dnat; ct_snat; ct_dnat(IP[, PORTS]); ... and their *_in_czone variants.
struct CtNat {
  static constexpr std::array<std::string_view, 4> kNames{"ct_dnat", "ct_snat", "ct_dnat_in_czone",
                                                          "ct_snat_in_czone"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  bool snat = false;
  bool common_zone = false;
  std::optional<Constant> ip;  // IPv4 or IPv6 (format tells which)
  uint16_t port_min = 0, port_max = 0;
  static Result<CtNat> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// ct_lb; ct_lb(backends=IP[:PORT],...[; hash_fields="f,..."][; skip_snat|force_snat]);
// and ct_lb_mark, which keeps the NAT flag in ct_mark instead of ct_label.
struct CtLb {
  static constexpr std::array<std::string_view, 2> kNames{"ct_lb", "ct_lb_mark"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  struct Backend {
    Constant ip;
    uint16_t port = 0;
  };
  enum class Flag { kNone, kSkipSnat, kForceSnat };
  bool mark = false;
  bool has_args = false;
  std::vector<Backend> backends;
  std::string hash_fields;
  Flag flag = Flag::kNone;
  static Result<CtLb> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct CtClear {  // ct_clear;
  static constexpr std::array<std::string_view, 1> kNames{"ct_clear"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<CtClear> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "ct_clear;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

struct CtCommitNat {  // ct_commit_nat;
  static constexpr std::array<std::string_view, 1> kNames{"ct_commit_nat"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<CtCommitNat> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "ct_commit_nat;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct CtSnatToVip {  // ct_snat_to_vip;
  static constexpr std::array<std::string_view, 1> kNames{"ct_snat_to_vip"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<CtSnatToVip> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "ct_snat_to_vip;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

// --- Packets built by ovn-controller (actions_packet.cc) --------------------------------------

// arp { ... }; nd_ns { ... }; icmp4 { ... }; ...: the controller replaces the packet and runs
// the nested actions on the new one.
struct NestedPacket {
  static constexpr std::array<std::string_view, 11> kNames{
      "arp",         "nd_ns", "nd_na",       "nd_na_router", "icmp4",     "icmp4_error",
      "icmp6",       "icmp6_error", "tcp_reset", "sctp_abort", "reject"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::string_view name;  // one of kNames
  std::vector<Action> actions;
  static Result<NestedPacket> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct Igmp {  // igmp;
  static constexpr std::array<std::string_view, 1> kNames{"igmp"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  static Result<Igmp> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const { out += "igmp;"; }
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// --- MAC bindings, FDB, lookup tables (actions_lookup.cc) -----------------------------------

struct PutMac {  // put_arp(P, A, E); put_nd(P, A, E);
  static constexpr std::array<std::string_view, 2> kNames{"put_arp", "put_nd"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  bool nd = false;
  FieldRef port, ip, mac;
  static Result<PutMac> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct GetMac {  // get_arp(P, A); get_nd(P, A);
  static constexpr std::array<std::string_view, 2> kNames{"get_arp", "get_nd"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  bool nd = false;
  FieldRef port, ip;
  static Result<GetMac> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// R = lookup_arp(P, A, M); lookup_nd(P, A, M); lookup_arp_ip(P, A); lookup_nd_ip(P, A);
struct LookupMac {
  static constexpr std::array<std::string_view, 4> kNames{"lookup_arp", "lookup_nd",
                                                          "lookup_arp_ip", "lookup_nd_ip"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  bool nd = false;
  bool ip_only = false;
  FieldRef dst, port, ip;
  std::optional<FieldRef> mac;
  static Result<LookupMac> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct GetFdb {  // P = get_fdb(A);
  static constexpr std::array<std::string_view, 1> kNames{"get_fdb"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  FieldRef dst, mac;
  static Result<GetFdb> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct PutFdb {  // put_fdb(P, A);
  static constexpr std::array<std::string_view, 1> kNames{"put_fdb"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  FieldRef port, mac;
  static Result<PutFdb> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct LookupFdb {  // R = lookup_fdb(P, A);
  static constexpr std::array<std::string_view, 1> kNames{"lookup_fdb"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  FieldRef dst, port, mac;
  static Result<LookupFdb> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// R = chk_lb_hairpin(); and the other lookups that resubmit to a table ovn-controller fills and
// return one flag bit.
struct FlagLookup {
  static constexpr std::array<std::string_view, 7> kNames{
      "chk_lb_hairpin", "chk_lb_hairpin_reply", "check_in_port_sec", "check_out_port_sec",
      "chk_lb_aff",     "chk_ecmp_nh_mac",      "chk_ecmp_nh"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  std::string_view name;
  FieldRef dst;
  static Result<FlagLookup> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

// --- Handled by ovn-controller (actions_controller.cc) --------------------------------------

// R = put_dhcp_opts(name = value, ...); R = put_dhcpv6_opts(...);
struct PutDhcpOpts {
  static constexpr std::array<std::string_view, 2> kNames{"put_dhcp_opts", "put_dhcpv6_opts"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  struct Option {
    std::string name;
    std::string value;  // as written
    uint16_t code = 0;
    std::vector<uint8_t> wire;  // the value's encoding on the wire
  };
  bool v6 = false;
  FieldRef dst;
  std::vector<Option> options;
  static Result<PutDhcpOpts> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// R = put_nd_ra_opts(addr_mode = "slaac", slla = MAC, prefix = P/len, mtu = N, ...);
struct PutNdRaOpts {
  static constexpr std::array<std::string_view, 1> kNames{"put_nd_ra_opts"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  struct Option {
    std::string name;
    Constant value;
  };
  FieldRef dst;
  std::vector<Option> options;
  static Result<PutNdRaOpts> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

struct DnsLookup {  // R = dns_lookup();
  static constexpr std::array<std::string_view, 1> kNames{"dns_lookup"};
  static constexpr Syntax kSyntax = Syntax::kFunction;
  FieldRef dst;
  static Result<DnsLookup> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs& pre) const;
};

// log(verdict=allow|drop|reject[, name="..."][, severity=...][, meter="..."]);
struct Log {
  static constexpr std::array<std::string_view, 1> kNames{"log"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  uint8_t verdict = 0;   // 0 allow, 1 drop, 2 reject
  uint8_t severity = 6;  // syslog level: 1 alert, 4 warning, 5 notice, 6 info, 7 debug
  std::optional<std::string> name;
  std::optional<std::string> meter;
  static Result<Log> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

// trigger_event(event = "empty_lb_backends", vip = "...", protocol = "...", load_balancer = "...");
struct TriggerEvent {
  static constexpr std::array<std::string_view, 1> kNames{"trigger_event"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::string event;
  std::vector<std::pair<std::string, std::string>> options;
  static Result<TriggerEvent> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

struct BindVport {  // bind_vport("V", P);
  static constexpr std::array<std::string_view, 1> kNames{"bind_vport"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::string vport;
  FieldRef parent;
  static Result<BindVport> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

// handle_svc_check(P); handle_dhcpv6_reply;
struct ControllerEvent {
  static constexpr std::array<std::string_view, 2> kNames{"handle_svc_check",
                                                          "handle_dhcpv6_reply"};
  static constexpr Syntax kSyntax = Syntax::kStatement;
  std::string_view name;
  std::optional<FieldRef> port;
  static Result<ControllerEvent> parse(ActionParser& p, const ParseCall& call);
  void format(std::string& out) const;
  Status encode(Encoder& e) const;
  void prerequisites(Prereqs&) const {}
};

}  // namespace act

// One action: a variant over every registered action type (the order is the registry's).
using ActionVariant =
    std::variant<act::Next, act::Output, act::Drop, act::Load, act::Move, act::Exchange,
                 act::DecTtl, act::OvnFieldLoad, act::Clone, act::SetQueue, act::SetMeter,
                 act::CheckPktLarger, act::Select, act::CtNext, act::CtCommit, act::CtNat,
                 act::CtLb, act::CtClear, act::CtCommitNat, act::CtSnatToVip, act::NestedPacket,
                 act::Igmp, act::PutMac, act::GetMac, act::LookupMac, act::GetFdb, act::PutFdb,
                 act::LookupFdb, act::FlagLookup, act::PutDhcpOpts, act::PutNdRaOpts,
                 act::DnsLookup, act::Log, act::TriggerEvent, act::BindVport,
                 act::ControllerEvent>;

struct Action : ActionVariant {
  using ActionVariant::ActionVariant;
  const ActionVariant& variant() const { return *this; }
};

}  // namespace ovnx::logical
