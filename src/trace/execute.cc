// What each logical action does to the traced packet (see tracer.h for the approximations).
#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

#include "logical/lexer.h"
#include "trace/packet_fields.h"
#include "trace/port_security.h"
#include "trace/walker.h"

namespace ovnx::trace {

using logical::FieldRef;
using logical::FlowState;
using logical::Pipeline;
using logical::U128;
namespace act = logical::act;

namespace {

U128 get(const FlowState& s, std::string_view name) {
  auto v = s.get(name);
  return v.ok() ? *v : U128();
}
void put(FlowState& s, std::string_view name, U128 v) { (void)s.set(name, v); }

bool writes_packet(const FieldRef& f) { return f.phys() && !is_metadata_field(*f.phys()); }

// How --minimal shows a value read from field `f`.
std::string format_value(const FieldRef& f, U128 v) {
  logical::IntFormat format = f.phys() ? f.phys()->format : logical::IntFormat::kDecimal;
  if (format == logical::IntFormat::kDecimal && f.phys() && is_metadata_field(*f.phys())) {
    format = logical::IntFormat::kHex;
  }
  return logical::format_integer(v, format);
}

// The text --minimal shows for an action about to run on `s`: the changes it makes to the
// packet's headers, with the values it copies (`eth.dst = eth.src` shows the address).
std::string minimal_text(const logical::Action& a, const std::string& text, const FlowState& s) {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        (void)x;
        if constexpr (std::is_same_v<T, act::Load>) {
          return writes_packet(x.dst) ? text : std::string();
        } else if constexpr (std::is_same_v<T, act::Move>) {
          if (!writes_packet(x.dst)) return {};
          return fmt::format("{} = {};", text.substr(0, text.find(" = ")),
                             format_value(x.src, get_ref(s, x.src)));
        } else if constexpr (std::is_same_v<T, act::Exchange>) {
          if (!writes_packet(x.a) && !writes_packet(x.b)) return {};
          size_t arrow = text.find(" <-> ");
          std::string a_text = text.substr(0, arrow);
          std::string b_text = text.substr(arrow + 5);
          if (!b_text.empty() && b_text.back() == ';') b_text.pop_back();
          return fmt::format("{} = {};\n{} = {};", a_text, format_value(x.b, get_ref(s, x.b)),
                             b_text, format_value(x.a, get_ref(s, x.a)));
        } else if constexpr (std::is_same_v<T, act::DecTtl>) {
          return text;
        } else {
          return {};
        }
      },
      a.variant());
}

// Sets up the packet the controller builds for arp { }, icmp4 { }, ...; the nested actions
// then fill in the rest.
void build_packet(std::string_view name, FlowState& s) {
  if (name == "arp") {
    U128 src = get(s, "ip4.src"), dst = get(s, "ip4.dst"), mac = get(s, "eth.src");
    put(s, "eth.type", 0x806);
    put(s, "eth.dst", U128(0xffffffffffffULL));
    put(s, "arp.op", 1);
    put(s, "arp.sha", mac);
    put(s, "arp.tha", 0);
    put(s, "arp.spa", src);
    put(s, "arp.tpa", dst);
  } else if (name == "nd_ns") {
    put(s, "ip.proto", 58);
    put(s, "icmp6.type", 135);
    put(s, "icmp6.code", 0);
  } else if (name == "nd_na" || name == "nd_na_router") {
    put(s, "ip.proto", 58);
    put(s, "icmp6.type", 136);
    put(s, "icmp6.code", 0);
  } else if (name == "icmp4" || name == "icmp4_error" ||
             (name == "reject" && get(s, "eth.type").lo == 0x800)) {
    put(s, "ip.proto", 1);
    put(s, "icmp4.type", 3);
    put(s, "icmp4.code", name == "reject" ? 3 : 1);
  } else if (name == "icmp6" || name == "icmp6_error" || name == "reject") {
    put(s, "ip.proto", 58);
    put(s, "icmp6.type", 1);
    put(s, "icmp6.code", name == "reject" ? 4 : 0);
  }
}

std::string ip_text(const FlowState& s, const FieldRef& ip) {
  U128 v = get_ref(s, ip);
  return logical::format_integer(
      v, ip.n_bits == 32 ? logical::IntFormat::kIPv4 : logical::IntFormat::kIPv6);
}

std::string mac_text(U128 v) { return logical::format_integer(v, logical::IntFormat::kEthernet); }

}  // namespace

