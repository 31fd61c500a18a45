// A control socket compatible with `ovs-appctl -t SOCKET COMMAND [ARG...]`: JSON-RPC requests
// whose method is the command and whose params are string arguments; the reply's result (or
// error) is text. Built in: help, list-commands, version, vlog/set, vlog/list, vlog/reopen.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace boost::asio {
class io_context;
}

namespace ovnx::jsonrpc {

class UnixctlServer {
 public:
  using Args = std::vector<std::string>;
  using Reply = std::function<void(Result<std::string>)>;
  using Handler = std::function<Result<std::string>(const Args&)>;
  using AsyncHandler = std::function<void(const Args&, Reply)>;

  // Listens on PATH (a unix socket path; "punix:" prefix accepted).
  static Result<std::unique_ptr<UnixctlServer>> create(boost::asio::io_context& io,
                                                       const std::string& path,
                                                       std::string version_text);
  ~UnixctlServer();

  void add_command(const std::string& name, const std::string& usage, int min_args, int max_args,
                   Handler handler);
  // For commands whose answer comes later; REPLY may be called once, from the io thread.
  void add_async_command(const std::string& name, const std::string& usage, int min_args,
                         int max_args, AsyncHandler handler);

  const std::string& path() const;

 private:
  struct Impl;
  explicit UnixctlServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ovnx::jsonrpc
