// Actions in ovs-actions(7) notation, spelled as ovs-ofctl prints them back.
#include <fmt/format.h>

#include "openflow/format.h"

namespace ovnx::openflow {
namespace {

std::string ip_for(Nat::Family family, U128 v) {
  return format_value(family == Nat::Family::kIpv4 ? Field::ip_src : Field::ipv6_src, v);
}

std::string nat(const Nat& a) {
  std::string s = "nat";
  if (a.kind == Nat::Kind::kNone) return s;
  s += a.kind == Nat::Kind::kSrc ? "(src" : "(dst";
  if (a.family != Nat::Family::kNone) {
    bool v6 = a.family == Nat::Family::kIpv6;
    auto addr = [&](U128 v) {
      std::string ip = ip_for(a.family, v);
      return v6 ? "[" + ip + "]" : ip;
    };
    s += "=" + addr(a.addr_min);
    if (!a.addr_max.is_zero() && a.addr_max != a.addr_min) s += "-" + addr(a.addr_max);
    if (a.port_min != 0) {
      s += fmt::format(":{}", a.port_min);
      if (a.port_max != 0 && a.port_max != a.port_min) s += fmt::format("-{}", a.port_max);
    }
  }
  if (a.persistent) s += ",persistent";
  if (a.hash) s += ",hash";
  if (a.random) s += ",random";
  return s + ")";
}

const char* reason_name(uint8_t reason) {
  switch (reason) {
    case 0: return "no_match";
    case 1: return "action";
    case 2: return "invalid_ttl";
    case 3: return "action_set";
    case 4: return "group";
    case 5: return "packet_out";
    default: return nullptr;
  }
}

struct Printer {
  std::string operator()(const Output& a) {
    if (a.port < kPortMax) return fmt::format("output:{}", a.port);
    if (a.port == kPortController) return fmt::format("CONTROLLER:{}", a.max_len);
    return format_port(a.port);
  }
  std::string operator()(const OutputReg& a) { return "output:" + format_subfield(a.src); }
  std::string operator()(const Resubmit& a) {
    if (a.table == kTableNone) return "resubmit:" + format_port(a.in_port);
    std::string port = a.in_port == kPortInPort ? "" : format_port(a.in_port);
    return fmt::format("resubmit({},{})", port, a.table);
  }
  std::string operator()(const SetField& a) {
    return fmt::format("set_field:{}->{}", format_masked(a.field, a.value, a.mask),
                       field_name(a.field));
  }
  std::string operator()(const Move& a) {
    return fmt::format("move:{}->{}", format_subfield(a.src), format_subfield(a.dst));
  }
  std::string operator()(const Conjunction& a) {
    return fmt::format("conjunction({},{}/{})", a.id, a.clause + 1, a.n_clauses);
  }
  std::string operator()(const Ct& a) {
    std::string s = "ct(";
    if (a.commit) s += "commit,";
    if (a.force) s += "force,";
    if (a.recirc_table != kTableNone) s += fmt::format("table={},", a.recirc_table);
    if (a.zone_src) {
      s += "zone=" + format_subfield(*a.zone_src) + ",";
    } else if (a.zone_imm != 0) {
      s += fmt::format("zone={},", a.zone_imm);
    }
    size_t i = 0;
    if (!a.actions.empty() && std::holds_alternative<Nat>(a.actions[0])) {
      s += nat(std::get<Nat>(a.actions[0])) + ",";
      i = 1;
    }
    if (i < a.actions.size()) {
      ActionList rest(a.actions.begin() + static_cast<ptrdiff_t>(i), a.actions.end());
      s += "exec(" + format_actions(rest) + "),";
    }
    if (a.alg == 21) s += "alg=ftp,";
    else if (a.alg == 69) s += "alg=tftp,";
    else if (a.alg != 0) s += fmt::format("alg={},", a.alg);
    if (s.back() == ',') s.pop_back();
    return s + ")";
  }
  std::string operator()(const Nat& a) { return nat(a); }
  std::string operator()(const CtClear&) { return "ct_clear"; }
  std::string operator()(const Controller& a) {
    if (a.reason == kPacketInReasonAction && a.controller_id == 0 && a.userdata.empty() &&
        !a.pause && !a.meter_id) {
      return fmt::format("CONTROLLER:{}", a.max_len);
    }
    std::string s = "controller(";
    if (a.reason != kPacketInReasonAction) {
      const char* name = reason_name(a.reason);
      s += name ? fmt::format("reason={},", name) : fmt::format("reason={},", a.reason);
    }
    if (a.max_len != kMaxLenNoBuffer) s += fmt::format("max_len={},", a.max_len);
    if (a.controller_id != 0) s += fmt::format("id={},", a.controller_id);
    if (!a.userdata.empty()) s += "userdata=" + format_hex_dots(a.userdata) + ",";
    if (a.pause) s += "pause,";
    if (a.meter_id) s += fmt::format("meter_id={},", *a.meter_id);
    s.pop_back();
    return s + ")";
  }
  std::string operator()(const Clone& a) { return "clone(" + format_actions(a.actions) + ")"; }
  std::string operator()(const DecTtl&) { return "dec_ttl"; }
  std::string operator()(const Group& a) { return fmt::format("group:{}", a.group_id); }
  std::string operator()(const Meter& a) { return fmt::format("meter:{}", a.meter_id); }
  std::string operator()(const Note& a) { return "note:" + format_hex_dots(a.data); }
  std::string operator()(const SetQueue& a) { return fmt::format("set_queue:{}", a.queue_id); }
  std::string operator()(const PushVlan& a) { return fmt::format("push_vlan:{:#x}", a.ethertype); }
  std::string operator()(const PopVlan&) { return "pop_vlan"; }
  std::string operator()(const StackPush& a) { return "push:" + format_subfield(a.src); }
  std::string operator()(const StackPop& a) { return "pop:" + format_subfield(a.dst); }
  std::string operator()(const CheckPktLarger& a) {
    return fmt::format("check_pkt_larger({})->{}", a.pkt_len, format_subfield(a.dst));
  }
};

}  // namespace

std::string format_action(const Action& action) { return std::visit(Printer{}, action.variant()); }

std::string format_actions(const ActionList& actions) {
  if (actions.empty()) return "drop";
  std::string s;
  for (const Action& a : actions) {
    if (!s.empty()) s += ',';
    s += format_action(a);
  }
  return s;
}

}  // namespace ovnx::openflow
