// Actions ovn-controller carries out itself on a packet-in: DHCP and DHCPv6 replies, router
// advertisements, DNS, logging, events, virtual port binding, service monitor replies.
// The user data they carry is specified in controller_ops.h.
#include <fmt/format.h>

#include "logical/action_parser.h"
#include "logical/action_registry.h"
#include "logical/encoder.h"
#include "packets/dhcp_options.h"

namespace ovnx::logical::act {
namespace {

void put_be16(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(uint8_t(v >> 8));
  out.push_back(uint8_t(v));
}
void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  put_be16(out, v >> 16);
  put_be16(out, v);
}
void put_u128(std::vector<uint8_t>& out, U128 v, int bytes) {
  for (int i = bytes - 1; i >= 0; i--) out.push_back(uint8_t(v.extract(8 * i, 8).lo));
}

// The result field header and bit of a paused action.
std::vector<uint8_t> result_header(const FieldRef& dst) {
  std::vector<uint8_t> out;
  openflow::Subfield sf = Encoder::subfield(dst);
  put_be32(out, Encoder::oxm_header(sf.field));
  put_be32(out, sf.ofs);
  return out;
}

// `name = value` pairs of put_dhcp_opts() and friends. The value is kept as written.
struct NamedValue {
  std::string name;
  size_t name_pos = 0;
  std::string text;
  size_t value_pos = 0;
  ConstantSet set;
  bool is_set = false;
};

Result<std::vector<NamedValue>> parse_named_values(ActionParser& p) {
  std::vector<NamedValue> out;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  if (p.lexer().match(TokenType::kRParen)) return out;
  do {
    NamedValue nv;
    if (p.tok().type != TokenType::kId) return p.expecting("option name");
    nv.name = p.tok().text;
    nv.name_pos = p.tok().pos;
    p.lexer().advance();
    OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
    nv.value_pos = p.tok().pos;
    OVNX_ASSIGN_OR_RETURN(nv.set, p.parse_constant_set(&nv.is_set));
    nv.text = p.slice(nv.value_pos, p.tok().pos);
    while (!nv.text.empty() && (nv.text.back() == ' ' || nv.text.back() == '\t')) nv.text.pop_back();
    out.push_back(std::move(nv));
  } while (p.lexer().match(TokenType::kComma));
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return out;
}

}  // namespace

// --- put_dhcp_opts / put_dhcpv6_opts -------------------------------------------------------------

Result<PutDhcpOpts> PutDhcpOpts::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  PutDhcpOpts d;
  d.v6 = call.name == "put_dhcpv6_opts";
  d.dst = *call.dst;
  OVNX_ASSIGN_OR_RETURN(std::vector<NamedValue> values, parse_named_values(p));
  bool offer = false;
  for (NamedValue& nv : values) {
    const packets::DhcpOptionDef* def =
        d.v6 ? packets::find_dhcp6_option(nv.name) : packets::find_dhcp4_option(nv.name);
    if (!def) {
      return p.error_at(nv.name_pos, fmt::format("unknown {} option `{}`",
                                                 d.v6 ? "DHCPv6" : "DHCPv4", nv.name));
    }
    auto wire = packets::encode_dhcp_option_value(*def, nv.text);
    if (!wire.ok()) {
      return p.error_at(nv.value_pos, fmt::format("bad value for {}: {}", nv.name,
                                                  wire.error().details));
    }
    size_t max = d.v6 ? 0xffff : 0xff;
    if (wire->size() > max) {
      return p.error_at(nv.value_pos, fmt::format("value of {} is {} bytes, more than {}",
                                                  nv.name, wire->size(), max));
    }
    offer |= nv.name == "offerip";
    d.options.push_back(Option{nv.name, nv.text, def->code, std::move(wire).value()});
  }
  if (!d.v6 && !offer) return p.error_at(call.pos, "put_dhcp_opts() requires offerip");
  return d;
}

void PutDhcpOpts::format(std::string& out) const {
  out += format_field_ref(dst) + " = " + (v6 ? "put_dhcpv6_opts(" : "put_dhcp_opts(");
  for (size_t i = 0; i < options.size(); i++) {
    if (i) out += ", ";
    out += options[i].name + " = " + options[i].value;
  }
  out += ");";
}

