// Control flow and plain field operations: next, output, drop, assignments, exchange, ip.ttl--,
// OVN-only fields, clone, set_queue, set_meter, check_pkt_larger, select.
#include <fmt/format.h>

#include "logical/action_parser.h"
#include "logical/action_registry.h"
#include "logical/encoder.h"

namespace ovnx::logical::act {
namespace {

int pipeline_tables(Pipeline p) {
  return p == Pipeline::kIngress ? ovn::kLogicalIngressTables : ovn::kLogicalEgressTables;
}

Status check_same_type(ActionParser& p, const FieldRef& a, const FieldRef& b, size_t pos) {
  if (a.symbol->is_string != b.symbol->is_string) {
    return p.error_at(pos, fmt::format("cannot mix string field `{}` with integer field `{}`",
                                       a.symbol->is_string ? a.symbol->name : b.symbol->name,
                                       a.symbol->is_string ? b.symbol->name : a.symbol->name));
  }
  if (a.n_bits != b.n_bits) {
    return p.error_at(pos, fmt::format("`{}` is {} bits but `{}` is {} bits",
                                       format_field_ref(a), a.n_bits, format_field_ref(b),
                                       b.n_bits));
  }
  return ok_status();
}

Status check_readable(ActionParser& p, const FieldRef& f, size_t pos) {
  if (f.symbol->kind == SymbolKind::kPredicate || f.symbol->kind == SymbolKind::kOvnField) {
    return p.error_at(pos, fmt::format("`{}` cannot be read", f.symbol->name));
  }
  return ok_status();
}

// Setting outport in the egress pipeline would re-route a packet already past routing.
Status check_egress_outport(Encoder& e, const FieldRef& dst) {
  if (e.params().pipeline == Pipeline::kEgress && dst.symbol->name == "outport") {
    return make_error("invalid action", "outport is read-only in the egress pipeline");
  }
  return ok_status();
}

}  // namespace

// --- next ---------------------------------------------------------------------------------------

Result<Next> Next::parse(ActionParser& p, const ParseCall&) {
  Next n;
  if (!p.lexer().match(TokenType::kLParen)) return n;
  if (p.tok().type == TokenType::kInteger) {
    OVNX_ASSIGN_OR_RETURN(uint64_t t, p.parse_uint("table number", 0, ovn::kLogicalIngressTables - 1));
    n.table = int(t);
  } else {
    do {
      if (p.lexer().match_id("pipeline")) {
        OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
        if (p.lexer().match_id("ingress")) {
          n.pipeline = Pipeline::kIngress;
        } else if (p.lexer().match_id("egress")) {
          n.pipeline = Pipeline::kEgress;
        } else {
          return p.expecting("`ingress` or `egress`");
        }
      } else if (p.lexer().match_id("table")) {
        OVNX_RETURN_IF_ERROR(p.expect(TokenType::kEquals, "`=`"));
        OVNX_ASSIGN_OR_RETURN(uint64_t t,
                              p.parse_uint("table number", 0, ovn::kLogicalIngressTables - 1));
        n.table = int(t);
      } else {
        return p.expecting("`pipeline` or `table`");
      }
    } while (p.lexer().match(TokenType::kComma));
    if (!n.table) return p.error_here("next(pipeline=...) needs a table");
  }
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return n;
}

void Next::format(std::string& out) const {
  if (pipeline) {
    out += fmt::format("next(pipeline={}, table={});", pipeline_name(*pipeline), *table);
  } else if (table) {
    out += fmt::format("next({});", *table);
  } else {
    out += "next;";
  }
}

Status Next::encode(Encoder& e) const {
  Pipeline p = pipeline.value_or(e.params().pipeline);
  int t = table.value_or(e.params().table_id + 1);
  if (t >= pipeline_tables(p)) {
    return make_error("invalid action", fmt::format("`next` to table {} is past the last table "
                                                    "({}) of the {} pipeline",
                                                    t, pipeline_tables(p) - 1, pipeline_name(p)));
  }
  e.resubmit(Encoder::of_table(p, t));
  return ok_status();
}

// --- output, drop -------------------------------------------------------------------------------

Result<Output> Output::parse(ActionParser&, const ParseCall&) { return Output{}; }

Status Output::encode(Encoder& e) const {
  e.resubmit(e.output_table());
  return ok_status();
}

Result<Drop> Drop::parse(ActionParser&, const ParseCall&) { return Drop{}; }

// --- field = constant ---------------------------------------------------------------------------

Result<Load> Load::parse(ActionParser& p, const ParseCall& call) {
  Load l;
  l.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.check_writable(l.dst, call.pos));
  size_t vpos = p.tok().pos;
  if (p.tok().type == TokenType::kLCurly || p.tok().type == TokenType::kMacro ||
      p.tok().type == TokenType::kPortGroup) {
    return p.error_here("a set of values cannot be assigned");
  }
  OVNX_RETURN_IF_ERROR(p.parse_constant(l.value));
  const Symbol* s = l.dst.symbol;
  if (l.value.is_string != s->is_string) {
    return p.error_at(vpos, s->is_string
                                ? fmt::format("`{}` takes a quoted port name", s->name)
                                : fmt::format("integer field `{}` cannot take a string", s->name));
  }
  if (!s->is_string) {
    U128 limit = U128::low_bits(l.dst.n_bits);
    if (!(l.value.value & ~limit).is_zero() ||
        (l.value.masked && !(l.value.mask & ~limit).is_zero())) {
      return p.error_at(vpos, fmt::format("constant {} is too wide for {}-bit field `{}`",
                                          l.value.to_string(), l.dst.n_bits,
                                          format_field_ref(l.dst)));
    }
  }
  return l;
}

