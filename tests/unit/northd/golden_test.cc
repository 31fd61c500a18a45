// Golden tests: for each topology in tests/fixtures/northd/, the SB content our compiler
// produces equals what the real ovn-northd 23.03 produced for the same NB (sb.txt, captured by
// real-northd.sh), except for the differences documented in docs/northd-differences.md.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "fixture.h"
#include "northd/compiler.h"
#include "northd/sb_text.h"

namespace ovnx::northd {
namespace {

using testing::fixture_path;
using testing::line_diff;
using testing::load_fixture_nb;
using testing::load_fixture_sb_state;
using testing::read_file;

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesRealNorthd) {
  const std::string name = GetParam();
  nb::Snapshot nb = load_fixture_nb(name);
  SbState sb = load_fixture_sb_state(name);
  auto content = compile(nb, sb, {.threads = 2});
  ASSERT_TRUE(content.ok()) << content.error().to_string();
  const std::string actual = sb_text(*content);
  const std::string expected = read_file(fixture_path(name, "sb.txt"));
  if (actual != expected) {
    // Leave our output beside the build for inspection.
    std::ofstream(name + ".actual.txt") << actual;
  }
  EXPECT_EQ(line_diff(expected, actual), "") << "fixture " << name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Golden,
                         ::testing::Values("seed", "acl", "dhcp-dns", "routes", "ports",
                                           "gateway", "generated"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) {
                             if (c == '-') c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace ovnx::northd