Status PutDhcpOpts::encode(Encoder& e) const {
  std::vector<uint8_t> payload = result_header(dst);
  // DHCPv4: the offered address comes first, bare (it is not an option on the wire).
  if (!v6) {
    for (const Option& o : options) {
      if (o.code == 0) payload.insert(payload.end(), o.wire.begin(), o.wire.end());
    }
  }
  for (const Option& o : options) {
    if (!v6 && o.code == 0) continue;
    if (v6) {
      put_be16(payload, o.code);
      put_be16(payload, uint32_t(o.wire.size()));
    } else {
      payload.push_back(uint8_t(o.code));
      payload.push_back(uint8_t(o.wire.size()));
    }
    payload.insert(payload.end(), o.wire.begin(), o.wire.end());
  }
  e.controller(v6 ? ControllerOp::kPutDhcpv6Opts : ControllerOp::kPutDhcpOpts, payload, true);
  return ok_status();
}

void PutDhcpOpts::prerequisites(Prereqs& pre) const { pre.add(v6 ? "ip6" : "ip4"); }

// --- put_nd_ra_opts ------------------------------------------------------------------------------

namespace {

std::string_view nd_ra_kind(std::string_view name) {
  for (std::string_view n : {"addr_mode", "slla", "mtu", "prefix", "router_preference", "rdnss"}) {
    if (n == name) return n;
  }
  return {};
}

}  // namespace

Result<PutNdRaOpts> PutNdRaOpts::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  PutNdRaOpts r;
  r.dst = *call.dst;
  OVNX_ASSIGN_OR_RETURN(std::vector<NamedValue> values, parse_named_values(p));
  bool mode = false, slla = false;
  for (NamedValue& nv : values) {
    std::string_view kind = nd_ra_kind(nv.name);
    if (kind.empty()) {
      return p.error_at(nv.name_pos, fmt::format("unknown router advertisement option `{}`", nv.name));
    }
    if (nv.is_set || nv.set.values.size() != 1) {
      return p.error_at(nv.value_pos, fmt::format("{} takes a single value", nv.name));
    }
    const Constant& c = nv.set.values[0];
    bool ok = true;
    if (kind == "addr_mode") {
      ok = c.is_string && (c.string == "slaac" || c.string == "dhcpv6_stateful" ||
                           c.string == "dhcpv6_stateless");
      mode = true;
    } else if (kind == "router_preference") {
      ok = c.is_string && (c.string == "HIGH" || c.string == "MEDIUM" || c.string == "LOW");
    } else if (kind == "slla") {
      ok = !c.is_string && c.format == IntFormat::kEthernet;
      slla = true;
    } else if (kind == "mtu") {
      ok = !c.is_string && !c.masked && c.value <= U128(0xffffffffu) && c.value >= U128(1280u);
    } else if (kind == "prefix") {
      ok = !c.is_string && c.format == IntFormat::kIPv6 && c.masked && c.mask.is_prefix_mask(128);
    } else if (kind == "rdnss") {
      ok = !c.is_string && c.format == IntFormat::kIPv6 && !c.masked;
    }
    if (!ok) return p.error_at(nv.value_pos, fmt::format("bad value for {}", nv.name));
    r.options.push_back(Option{nv.name, c});
  }
  if (!mode || !slla) return p.error_at(call.pos, "put_nd_ra_opts() requires addr_mode and slla");
  return r;
}

void PutNdRaOpts::format(std::string& out) const {
  out += format_field_ref(dst) + " = put_nd_ra_opts(";
  for (size_t i = 0; i < options.size(); i++) {
    if (i) out += ", ";
    out += options[i].name + " = " + options[i].value.to_string(128);
  }
  out += ");";
}

// The Router Advertisement body itself (RFC 4861 4.2 and 4.6), ready for the controller.
Status PutNdRaOpts::encode(Encoder& e) const {
  std::string mode;
  uint8_t flags = 0;
  for (const Option& o : options) {
    if (o.name == "addr_mode") mode = o.value.string;
    if (o.name == "router_preference") {
      flags |= o.value.string == "HIGH" ? 0x08 : o.value.string == "LOW" ? 0x18 : 0;
    }
  }
  if (mode == "dhcpv6_stateful") flags |= 0x80;        // M: addresses from DHCPv6
  else if (mode == "dhcpv6_stateless") flags |= 0x40;  // O: other configuration from DHCPv6
  std::vector<uint8_t> ra = {134, 0, 0, 0, 255, flags, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0};
  std::vector<U128> rdnss;
  for (const Option& o : options) {
    if (o.name == "slla") {
      ra.insert(ra.end(), {1, 1});
      put_u128(ra, o.value.value, 6);
    } else if (o.name == "mtu") {
      ra.insert(ra.end(), {5, 1, 0, 0});
      put_be32(ra, uint32_t(o.value.value.lo));
    } else if (o.name == "prefix") {
      // On-link, and autonomous unless addresses come from stateful DHCPv6.
      uint8_t pflags = mode == "dhcpv6_stateful" ? 0x80 : 0xc0;
      ra.insert(ra.end(), {3, 4, uint8_t(o.value.mask.popcount()), pflags});
      put_be32(ra, 0xffffffff);
      put_be32(ra, 0xffffffff);
      put_be32(ra, 0);
      put_u128(ra, o.value.value, 16);
    } else if (o.name == "rdnss") {
      rdnss.push_back(o.value.value);
    }
  }
  if (!rdnss.empty()) {
    ra.insert(ra.end(), {25, uint8_t(1 + 2 * rdnss.size()), 0, 0});
    put_be32(ra, 0xffffffff);
    for (U128 a : rdnss) put_u128(ra, a, 16);
  }
  std::vector<uint8_t> payload = result_header(dst);
  payload.insert(payload.end(), ra.begin(), ra.end());
  e.controller(ControllerOp::kPutNdRaOpts, payload, true);
  return ok_status();
}