bool Walker::execute(const logical::ActionList& actions, const Place& at, FlowState& state,
                     Node& parent) {
  const Snapshot& snap = t_.snapshot_;
  const DatapathResolver& resolver = t_.resolver(at.dp);
  auto port_name_of = [&](const FieldRef& f) -> std::string {
    auto name = resolver.port_name(uint32_t(get_ref(state, f).lo));
    return name ? *name : std::string();
  };
  // ct_next and the NAT actions: the connection tracker, then the next table.
  // ct_next shows the flags it reports, the others only whether they were defaulted.
  auto conntrack = [&](Node& node, std::string what, uint32_t extra_bits) {
    std::string note;
    uint32_t bits = next_ct_state(&note) | extra_bits;
    // ct_next reports just these flags; the NAT and load balancing passes add them to those
    // of an earlier pass, as ovn-trace reports them.
    U128 before = what == "ct_next" ? U128() : get(state, "ct_state");
    put(state, "ct_state", before | U128(bits));
    std::string heading = what == "ct_next"
                              ? fmt::format("{}(ct_state={}{})", what, format_ct_flags(bits), note)
                              : what + note;
    Node& tr = node.add(NodeType::kTransform, heading);
    run_table(Place{at.dp, at.pipeline, at.table + 1}, state, tr);
  };

  for (const logical::Action& action : actions) {
    std::string text = logical::format_actions(logical::ActionList{action});
    Node& node = parent.add(NodeType::kAction, text, minimal_text(action, text, state));
    bool go_on = std::visit(
        [&](const auto& a) -> bool {
          using T = std::decay_t<decltype(a)>;
          (void)a;
          if constexpr (std::is_same_v<T, act::Next>) {
            Place to{at.dp, a.pipeline.value_or(at.pipeline), a.table.value_or(at.table + 1)};
            if (to.pipeline != at.pipeline && !a.table) to.table = 0;
            run_table(to, state, node);
          } else if constexpr (std::is_same_v<T, act::Output>) {
            output(at, state, node);
          } else if constexpr (std::is_same_v<T, act::Drop>) {
            return false;
          } else if constexpr (std::is_same_v<T, act::Load>) {
            if (a.dst.symbol->is_string) {
              auto key = resolver.resolve_port(a.value.string);
              set_ref(state, a.dst, U128(key.value_or(0)));
            } else {
              U128 old = get_ref(state, a.dst);
              U128 mask = a.value.masked ? a.value.mask : U128::low_bits(a.dst.n_bits);
              set_ref(state, a.dst, (old & ~mask) | (a.value.value & mask));
            }
          } else if constexpr (std::is_same_v<T, act::Move>) {
            set_ref(state, a.dst, get_ref(state, a.src));
          } else if constexpr (std::is_same_v<T, act::Exchange>) {
            U128 va = get_ref(state, a.a), vb = get_ref(state, a.b);
            set_ref(state, a.a, vb);
            set_ref(state, a.b, va);
          } else if constexpr (std::is_same_v<T, act::DecTtl>) {
            uint64_t ttl = get(state, "ip.ttl").lo;
            if (ttl <= 1) {
              node.add(NodeType::kComment, "/* TTL expired: the packet is dropped */");
              return false;
            }
            put(state, "ip.ttl", ttl - 1);
          } else if constexpr (std::is_same_v<T, act::Clone>) {
            FlowState copy = state;
            execute(a.actions, at, copy, node);
          } else if constexpr (std::is_same_v<T, act::CheckPktLarger>) {
            set_ref(state, a.dst, 0);
            node.add(NodeType::kComment, "/* assuming the packet is not larger */");
          } else if constexpr (std::is_same_v<T, act::Select>) {
            uint16_t pick = a.choices.empty() ? 0 : a.choices.front().value;
            for (const auto& c : a.choices) {
              if (options_.select_id && c.value == *options_.select_id) pick = c.value;
            }
            set_ref(state, a.dst, pick);
            node.add(NodeType::kComment, fmt::format("/* selected {} */", pick));
          } else if constexpr (std::is_same_v<T, act::CtNext>) {
            conntrack(node, "ct_next", 0);
          } else if constexpr (std::is_same_v<T, act::CtNat>) {
            uint32_t extra = 0;
            if (a.ip) {
              extra = a.snat ? (1u << 6) : (1u << 7);
              bool v4 = a.ip->format == logical::IntFormat::kIPv4;
              std::string field = fmt::format("ip{}.{}", v4 ? 4 : 6, a.snat ? "src" : "dst");
              put(state, field, a.ip->value);
            }
            conntrack(node, a.snat ? "ct_snat" : "ct_dnat", extra);
          } else if constexpr (std::is_same_v<T, act::CtLb>) {
            uint32_t extra = 0;
            if (!a.backends.empty()) {
              const auto& b = a.backends.front();
              bool v4 = b.ip.format == logical::IntFormat::kIPv4;
              put(state, v4 ? "ip4.dst" : "ip6.dst", b.ip.value);
              if (b.port) {
                uint64_t proto = get(state, "ip.proto").lo;
                if (proto == 6) put(state, "tcp.dst", b.port);
                if (proto == 17) put(state, "udp.dst", b.port);
                if (proto == 132) put(state, "sctp.dst", b.port);
              }
              extra = 1u << 7;
            }
            conntrack(node, a.mark ? "ct_lb_mark" : "ct_lb", extra);
          } else if constexpr (std::is_same_v<T, act::CtCommitNat> ||
                               std::is_same_v<T, act::CtSnatToVip>) {
            conntrack(node,
                      std::is_same_v<T, act::CtCommitNat> ? "ct_commit_nat" : "ct_snat_to_vip", 0);
          } else if constexpr (std::is_same_v<T, act::CtClear>) {
            put(state, "ct_state", 0);
          } else if constexpr (std::is_same_v<T, act::NestedPacket>) {
            FlowState copy = state;
            build_packet(a.name, copy);
            Node& tr = node.add(NodeType::kTransform, std::string(a.name));
            execute(a.actions, at, copy, tr);
          } else if constexpr (std::is_same_v<T, act::GetMac>) {
            std::string port = port_name_of(a.port), ip = ip_text(state, a.ip);
            const MacBinding* b = snap.find_mac_binding(port, ip);
            U128 mac = b ? parse_mac(b->mac).value_or(U128()) : U128();
            put(state, "eth.dst", mac);
            node.minimal = fmt::format("eth.dst = {};", mac_text(mac));
            node.add(NodeType::kComment, b ? fmt::format("/* MAC binding to {} */", b->mac)
                                           : std::string("/* No MAC binding. */"));
          } else if constexpr (std::is_same_v<T, act::LookupMac>) {
            std::string port = port_name_of(a.port), ip = ip_text(state, a.ip);
            const MacBinding* b = snap.find_mac_binding(port, ip);
            bool hit = b && (a.ip_only || !a.mac || b->mac == mac_text(get_ref(state, *a.mac)));
            set_ref(state, a.dst, hit ? 1 : 0);
            node.add(NodeType::kComment, hit ? "/* MAC binding found */" : "/* No MAC binding. */");
          } else if constexpr (std::is_same_v<T, act::FlagLookup>) {
            bool bit = false;
            if (a.name == "check_in_port_sec" || a.name == "check_out_port_sec") {
              bool in = a.name == "check_in_port_sec";
              const Port* port =
                  snap.port_by_key(at.dp, uint32_t(get(state, in ? "inport" : "outport").lo));
              bit = port && violates_port_security(*port, state, in);
            }
            set_ref(state, a.dst, bit ? 1 : 0);
            if (a.name.starts_with("chk_lb_hairpin")) {  // shown as the load it amounts to
              node.minimal = fmt::format("{} = {};", text.substr(0, text.find(" = ")), int(bit));
            }
          } else if constexpr (std::is_same_v<T, act::GetFdb> ||
                               std::is_same_v<T, act::LookupFdb>) {
            set_ref(state, a.dst, 0);  // the tracer knows no FDB entries
          } else if constexpr (std::is_same_v<T, act::PutDhcpOpts>) {
            set_ref(state, a.dst, 1);
            std::string note =
                "/* assuming a DHCP DISCOVER or REQUEST, which the controller answers */";
            node.add(NodeType::kEffect, note);
            node.minimal = note + ";\n" + text.substr(text.find(" = ") + 3);
          } else if constexpr (std::is_same_v<T, act::PutNdRaOpts>) {
            set_ref(state, a.dst, 1);
          } else if constexpr (std::is_same_v<T, act::DnsLookup>) {
            set_ref(state, a.dst, 0);
            node.add(NodeType::kComment, "/* the tracer does not answer DNS queries */");
          } else if constexpr (std::is_same_v<T, act::PutMac> || std::is_same_v<T, act::PutFdb>) {
            node.add(NodeType::kComment, "/* the controller would record this binding */");
          }
          return true;
        },
        action.variant());
    if (!go_on) return false;
  }
  return true;
}

}  // namespace ovnx::trace