void Load::format(std::string& out) const {
  out += format_field_ref(dst);
  out += " = ";
  out += value.to_string(dst.n_bits);
  out += ';';
}

Status Load::encode(Encoder& e) const {
  OVNX_RETURN_IF_ERROR(check_egress_outport(e, dst));
  openflow::Subfield sf = Encoder::subfield(dst);
  if (dst.symbol->is_string) {
    // An unknown port loads 0, which matches no port later on.
    uint32_t key = 0;
    if (e.params().resolver) key = e.params().resolver->resolve_port(value.string).value_or(0);
    e.add(openflow::SetField::load(sf, openflow::U128(key)));
    return ok_status();
  }
  U128 v = value.value, m = value.masked ? value.mask : U128::low_bits(dst.n_bits);
  int ofs = sf.ofs;
  U128 fv = (v & m) << ofs, fm = m << ofs;
  e.add(openflow::SetField{sf.field, openflow::U128(fv.hi, fv.lo), openflow::U128(fm.hi, fm.lo)});
  return ok_status();
}

void Load::prerequisites(Prereqs& pre) const { pre.add_field(dst); }

// --- field = field ------------------------------------------------------------------------------

Result<Move> Move::parse(ActionParser& p, const ParseCall& call) {
  Move m;
  m.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.check_writable(m.dst, call.pos));
  size_t spos = p.tok().pos;
  OVNX_ASSIGN_OR_RETURN(m.src, p.parse_field());
  OVNX_RETURN_IF_ERROR(check_readable(p, m.src, spos));
  OVNX_RETURN_IF_ERROR(check_same_type(p, m.dst, m.src, spos));
  return m;
}

void Move::format(std::string& out) const {
  out += format_field_ref(dst) + " = " + format_field_ref(src) + ";";
}

Status Move::encode(Encoder& e) const {
  OVNX_RETURN_IF_ERROR(check_egress_outport(e, dst));
  e.move(Encoder::subfield(src), Encoder::subfield(dst));
  return ok_status();
}

void Move::prerequisites(Prereqs& pre) const {
  pre.add_field(dst);
  pre.add_field(src);
}

// --- field <-> field ----------------------------------------------------------------------------

Result<Exchange> Exchange::parse(ActionParser& p, const ParseCall& call) {
  Exchange x;
  x.a = *call.dst;
  OVNX_RETURN_IF_ERROR(p.check_writable(x.a, call.pos));
  size_t bpos = p.tok().pos;
  OVNX_ASSIGN_OR_RETURN(x.b, p.parse_field());
  OVNX_RETURN_IF_ERROR(p.check_writable(x.b, bpos));
  OVNX_RETURN_IF_ERROR(check_same_type(p, x.a, x.b, bpos));
  return x;
}

