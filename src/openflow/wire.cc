#include "openflow/wire.h"

#include <fmt/format.h>

namespace ovnx::openflow::wire {

void Writer::value(U128 v, size_t n) {
  uint8_t buf[16];
  v.to_be_bytes(std::span<uint8_t>(buf, n));
  bytes(std::span<const uint8_t>(buf, n));
}

bool Reader::need(size_t n) {
  if (!ok()) return false;
  if (data_.size() - pos_ < n) {
    error_ = fmt::format("{} truncated: need {} bytes at offset {}, only {} left", what_, n, pos_,
                         data_.size() - pos_);
    return false;
  }
  return true;
}

uint8_t Reader::u8() {
  if (!need(1)) return 0;
  return data_[pos_++];
}

uint16_t Reader::u16() {
  if (!need(2)) return 0;
  uint16_t v = static_cast<uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

uint32_t Reader::u32() {
  uint32_t hi = u16();
  return (hi << 16) | u16();
}

uint64_t Reader::u64() {
  uint64_t hi = u32();
  return (hi << 32) | u32();
}

U128 Reader::value(size_t n) {
  if (n > 16) {
    fail(fmt::format("{}: value of {} bytes is wider than 16", what_, n));
    return {};
  }
  return U128::from_be_bytes(bytes(n));
}

std::span<const uint8_t> Reader::bytes(size_t n) {
  if (!need(n)) return {};
  auto s = data_.subspan(pos_, n);
  pos_ += n;
  return s;
}

Reader Reader::sub(size_t n, std::string_view what) {
  auto b = bytes(n);
  Reader r(b, what);
  if (!ok()) r.error_ = error_;
  return r;
}

void Reader::fail(std::string message) {
  if (ok()) error_ = std::move(message);
}

Status Reader::status() const {
  if (ok()) return ok_status();
  return decode_error(error_);
}

Error decode_error(std::string details) {
  return make_error("openflow decode error", std::move(details));
}

}  // namespace ovnx::openflow::wire
