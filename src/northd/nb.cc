#include "northd/nb.h"

#include <charconv>

namespace ovnx::northd::nb {

bool get_bool(const Smap& map, const std::string& key, bool fallback) {
  auto it = map.find(key);
  if (it == map.end()) return fallback;
  return it->second == "true";
}

int64_t get_int(const Smap& map, const std::string& key, int64_t fallback) {
  auto it = map.find(key);
  if (it == map.end()) return fallback;
  int64_t v = 0;
  const std::string& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return fallback;
  return v;
}

}  // namespace ovnx::northd::nb
