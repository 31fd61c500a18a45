// MAC bindings, FDB and the flag-returning table lookups. Arguments travel in fixed registers
// (ovn-architecture(7)): logical port in reg14 (reg15 for lookups by outport), IPv4 in reg0,
// IPv6 in xxreg0, MAC in eth_src; the registers are saved on the stack around the lookup so the
// logical flow never sees them change.
#include <fmt/format.h>

#include "logical/action_parser.h"
#include "logical/action_registry.h"
#include "logical/encoder.h"

namespace ovnx::logical::act {
namespace {

using openflow::Field;
using openflow::Subfield;

Subfield ip_reg(bool nd) {
  return nd ? Subfield::whole(Field::xxreg0) : Subfield::whole(Field::reg0);
}
Subfield port_reg(int reg) { return Encoder::reg(reg); }
Subfield eth(Field f) { return Subfield::whole(f); }

// dst := flag bit of reg10 after resubmitting to `table` (with the bit cleared first).
void flag_lookup(Encoder& e, uint8_t table, int bit, const FieldRef& dst) {
  e.add(openflow::SetField{openflow::reg(ovn::kRegLogFlags), openflow::U128(0),
                           openflow::U128(uint64_t(1) << bit)});
  e.resubmit(table);
  e.add(openflow::Move{Subfield{openflow::reg(ovn::kRegLogFlags), uint16_t(bit), 1},
                       Encoder::subfield(dst)});
}

Status open_args(ActionParser& p) { return p.expect(TokenType::kLParen, "`(`"); }
Status next_arg(ActionParser& p) { return p.expect(TokenType::kComma, "`,`"); }
Status close_args(ActionParser& p) { return p.expect(TokenType::kRParen, "`)`"); }

}  // namespace

// --- put_arp / put_nd ---------------------------------------------------------------------------

Result<PutMac> PutMac::parse(ActionParser& p, const ParseCall& call) {
  PutMac m;
  m.nd = call.name == "put_nd";
  OVNX_RETURN_IF_ERROR(open_args(p));
  OVNX_ASSIGN_OR_RETURN(m.port, p.parse_arg_field("logical port", 0));
  OVNX_RETURN_IF_ERROR(next_arg(p));
  OVNX_ASSIGN_OR_RETURN(m.ip, p.parse_arg_field("IP address", m.nd ? 128 : 32));
  OVNX_RETURN_IF_ERROR(next_arg(p));
  OVNX_ASSIGN_OR_RETURN(m.mac, p.parse_arg_field("MAC address", 48));
  OVNX_RETURN_IF_ERROR(close_args(p));
  return m;
}

void PutMac::format(std::string& out) const {
  out += fmt::format("{}({}, {}, {});", nd ? "put_nd" : "put_arp", format_field_ref(port),
                     format_field_ref(ip), format_field_ref(mac));
}

Status PutMac::encode(Encoder& e) const {
  auto saved = e.setup_args({{Encoder::subfield(port), port_reg(ovn::kRegLogInport)},
                             {Encoder::subfield(ip), ip_reg(nd)},
                             {Encoder::subfield(mac), eth(Field::eth_src)}});
  e.controller(nd ? ControllerOp::kPutNd : ControllerOp::kPutArp, {}, false);
  e.restore_args(saved);
  return ok_status();
}

void PutMac::prerequisites(Prereqs& pre) const {
  pre.add_field(port);
  pre.add_field(ip);
  pre.add_field(mac);
}

// --- get_arp / get_nd ---------------------------------------------------------------------------

Result<GetMac> GetMac::parse(ActionParser& p, const ParseCall& call) {
  GetMac m;
  m.nd = call.name == "get_nd";
  OVNX_RETURN_IF_ERROR(open_args(p));
  OVNX_ASSIGN_OR_RETURN(m.port, p.parse_arg_field("logical port", 0));
  OVNX_RETURN_IF_ERROR(next_arg(p));
  OVNX_ASSIGN_OR_RETURN(m.ip, p.parse_arg_field("IP address", m.nd ? 128 : 32));
  OVNX_RETURN_IF_ERROR(close_args(p));
  return m;
}

void GetMac::format(std::string& out) const {
  out += fmt::format("{}({}, {});", nd ? "get_nd" : "get_arp", format_field_ref(port),
                     format_field_ref(ip));
}

// eth.dst := the bound MAC, or 00:00:00:00:00:00 when the MAC_Binding table has none.
Status GetMac::encode(Encoder& e) const {
  auto saved = e.setup_args({{Encoder::subfield(port), port_reg(ovn::kRegLogOutport)},
                             {Encoder::subfield(ip), ip_reg(nd)}});
  e.add(openflow::SetField::exact(Field::eth_dst, openflow::U128(0)));
  e.resubmit(ovn::kTableMacBinding);
  e.restore_args(saved);
  return ok_status();
}

void GetMac::prerequisites(Prereqs& pre) const {
  pre.add_field(port);
  pre.add_field(ip);
}

// --- lookup_arp / lookup_nd / lookup_arp_ip / lookup_nd_ip -------------------------------------

Result<LookupMac> LookupMac::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  LookupMac l;
  l.dst = *call.dst;
  l.nd = call.name.starts_with("lookup_nd");
  l.ip_only = call.name.ends_with("_ip");
  OVNX_RETURN_IF_ERROR(open_args(p));
  OVNX_ASSIGN_OR_RETURN(l.port, p.parse_arg_field("logical port", 0));
  OVNX_RETURN_IF_ERROR(next_arg(p));
  OVNX_ASSIGN_OR_RETURN(l.ip, p.parse_arg_field("IP address", l.nd ? 128 : 32));
  if (!l.ip_only) {
    OVNX_RETURN_IF_ERROR(next_arg(p));
    OVNX_ASSIGN_OR_RETURN(l.mac, p.parse_arg_field("MAC address", 48));
  }
  OVNX_RETURN_IF_ERROR(close_args(p));
  return l;
}

