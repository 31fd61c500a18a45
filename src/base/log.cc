#include "base/log.h"

#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace ovnx::log {

struct Module::State {
  std::string name;
  std::array<Level, kNumDests> levels{Level::warn, Level::err, Level::info};
  std::atomic<int> max_level{0};

  // Only destinations that are open count, so disabled levels cost no formatting.
  void update_max(bool console_open, bool file_open) {
    int m = static_cast<int>(levels[static_cast<int>(Dest::syslog)]);
    if (console_open) m = std::max(m, static_cast<int>(levels[static_cast<int>(Dest::console)]));
    if (file_open) m = std::max(m, static_cast<int>(levels[static_cast<int>(Dest::file)]));
    max_level.store(m, std::memory_order_relaxed);
  }
};

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<Module::State>, std::less<>> modules;
  FILE* file = nullptr;
  std::string file_path;
  bool console_open = true;
  unsigned long sequence = 0;

  void update_all() {  // REQUIRES: mutex held.
    for (auto& [name, state] : modules) state->update_max(console_open, file != nullptr);
  }
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: logging may run during static teardown
  return *r;
}

constexpr std::array<std::string_view, 6> kLevelNames{"OFF", "EMER", "ERR", "WARN", "INFO", "DBG"};
constexpr std::array<std::string_view, kNumDests> kDestNames{"console", "syslog", "file"};

bool parse_level(std::string_view word, Level* out) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    std::string upper(word);
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    if (upper == kLevelNames[i]) {
      *out = static_cast<Level>(i);
      return true;
    }
  }
  return false;
}

bool parse_dest(std::string_view word, int* out) {
  for (size_t i = 0; i < kDestNames.size(); ++i) {
    if (word == kDestNames[i]) {
      *out = static_cast<int>(i);
      return true;
    }
  }
  return false;
}

std::string timestamp(bool millis) {
  using namespace std::chrono;
  auto now = system_clock::now();
  std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!millis) return std::string(buf) + "Z";
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{}.{:03}Z", buf, ms);
}

}  // namespace

std::string_view level_name(Level level) { return kLevelNames[static_cast<int>(level)]; }

Module::Module(std::string_view name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  auto it = r.modules.find(name);
  if (it == r.modules.end()) {
    auto state = std::make_unique<State>();
    state->name = std::string(name);
    state->update_max(r.console_open, r.file != nullptr);
    it = r.modules.emplace(std::string(name), std::move(state)).first;
  }
  state_ = it->second.get();
  max_level_ = &state_->max_level;
}

const std::string& Module::name() const { return state_->name; }

void write(const Module& module, Level level, std::string_view message) {
  Registry& r = registry();
  const Module::State& s = *module.state_;
  std::lock_guard lock(r.mutex);
  unsigned long seq = ++r.sequence;
  if (r.console_open && level <= s.levels[static_cast<int>(Dest::console)]) {
    std::string line = fmt::format("{}|{:05}|{}|{}|{}\n", timestamp(false), seq, s.name,
                                   level_name(level), message);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  if (r.file && level <= s.levels[static_cast<int>(Dest::file)]) {
    std::string line = fmt::format("{}|{:05}|{}|{}|{}\n", timestamp(true), seq, s.name,
                                   level_name(level), message);
    std::fwrite(line.data(), 1, line.size(), r.file);
    std::fflush(r.file);
  }
  if (level <= s.levels[static_cast<int>(Dest::syslog)] && level != Level::off) {
    static const int kPriority[] = {LOG_DEBUG, LOG_ALERT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
    // Only errors go to syslog by default; tests and containers rarely have one, which is fine.
    syslog(kPriority[static_cast<int>(level)], "%s|%.*s", s.name.c_str(),
           static_cast<int>(message.size()), message.data());
  }
}

Status set_levels(std::string_view spec) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : spec) {
    if (c == ':' || c == ' ' || c == '\t') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));

  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::string module_name;  // empty = ANY
  int dest = -1;            // -1 = ANY
  Level level = Level::dbg;
  bool have_level = false;
  for (const std::string& w : words) {
    int d;
    Level l;
    if (w == "ANY" || w == "any") continue;
    if (parse_dest(w, &d)) {
      if (dest != -1) return make_error("syntax error", "cannot specify multiple destinations");
      dest = d;
    } else if (parse_level(w, &l)) {
      if (have_level) return make_error("syntax error", "cannot specify multiple levels");
      level = l;
      have_level = true;
    } else if (r.modules.count(w)) {
      if (!module_name.empty()) return make_error("syntax error", "cannot specify multiple modules");
      module_name = w;
    } else {
      return make_error("syntax error", fmt::format("unknown module, destination or level \"{}\"", w));
    }
  }
  for (auto& [name, state] : r.modules) {
    if (!module_name.empty() && name != module_name) continue;
    for (int d = 0; d < kNumDests; ++d) {
      if (dest == -1 || dest == d) state->levels[d] = level;
    }
  }
  r.update_all();
  return {};
}

std::string list_levels() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::string out = fmt::format("{:<16} {:>7} {:>9} {:>9}\n", "", "console", "syslog", "file");
  out += fmt::format("{:<16} {:>7} {:>9} {:>9}\n", "", "-------", "------", "------");
  for (auto& [name, state] : r.modules) {
    out += fmt::format("{:<16} {:>7} {:>9} {:>9}\n", name, level_name(state->levels[0]),
                       level_name(state->levels[1]), level_name(state->levels[2]));
  }
  return out;
}

Status open_log_file(const std::string& path) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  FILE* f = std::fopen(path.c_str(), "a");
  if (!f) return make_error("io error", fmt::format("{}: cannot open log file", path));
  if (r.file) std::fclose(r.file);
  r.file = f;
  r.file_path = path;
  r.update_all();
  return {};
}

Status reopen_log_file() {
  std::string path;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    path = r.file_path;
  }
  if (path.empty()) return {};
  return open_log_file(path);
}

const std::string& log_file_path() { return registry().file_path; }

void close_console() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.console_open = false;
  r.update_all();
}

}  // namespace ovnx::log
