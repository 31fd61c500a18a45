#include "jsonrpc/daemon_loop.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/log.h"

OVNX_LOG_MODULE(daemon);

namespace ovnx::jsonrpc {

struct DaemonLoop::Impl {
  boost::asio::io_context io;
  std::unique_ptr<UnixctlServer> unixctl;
  boost::asio::steady_timer stop_timer{io};
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
};

std::string in_directory(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return dir + "/" + path;
}

Result<std::unique_ptr<DaemonLoop>> DaemonLoop::start(daemon::Options options,
                                                        std::string unixctl_path,
                                                        std::string_view version) {
  const std::string rundir = daemon::rundir(options);
  if (options.pidfile) options.pidfile_path = in_directory(rundir, options.pidfile_path);
  if (unixctl_path != "none") unixctl_path = in_directory(rundir, unixctl_path);

  OVNX_RETURN_IF_ERROR(daemon::start(options));
  auto impl = std::make_unique<Impl>();
  if (unixctl_path != "none") {
    if (unixctl_path.empty()) unixctl_path = daemon::default_unixctl_path(options);
    auto server = UnixctlServer::create(impl->io, unixctl_path, std::string(version));
    if (!server.ok()) {
      daemon::cleanup();
      return server.error();
    }
    impl->unixctl = std::move(server.value());
    daemon::register_cleanup_file(unixctl_path);
  }
  return std::unique_ptr<DaemonLoop>(new DaemonLoop(std::move(impl)));
}

DaemonLoop::DaemonLoop(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

DaemonLoop::~DaemonLoop() {
  impl_->unixctl.reset();
  daemon::cleanup();
}

boost::asio::io_context& DaemonLoop::io() { return impl_->io; }
UnixctlServer* DaemonLoop::unixctl() { return impl_->unixctl.get(); }

void DaemonLoop::stop_soon(std::chrono::milliseconds delay) {
  impl_->stop_timer.expires_after(delay);
  impl_->stop_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) impl_->io.stop();
  });
}

void DaemonLoop::run() {
  impl_->signals.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    LOG_INFO("terminating with signal {}", sig);
    impl_->io.stop();
  });
  daemon::complete();
  impl_->io.run();
}

}  // namespace ovnx::jsonrpc
