// ovnx-lflow-compile: prints the OpenFlow flows one logical flow compiles to, as ovs-ofctl
// dump-flows would show them, or the error with its position (exit status 1).
//
//   ovnx-lflow-compile [--port NAME=KEY]... [--address-set NAME=A,B,..]...
//                      [--port-group NAME=P,Q,..]... [--chassis-resident PORT]...
//                      [--table N] [--pipeline ingress|egress] [--datapath KEY] [--router]
//                      [--priority N] [--cookie N] [--no-merge] [--no-conjunction]
//                      MATCH [ACTIONS]
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "logical/compile.h"
#include "openflow/format.h"

namespace {

using ovnx::logical::ConstantSet;

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// "NAME=VALUE" -> (NAME, VALUE); false when there is no '=' or no name.
bool split_assignment(const std::string& s, std::string& name, std::string& value) {
  size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  name = s.substr(0, eq);
  value = s.substr(eq + 1);
  return true;
}

int fail(const std::string& msg) {
  std::fprintf(stderr, "ovnx-lflow-compile: %s\n", msg.c_str());
  return 1;
}

std::string group_text(uint32_t id, const ovnx::logical::GroupSpec& g) {
  std::string s = "group_id=" + std::to_string(id) + ",type=select,selection_method=" +
                  g.selection_method;
  if (g.selection_method_param) {
    s += ",selection_method_param=" + std::to_string(*g.selection_method_param);
  }
  if (!g.fields.empty()) {
    s += ",fields(";
    for (size_t i = 0; i < g.fields.size(); i++) s += (i ? "," : "") + g.fields[i];
    s += ")";
  }
  for (size_t i = 0; i < g.buckets.size(); i++) {
    s += ",bucket=bucket_id:" + std::to_string(i) + ",weight:" +
         std::to_string(g.buckets[i].weight) +
         ",actions=" + ovnx::openflow::format_actions(g.buckets[i].actions);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compile one OVN logical flow to OpenFlow flows (ovs-ofctl notation)."};
  std::vector<std::string> ports, address_sets, port_groups, resident;
  std::string match, actions, pipeline = "ingress";
  int table = 0, priority = 100;
  uint32_t datapath = 1;
  uint64_t cookie = 0;
  bool router = false, no_merge = false, no_conj = false;
  // One value per occurrence, so repeated options do not swallow MATCH and ACTIONS.
  app.add_option("--port", ports, "logical port or multicast group NAME=KEY")
      ->allow_extra_args(false);
  app.add_option("--address-set", address_sets, "address set NAME=ADDR,ADDR,...")
      ->allow_extra_args(false);
  app.add_option("--port-group", port_groups, "port group NAME=PORT,PORT,...")
      ->allow_extra_args(false);
  app.add_option("--chassis-resident", resident, "logical port resident on this chassis")
      ->allow_extra_args(false);
  app.add_option("--table", table, "logical table id")->check(CLI::Range(0, 28));
  app.add_option("--pipeline", pipeline, "ingress or egress")
      ->check(CLI::IsMember({"ingress", "egress"}));
  app.add_option("--datapath", datapath, "logical datapath tunnel key")
      ->check(CLI::Range(0u, 0xffffffu));
  app.add_option("--priority", priority, "flow priority")->check(CLI::Range(0, 65535));
  app.add_option("--cookie", cookie, "flow cookie");
  app.add_flag("--router", router, "the datapath is a logical router (default: switch)");
  app.add_flag("--no-merge", no_merge, "do not merge adjacent values (flows as OVN 23.03)");
  app.add_flag("--no-conjunction", no_conj, "expand set products instead of conjunctive match");
  app.add_option("match", match, "logical match expression")->required();
  app.add_option("actions", actions, "logical actions (default: next;)");
  CLI11_PARSE(app, argc, argv);

  ovnx::logical::MapResolver resolver;
  std::string name, value;
  for (const std::string& p : ports) {
    if (!split_assignment(p, name, value)) return fail("--port wants NAME=KEY, got `" + p + "`");
    try {
      size_t used = 0;
      unsigned long key = std::stoul(value, &used, 0);
      if (used != value.size() || key > 0xffffffffu) throw std::out_of_range("key");
      resolver.ports[name] = uint32_t(key);
    } catch (const std::exception&) {
      return fail("--port " + name + ": `" + value + "` is not a port key");
    }
  }
  for (const std::string& a : address_sets) {
    if (!split_assignment(a, name, value)) return fail("--address-set wants NAME=A,B,...");
    auto set = ConstantSet::parse_addresses(split_commas(value));
    if (!set.ok()) return fail("--address-set " + name + ": " + set.error().to_string());
    resolver.address_sets[name] = std::move(set).value();
  }
  for (const std::string& g : port_groups) {
    if (!split_assignment(g, name, value)) return fail("--port-group wants NAME=P,Q,...");
    resolver.port_groups[name] = ConstantSet::of_strings(split_commas(value));
  }
  for (const std::string& r : resident) resolver.resident[r] = true;

  ovnx::logical::LogicalFlow flow;
  flow.pipeline = pipeline == "egress" ? ovnx::logical::Pipeline::kEgress
                                       : ovnx::logical::Pipeline::kIngress;
  flow.table_id = uint8_t(table);
  flow.priority = uint16_t(priority);
  flow.cookie = cookie;
  flow.match = match;
  flow.actions = actions.empty() ? std::string_view("next;") : std::string_view(actions);

  ovnx::logical::SimpleGroupTable groups;
  ovnx::logical::SimpleMeterTable meters;
  ovnx::logical::CompileContext ctx;
  ctx.resolver = &resolver;
  ctx.datapath_key = datapath;
  ctx.is_switch = !router;
  ctx.groups = &groups;
  ctx.meters = &meters;
  ctx.merge_adjacent = !no_merge;
  ctx.conjunction = !no_conj;
  auto compiled = ovnx::logical::compile_logical_flow(flow, ctx);
  if (!compiled.ok()) return fail(compiled.error().to_string());
  for (const auto& f : compiled->flows) std::printf("%s\n", ovnx::openflow::format_flow(f).c_str());
  for (const auto& [id, g] : groups.groups()) std::printf("%s\n", group_text(id, g).c_str());
  return 0;
}