void PutNdRaOpts::prerequisites(Prereqs& pre) const { pre.add("ip6"); }

// --- dns_lookup ---------------------------------------------------------------------------------

Result<DnsLookup> DnsLookup::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  DnsLookup d;
  d.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.parse_empty_args());
  return d;
}

void DnsLookup::format(std::string& out) const {
  out += format_field_ref(dst) + " = dns_lookup();";
}

Status DnsLookup::encode(Encoder& e) const {
  e.controller(ControllerOp::kDnsLookup, result_header(dst), true);
  return ok_status();
}

void DnsLookup::prerequisites(Prereqs& pre) const { pre.add("udp"); }

// --- log ----------------------------------------------------------------------------------------

namespace {

constexpr std::pair<std::string_view, uint8_t> kVerdicts[] = {
    {"allow", 0}, {"drop", 1}, {"reject", 2}};
constexpr std::pair<std::string_view, uint8_t> kSeverities[] = {
    {"alert", 1}, {"warning", 4}, {"notice", 5}, {"info", 6}, {"debug", 7}};

template <size_t N>
std::string_view name_of(const std::pair<std::string_view, uint8_t> (&table)[N], uint8_t v) {
  for (const auto& [n, x] : table) {
    if (x == v) return n;
  }
  return "?";
}

}  // namespace

Result<Log> Log::parse(ActionParser& p, const ParseCall& call) {
  Log l;
  bool verdict = false;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  while (p.tok().type != TokenType::kRParen) {
    if (p.tok().type != TokenType::kId) return p.expecting("`name`, `severity`, `verdict` or `meter`");
    std::string key(p.tok().text);
    p.lexer().advance();
    OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
    auto one_of = [&](const auto& table, uint8_t& out) -> Status {
      if (p.tok().type == TokenType::kId) {
        for (const auto& [n, v] : table) {
          if (p.tok().text == n) {
            out = v;
            p.lexer().advance();
            return ok_status();
          }
        }
      }
      return p.error_here(fmt::format("bad {} {}", key, describe_token(p.tok(), p.text())));
    };
    if (key == "verdict") {
      OVNX_RETURN_IF_ERROR(one_of(kVerdicts, l.verdict));
      verdict = true;
    } else if (key == "severity") {
      OVNX_RETURN_IF_ERROR(one_of(kSeverities, l.severity));
    } else if (key == "name" || key == "meter") {
      if (p.tok().type != TokenType::kString) return p.expecting("quoted string");
      if (key == "name" && p.tok().text.size() > 64) return p.error_here("log name is longer than 64 bytes");
      (key == "name" ? l.name : l.meter) = p.tok().text;
      p.lexer().advance();
    } else {
      return p.error_at(p.tok().pos, fmt::format("unknown log argument `{}`", key));
    }
    if (!p.lexer().match(TokenType::kComma)) break;
  }
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  if (!verdict) return p.error_at(call.pos, "log() requires verdict=allow|drop|reject");
  return l;
}

void Log::format(std::string& out) const {
  out += "log(";
  if (name) out += "name=" + quote_string(*name) + ", ";
  out += fmt::format("severity={}, verdict={}", name_of(kSeverities, severity),
                     name_of(kVerdicts, verdict));
  if (meter) out += ", meter=" + quote_string(*meter);
  out += ");";
}

Status Log::encode(Encoder& e) const {
  std::vector<uint8_t> payload = {verdict, severity};
  if (name) payload.insert(payload.end(), name->begin(), name->end());
  EncodeParams p = e.params();
  if (meter && e.params().meters) p.controller_meter = e.params().meters->named_meter(*meter);
  Encoder with_meter(p, e.out());
  with_meter.controller(ControllerOp::kLog, payload, false);
  return ok_status();
}

