#include "jsonrpc/framer.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/stream_parser.hpp>
#include <fmt/format.h>

namespace ovnx::jsonrpc {

struct Framer::Impl {
  Impl(size_t max, bool arena) : max_bytes(max), arena(arena), parser({}, make_options()) {
    next_storage();
  }
  void next_storage() {
    if (arena) parser.reset(boost::json::make_shared_resource<boost::json::monotonic_resource>());
  }
  static boost::json::parse_options make_options() {
    boost::json::parse_options o;
    o.max_depth = 128;
    return o;
  }
  size_t max_bytes;
  bool arena;
  size_t current_bytes = 0;  // bytes of the message being parsed
  bool in_message = false;
  boost::json::stream_parser parser;
};

Framer::Framer(size_t max_message_bytes, bool arena_per_message)
    : impl_(std::make_unique<Impl>(max_message_bytes, arena_per_message)) {}
Framer::~Framer() = default;

Status Framer::feed(std::string_view bytes, std::vector<boost::json::value>* out) {
  Impl& s = *impl_;
  while (!bytes.empty()) {
    if (!s.in_message) {
      // Skip whitespace between messages so it never counts as a partial message.
      size_t skip = 0;
      while (skip < bytes.size() && (bytes[skip] == ' ' || bytes[skip] == '\n' ||
                                     bytes[skip] == '\r' || bytes[skip] == '\t')) {
        ++skip;
      }
      bytes.remove_prefix(skip);
      if (bytes.empty()) break;
      s.in_message = true;
      s.current_bytes = 0;
    }
    boost::system::error_code ec;
    size_t n = s.parser.write_some(bytes.data(), bytes.size(), ec);
    if (ec) {
      return make_error("syntax error", fmt::format("invalid JSON: {}", ec.message()));
    }
    s.current_bytes += n;
    bytes.remove_prefix(n);
    if (s.parser.done()) {
      out->push_back(s.parser.release());
      s.parser.reset();
      s.next_storage();
      s.in_message = false;
    } else if (s.current_bytes > s.max_bytes) {
      return make_error("syntax error", fmt::format("message exceeds {} bytes", s.max_bytes));
    }
  }
  return {};
}

}  // namespace ovnx::jsonrpc
