#include "logical/compile.h"

#include <utility>

#include <fmt/format.h>

#include "logical/compile_direct.h"
#include "logical/encoder.h"

namespace ovnx::logical {
namespace {

const SymbolTable& symtab_of(const CompileContext& ctx) {
  return ctx.symtab ? *ctx.symtab : ovn_symbol_table();
}

Error in_column(std::string_view column, Error e) {
  e.details = fmt::format("{}: {}", column, e.details);
  return e;
}

openflow::U128 of(U128 v) { return openflow::U128(v.hi, v.lo); }

}  // namespace

openflow::Match to_openflow_match(const std::vector<FieldMatch>& fields) {
  openflow::Match m;
  m.reserve(fields.size() + 2);  // + metadata, conj_id
  for (const FieldMatch& f : fields) m.set_masked(f.field->of_field, of(f.value), of(f.mask));
  return m;
}

Result<ParsedLogicalFlow> parse_logical_flow(const LogicalFlow& flow, const CompileContext& ctx) {
  const SymbolTable& symtab = symtab_of(ctx);
  auto match = parse_and_annotate(flow.match, symtab, ctx.resolver);
  if (!match.ok()) return in_column("match", std::move(match).error());
  auto actions = parse_actions(flow.actions, symtab, ctx.resolver);
  if (!actions.ok()) return in_column("actions", std::move(actions).error());
  ParsedLogicalFlow parsed;
  parsed.match = simplify_expr(
      Expr::make_and(std::move(match).value(), actions_prerequisites_expr(*actions, symtab)));
  parsed.actions = std::move(actions).value();
  return parsed;
}

Result<CompiledFlows> compile_parsed_flow(const LogicalFlow& flow, const ParsedLogicalFlow& parsed,
                                          const CompileContext& ctx) {
  if (!ctx.resolver) return make_error("invalid argument", "compiling needs a resolver");
  int tables = flow.pipeline == Pipeline::kIngress ? ovn::kLogicalIngressTables
                                                   : ovn::kLogicalEgressTables;
  if (flow.table_id >= tables) {
    return make_error("invalid logical flow",
                      fmt::format("table {} is past the last {} table ({})", flow.table_id,
                                  pipeline_name(flow.pipeline), tables - 1));
  }
  NormalizeOptions nopts;
  nopts.merge_adjacent = ctx.merge_adjacent;
  auto dnf = normalize_expr(parsed.match, *ctx.resolver, nopts);
  if (!dnf.ok()) return in_column("match", std::move(dnf).error());

  EncodeParams params;
  params.pipeline = flow.pipeline;
  params.table_id = flow.table_id;
  params.is_switch = ctx.is_switch;
  params.resolver = ctx.resolver;
  params.groups = ctx.groups;
  params.meters = ctx.meters;
  params.controller_meter = ctx.controller_meter;
  openflow::ActionList ofacts;
  Status encoded = encode_actions(parsed.actions, params, &ofacts);
  if (!encoded.ok()) return in_column("actions", std::move(encoded).error());

  MatchOptions mopts;
  mopts.conj_id_base = ctx.conj_id_base;
  mopts.conjunction = ctx.conjunction;
  mopts.merge_adjacent = ctx.merge_adjacent;
  uint8_t table = Encoder::of_table(flow.pipeline, flow.table_id);
  CompiledFlows out;
  FlowFrame frame{table, flow.priority, flow.cookie, ctx.datapath_key};
  if (build_flows_directly(*dnf, mopts, frame, ofacts, &out)) return out;

  MatchResult matches = dnf_to_flows(std::move(*dnf), mopts);
  // The last flow that runs the actions takes them; the others get copies.
  size_t last_with_actions = matches.flows.size();
  for (size_t i = matches.flows.size(); i-- > 0;) {
    if (!matches.flows[i].clause) {
      last_with_actions = i;
      break;
    }
  }

  out.conj_ids_used = matches.conj_ids_used;
  out.flows.reserve(matches.flows.size());
  const MatchFlow* prev = nullptr;
  for (size_t idx = 0; idx < matches.flows.size(); idx++) {
    const MatchFlow& mf = matches.flows[idx];
    openflow::Flow f;
    f.table_id = table;
    f.priority = flow.priority;
    // Consecutive flows of a set or conjunction usually differ in one field: start from the
    // previous match instead of converting every field again.
    size_t changed[3];
    size_t n_changed = 0;
    if (prev && prev->fields.size() == mf.fields.size()) {
      for (size_t i = 0; i < mf.fields.size() && n_changed <= 2; i++) {
        if (prev->fields[i].field != mf.fields[i].field) {
          n_changed = 3;  // a different shape: convert from scratch
          break;
        }
        if (!(prev->fields[i] == mf.fields[i])) changed[n_changed++] = i;
      }
    }
    if (prev && prev->fields.size() == mf.fields.size() && n_changed <= 2) {
      f.match = out.flows.back().match;
      if (prev->conj_id && !prev->clause) f.match.clear(openflow::Field::conj_id);
      for (size_t k = 0; k < n_changed; k++) {
        const FieldMatch& fm = mf.fields[changed[k]];
        f.match.set_masked(fm.field->of_field, of(fm.value), of(fm.mask));
      }
    } else {
      f.match = to_openflow_match(mf.fields);
      f.match.set(openflow::Field::metadata, openflow::U128(ctx.datapath_key));
    }
    prev = &mf;
    if (mf.clause) {
      // A dimension of a conjunctive match: shared between logical flows, so no cookie.
      f.cookie = 0;
      f.actions.push_back(openflow::Conjunction{mf.conj_id, uint8_t(mf.clause - 1), mf.n_clauses});
    } else {
      f.cookie = flow.cookie;
      if (mf.conj_id) f.match.set(openflow::Field::conj_id, openflow::U128(mf.conj_id));
      if (idx == last_with_actions) {
        f.actions = std::move(ofacts);
      } else {
        f.actions = ofacts;
      }
    }
    out.flows.push_back(std::move(f));
  }
  return out;
}

Result<CompiledFlows> compile_logical_flow(const LogicalFlow& flow, const CompileContext& ctx) {
  Result<ParsedLogicalFlow> parsed = parse_logical_flow(flow, ctx);  // used in place, not moved
  if (!parsed.ok()) return std::move(parsed).error();
  return compile_parsed_flow(flow, *parsed, ctx);
}

}  // namespace ovnx::logical
