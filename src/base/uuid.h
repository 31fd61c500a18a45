// 128-bit UUIDs as OVSDB uses them (random, version 4), with text form 8-4-4-4-12.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ovnx {

struct Uuid {
  uint64_t hi = 0;
  uint64_t lo = 0;

  static Uuid generate();  // random version-4 UUID; thread-safe
  static std::optional<Uuid> parse(std::string_view text);
  static bool is_uuid_text(std::string_view text) { return parse(text).has_value(); }

  bool is_zero() const { return hi == 0 && lo == 0; }
  std::string to_string() const;
  // First 8 hex digits, as ovn-sbctl and ovs-ofctl cookies show.
  uint32_t prefix32() const { return static_cast<uint32_t>(hi >> 32); }

  auto operator<=>(const Uuid&) const = default;
};

}  // namespace ovnx

template <>
struct std::hash<ovnx::Uuid> {
  size_t operator()(const ovnx::Uuid& u) const noexcept {
    return static_cast<size_t>(u.hi ^ (u.lo * 0x9e3779b97f4a7c15ULL));
  }
};
