// Golden tests for actions (tests/fixtures/logical/actions.txt) and for whole logical flows
// compiled to OpenFlow (tests/fixtures/logical/compile.txt).
//
// Context directives: @pipeline ingress|egress, @table N, @router (a router datapath),
// @priority N, @datapath KEY, @cookie N, @no-merge.
#include <gtest/gtest.h>

#include <sstream>

#include "golden.h"
#include "logical/actions.h"
#include "logical/compile.h"
#include "openflow/format.h"
#include "test_env.h"

namespace ovnx::logical::testing {
namespace {

long long ctx_int(const GoldenCase& c, const std::string& key, long long dflt) {
  auto it = c.context.find(key);
  return it == c.context.end() ? dflt : std::stoll(it->second, nullptr, 0);
}

Pipeline ctx_pipeline(const GoldenCase& c) {
  auto it = c.context.find("pipeline");
  return it != c.context.end() && it->second == "egress" ? Pipeline::kEgress : Pipeline::kIngress;
}

std::string format_group(uint32_t id, const GroupSpec& g) {
  std::string s = "group_id=" + std::to_string(id) + ",type=select,selection_method=" +
                  g.selection_method;
  if (g.selection_method_param) s += ",selection_method_param=" + std::to_string(*g.selection_method_param);
  if (!g.fields.empty()) {
    s += ",fields(";
    for (size_t i = 0; i < g.fields.size(); i++) s += (i ? "," : "") + g.fields[i];
    s += ")";
  }
  for (size_t i = 0; i < g.buckets.size(); i++) {
    s += ",bucket=bucket_id:" + std::to_string(i) + ",weight:" + std::to_string(g.buckets[i].weight) +
         ",actions=" + openflow::format_actions(g.buckets[i].actions);
  }
  return s;
}

std::string prereq_text(const std::vector<const Symbol*>& syms) {
  if (syms.empty()) return "1";
  std::vector<std::string> parts;
  for (const Symbol* s : syms) {
    std::string p = s->kind == SymbolKind::kPredicate ? s->name : format_expr(*s->prereqs_raw);
    if (std::find(parts.begin(), parts.end(), p) == parts.end()) parts.push_back(p);
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " && ") + p;
  return out;
}

std::vector<std::string> compute_action(const GoldenCase& c, const std::string& key) {
  const SymbolTable& symtab = ovn_symbol_table();
  auto error = [](const Error& e) { return std::vector<std::string>{e.to_string()}; };
  auto parsed = parse_actions(c.input, symtab, &test_resolver());
  if (!parsed.ok()) return error(parsed.error());
  if (key == "formats as") return {format_actions(*parsed)};
  if (key == "has prerequisites") return {prereq_text(actions_prerequisites(*parsed, symtab))};
  SimpleGroupTable groups;
  SimpleMeterTable meters;
  meters.named["m1"] = 7;
  EncodeParams params;
  params.pipeline = ctx_pipeline(c);
  params.table_id = uint8_t(ctx_int(c, "table", 10));
  params.is_switch = c.context.count("router") == 0;
  params.resolver = &test_resolver();
  params.groups = &groups;
  params.meters = &meters;
  if (c.context.count("controller-meter")) params.controller_meter = ctx_int(c, "controller-meter", 0);
  openflow::ActionList ofacts;
  Status s = encode_actions(*parsed, params, &ofacts);
  if (!s.ok()) return error(s.error());
  if (key == "encodes as") return {openflow::format_actions(ofacts)};
  if (key == "groups") {
    std::vector<std::string> out;
    for (const auto& [id, g] : groups.groups()) out.push_back(format_group(id, g));
    if (out.empty()) out.push_back("(none)");
    return out;
  }
  if (key == "error") return {"(no error)"};
  return {"unknown expectation `" + key + "`"};
}

std::vector<std::string> compute_compile(const GoldenCase& c, const std::string& key) {
  size_t bar = c.input.find(" | ");
  LogicalFlow flow;
  flow.match = bar == std::string::npos ? std::string_view(c.input)
                                        : std::string_view(c.input).substr(0, bar);
  flow.actions = bar == std::string::npos ? std::string_view()
                                          : std::string_view(c.input).substr(bar + 3);
  flow.pipeline = ctx_pipeline(c);
  flow.table_id = uint8_t(ctx_int(c, "table", 10));
  flow.priority = uint16_t(ctx_int(c, "priority", 100));
  flow.cookie = uint64_t(ctx_int(c, "cookie", 0xabc));
  SimpleGroupTable groups;
  SimpleMeterTable meters;
  CompileContext ctx;
  ctx.resolver = &test_resolver();
  ctx.datapath_key = uint32_t(ctx_int(c, "datapath", 1));
  ctx.is_switch = c.context.count("router") == 0;
  ctx.groups = &groups;
  ctx.meters = &meters;
  ctx.merge_adjacent = c.context.count("no-merge") == 0;
  auto compiled = compile_logical_flow(flow, ctx);
  if (!compiled.ok()) return {compiled.error().to_string()};
  if (key == "compiles to") {
    std::vector<std::string> out;
    for (const openflow::Flow& f : compiled->flows) out.push_back(openflow::format_flow(f));
    if (out.empty()) out.push_back("(no flows)");
    for (const auto& [id, g] : groups.groups()) out.push_back(format_group(id, g));
    return out;
  }
  if (key == "error") return {"(no error)"};
  return {"unknown expectation `" + key + "`"};
}

TEST(ActionGolden, Fixture) { EXPECT_GT(run_golden("actions.txt", compute_action), 0); }
TEST(CompileGolden, Fixture) { EXPECT_GT(run_golden("compile.txt", compute_compile), 0); }

}  // namespace
}  // namespace ovnx::logical::testing
