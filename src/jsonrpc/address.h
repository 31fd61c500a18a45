// Connection method strings as OVS programs take them:
//   active:  unix:PATH   tcp:IP[:PORT]   ssl:IP[:PORT]      ([IPv6] in brackets)
//   passive: punix:PATH  ptcp:[PORT][:IP]  pssl:[PORT][:IP]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ovnx::jsonrpc {

struct Address {
  enum class Kind { unix_socket, tcp, ssl };
  Kind kind = Kind::unix_socket;
  bool passive = false;
  std::string path;  // unix sockets
  std::string host;  // tcp/ssl: numeric IP (empty for passive = any address)
  uint16_t port = 0; // tcp/ssl; for passive 0 means "pick one"

  std::string to_string() const;  // canonical text, e.g. "tcp:127.0.0.1:6641"
};

// Parses one method string. DEFAULT_PORT fills in an omitted tcp/ssl port.
Result<Address> parse_address(std::string_view text, uint16_t default_port = 6640);

// Splits a comma-separated list ("tcp:a:1,tcp:b:2") and parses each.
Result<std::vector<Address>> parse_address_list(std::string_view text,
                                                uint16_t default_port = 6640);

}  // namespace ovnx::jsonrpc
