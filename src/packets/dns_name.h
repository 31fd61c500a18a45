// Domain names in DNS wire format (RFC 1035 3.1, 4.1.4): a sequence of length-prefixed labels
// ending in a zero byte, optionally ending instead in a 2-byte pointer to an earlier name
// ("compression"). Used by DNS messages, DHCPv4 option 119 (RFC 3397, which allows compression
// relative to the option data), DHCPv6 domain lists and ND DNSSL (uncompressed).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "packets/bytes.h"

namespace ovnx::packets {

inline constexpr size_t kDnsMaxLabelLen = 63;
inline constexpr size_t kDnsMaxNameLen = 255;  // wire length, labels and length bytes

// Appends `name` ("example.com", "example.com." or "." for the root) uncompressed. Empty labels,
// labels over 63 bytes and names over 255 wire bytes are errors. "\." and "\DDD" escapes are
// understood, as decode_dns_name writes them.
Status encode_dns_name(std::string_view name, Bytes& out);

// Encodes successive names into one buffer, replacing any suffix already written with a pointer
// to it. Offsets in pointers are relative to `base`, the index in `out` where the message (or
// option body) begins.
class DnsNameCompressor {
 public:
  explicit DnsNameCompressor(size_t base) : base_(base) {}
  Status encode(std::string_view name, Bytes& out);

 private:
  size_t base_;
  std::unordered_map<std::string, uint16_t> suffixes_;  // name suffix -> offset from base
};

// Decodes the name at `offset` in `message`, advancing `offset` past it (past the first pointer,
// if any). With `allow_pointers`, compression pointers are followed, but only backwards (each
// pointer must point before itself) and at most 128 times; with the 255-byte limit on the
// decoded name, that bounds the work for any input, loops included. The result has no trailing
// dot; the root is ".". Dots and unprintable bytes inside labels are escaped as "\." and
// "\DDD".
Result<std::string> decode_dns_name(ByteView message, size_t& offset, bool allow_pointers = true);

// A list of names filling `data` completely (DHCPv6 domain lists, ND DNSSL with its zero padding
// when `allow_padding`).
Result<std::vector<std::string>> decode_dns_name_list(ByteView data, bool allow_pointers,
                                                      bool allow_padding = false);

}  // namespace ovnx::packets
