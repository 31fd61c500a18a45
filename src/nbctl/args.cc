#include "nbctl/args.h"

#include <strings.h>

#include <cerrno>
#include <cstdlib>

#include <fmt/format.h>

#include "base/log.h"
#include "nbctl/hash_order.h"
#include "nbctl/scan.h"

namespace ovnx::nbctl {

std::optional<int64_t> parse_int_in_range(std::string_view text, int64_t min, int64_t max) {
  std::string t(text);
  if (t.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (errno || *end || end == t.c_str() || v < min || v > max) return std::nullopt;
  return v;
}

Result<int64_t> parse_priority(const std::string& text) {
  Scanner s(text);
  long long v;
  if (!s.integer(10, &v) || v < 0 || v > 32767) {
    return make_error(fmt::format("{}: priority must in range 0...32767", text));
  }
  return static_cast<int64_t>(v);
}

Result<bool> parse_enabled_state(const std::string& state) {
  if (!strcasecmp(state.c_str(), "enabled")) return true;
  if (!strcasecmp(state.c_str(), "disabled")) return false;
  return make_error(fmt::format("{}: state must be \"enabled\" or \"disabled\"", state));
}

std::map<std::string, std::string> parse_key_values(const std::vector<std::string>& args,
                                                    size_t first) {
  std::map<std::string, std::string> out;
  for (size_t i = first; i < args.size(); ++i) {
    size_t eq = args[i].find('=');
    if (eq == std::string::npos) continue;
    out.emplace(args[i].substr(0, eq), args[i].substr(eq + 1));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> map_pairs(
    const ovsdb::client::MapView<std::string, std::string>& map) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(map.size());
  for (auto [k, v] : map) out.emplace_back(k, v);
  return out;
}

void print_smap(ctl::Context& ctx, const ovsdb::client::MapView<std::string, std::string>& map) {
  for (const auto& [k, v] : smap_order(map_pairs(map))) ctx.output() += k + "=" + v + "\n";
}

void log_discarded_error(std::string_view message) {
  static const log::Module module("db_ctl_base");
  if (module.enabled(log::Level::err)) {
    log::write(module, log::Level::err, fmt::format("Discarding unhandled error: {}", message));
  }
}

}  // namespace ovnx::nbctl
