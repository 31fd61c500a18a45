// Internal: big-endian byte writer and bounds-checked reader for the OpenFlow codec.
//
// Reader uses a sticky error: reads past the end return zeros and record an error naming what
// was being read; decoders check ok() before trusting any length they read. Nothing here
// throws or asserts on input bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "openflow/value.h"

namespace ovnx::openflow::wire {

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) : out_(out) {}

  size_t size() const { return out_.size(); }
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v) {
    u8(static_cast<uint8_t>(v >> 8));
    u8(static_cast<uint8_t>(v));
  }
  void u32(uint32_t v) {
    u16(static_cast<uint16_t>(v >> 16));
    u16(static_cast<uint16_t>(v));
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v >> 32));
    u32(static_cast<uint32_t>(v));
  }
  // The low N bytes of V, big-endian (N <= 16).
  void value(U128 v, size_t n);
  void bytes(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void zeros(size_t n) { out_.insert(out_.end(), n, 0); }
  // Zero-pads so that (size() - START) is a multiple of ALIGN.
  void pad_from(size_t start, size_t align) {
    size_t len = size() - start;
    zeros((align - len % align) % align);
  }
  // Overwrites a 16-bit field written earlier (a length, typically).
  void patch_u16(size_t pos, uint16_t v) {
    out_[pos] = static_cast<uint8_t>(v >> 8);
    out_[pos + 1] = static_cast<uint8_t>(v);
  }
  void patch_u32(size_t pos, uint32_t v) {
    patch_u16(pos, static_cast<uint16_t>(v >> 16));
    patch_u16(pos + 2, static_cast<uint16_t>(v));
  }

 private:
  std::vector<uint8_t>& out_;
};

inline size_t round_up(size_t n, size_t align) { return (n + align - 1) / align * align; }

class Reader {
 public:
  Reader(std::span<const uint8_t> data, std::string_view what) : data_(data), what_(what) {}

  size_t remaining() const { return ok() ? data_.size() - pos_ : 0; }
  size_t offset() const { return pos_; }
  bool ok() const { return error_.empty(); }
  bool empty() const { return remaining() == 0; }

  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  uint64_t u64();
  U128 value(size_t n);  // n <= 16 big-endian bytes
  std::span<const uint8_t> bytes(size_t n);
  std::vector<uint8_t> vec(size_t n) {
    auto b = bytes(n);
    return {b.begin(), b.end()};
  }
  void skip(size_t n) { (void)bytes(n); }
  // The rest of the data, consumed.
  std::span<const uint8_t> rest() { return bytes(remaining()); }
  // A reader over the next N bytes (consumed here), naming its contents WHAT.
  Reader sub(size_t n, std::string_view what);
  // Records a semantic error (bad length, unknown code, ...) unless one is already recorded.
  void fail(std::string message);

  // ok() or the first error, as an Error tagged "openflow decode error".
  Status status() const;

 private:
  bool need(size_t n);

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  std::string what_;
  std::string error_;
};

Error decode_error(std::string details);

}  // namespace ovnx::openflow::wire
