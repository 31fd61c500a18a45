// Splits a byte stream into JSON values. OVSDB's JSON-RPC has no length prefix: messages are
// concatenated JSON texts, so an incremental parser finds their ends.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "base/result.h"

namespace ovnx::jsonrpc {

class Framer {
 public:
  // A message larger than MAX_MESSAGE_BYTES is an error (protects against memory exhaustion).
  // With ARENA_PER_MESSAGE, each parsed value lives in its own monotonic arena, freed at once
  // when the value (and every copy that shares its storage) is destroyed: much cheaper for
  // large messages that are processed and dropped, but do not keep such values around.
  explicit Framer(size_t max_message_bytes = 512u << 20, bool arena_per_message = false);
  ~Framer();
  Framer(const Framer&) = delete;
  Framer& operator=(const Framer&) = delete;

  // Feeds bytes; appends each complete JSON value to OUT. After an error the stream is
  // unusable (JSON-RPC cannot resynchronise) and the caller should close the connection.
  Status feed(std::string_view bytes, std::vector<boost::json::value>* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ovnx::jsonrpc
