#include "jsonrpc/unixctl.h"

#include <map>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include "base/log.h"
#include "jsonrpc/connection.h"

OVNX_LOG_MODULE(unixctl);

namespace ovnx::jsonrpc {

namespace json = boost::json;

struct UnixctlServer::Impl {
  struct Command {
    std::string usage;
    int min_args;
    int max_args;
    AsyncHandler handler;
  };
  std::string path;
  std::string version;
  std::unique_ptr<Listener> listener;
  std::map<std::string, Command> commands;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  void handle(const ConnectionPtr& conn, Message&& m) {
    if (m.type != Message::Type::request) return;
    auto reply = [conn, id = m.id](Result<std::string> r) {
      if (!conn->is_open()) return;
      if (r.ok()) {
        conn->send(Message::reply(json::value(*r), id));
      } else {
        const Error& e = r.error();
        std::string text = e.details.empty() ? e.tag : e.details;
        if (!text.empty() && text.back() != '\n') text += '\n';
        conn->send(Message::error_reply(json::value(text), id));
      }
    };
    auto it = commands.find(m.method);
    if (it == commands.end()) {
      reply(make_error("", fmt::format("\"{}\" is not a valid command (use \"list-commands\" to "
                                       "see a list of valid commands)", m.method)));
      return;
    }
    Args args;
    for (const json::value& v : m.params.get_array()) {
      if (!v.is_string()) {
        reply(make_error("", "command has non-string argument"));
        return;
      }
      args.emplace_back(v.get_string());
    }
    const Command& c = it->second;
    int n = static_cast<int>(args.size());
    if (n < c.min_args) {
      reply(make_error("", fmt::format("\"{}\" command requires at least {} arguments",
                                       m.method, c.min_args)));
      return;
    }
    if (n > c.max_args) {
      reply(make_error("", fmt::format("\"{}\" command takes at most {} arguments", m.method,
                                       c.max_args)));
      return;
    }
    c.handler(args, reply);
  }

  std::string help() const {
    std::string out = "The available commands are:\n";
    for (const auto& [name, c] : commands) {
      out += fmt::format("  {:<23} {}\n", name, c.usage);
    }
    return out;
  }
};

UnixctlServer::UnixctlServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

UnixctlServer::~UnixctlServer() {
  *impl_->alive = false;
  if (impl_->listener) impl_->listener->close();
}

Result<std::unique_ptr<UnixctlServer>> UnixctlServer::create(boost::asio::io_context& io,
                                                             const std::string& path,
                                                             std::string version_text) {
  auto impl = std::make_unique<Impl>();
  std::string p = path.rfind("punix:", 0) == 0 ? path.substr(6) : path;
  impl->path = p;
  impl->version = std::move(version_text);
  Address address;
  address.kind = Address::Kind::unix_socket;
  address.passive = true;
  address.path = p;
  Impl* raw = impl.get();
  std::weak_ptr<bool> alive = impl->alive;
  ConnectionOptions options;
  options.max_message_bytes = 1u << 20;
  auto listener = Listener::create(io, address, options, [raw, alive](ConnectionPtr conn) {
    std::weak_ptr<Connection> weak = conn;
    conn->start(
        [raw, alive, weak](Message&& m) {
          auto c = weak.lock();
          if (!c || alive.expired()) return;
          raw->handle(c, std::move(m));
        },
        [](const Error&) {});
  });
  if (!listener.ok()) return std::move(listener).error();
  impl->listener = std::move(*listener);
  std::unique_ptr<UnixctlServer> server(new UnixctlServer(std::move(impl)));

  UnixctlServer* s = server.get();
  server->add_command("help", "", 0, 0, [s](const Args&) -> Result<std::string> {
    return s->impl_->help();
  });
  server->add_command("list-commands", "", 0, 0, [s](const Args&) -> Result<std::string> {
    return s->impl_->help();
  });
  server->add_command("version", "", 0, 0, [s](const Args&) -> Result<std::string> {
    return s->impl_->version + "\n";
  });
  server->add_command("vlog/set", "{spec | PATTERN:destination:pattern}", 0, INT32_MAX,
                      [](const Args& args) -> Result<std::string> {
                        for (const std::string& a : args) {
                          Status st = log::set_levels(a);
                          if (!st.ok()) return make_error("", st.error().details);
                        }
                        return std::string();
                      });
  server->add_command("vlog/list", "", 0, 0, [](const Args&) -> Result<std::string> {
    return log::list_levels();
  });
  server->add_command("vlog/reopen", "", 0, 0, [](const Args&) -> Result<std::string> {
    Status st = log::reopen_log_file();
    if (!st.ok()) return make_error("", st.error().to_string());
    return std::string();
  });
  return server;
}

void UnixctlServer::add_command(const std::string& name, const std::string& usage, int min_args,
                                int max_args, Handler handler) {
  add_async_command(name, usage, min_args, max_args,
                    [h = std::move(handler)](const Args& args, Reply reply) { reply(h(args)); });
}

void UnixctlServer::add_async_command(const std::string& name, const std::string& usage,
                                      int min_args, int max_args, AsyncHandler handler) {
  impl_->commands[name] = Impl::Command{usage, min_args, max_args, std::move(handler)};
}

const std::string& UnixctlServer::path() const { return impl_->path; }

}  // namespace ovnx::jsonrpc
