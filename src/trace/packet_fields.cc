#include "trace/packet_fields.h"

#include <array>
#include <string>
#include <string_view>

namespace ovnx::trace {

bool is_metadata_field(const logical::PhysField& f) {
  static constexpr std::array<std::string_view, 8> kPrefixes{
      "reg", "xreg", "xxreg", "ct_", "metadata", "pkt_mark", "in_port", "tun"};
  for (std::string_view p : kPrefixes) {
    if (std::string_view(f.name).starts_with(p)) return true;
  }
  return false;
}

std::optional<logical::U128> parse_mac(std::string_view text) {
  uint64_t v = 0;
  unsigned cur = 0;
  int digits = 0, groups = 0;
  for (char c : text) {
    if (c == ':') {
      if (digits == 0 || digits > 2) return std::nullopt;
      v = v << 8 | cur;
      cur = 0;
      digits = 0;
      ++groups;
      continue;
    }
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return std::nullopt;
    cur = cur * 16 + unsigned(d);
    ++digits;
  }
  if (groups != 5 || digits == 0 || digits > 2) return std::nullopt;
  return logical::U128(v << 8 | cur);
}

void clear_registers(logical::FlowState& state, bool flags_and_ports) {
  for (int i = 0; i < 10; ++i) (void)state.set("reg" + std::to_string(i), logical::U128());
  if (flags_and_ports) {
    for (const char* name : {"flags", "inport", "outport"}) (void)state.set(name, logical::U128());
  }
}

}  // namespace ovnx::trace
