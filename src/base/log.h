// vlog-style logging: named modules, per-destination runtime levels (console, syslog, file),
// settable with "module:destination:level" specs as ovs-appctl vlog/set and -v take.
//
// In a .cc file: OVNX_LOG_MODULE(jsonrpc); then LOG_INFO("connected to {}", name);
// Thread-safe: writes are serialized; level checks are lock-free.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "base/result.h"

namespace ovnx::log {

enum class Level { off = 0, emer, err, warn, info, dbg };
enum class Dest { console = 0, syslog, file };
inline constexpr int kNumDests = 3;

std::string_view level_name(Level level);  // "OFF", "EMER", ..., "DBG"

// One per (module name, translation unit); all instances with one name share levels.
class Module {
 public:
  explicit Module(std::string_view name);
  const std::string& name() const;
  bool enabled(Level level) const {
    return static_cast<int>(level) <= max_level_->load(std::memory_order_relaxed);
  }

  struct State;  // defined in log.cc

 private:
  State* state_;
  const std::atomic<int>* max_level_;
  friend void write(const Module&, Level, std::string_view);
};

void write(const Module& module, Level level, std::string_view message);

// Applies a vlog spec: space/colon separated words naming a module (or ANY), a destination
// (console, syslog, file or ANY) and a level; omitted parts mean ANY. "off" silences.
Status set_levels(std::string_view spec);

// The table ovs-appctl vlog/list prints.
std::string list_levels();

// Logs to FILE as well (the file destination); reopen() after rotation.
Status open_log_file(const std::string& path);
Status reopen_log_file();
const std::string& log_file_path();

// Stops console output (after --detach).
void close_console();

}  // namespace ovnx::log

#define OVNX_LOG_MODULE(name) \
  [[maybe_unused]] static const ::ovnx::log::Module ovnx_log_module_{#name}

#define OVNX_LOG_AT_(level, ...)                                                 \
  do {                                                                           \
    if (ovnx_log_module_.enabled(level))                                         \
      ::ovnx::log::write(ovnx_log_module_, level, ::fmt::format(__VA_ARGS__)); \
  } while (0)

#define LOG_EMER(...) OVNX_LOG_AT_(::ovnx::log::Level::emer, __VA_ARGS__)
#define LOG_ERR(...) OVNX_LOG_AT_(::ovnx::log::Level::err, __VA_ARGS__)
#define LOG_WARN(...) OVNX_LOG_AT_(::ovnx::log::Level::warn, __VA_ARGS__)
#define LOG_INFO(...) OVNX_LOG_AT_(::ovnx::log::Level::info, __VA_ARGS__)
#define LOG_DBG(...) OVNX_LOG_AT_(::ovnx::log::Level::dbg, __VA_ARGS__)
