#include "jsonrpc/message.h"

#include <memory>
#include <string_view>

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace ovnx::jsonrpc {

namespace json = boost::json;

Message Message::request(std::string method, json::value params, json::value id) {
  Message m;
  m.type = Type::request;
  m.method = std::move(method);
  m.params = std::move(params);
  m.id = std::move(id);
  return m;
}

Message Message::notify(std::string method, json::value params) {
  Message m;
  m.type = Type::notify;
  m.method = std::move(method);
  m.params = std::move(params);
  return m;
}

Message Message::reply(json::value result, json::value id) {
  Message m;
  m.type = Type::reply;
  m.result = std::move(result);
  m.id = std::move(id);
  return m;
}

Message Message::error_reply(json::value error, json::value id) {
  Message m;
  m.type = Type::error;
  m.error = std::move(error);
  m.id = std::move(id);
  return m;
}

json::value Message::to_json() const {
  json::object o;
  switch (type) {
    case Type::request:
    case Type::notify:
      o["method"] = method;
      o["params"] = params.is_null() ? json::value(json::array()) : params;
      o["id"] = type == Type::notify ? json::value(nullptr) : id;
      break;
    case Type::reply:
      o["result"] = result;
      o["error"] = nullptr;
      o["id"] = id;
      break;
    case Type::error:
      o["result"] = nullptr;
      o["error"] = error;
      o["id"] = id;
      break;
  }
  return o;
}

// Writes the members straight out instead of serializing to_json(), which would deep-copy
// params/result (a large transaction's whole tree) only to print it. Same text as to_json()'s.
std::string Message::serialize() const {
  std::string out;
  auto member = [&out](std::string_view key, const json::value& value) {
    out += out.empty() ? '{' : ',';
    out += '"';
    out += key;
    out += "\":";
    out += json::serialize(value);
  };
  static const json::value null_value;
  static const json::value empty_array = json::array();
  switch (type) {
    case Type::request:
    case Type::notify:
      member("method", json::string(method));
      member("params", params.is_null() ? empty_array : params);
      member("id", type == Type::notify ? null_value : id);
      break;
    case Type::reply:
      member("result", result);
      member("error", null_value);
      member("id", id);
      break;
    case Type::error:
      member("result", null_value);
      member("error", error);
      member("id", id);
      break;
  }
  out += '}';
  return out;
}

const char* type_name(Message::Type type) {
  switch (type) {
    case Message::Type::request: return "request";
    case Message::Type::notify: return "notification";
    case Message::Type::reply: return "reply";
    case Message::Type::error: return "error";
  }
  return "?";
}

std::string Message::summary() const {
  std::string s = type_name(type);
  if (!method.empty()) s += " " + method;
  if (type != Type::notify) s += ", id=" + json::serialize(id);
  return s;
}

namespace {

// Moves SRC into DST keeping SRC's storage: a move-assignment between values with different
// memory resources would deep-copy (messages parsed into their own arena).
void take(json::value& dst, json::value&& src) {
  std::destroy_at(&dst);
  std::construct_at(&dst, std::move(src));
}

}  // namespace

Result<Message> message_from_json(json::value&& value) {
  json::object* o = value.if_object();
  if (!o) return make_error("syntax error", "message is not a JSON object");
  Message m;
  json::value* method = o->if_contains("method");
  json::value* params = o->if_contains("params");
  json::value* result = o->if_contains("result");
  json::value* error = o->if_contains("error");
  json::value* id = o->if_contains("id");
  for (const auto& kv : *o) {
    auto k = kv.key();
    if (k != "method" && k != "params" && k != "result" && k != "error" && k != "id") {
      return make_error("syntax error", fmt::format("message has unexpected member \"{}\"",
                                                    std::string_view(k)));
    }
  }
  if (method) {
    if (!method->is_string()) return make_error("syntax error", "\"method\" is not a string");
    if (!params || !params->is_array()) {
      return make_error("syntax error", "\"params\" is missing or is not an array");
    }
    if (result || error) {
      return make_error("syntax error", "request has \"result\" or \"error\" member");
    }
    m.method = std::string(method->get_string());
    take(m.params, std::move(*params));
    if (!id || id->is_null()) {
      m.type = Message::Type::notify;
    } else {
      m.type = Message::Type::request;
      m.id = std::move(*id);
    }
    return m;
  }
  if (!id) return make_error("syntax error", "reply lacks \"id\"");
  if (params) return make_error("syntax error", "reply has \"params\" member");
  m.id = std::move(*id);
  if (error && !error->is_null()) {
    m.type = Message::Type::error;
    take(m.error, std::move(*error));
    return m;
  }
  if (!result) return make_error("syntax error", "message has neither \"method\" nor \"result\"");
  m.type = Message::Type::reply;
  take(m.result, std::move(*result));
  return m;
}

}  // namespace ovnx::jsonrpc
