// Channel: what flow-table code needs from an OpenFlow connection — send a batch of messages
// and learn which failed, or send one request and get its reply. Connection implements it;
// tests implement it with a fake switch (the seam for I/O).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "openflow/codec.h"
#include "openflow/messages.h"

namespace ovnx::openflow {

// The outcome of a batch: the switch's errors, each with the index of the message it names.
struct BatchResult {
  std::vector<std::pair<size_t, ErrorMsg>> errors;
  // Set when the batch could not complete (not connected, connection lost, encode error);
  // then it is unknown which messages took effect.
  std::optional<Error> failure;

  bool ok() const { return errors.empty() && !failure; }
  // ok, or an Error ("openflow error") summarizing the failure / every switch error.
  Status status() const;
};

class Channel {
 public:
  using BatchHandler = std::function<void(const BatchResult&)>;
  using ReplyHandler = std::function<void(Result<Envelope>)>;

  virtual ~Channel() = default;

  // Sends MESSAGES in order, then a barrier; DONE runs once the barrier is answered (every
  // error the switch sent for them has arrived by then) or the connection fails. Replies to
  // messages of the batch (e.g. bundle control replies) are consumed.
  virtual void send_batch(std::vector<Message> messages, BatchHandler done) = 0;

  // Sends REQUEST; ON_REPLY gets the reply with the same xid — multipart replies merged into
  // one (FlowStatsReply) — or the switch's OFPT_ERROR as an Error, or a connection error.
  virtual void request(Message request, ReplyHandler on_reply) = 0;
};

}  // namespace ovnx::openflow
