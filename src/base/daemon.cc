#include "base/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <getopt.h>
#include <mutex>

#include <fmt/format.h>

#include "base/log.h"

OVNX_LOG_MODULE(daemon);

namespace ovnx::daemon {

namespace {

int g_ready_fd = -1;  // write end of the pipe the detaching parent waits on
bool g_detached = false;
std::mutex g_cleanup_mutex;
std::vector<std::string>& cleanup_files() {
  static auto* files = new std::vector<std::string>;
  return *files;
}

std::string env_or(const std::string& name, const std::string& fallback) {
  const char* v = std::getenv(name.c_str());
  return v && *v ? std::string(v) : fallback;
}

std::string absolute(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char buf[4096];
  if (!getcwd(buf, sizeof buf)) return path;
  return std::string(buf) + "/" + path;
}

Status write_pidfile(const std::string& path, bool overwrite) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("io error", fmt::format("{}: {}", path, std::strerror(errno)));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    if (!overwrite) {
      return make_error("io error", fmt::format("{}: pidfile is locked by a running process", path));
    }
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return make_error("io error", fmt::format("{}: {}", path, std::strerror(errno)));
  }
  std::string text = fmt::format("{}\n", getpid());
  if (ftruncate(fd, 0) != 0 || ::write(fd, text.data(), text.size()) != (ssize_t)text.size()) {
    ::close(fd);
    return make_error("io error", fmt::format("{}: cannot write pidfile", path));
  }
  // The fd stays open (and locked) for the life of the process, as OVS does.
  register_cleanup_file(path);
  return {};
}

// Runs the daemon in a child and restarts it when it dies of a crash signal.
void run_monitor() {
  for (;;) {
    pid_t child = fork();
    if (child < 0) {
      LOG_ERR("monitor: fork failed: {}", std::strerror(errno));
      std::exit(1);
    }
    if (child == 0) return;  // the child runs the daemon
    if (g_ready_fd >= 0) {
      // The supervisor must not keep the detaching parent waiting if the first child dies.
      ::close(g_ready_fd);
      g_ready_fd = -1;
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
      int sig = WTERMSIG(status);
      if (sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
          sig == SIGKILL) {
        LOG_ERR("monitor: daemon died with signal {}, restarting", sig);
        sleep(1);
        continue;
      }
    }
    std::exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
  }
}

}  // namespace

std::string rundir(const Options& o) { return env_or(o.rundir_env, o.default_rundir); }

std::string default_pidfile(const Options& o) { return rundir(o) + "/" + o.program + ".pid"; }

std::string default_log_file(const Options& o) {
  return env_or(o.logdir_env, o.default_logdir) + "/" + o.program + ".log";
}

std::string default_unixctl_path(const Options& o) {
  return fmt::format("{}/{}.{}.ctl", rundir(o), o.program, getpid());
}

Status start(const Options& o) {
  signal(SIGPIPE, SIG_IGN);  // peers that hang up are handled as errors, not signals
  for (const std::string& spec : o.verbose) OVNX_RETURN_IF_ERROR(log::set_levels(spec));
  if (o.log_file) {
    std::string path = absolute(o.log_file_path.empty() ? default_log_file(o) : o.log_file_path);
    OVNX_RETURN_IF_ERROR(log::open_log_file(path));
  }
  std::string pidfile;
  if (o.pidfile) pidfile = absolute(o.pidfile_path.empty() ? default_pidfile(o) : o.pidfile_path);

  if (o.detach) {
    int fds[2];
    if (pipe(fds) != 0) return make_error("io error", "pipe failed");
    pid_t pid = fork();
    if (pid < 0) return make_error("io error", "fork failed");
    if (pid > 0) {
      // Parent: wait for the child to report readiness, then exit with its verdict.
      ::close(fds[1]);
      char c;
      ssize_t n;
      while ((n = ::read(fds[0], &c, 1)) < 0 && errno == EINTR) {
      }
      if (n == 1) _exit(0);
      int status = 0;
      waitpid(pid, &status, WNOHANG);
      _exit(1);
    }
    ::close(fds[0]);
    g_ready_fd = fds[1];
    g_detached = true;
    setsid();
    if (!o.no_chdir && chdir("/") != 0) {
      // Not fatal: OVS also carries on.
    }
  }
  if (o.monitor) {
    run_monitor();
    // Only the supervised child gets here; the readiness pipe is inherited from the detacher.
  }
  if (!pidfile.empty()) OVNX_RETURN_IF_ERROR(write_pidfile(pidfile, o.overwrite_pidfile));
  return {};
}

void complete() {
  if (g_detached) {
    int null_fd = ::open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      dup2(null_fd, 0);
      dup2(null_fd, 1);
      dup2(null_fd, 2);
      if (null_fd > 2) ::close(null_fd);
    }
    log::close_console();
  }
  if (g_ready_fd >= 0) {
    char c = 0;
    [[maybe_unused]] ssize_t n = ::write(g_ready_fd, &c, 1);
    ::close(g_ready_fd);
    g_ready_fd = -1;
  }
}

void register_cleanup_file(const std::string& path) {
  std::lock_guard lock(g_cleanup_mutex);
  cleanup_files().push_back(path);
}

void cleanup() {
  std::lock_guard lock(g_cleanup_mutex);
  for (const std::string& f : cleanup_files()) ::unlink(f.c_str());
  cleanup_files().clear();
}

}  // namespace ovnx::daemon

namespace ovnx::daemon {

std::vector<struct option> common_long_options() {
  return {
      {"pidfile", optional_argument, nullptr, kOptPidfile},
      {"overwrite-pidfile", no_argument, nullptr, kOptOverwritePidfile},
      {"detach", no_argument, nullptr, kOptDetach},
      {"monitor", no_argument, nullptr, kOptMonitor},
      {"no-chdir", no_argument, nullptr, kOptNoChdir},
      {"log-file", optional_argument, nullptr, kOptLogFile},
      {"verbose", optional_argument, nullptr, 'v'},
  };
}

bool handle_common_option(int id, const char* arg, Options* o) {
  switch (id) {
    case kOptPidfile:
      o->pidfile = true;
      o->pidfile_path = arg ? arg : "";
      return true;
    case kOptOverwritePidfile:
      o->overwrite_pidfile = true;
      return true;
    case kOptDetach:
      o->detach = true;
      return true;
    case kOptMonitor:
      o->monitor = true;
      return true;
    case kOptNoChdir:
      o->no_chdir = true;
      return true;
    case kOptLogFile:
      o->log_file = true;
      o->log_file_path = arg ? arg : "";
      return true;
    case 'v':
      o->verbose.push_back(arg ? arg : "dbg");
      return true;
    default:
      return false;
  }
}

}  // namespace ovnx::daemon
