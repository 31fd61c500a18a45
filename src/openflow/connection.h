// Connection: an OpenFlow 1.5 client connection to a switch, like OVS's rconn.
//
// Connects to "unix:PATH" (e.g. the bridge management socket <OVS_RUNDIR>/br-int.mgmt) or
// "tcp:IP:PORT", exchanges hellos (OpenFlow 1.5 only), answers echo requests, probes an idle
// switch with echo requests and drops the connection if it stays silent, and reconnects with
// exponential backoff. Requests are tracked by xid (replies, OFPT_ERRORs and barriers go to
// the request's handler); everything else (packet-ins, port status, unsolicited errors) goes
// to on_message.
//
// Single-threaded on the caller's io_context; handlers run on it. Pending requests and batches
// fail ("connection closed") when the connection drops, and inside stop(); after stop()
// returns no handler runs again. Destroying a Connection runs no handler at all (pending ones
// are dropped), so it is safe to destroy it after objects its handlers refer to.
// on_connected runs after each (re)connection so the owner can resynchronize (e.g.
// FlowTable::forget_installed() then sync()).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "openflow/channel.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::openflow {

struct ConnectionOptions {
  std::string target;         // "unix:/run/openvswitch/br-int.mgmt", "tcp:127.0.0.1:6653"
  int min_backoff_ms = 100;   // first reconnect delay, doubled up to max_backoff_ms
  int max_backoff_ms = 8000;
  int probe_interval_ms = 5000;  // idle time before an echo request; 0 disables probing
  size_t max_message_bytes = 65535;
  // On every connection, before on_connected: ask for NXT_PACKET_IN2 packet-ins and set a
  // nonzero miss_send_len. Open vSwitch sends no asynchronous messages (packet-ins included)
  // to a management-socket ("service") connection until it sets a nonzero miss_send_len.
  bool receive_packet_ins = false;
};

class Connection : public Channel {
 public:
  struct Handlers {
    std::function<void()> on_connected;                // hello done; (re)install state here
    std::function<void(const Envelope&)> on_message;   // asynchronous messages
    std::function<void(const Error&)> on_disconnected; // each time a connection ends
  };

  Connection(boost::asio::io_context& io, ConnectionOptions options);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts connecting (and reconnecting).
  void start(Handlers handlers);
  // Closes and stops reconnecting; pending requests and batches fail ("connection closed").
  void stop();

  bool is_connected() const;
  // Increments on every successful connection (hello done).
  uint64_t connection_seqno() const;
  const std::string& target() const;

  // Sends one message with a fresh xid (returned). Fails if not connected or unencodable.
  Result<uint32_t> send(const Message& message);

  // Channel.
  void send_batch(std::vector<Message> messages, BatchHandler done) override;
  // send_batch() of messages encoded already (the big flow bundles: one buffer, one write).
  void send_encoded_batch(EncodedBatch batch, BatchHandler done);
  void request(Message request, ReplyHandler on_reply) override;

  // Drops the current connection (the reconnect logic then reconnects).
  void force_reconnect();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ovnx::openflow
