#include "packets/checksum.h"

namespace ovnx::packets {

uint32_t checksum_add(uint32_t sum, ByteView data) {
  uint64_t s = sum;  // wide accumulator: no overflow for any realistic length
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) s += load_u16(&data[i]);
  if (i < data.size()) s += uint32_t(data[i]) << 8;
  while (s >> 32) s = (s & 0xffffffff) + (s >> 32);
  return uint32_t(s);
}

uint16_t checksum_finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return uint16_t(~sum);
}

uint16_t internet_checksum(ByteView data) { return checksum_finish(checksum_add(0, data)); }

uint32_t pseudo_header_sum(const Ipv4Endpoints& ip, uint8_t proto, uint32_t length) {
  uint64_t s = (ip.src.value >> 16) + (ip.src.value & 0xffff) + (ip.dst.value >> 16) +
               (ip.dst.value & 0xffff) + proto + (length & 0xffff) + (length >> 16);
  while (s >> 32) s = (s & 0xffffffff) + (s >> 32);
  return uint32_t(s);
}

uint32_t pseudo_header_sum(const Ipv6Endpoints& ip, uint8_t proto, uint32_t length) {
  uint32_t s = checksum_add(0, ip.src.bytes);
  s = checksum_add(s, ip.dst.bytes);
  uint8_t tail[8] = {uint8_t(length >> 24),
                     uint8_t(length >> 16),
                     uint8_t(length >> 8),
                     uint8_t(length),
                     0,
                     0,
                     0,
                     proto};
  return checksum_add(s, tail);
}

}  // namespace ovnx::packets
