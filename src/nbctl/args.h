// Small argument parsers and printers shared by the command families.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "ctl/command.h"
#include "ovsdb/client/typed.h"

namespace ovnx::nbctl {

using Prereq = std::function<void(ctl::Context&)>;

// A decimal integer in [MIN, MAX], the whole argument.
std::optional<int64_t> parse_int_in_range(std::string_view text, int64_t min, int64_t max);

// A priority 0..32767 as the real tool reads it (leading blanks, a sign and anything after
// the number are tolerated), else "X: priority must in range 0...32767".
Result<int64_t> parse_priority(const std::string& text);

// "enabled" / "disabled" in any case, else "X: state must be ..." .
Result<bool> parse_enabled_state(const std::string& state);

// KEY=VALUE arguments from ARGS[FIRST] on as a map. Arguments without "=" are ignored and the
// first value of a repeated key wins, as in the real tool.
std::map<std::string, std::string> parse_key_values(const std::vector<std::string>& args,
                                                    size_t first);

// Sorted (key, value) pairs of a string map column.
std::vector<std::pair<std::string, std::string>> map_pairs(
    const ovsdb::client::MapView<std::string, std::string>& map);

// Appends MAP as "key=value" lines in the order the real tool prints string maps.
void print_smap(ctl::Context& ctx, const ovsdb::client::MapView<std::string, std::string>& map);

// The "Discarding unhandled error" log line the real tool prints when a command reports a
// second error after a first one it did not return (kept for identical stderr).
void log_discarded_error(std::string_view message);

}  // namespace ovnx::nbctl