// --- trigger_event ------------------------------------------------------------------------------

namespace {

constexpr std::pair<std::string_view, uint16_t> kLbEventOptions[] = {
    {"vip", 1}, {"protocol", 2}, {"load_balancer", 3}};

}  // namespace

Result<TriggerEvent> TriggerEvent::parse(ActionParser& p, const ParseCall& call) {
  TriggerEvent t;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  do {
    if (p.tok().type != TokenType::kId) return p.expecting("event option name");
    std::string key(p.tok().text);
    size_t kpos = p.tok().pos;
    p.lexer().advance();
    OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
    if (p.tok().type != TokenType::kString) return p.expecting("quoted string");
    std::string value(p.tok().text);
    p.lexer().advance();
    if (key == "event") {
      if (value != "empty_lb_backends") {
        return p.error_at(kpos, fmt::format("unknown event `{}`", value));
      }
      t.event = value;
      continue;
    }
    bool known = false;
    for (const auto& [n, c] : kLbEventOptions) known |= n == key;
    if (!known) return p.error_at(kpos, fmt::format("unknown option `{}` of event", key));
    t.options.emplace_back(key, value);
  } while (p.lexer().match(TokenType::kComma));
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  if (t.event.empty()) return p.error_at(call.pos, "trigger_event() requires event=...");
  for (const auto& [n, c] : kLbEventOptions) {
    bool found = false;
    for (const auto& o : t.options) found |= o.first == n;
    if (!found) return p.error_at(call.pos, fmt::format("empty_lb_backends event requires {}", n));
  }
  return t;
}

void TriggerEvent::format(std::string& out) const {
  out += "trigger_event(event = " + quote_string(event);
  for (const auto& [k, v] : options) out += ", " + k + " = " + quote_string(v);
  out += ");";
}

Status TriggerEvent::encode(Encoder& e) const {
  std::vector<uint8_t> payload;
  put_be32(payload, 0);  // empty_lb_backends
  for (const auto& [k, v] : options) {
    uint16_t code = 0;
    for (const auto& [n, c] : kLbEventOptions) {
      if (n == k) code = c;
    }
    put_be16(payload, code);
    put_be16(payload, uint32_t(v.size()));
    payload.insert(payload.end(), v.begin(), v.end());
  }
  e.controller(ControllerOp::kEvent, payload, false);
  return ok_status();
}

// --- bind_vport, handle_svc_check, handle_dhcpv6_reply -------------------------------------------

Result<BindVport> BindVport::parse(ActionParser& p, const ParseCall&) {
  BindVport b;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  if (p.tok().type != TokenType::kString) return p.expecting("quoted virtual port name");
  b.vport = p.tok().text;
  p.lexer().advance();
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kComma, "`,`"));
  OVNX_ASSIGN_OR_RETURN(b.parent, p.parse_arg_field("parent port", 0));
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return b;
}

void BindVport::format(std::string& out) const {
  out += fmt::format("bind_vport({}, {});", quote_string(vport), format_field_ref(parent));
}

Status BindVport::encode(Encoder& e) const {
  // A virtual port unknown here cannot be bound from this chassis: nothing to do.
  if (!e.params().resolver) return ok_status();
  auto key = e.params().resolver->port_key(vport);
  if (!key) return ok_status();
  std::vector<uint8_t> payload;
  put_be32(payload, *key);
  auto saved = e.setup_args({{Encoder::subfield(parent), Encoder::reg(ovn::kRegLogInport)}});
  e.controller(ControllerOp::kBindVport, payload, false);
  e.restore_args(saved);
  return ok_status();
}

Result<ControllerEvent> ControllerEvent::parse(ActionParser& p, const ParseCall& call) {
  ControllerEvent c;
  c.name = call.name == "handle_svc_check" ? "handle_svc_check" : "handle_dhcpv6_reply";
  if (c.name == "handle_svc_check") {
    OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
    OVNX_ASSIGN_OR_RETURN(c.port, p.parse_arg_field("logical port", 0));
    OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  }
  return c;
}

void ControllerEvent::format(std::string& out) const {
  out += name;
  if (port) out += "(" + format_field_ref(*port) + ")";
  out += ';';
}

Status ControllerEvent::encode(Encoder& e) const {
  if (!port) {
    e.controller(ControllerOp::kHandleDhcpv6Reply, {}, false);
    return ok_status();
  }
  auto saved = e.setup_args({{Encoder::subfield(*port), Encoder::reg(ovn::kRegLogInport)}});
  e.controller(ControllerOp::kHandleSvcCheck, {}, false);
  e.restore_args(saved);
  return ok_status();
}

}  // namespace ovnx::logical::act
