// `ovn-sbctl lflow-list` text, parsed by hand (std::regex draws g++ 12 -Wmaybe-uninitialized
// warnings under sanitizers).
#include "logical/lflow_list.h"

#include <cstdlib>

namespace ovnx::logical {
namespace {

bool parse_datapath_line(const std::string& line, std::string& dp, Pipeline& pipeline) {
  const std::string_view head = "Datapath: \"";
  if (!line.starts_with(head)) return false;
  size_t end = line.find('"', head.size());
  size_t pl = line.find("Pipeline: ");
  if (end == std::string::npos || pl == std::string::npos) return false;
  dp = line.substr(head.size(), end - head.size());
  pipeline = line.compare(pl + 10, 6, "egress") == 0 ? Pipeline::kEgress : Pipeline::kIngress;
  return true;
}

bool parse_flow_line(const std::string& line, ListedFlow& out) {
  size_t t = line.find_first_not_of(' ');
  if (t == std::string::npos || line.compare(t, 6, "table=") != 0) return false;
  size_t open = line.find('(', t);
  size_t close = open == std::string::npos ? open : line.find(')', open);
  size_t prio = line.find("priority=", t);
  size_t match = line.find(", match=(", t);
  size_t action = line.rfind("), action=(");
  if (close == std::string::npos || prio == std::string::npos || match == std::string::npos ||
      action == std::string::npos || action < match || line.back() != ')') {
    return false;
  }
  int table = std::atoi(line.c_str() + t + 6);
  int priority = std::atoi(line.c_str() + prio + 9);
  if (table < 0 || table > 255 || priority < 0 || priority > 65535) return false;
  out.table = uint8_t(table);
  out.priority = uint16_t(priority);
  out.stage = line.substr(open + 1, close - open - 1);
  while (!out.stage.empty() && out.stage.back() == ' ') out.stage.pop_back();
  out.match = line.substr(match + 9, action - match - 9);
  size_t a = action + 11;
  out.actions = a < line.size() ? line.substr(a, line.size() - 1 - a) : std::string();
  if (out.actions.empty()) out.actions = "drop;";
  return true;
}

}  // namespace

std::vector<ListedFlow> read_lflow_list(std::istream& in) {
  std::vector<ListedFlow> out;
  std::string line, dp;
  Pipeline pipeline = Pipeline::kIngress;
  int n = 0;
  while (std::getline(in, line)) {
    n++;
    if (parse_datapath_line(line, dp, pipeline)) continue;
    ListedFlow f;
    if (!parse_flow_line(line, f)) continue;
    f.datapath = dp;
    f.pipeline = pipeline;
    f.line = n;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace ovnx::logical
