#include "jsonrpc/address.h"

#include <charconv>

#include <fmt/format.h>

namespace ovnx::jsonrpc {

namespace {

Result<uint16_t> parse_port(std::string_view text, std::string_view whole) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > 65535) {
    return make_error("syntax error", fmt::format("{}: bad port number \"{}\"", whole, text));
  }
  return static_cast<uint16_t>(value);
}

// Splits "HOST[:PORT]" where HOST may be "[v6]"; for passive, "PORT[:HOST]".
Status split_host_port(std::string_view rest, bool passive, uint16_t default_port,
                       std::string_view whole, Address* a) {
  if (passive) {
    // ptcp:[PORT][:IP]
    size_t colon = rest.find(':');
    std::string_view port = rest.substr(0, colon);
    std::string_view host = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    if (port.empty()) {
      a->port = default_port;
    } else {
      OVNX_ASSIGN_OR_RETURN(a->port, parse_port(port, whole));
    }
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
      host = host.substr(1, host.size() - 2);
    }
    a->host = std::string(host);
    return {};
  }
  std::string_view host, port;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return make_error("syntax error", fmt::format("{}: missing ']' in IPv6 address", whole));
    }
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return make_error("syntax error", fmt::format("{}: bad address", whole));
      port = after.substr(1);
    }
  } else {
    size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon) {
      // Bare IPv6 without brackets: no port.
      host = rest;
    } else {
      host = rest.substr(0, colon);
      if (colon != std::string_view::npos) port = rest.substr(colon + 1);
    }
  }
  if (host.empty()) return make_error("syntax error", fmt::format("{}: missing host", whole));
  a->host = std::string(host);
  if (port.empty()) {
    a->port = default_port;
  } else {
    OVNX_ASSIGN_OR_RETURN(a->port, parse_port(port, whole));
  }
  return {};
}

}  // namespace

std::string Address::to_string() const {
  std::string p = passive ? "p" : "";
  if (kind == Kind::unix_socket) return p + "unix:" + path;
  std::string scheme = p + (kind == Kind::tcp ? "tcp" : "ssl");
  bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  if (passive) return host.empty() ? fmt::format("{}:{}", scheme, port)
                                   : fmt::format("{}:{}:{}", scheme, port, h);
  return fmt::format("{}:{}:{}", scheme, h, port);
}

Result<Address> parse_address(std::string_view text, uint16_t default_port) {
  Address a;
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return make_error("syntax error",
                      fmt::format("{}: unknown connection method (expected unix:, tcp:, ssl:, "
                                  "punix:, ptcp: or pssl:)", text));
  }
  std::string_view scheme = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  if (!scheme.empty() && scheme[0] == 'p') {
    a.passive = true;
    scheme.remove_prefix(1);
  }
  if (scheme == "unix") {
    if (rest.empty()) return make_error("syntax error", fmt::format("{}: missing path", text));
    a.kind = Address::Kind::unix_socket;
    a.path = std::string(rest);
    return a;
  }
  if (scheme == "tcp" || scheme == "ssl") {
    a.kind = scheme == "tcp" ? Address::Kind::tcp : Address::Kind::ssl;
    OVNX_RETURN_IF_ERROR(split_host_port(rest, a.passive, default_port, text, &a));
    return a;
  }
  return make_error("syntax error", fmt::format("{}: unknown connection method \"{}\"", text,
                                                text.substr(0, colon)));
}

Result<std::vector<Address>> parse_address_list(std::string_view text, uint16_t default_port) {
  std::vector<Address> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? text.npos
                                                                                : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) {
      OVNX_ASSIGN_OR_RETURN(Address a, parse_address(item, default_port));
      out.push_back(std::move(a));
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (out.empty()) return make_error("syntax error", "empty connection method list");
  return out;
}

}  // namespace ovnx::jsonrpc