void Exchange::format(std::string& out) const {
  out += format_field_ref(a) + " <-> " + format_field_ref(b) + ";";
}

Status Exchange::encode(Encoder& e) const {
  OVNX_RETURN_IF_ERROR(check_egress_outport(e, a));
  OVNX_RETURN_IF_ERROR(check_egress_outport(e, b));
  openflow::Subfield sa = Encoder::subfield(a), sb = Encoder::subfield(b);
  e.add(openflow::StackPush{sb});
  e.add(openflow::StackPush{sa});
  e.add(openflow::StackPop{sb});
  e.add(openflow::StackPop{sa});
  return ok_status();
}

void Exchange::prerequisites(Prereqs& pre) const {
  pre.add_field(a);
  pre.add_field(b);
}

// --- ip.ttl-- -----------------------------------------------------------------------------------

Result<DecTtl> DecTtl::parse(ActionParser& p, const ParseCall& call) {
  if (call.dst->symbol->name != "ip.ttl" || call.dst->subscripted) {
    return p.error_at(call.pos, "`--` applies only to ip.ttl");
  }
  return DecTtl{};
}

Status DecTtl::encode(Encoder& e) const {
  e.add(openflow::DecTtl{});
  return ok_status();
}

void DecTtl::prerequisites(Prereqs& pre) const { pre.add("ip"); }

// --- icmp4.frag_mtu = N -------------------------------------------------------------------------

Result<OvnFieldLoad> OvnFieldLoad::parse(ActionParser& p, const ParseCall& call) {
  OvnFieldLoad l;
  l.field = call.dst->symbol;
  if (call.dst->subscripted) return p.error_at(call.pos, "OVN fields are set whole");
  if (p.scope() != NestScope::kNested) {
    return p.error_at(call.pos, fmt::format("`{}` can be set only inside the action that builds "
                                            "the packet (e.g. icmp4_error {{ }})",
                                            l.field->name));
  }
  OVNX_ASSIGN_OR_RETURN(uint64_t v, p.parse_uint("integer constant", 0,
                                                 (uint64_t(1) << l.field->width) - 1));
  l.value = U128(v);
  return l;
}

void OvnFieldLoad::format(std::string& out) const {
  out += fmt::format("{} = {};", field->name, value.to_decimal());
}

Status OvnFieldLoad::encode(Encoder& e) const {
  std::vector<uint8_t> payload;
  for (int i = field->width / 8 - 1; i >= 0; i--) payload.push_back(uint8_t(value.lo >> (8 * i)));
  e.controller(field->width == 16 ? ControllerOp::kPutIcmp4FragMtu
                                  : ControllerOp::kPutIcmp6FragMtu,
               payload, true);
  return ok_status();
}

void OvnFieldLoad::prerequisites(Prereqs& pre) const {
  pre.add_field(FieldRef{field, 0, field->width, false});
}

// --- clone { } ----------------------------------------------------------------------------------

Result<Clone> Clone::parse(ActionParser& p, const ParseCall&) {
  Clone c;
  OVNX_ASSIGN_OR_RETURN(c.actions, p.parse_block(NestScope::kNested));
  return c;
}

void Clone::format(std::string& out) const {
  out += "clone ";
  format_block(actions, out);
  out += ';';
}

Status Clone::encode(Encoder& e) const {
  openflow::Clone c;
  Encoder inner(e.params(), c.actions);
  for (const Action& a : actions) OVNX_RETURN_IF_ERROR(encode_action(a, inner));
  e.add(std::move(c));
  return ok_status();
}

// The copy is the same packet, so what the nested actions need, the flow needs.
void Clone::prerequisites(Prereqs& pre) const { pre.add_actions(actions); }

// --- set_queue, set_meter, check_pkt_larger ----------------------------------------------------

Result<SetQueue> SetQueue::parse(ActionParser& p, const ParseCall&) {
  SetQueue q;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  OVNX_ASSIGN_OR_RETURN(uint64_t n, p.parse_uint("queue number", 0, 61440));
  q.queue = uint16_t(n);
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return q;
}

