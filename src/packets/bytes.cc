#include "packets/bytes.h"

#include <fmt/format.h>

namespace ovnx::packets {

Error malformed(std::string_view what, std::string_view why) {
  return make_error("malformed packet", fmt::format("{}: {}", what, why));
}

Status ByteReader::need(size_t n, std::string_view field) const {
  if (n > remaining()) {
    return malformed(what_, fmt::format("truncated at {} (offset {}, need {} bytes, have {})",
                                        field, pos_, n, remaining()));
  }
  return {};
}

Result<uint8_t> ByteReader::u8(std::string_view field) {
  OVNX_RETURN_IF_ERROR(need(1, field));
  return data_[pos_++];
}

Result<uint16_t> ByteReader::u16(std::string_view field) {
  OVNX_RETURN_IF_ERROR(need(2, field));
  uint16_t v = load_u16(&data_[pos_]);
  pos_ += 2;
  return v;
}

Result<uint32_t> ByteReader::u24(std::string_view field) {
  OVNX_RETURN_IF_ERROR(need(3, field));
  uint32_t v = uint32_t(data_[pos_]) << 16 | uint32_t(data_[pos_ + 1]) << 8 | data_[pos_ + 2];
  pos_ += 3;
  return v;
}

Result<uint32_t> ByteReader::u32(std::string_view field) {
  OVNX_RETURN_IF_ERROR(need(4, field));
  uint32_t v = uint32_t(load_u16(&data_[pos_])) << 16 | load_u16(&data_[pos_ + 2]);
  pos_ += 4;
  return v;
}

Result<ByteView> ByteReader::bytes(size_t n, std::string_view field) {
  OVNX_RETURN_IF_ERROR(need(n, field));
  ByteView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

Result<MacAddr> ByteReader::mac(std::string_view field) {
  OVNX_ASSIGN_OR_RETURN(ByteView b, bytes(6, field));
  MacAddr m;
  for (size_t i = 0; i < 6; ++i) m.bytes[i] = b[i];
  return m;
}

Result<Ipv4Addr> ByteReader::ipv4(std::string_view field) {
  OVNX_ASSIGN_OR_RETURN(ByteView b, bytes(4, field));
  return Ipv4Addr::from_bytes(b.data());
}

Result<Ipv6Addr> ByteReader::ipv6(std::string_view field) {
  OVNX_ASSIGN_OR_RETURN(ByteView b, bytes(16, field));
  return Ipv6Addr::from_bytes(b.data());
}

Status ByteReader::skip(size_t n, std::string_view field) {
  OVNX_RETURN_IF_ERROR(need(n, field));
  pos_ += n;
  return {};
}

std::string to_hex(ByteView data) {
  std::string out;
  out.reserve(data.size() * 3);
  for (size_t i = 0; i < data.size(); ++i) {
    if (i) out += ' ';
    out += fmt::format("{:02x}", data[i]);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view text) {
  Bytes out;
  int pending = -1;
  for (char c : text) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else if (c == ' ' || c == '\n' || c == '\t' || c == '.' || c == ':') {
      continue;
    } else {
      return make_error("syntax error", fmt::format("bad hex character '{}'", c));
    }
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(uint8_t(pending << 4 | v));
      pending = -1;
    }
  }
  if (pending >= 0) return make_error("syntax error", "odd number of hex digits");
  return out;
}

}  // namespace ovnx::packets
