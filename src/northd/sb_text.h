// A canonical, sorted text form of southbound content: one line per row, references by name
// instead of row UUID, external_ids:source of logical flows left out. The golden tests compare
// our compiler's output with the real ovn-northd's SB in this form
// (tests/fixtures/northd/sb-text.py writes the same format from a database dump; its README
// describes it).
#pragma once

#include <string>

#include "northd/sb.h"

namespace ovnx::northd {

std::string sb_text(const sb::Content& content);

}  // namespace ovnx::northd
