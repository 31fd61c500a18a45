// Encoding and decoding of OpenFlow 1.5 messages (messages.h) to and from wire bytes.
//
// Every decode path is bounds-checked; malformed input yields an Error tagged
// "openflow decode error" whose details say what was wrong and where. Encoding fails (tag
// "openflow encode error") only for values that cannot be expressed on the wire, e.g. an
// invalid subfield or an oversized message.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/result.h"
#include "openflow/messages.h"

namespace ovnx::openflow {

inline constexpr size_t kHeaderLen = 8;

// A decoded message with its header fields.
struct Envelope {
  uint8_t version = kVersion15;
  uint32_t xid = 0;
  Message message;
};

// For stream framing: the total length of the message at the start of DATA, or nullopt if
// fewer than 8 bytes are available. Fails if the header's length is below 8.
Result<std::optional<size_t>> peek_length(std::span<const uint8_t> data);

// Encodes M with transaction id XID as an OpenFlow 1.5 message.
Result<std::vector<uint8_t>> encode(const Message& m, uint32_t xid);

// Messages encoded back to back in one buffer, to be sent as one batch
// (Connection::send_encoded_batch). Their xids are left 0 and set by take(): the connection
// numbers a batch's messages consecutively, so it tracks a batch by its xid range instead of
// one entry per message. A bundle-add of a flow_mod is written in place (the header, the
// flow_mod, then the lengths patched): no separate flow_mod buffer to copy in afterwards.
class EncodedBatch {
 public:
  // Appends M; on failure nothing is appended.
  Status add(const Message& m);
  // Appends BundleAdd{BUNDLE_ID, FLAGS, <MOD with FLOW in place of mod.flow>}, byte-identical
  // to encode() of the two-step form; on failure nothing is appended.
  Status add_bundled_flow_mod(uint32_t bundle_id, uint16_t flags, const FlowMod& mod,
                              const Flow& flow);
  // Appends OTHER's messages.
  void append(const EncodedBatch& other);
  void reserve(size_t bytes) { bytes_.reserve(bytes); }

  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::span<const uint8_t> bytes() const { return bytes_; }

  // The bytes, with xids FIRST_XID, FIRST_XID + 1, ... in message order (a bundle-add's inner
  // message gets its add's xid, as encode() does). Leaves the batch empty.
  std::vector<uint8_t> take(uint32_t first_xid);

 private:
  std::vector<uint8_t> bytes_;
  size_t count_ = 0;
};

// Decodes exactly one message (DATA must be the whole message). Hello is decoded at any
// version; everything else must be OpenFlow 1.5.
Result<Envelope> decode(std::span<const uint8_t> data);

// The version to use after receiving PEER's hello (we speak only 1.5), or an error explaining
// the mismatch.
Result<uint8_t> negotiate_version(const Envelope& peer_hello);

// A Resume continuing PIN's paused pipeline. REQUIRES: pin.continuation.
Resume resume_from(const PacketIn& pin);

// Pieces, for tests, fuzzing and tools.
Result<std::vector<uint8_t>> encode_match(const Match& m);  // an ofp_match, padded
Result<Match> decode_match(std::span<const uint8_t> data);   // ... and its padding
Result<std::vector<uint8_t>> encode_actions(const ActionList& actions);
Result<ActionList> decode_actions(std::span<const uint8_t> data);

}  // namespace ovnx::openflow
