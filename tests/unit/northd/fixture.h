// Helpers to load the golden fixtures of tests/fixtures/northd/<name>/ (README.md there).
#pragma once

#include <string>

#include "northd/compiler.h"
#include "northd/nb.h"

namespace ovnx::northd::testing {

std::string fixture_path(const std::string& name, const std::string& file);
std::string read_file(const std::string& path);
// The NB snapshot the real northd was given.
nb::Snapshot load_fixture_nb(const std::string& name);
// The tunnel keys the real northd chose (from its SB, in sb.txt), so a compile reproduces them
// as it would when restarting against that SB.
SbState load_fixture_sb_state(const std::string& name);
// Lines of `expected` missing from `actual` ("-") and extra in `actual` ("+").
std::string line_diff(const std::string& expected, const std::string& actual);

}  // namespace ovnx::northd::testing
