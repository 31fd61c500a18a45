// JSON-RPC 1.0 messages as OVSDB uses them (RFC 7047 section 4): requests, notifications
// (id null), replies and error replies.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "base/result.h"

namespace ovnx::jsonrpc {

struct Message {
  enum class Type { request, notify, reply, error };

  Type type = Type::request;
  std::string method;              // request, notify
  boost::json::value params;       // request, notify: an array
  boost::json::value result;       // reply
  boost::json::value error;        // error: usually a string or an OVSDB error object
  boost::json::value id;           // request, reply, error

  static Message request(std::string method, boost::json::value params, boost::json::value id);
  static Message notify(std::string method, boost::json::value params);
  static Message reply(boost::json::value result, boost::json::value id);
  static Message error_reply(boost::json::value error, boost::json::value id);

  boost::json::value to_json() const;
  std::string serialize() const;
  // Short description for logs, e.g. "request transact, id=3".
  std::string summary() const;
};

// Validates the shape of a received JSON value; never trusts it.
Result<Message> message_from_json(boost::json::value&& json);

const char* type_name(Message::Type type);

}  // namespace ovnx::jsonrpc