void SetQueue::format(std::string& out) const { out += fmt::format("set_queue({});", queue); }

Status SetQueue::encode(Encoder& e) const {
  e.add(openflow::SetQueue{queue});
  return ok_status();
}

Result<SetMeter> SetMeter::parse(ActionParser& p, const ParseCall&) {
  SetMeter m;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  OVNX_ASSIGN_OR_RETURN(m.rate, p.parse_uint("rate", 1, UINT32_MAX));
  if (p.lexer().match(TokenType::kComma)) {
    OVNX_ASSIGN_OR_RETURN(m.burst, p.parse_uint("burst", 1, UINT32_MAX));
  }
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return m;
}

void SetMeter::format(std::string& out) const {
  out += burst ? fmt::format("set_meter({}, {});", rate, burst) : fmt::format("set_meter({});", rate);
}

Status SetMeter::encode(Encoder& e) const {
  if (!e.params().meters) return make_error("invalid action", "set_meter() needs a meter table");
  e.add(openflow::Meter{e.params().meters->rate_meter(MeterSpec{rate, burst})});
  return ok_status();
}

Result<CheckPktLarger> CheckPktLarger::parse(ActionParser& p, const ParseCall& call) {
  OVNX_RETURN_IF_ERROR(p.check_result_bit(call));
  CheckPktLarger c;
  c.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  OVNX_ASSIGN_OR_RETURN(uint64_t n, p.parse_uint("packet length", 0, 65535));
  c.length = uint16_t(n);
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  return c;
}

void CheckPktLarger::format(std::string& out) const {
  out += fmt::format("{} = check_pkt_larger({});", format_field_ref(dst), length);
}

Status CheckPktLarger::encode(Encoder& e) const {
  e.add(openflow::CheckPktLarger{length, Encoder::subfield(dst)});
  return ok_status();
}

// --- select -------------------------------------------------------------------------------------

Result<Select> Select::parse(ActionParser& p, const ParseCall& call) {
  Select s;
  s.dst = *call.dst;
  OVNX_RETURN_IF_ERROR(p.check_writable(s.dst, call.pos));
  if (s.dst.symbol->is_string) return p.error_at(call.pos, "select() stores to an integer field");
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kLParen, "`(`"));
  uint64_t max = s.dst.n_bits >= 16 ? 65535 : (uint64_t(1) << s.dst.n_bits) - 1;
  do {
    Choice c;
    OVNX_ASSIGN_OR_RETURN(uint64_t v, p.parse_uint("value", 0, max));
    c.value = uint16_t(v);
    if (p.lexer().match(TokenType::kEquals)) {
      OVNX_ASSIGN_OR_RETURN(uint64_t w, p.parse_uint("weight", 1, 65535));
      c.weight = uint16_t(w);
    }
    s.choices.push_back(c);
  } while (p.lexer().match(TokenType::kComma));
  OVNX_RETURN_IF_ERROR(p.expect(TokenType::kRParen, "`)`"));
  if (s.choices.size() < 2) return p.error_at(call.pos, "select() needs at least two values");
  return s;
}

void Select::format(std::string& out) const {
  out += format_field_ref(dst) + " = select(";
  for (size_t i = 0; i < choices.size(); i++) {
    if (i) out += ", ";
    out += fmt::format("{}={}", choices[i].value, choices[i].weight);
  }
  out += ");";
}

Status Select::encode(Encoder& e) const {
  if (!e.params().groups) return make_error("invalid action", "select() needs a group table");
  GroupSpec g;
  g.selection_method = "dp_hash";
  g.selection_method_param = uint64_t(1) << 32;
  for (const Choice& c : choices) {
    GroupBucket b;
    b.weight = c.weight;
    b.actions.push_back(openflow::SetField::load(Encoder::subfield(dst), openflow::U128(c.value)));
    b.actions.push_back(openflow::Resubmit{openflow::kPortInPort, e.next_table()});
    g.buckets.push_back(std::move(b));
  }
  e.add(openflow::Group{e.params().groups->group_id(g)});
  return ok_status();
}

}  // namespace ovnx::logical::act
