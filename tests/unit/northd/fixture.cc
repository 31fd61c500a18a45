#include "fixture.h"

#include <fstream>
#include <map>
#include <cstring>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "northd/db_json.h"

namespace ovnx::northd::testing {

std::string fixture_path(const std::string& name, const std::string& file) {
  return std::string(OVNX_NORTHD_FIXTURES) + "/" + name + "/" + file;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nb::Snapshot load_fixture_nb(const std::string& name) {
  auto nb = load_nb_json(read_file(fixture_path(name, "nb.json")));
  EXPECT_TRUE(nb.ok()) << (nb.ok() ? "" : nb.error().to_string());
  return nb.ok() ? std::move(*nb) : nb::Snapshot{};
}

namespace {

// The value after "key=" up to the next blank (or the end).
std::string field(const std::string& line, const std::string& key) {
  size_t p = line.find(" " + key + "=");
  if (p == std::string::npos) return {};
  p += key.size() + 2;
  return line.substr(p, line.find(' ', p) - p);
}

// The second word of a line.
std::string name_of(const std::string& line) {
  size_t a = line.find(' ') + 1;
  return line.substr(a, line.find(' ', a) - a);
}

}  // namespace

SbState load_fixture_sb_state(const std::string& name) {
  SbState st;
  std::istringstream in(read_file(fixture_path(name, "sb.txt")));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::map<std::string, Uuid> dp_by_name;
  for (const auto& line : lines) {
    if (line.rfind("Datapath_Binding ", 0) != 0) continue;
    for (const char* key : {"logical-switch=", "logical-router="}) {
      size_t p = line.find(key);
      if (p == std::string::npos) continue;
      auto u = Uuid::parse(line.substr(p + std::strlen(key), 36));
      if (!u) continue;
      st.keys.datapaths[*u] = std::stoll(field(line, "tunnel_key"));
      dp_by_name[name_of(line)] = *u;
    }
  }
  for (const auto& line : lines) {
    if (line.rfind("Port_Binding ", 0) != 0) continue;
    auto it = dp_by_name.find(field(line, "datapath"));
    if (it == dp_by_name.end()) continue;
    st.keys.ports[name_of(line)] = {it->second, std::stoll(field(line, "tunnel_key"))};
  }
  return st;
}

std::string line_diff(const std::string& expected, const std::string& actual) {
  auto split = [](const std::string& s) {
    std::multiset<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.insert(line);
    return out;
  };
  auto e = split(expected);
  auto a = split(actual);
  std::string out;
  for (const auto& l : e) {
    if (a.count(l) < e.count(l) && out.find("- " + l + "\n") == std::string::npos) {
      out += "- " + l + "\n";
    }
  }
  for (const auto& l : a) {
    if (e.count(l) < a.count(l) && out.find("+ " + l + "\n") == std::string::npos) {
      out += "+ " + l + "\n";
    }
  }
  return out;
}

}  // namespace ovnx::northd::testing
