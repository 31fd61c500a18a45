// Text-driven golden tests: a fixture file is the spec of the compiler.
//
//   # comment
//   @key value                 sets a context option for the cases that follow
//   @-key                      clears it
//   <input>                    one case per non-indented line (`<empty>` for "")
//       formats as: <text>     single-line expectation
//       flows:                 multi-line expectation, lines indented deeper
//           <line>
//
// run_golden() computes every expectation of every case with `compute(case, key)` and reports
// mismatches with the file and line. With OVNX_GOLDEN_UPDATE=1 in the environment it rewrites
// the file with the actual results instead (review the diff before committing!).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ovnx::logical::testing {

struct Expectation {
  std::string key;
  std::vector<std::string> lines;  // one for single-line expectations
  bool multiline = false;
  int line_no = 0;
};

struct GoldenCase {
  std::string input;
  int line_no = 0;
  std::map<std::string, std::string> context;  // @key value settings in effect
  std::vector<Expectation> expectations;
};

// Computes the actual lines for expectation `key` of `c`.
using ComputeFn = std::function<std::vector<std::string>(const GoldenCase& c, const std::string& key)>;

// Loads tests/fixtures/logical/<name> and checks every case (GoogleTest failures on mismatch).
// Returns the number of cases run.
int run_golden(const std::string& name, const ComputeFn& compute);

std::string fixture_path(const std::string& name);

}  // namespace ovnx::logical::testing
