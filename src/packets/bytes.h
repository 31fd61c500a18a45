// Bounds-checked reading and appending of big-endian (network order) fields. Every parser in
// this module reads through ByteReader, so no wire input can make us read past its end: a short
// read returns an error naming the field that did not fit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "packets/addresses.h"

namespace ovnx::packets {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// The error every parser returns for input that is too short or inconsistent. Tag "malformed
// packet", details "<what>: <why>".
Error malformed(std::string_view what, std::string_view why);

// Reads fields in order from a view it does not own (the view must outlive the reader).
class ByteReader {
 public:
  // `what` names the structure being read, for error messages ("IPv4 header").
  ByteReader(ByteView data, std::string_view what) : data_(data), what_(what) {}

  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  ByteView rest() const { return data_.subspan(pos_); }
  ByteView whole() const { return data_; }

  Result<uint8_t> u8(std::string_view field);
  Result<uint16_t> u16(std::string_view field);
  Result<uint32_t> u24(std::string_view field);
  Result<uint32_t> u32(std::string_view field);
  Result<ByteView> bytes(size_t n, std::string_view field);
  Result<MacAddr> mac(std::string_view field);
  Result<Ipv4Addr> ipv4(std::string_view field);
  Result<Ipv6Addr> ipv6(std::string_view field);
  Status skip(size_t n, std::string_view field);

 private:
  Status need(size_t n, std::string_view field) const;

  ByteView data_;
  std::string_view what_;
  size_t pos_ = 0;
};

// Appends fields to a byte vector it does not own.
class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) : out_(out) {}

  size_t size() const { return out_.size(); }
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    out_.push_back(uint8_t(v >> 8));
    out_.push_back(uint8_t(v));
  }
  void u24(uint32_t v) {
    out_.push_back(uint8_t(v >> 16));
    u16(uint16_t(v));
  }
  void u32(uint32_t v) {
    u16(uint16_t(v >> 16));
    u16(uint16_t(v));
  }
  void bytes(ByteView v) { out_.insert(out_.end(), v.begin(), v.end()); }
  void text(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void zeros(size_t n) { out_.insert(out_.end(), n, uint8_t{0}); }
  void mac(const MacAddr& m) { bytes(m.bytes); }
  void ipv4(Ipv4Addr a) { bytes(a.to_bytes()); }
  void ipv6(const Ipv6Addr& a) { bytes(a.bytes); }
  // Overwrites a 16-bit field already written at `offset`. REQUIRES: offset + 2 <= size().
  void put_u16_at(size_t offset, uint16_t v) {
    out_[offset] = uint8_t(v >> 8);
    out_[offset + 1] = uint8_t(v);
  }

 private:
  Bytes& out_;
};

// Reads a big-endian 16-bit value. REQUIRES: p[0..1] readable.
inline uint16_t load_u16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

// "0a 00 00 01" style hex dump, for test failure messages and debug logs.
std::string to_hex(ByteView data);
// Parses hex digits, ignoring whitespace, '.', ':' separators. For tests and tools.
Result<Bytes> from_hex(std::string_view text);

}  // namespace ovnx::packets
