// Fuzzes the server's input surfaces: a JSON-RPC byte stream from a client (framing, every
// method, transactions, monitors and the updates commits produce, locks, waiting
// transactions), a storage record replayed from disk, and the log's record framing.
// The first byte selects the surface (mod 3); the rest is the input.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "jsonrpc/connection.h"
#include "jsonrpc/framer.h"
#include "jsonrpc/message.h"
#include "ovsdb/server/database.h"
#include "ovsdb/server/log_file.h"
#include "ovsdb/server/server.h"
#include "ovsdb/server/storage.h"

namespace {

using namespace ovnx;
using namespace ovnx::ovsdb;
using namespace ovnx::ovsdb::server;

const char* kSchema = R"({"name":"Fuzz","version":"1.0.0","tables":{
  "Parent":{"columns":{"name":{"type":"string"},
    "count":{"type":{"key":{"type":"integer","minInteger":0,"maxInteger":100}}},
    "color":{"type":{"key":{"type":"string","enum":["set",["red","green"]]},"min":0,"max":1}},
    "nums":{"type":{"key":"integer","min":0,"max":"unlimited"}},
    "opts":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}},
    "children":{"type":{"key":{"type":"uuid","refTable":"Child"},"min":0,"max":"unlimited"}},
    "weak":{"type":{"key":{"type":"uuid","refTable":"Child","refType":"weak"},"min":0,"max":"unlimited"}},
    "wmap":{"type":{"key":"string","value":{"type":"uuid","refTable":"Other","refType":"weak"},"min":0,"max":"unlimited"}},
    "fixed":{"type":"integer","mutable":false},"temp":{"type":"integer","ephemeral":true},
    "r":{"type":{"key":"real","min":0,"max":1}}},
   "isRoot":true,"indexes":[["name"]]},
  "Child":{"columns":{"n":{"type":"integer"},
    "grand":{"type":{"key":{"type":"uuid","refTable":"Grand"},"min":0,"max":1}}}},
  "Grand":{"columns":{"g":{"type":"string"}}},
  "Other":{"columns":{"o":{"type":"integer"}},"isRoot":true,"maxRows":3}}})";

std::shared_ptr<const DatabaseSchema> schema() {
  static auto s = *DatabaseSchema::from_text(kSchema);
  return s;
}

// A connection whose peer is the fuzzer: messages are delivered by hand, output discarded.
class FakeConnection final : public jsonrpc::Connection {
 public:
  void start(MessageHandler on_message, CloseHandler on_close) override {
    on_message_ = std::move(on_message);
    on_close_ = std::move(on_close);
  }
  void send(const jsonrpc::Message& m) override { send_serialized(m.serialize()); }
  void send_serialized(std::string text) override { sent_ += text.size(); }
  size_t backlog_bytes() const override { return 0; }
  bool is_open() const override { return open_; }
  void close() override { open_ = false; }
  void close_after_flush() override { open_ = false; }
  const std::string& name() const override { return name_; }
  void deliver(jsonrpc::Message&& m) {
    if (open_ && on_message_) on_message_(std::move(m));
  }
  void hang_up() {
    if (open_ && on_close_) {
      open_ = false;
      on_close_(make_error("connection closed"));
    }
  }

 private:
  MessageHandler on_message_;
  CloseHandler on_close_;
  bool open_ = true;
  size_t sent_ = 0;
  std::string name_ = "fuzz";
};

void fuzz_session(std::string_view input) {
  boost::asio::io_context io;
  {
    Server server(io);
    (void)server.add_database(std::make_unique<Database>(schema()));
    // Two clients: the stream alternates between them at each 0x1e byte, so one's commits
    // reach the other's monitors and locks.
    std::shared_ptr<FakeConnection> conns[2] = {std::make_shared<FakeConnection>(),
                                                std::make_shared<FakeConnection>()};
    server.serve(conns[0]);
    server.serve(conns[1]);
    std::unique_ptr<jsonrpc::Framer> framers[2] = {std::make_unique<jsonrpc::Framer>(1 << 20, true),
                                                   std::make_unique<jsonrpc::Framer>(1 << 20, false)};
    int who = 0;
    size_t start = 0;
    for (size_t i = 0; i <= input.size(); ++i) {
      if (i < input.size() && input[i] != '\x1e') continue;
      std::vector<boost::json::value> values;
      Status st = framers[who]->feed(input.substr(start, i - start), &values);
      for (auto& v : values) {
        auto m = jsonrpc::message_from_json(std::move(v));
        if (m.ok()) conns[who]->deliver(std::move(*m));
        io.poll();
      }
      if (!st.ok()) conns[who]->hang_up();
      io.poll();
      who ^= 1;
      start = i + 1;
    }
    conns[0]->hang_up();
    io.poll();
  }
  io.poll();
}

void fuzz_replay(std::string_view input) {
  Database db(schema());
  // A record may follow another: replay each line.
  size_t start = 0;
  while (start < input.size()) {
    size_t nl = input.find('\n', start);
    if (nl == std::string_view::npos) nl = input.size();
    (void)Storage::replay(db, input.substr(start, nl - start));
    start = nl + 1;
  }
  (void)Storage::snapshot_text(db, "fuzz");
}

void fuzz_records(std::string_view input) {
  RecordReader reader(input);
  for (int i = 0; i < 1000; ++i) {
    auto r = reader.next();
    if (!r.ok() || !*r) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: fuzz_session(input); break;
    case 1: fuzz_replay(input); break;
    default: fuzz_records(input); break;
  }
  return 0;
}