void LookupMac::format(std::string& out) const {
  out += fmt::format("{} = lookup_{}{}({}, {}", format_field_ref(dst), nd ? "nd" : "arp",
                     ip_only ? "_ip" : "", format_field_ref(port), format_field_ref(ip));
  if (mac) out += ", " + format_field_ref(*mac);
  out += ");";
}

Status LookupMac::encode(Encoder& e) const {
  if (ip_only) {
    // Any binding for the IP: a MAC_Binding table (66) lookup that only reports success.
    auto saved = e.setup_args({{Encoder::subfield(port), port_reg(ovn::kRegLogOutport)},
                               {Encoder::subfield(ip), ip_reg(nd)}});
    e.add(openflow::StackPush{eth(Field::eth_dst)});
    flag_lookup(e, ovn::kTableMacBinding, ovn::kFlagLookupMacBit, dst);
    e.add(openflow::StackPop{eth(Field::eth_dst)});
    e.restore_args(saved);
    return ok_status();
  }
  auto saved = e.setup_args({{Encoder::subfield(port), port_reg(ovn::kRegLogInport)},
                             {Encoder::subfield(ip), ip_reg(nd)},
                             {Encoder::subfield(*mac), eth(Field::eth_src)}});
  flag_lookup(e, ovn::kTableMacLookup, ovn::kFlagLookupMacBit, dst);
  e.restore_args(saved);
  return ok_status();
}

void LookupMac::prerequisites(Prereqs& pre) const {
  pre.add_field(port);
  pre.add_field(ip);
  if (mac) pre.add_field(*mac);
}

// --- get_fdb / put_fdb / lookup_fdb -------------------------------------------------------------

Result<GetFdb> GetFdb::parse(ActionParser& p, const ParseCall& call) {
  GetFdb g;
  g.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.check_writable(g.dst, call.pos));
  if (!g.dst.symbol->is_string && g.dst.n_bits != 32) {
    return p.error_at(call.pos, "get_fdb() stores a port: write `outport = get_fdb(...)`");
  }
  OVNX_RETURN_IF_ERROR(open_args(p));
  OVNX_ASSIGN_OR_RETURN(g.mac, p.parse_arg_field("MAC address", 48));
  OVNX_RETURN_IF_ERROR(close_args(p));
  return g;
}

void GetFdb::format(std::string& out) const {
  out += fmt::format("{} = get_fdb({});", format_field_ref(dst), format_field_ref(mac));
}

// The FDB table (71) sets outport; other destinations get a copy of it.
Status GetFdb::encode(Encoder& e) const {
  auto saved = e.setup_args({{Encoder::subfield(mac), eth(Field::eth_dst)}});
  e.add(openflow::SetField::exact(openflow::reg(ovn::kRegLogOutport), openflow::U128(0)));
  e.resubmit(ovn::kTableGetFdb);
  e.restore_args(saved);
  e.move(port_reg(ovn::kRegLogOutport), Encoder::subfield(dst));
  return ok_status();
}

