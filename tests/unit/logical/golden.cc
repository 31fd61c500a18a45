#include "golden.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace ovnx::logical::testing {
namespace {

size_t indent_of(const std::string& line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') n++;
  return n;
}

struct Line {
  std::string text;
  int no;
};

// The parsed file, with the raw lines kept so an update can reproduce comments and layout.
struct File {
  std::vector<std::string> raw;
  std::vector<GoldenCase> cases;
  std::vector<int> case_first_raw;  // index into raw of each case's input line
  std::vector<int> case_end_raw;    // one past its last expectation line
};

File load(const std::string& path) {
  File f;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open golden file " << path;
    return f;
  }
  std::string line;
  while (std::getline(in, line)) f.raw.push_back(line);
  std::map<std::string, std::string> context;
  for (size_t i = 0; i < f.raw.size();) {
    const std::string& l = f.raw[i];
    if (l.empty() || l[0] == '#' || indent_of(l) == l.size()) {
      i++;
      continue;
    }
    if (l[0] == '@') {
      size_t sp = l.find(' ');
      std::string key = l.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
      if (!key.empty() && key[0] == '-') {
        context.erase(key.substr(1));  // "@-key" ends a setting
      } else {
        context[key] = sp == std::string::npos ? "" : l.substr(sp + 1);
      }
      i++;
      continue;
    }
    if (indent_of(l) > 0) {
      ADD_FAILURE() << path << ":" << i + 1 << ": expectation without a case";
      i++;
      continue;
    }
    GoldenCase c;
    c.input = l == "<empty>" ? "" : l;
    c.line_no = int(i) + 1;
    c.context = context;
    f.case_first_raw.push_back(int(i));
    i++;
    while (i < f.raw.size() && !f.raw[i].empty() && indent_of(f.raw[i]) > 0 &&
           indent_of(f.raw[i]) < f.raw[i].size()) {
      size_t ind = indent_of(f.raw[i]);
      std::string body = f.raw[i].substr(ind);
      size_t colon = body.find(':');
      if (colon == std::string::npos) {
        ADD_FAILURE() << path << ":" << i + 1 << ": expected `key: value`";
        i++;
        continue;
      }
      Expectation e;
      e.key = body.substr(0, colon);
      e.line_no = int(i) + 1;
      std::string rest = body.substr(colon + 1);
      if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
      i++;
      if (rest.empty()) {
        e.multiline = true;
        while (i < f.raw.size() && indent_of(f.raw[i]) > ind &&
               indent_of(f.raw[i]) < f.raw[i].size()) {
          e.lines.push_back(f.raw[i].substr(indent_of(f.raw[i])));
          i++;
        }
      } else {
        e.lines.push_back(rest);
      }
      c.expectations.push_back(std::move(e));
    }
    f.case_end_raw.push_back(int(i));
    f.cases.push_back(std::move(c));
  }
  return f;
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n      " + l;
  return out;
}

}  // namespace

std::string fixture_path(const std::string& name) {
  const char* src = std::getenv("OVNX_SOURCE_DIR");
  std::string root = src ? src : OVNX_SOURCE_DIR_DEFAULT;
  return root + "/tests/fixtures/logical/" + name;
}

int run_golden(const std::string& name, const ComputeFn& compute) {
  std::string path = fixture_path(name);
  File f = load(path);
  bool update = std::getenv("OVNX_GOLDEN_UPDATE") != nullptr;
  std::vector<std::string> out;
  int raw_pos = 0;
  for (size_t ci = 0; ci < f.cases.size(); ci++) {
    const GoldenCase& c = f.cases[ci];
    while (raw_pos < f.case_first_raw[ci]) out.push_back(f.raw[size_t(raw_pos++)]);
    out.push_back(c.input.empty() ? "<empty>" : c.input);
    for (const Expectation& e : c.expectations) {
      std::vector<std::string> actual = compute(c, e.key);
      if (update) {
        if (e.multiline || actual.size() != 1) {
          out.push_back("    " + e.key + ":");
          for (const auto& l : actual) out.push_back("        " + l);
        } else {
          out.push_back("    " + e.key + ": " + actual[0]);
        }
        continue;
      }
      if (actual != e.lines) {
        ADD_FAILURE_AT(path.c_str(), e.line_no)
            << "case: " << c.input << "\n  " << e.key << "\n    expected:" << join(e.lines)
            << "\n    actual:" << join(actual);
      }
    }
    raw_pos = f.case_end_raw[ci];
  }
  while (raw_pos < int(f.raw.size())) out.push_back(f.raw[size_t(raw_pos++)]);
  if (update) {
    std::ofstream o(path);
    for (const auto& l : out) o << l << "\n";
  }
  return int(f.cases.size());
}

}  // namespace ovnx::logical::testing
