#include "packets/dns_name.h"

#include <fmt/format.h>

namespace ovnx::packets {
namespace {

// A name has at most 127 labels; more jumps than that cannot be a sensible name.
constexpr int kMaxPointerHops = 128;

Error bad_name(std::string_view name, std::string_view why) {
  return make_error("syntax error", fmt::format("invalid domain name \"{}\": {}", name, why));
}

// Splits `name` into unescaped labels. The root ("" or ".") has none.
Result<std::vector<std::string>> split_labels(std::string_view name) {
  std::vector<std::string> labels;
  if (name.empty() || name == ".") return labels;
  std::string label;
  size_t wire_len = 1;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (label.empty()) {
        if (i == name.size() && !labels.empty()) break;  // trailing dot
        return bad_name(name, "empty label");
      }
      if (label.size() > kDnsMaxLabelLen) return bad_name(name, "label longer than 63 bytes");
      wire_len += label.size() + 1;
      labels.push_back(std::move(label));
      label.clear();
      continue;
    }
    char c = name[i];
    if (c == '\\') {
      if (i + 1 >= name.size()) return bad_name(name, "dangling backslash");
      if (name[i + 1] >= '0' && name[i + 1] <= '9') {
        if (i + 3 >= name.size()) return bad_name(name, "short \\DDD escape");
        int v = 0;
        for (size_t k = 1; k <= 3; ++k) {
          char d = name[i + k];
          if (d < '0' || d > '9') return bad_name(name, "bad \\DDD escape");
          v = v * 10 + (d - '0');
        }
        if (v > 255) return bad_name(name, "\\DDD escape above 255");
        label += char(v);
        i += 3;
      } else {
        label += name[i + 1];
        i += 1;
      }
      continue;
    }
    label += c;
  }
  if (wire_len > kDnsMaxNameLen) return bad_name(name, "longer than 255 bytes");
  return labels;
}

// An unambiguous key for the suffix starting at label `from` (labels may contain dots).
std::string suffix_key(const std::vector<std::string>& labels, size_t from) {
  std::string s;
  for (size_t i = from; i < labels.size(); ++i) {
    s += char(labels[i].size());
    s += labels[i];
  }
  return s;
}

void append_escaped(std::string& out, ByteView label) {
  for (uint8_t c : label) {
    if (c == '.' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x21 || c > 0x7e) {
      out += fmt::format("\\{:03d}", c);
    } else {
      out += char(c);
    }
  }
}

}  // namespace

Status encode_dns_name(std::string_view name, Bytes& out) {
  OVNX_ASSIGN_OR_RETURN(auto labels, split_labels(name));
  for (const std::string& l : labels) {
    out.push_back(uint8_t(l.size()));
    out.insert(out.end(), l.begin(), l.end());
  }
  out.push_back(0);
  return {};
}

Status DnsNameCompressor::encode(std::string_view name, Bytes& out) {
  OVNX_ASSIGN_OR_RETURN(auto labels, split_labels(name));
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string suffix = suffix_key(labels, i);
    if (auto it = suffixes_.find(suffix); it != suffixes_.end()) {
      out.push_back(uint8_t(0xc0 | it->second >> 8));
      out.push_back(uint8_t(it->second));
      return {};
    }
    size_t offset = out.size() - base_;
    if (offset < 0x4000) suffixes_.emplace(std::move(suffix), uint16_t(offset));
    out.push_back(uint8_t(labels[i].size()));
    out.insert(out.end(), labels[i].begin(), labels[i].end());
  }
  out.push_back(0);
  return {};
}

Result<std::string> decode_dns_name(ByteView message, size_t& offset, bool allow_pointers) {
  std::string name;
  size_t pos = offset;
  size_t wire_len = 1;
  bool jumped = false;
  int hops = 0;
  while (true) {
    if (pos >= message.size()) return malformed("domain name", "truncated");
    uint8_t len = message[pos];
    if ((len & 0xc0) == 0xc0) {
      if (!allow_pointers) return malformed("domain name", "compression pointer not allowed here");
      if (++hops > kMaxPointerHops) return malformed("domain name", "too many pointers");
      if (pos + 1 >= message.size()) return malformed("domain name", "truncated pointer");
      size_t target = size_t(len & 0x3f) << 8 | message[pos + 1];
      if (target >= pos) {
        return malformed("domain name",
                         fmt::format("pointer at {} to {} does not point back", pos, target));
      }
      if (!jumped) offset = pos + 2;
      jumped = true;
      pos = target;
      continue;
    }
    if (len & 0xc0) return malformed("domain name", fmt::format("bad label type {:#04x}", len));
    if (len == 0) {
      if (!jumped) offset = pos + 1;
      break;
    }
    if (pos + 1 + len > message.size()) return malformed("domain name", "truncated label");
    wire_len += size_t(len) + 1;
    if (wire_len > kDnsMaxNameLen) return malformed("domain name", "longer than 255 bytes");
    if (!name.empty()) name += '.';
    append_escaped(name, message.subspan(pos + 1, len));
    pos += 1 + size_t(len);
  }
  if (name.empty()) name = ".";
  return name;
}

Result<std::vector<std::string>> decode_dns_name_list(ByteView data, bool allow_pointers,
                                                      bool allow_padding) {
  std::vector<std::string> names;
  size_t offset = 0;
  while (offset < data.size()) {
    if (allow_padding && data[offset] == 0) {
      for (size_t i = offset; i < data.size(); ++i) {
        if (data[i] != 0) return malformed("domain name list", "data after padding");
      }
      break;
    }
    OVNX_ASSIGN_OR_RETURN(std::string name, decode_dns_name(data, offset, allow_pointers));
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace ovnx::packets