void GetFdb::prerequisites(Prereqs& pre) const { pre.add_field(mac); }

Result<PutFdb> PutFdb::parse(ActionParser& p, const ParseCall&) {
  PutFdb f;
  OVNX_RETURN_IF_ERROR(open_args(p));
  OVNX_ASSIGN_OR_RETURN(f.port, p.parse_arg_field("logical port", 0));
  OVNX_RETURN_IF_ERROR(next_arg(p));
  OVNX_ASSIGN_OR_RETURN(f.mac, p.parse_arg_field("MAC address", 48));
  OVNX_RETURN_IF_ERROR(close_args(p));
  return f;
}

void PutFdb::format(std::string& out) const {
  out += fmt::format("put_fdb({}, {});", format_field_ref(port), format_field_ref(mac));
}

Status PutFdb::encode(Encoder& e) const {
  auto saved = e.setup_args({{Encoder::subfield(port), port_reg(ovn::kRegLogInport)},
                             {Encoder::subfield(mac), eth(Field::eth_src)}});
  e.controller(ControllerOp::kPutFdb, {}, false);
  e.restore_args(saved);
  return ok_status();
}

void PutFdb::prerequisites(Prereqs& pre) const {
  pre.add_field(port);
  pre.add_field(mac);
}

Result<LookupFdb> LookupFdb::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  LookupFdb l;
  l.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(open_args(p));
  OVNX_ASSIGN_OR_RETURN(l.port, p.parse_arg_field("logical port", 0));
  OVNX_RETURN_IF_ERROR(next_arg(p));
  OVNX_ASSIGN_OR_RETURN(l.mac, p.parse_arg_field("MAC address", 48));
  OVNX_RETURN_IF_ERROR(close_args(p));
  return l;
}

void LookupFdb::format(std::string& out) const {
  out += fmt::format("{} = lookup_fdb({}, {});", format_field_ref(dst), format_field_ref(port),
                     format_field_ref(mac));
}

Status LookupFdb::encode(Encoder& e) const {
  auto saved = e.setup_args({{Encoder::subfield(port), port_reg(ovn::kRegLogInport)},
                             {Encoder::subfield(mac), eth(Field::eth_src)}});
  flag_lookup(e, ovn::kTableLookupFdb, ovn::kFlagLookupFdbBit, dst);
  e.restore_args(saved);
  return ok_status();
}

void LookupFdb::prerequisites(Prereqs& pre) const {
  pre.add_field(port);
  pre.add_field(mac);
}

// --- chk_lb_hairpin() and friends ---------------------------------------------------------------

namespace {

struct FlagTable {
  std::string_view name;
  uint8_t table;
  int bit;
};

constexpr FlagTable kFlagTables[] = {
    {"chk_lb_hairpin", ovn::kTableChkLbHairpin, ovn::kFlagLookupLbHairpinBit},
    {"chk_lb_hairpin_reply", ovn::kTableChkLbHairpinReply, ovn::kFlagLookupLbHairpinBit},
    {"check_in_port_sec", ovn::kTableChkInPortSec, ovn::kFlagCheckPortSecBit},
    {"check_out_port_sec", ovn::kTableChkOutPortSec, ovn::kFlagCheckPortSecBit},
    {"chk_lb_aff", ovn::kTableChkLbAffinity, ovn::kFlagUseLbAffSessionBit},
    {"chk_ecmp_nh_mac", ovn::kTableEcmpNhMac, ovn::kFlagLookupCommitEcmpNhBit},
    {"chk_ecmp_nh", ovn::kTableEcmpNh, ovn::kFlagLookupCommitEcmpNhBit},
};

const FlagTable& flag_table(std::string_view name) {
  for (const FlagTable& t : kFlagTables) {
    if (t.name == name) return t;
  }
  return kFlagTables[0];  // unreachable: the registry only dispatches kNames here
}

}  // namespace

Result<FlagLookup> FlagLookup::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  FlagLookup f;
  f.name = flag_table(call.name).name;
  f.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.parse_empty_args());
  return f;
}

void FlagLookup::format(std::string& out) const {
  out += fmt::format("{} = {}();", format_field_ref(dst), name);
}

Status FlagLookup::encode(Encoder& e) const {
  const FlagTable& t = flag_table(name);
  flag_lookup(e, t.table, t.bit, dst);
  return ok_status();
}

}  // namespace ovnx::logical::act
