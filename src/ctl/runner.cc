#include "ctl/runner.h"

#include <fmt/format.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "base/log.h"
#include "ctl/help.h"
#include "ctl/options.h"
#include "jsonrpc/address.h"
#include "ovsdb/client/idl.h"

OVNX_LOG_MODULE(ovsdb_idl);

namespace ovnx::ctl {

namespace client = ovsdb::client;
using internal::CommandLine;
using internal::ParsedCommand;

namespace {
// Separate modules so the messages carry the names the OVS tools use.
const log::Module& signal_log() {
  static const log::Module m("fatal_signal");
  return m;
}
const log::Module& dbctl_log() {
  static const log::Module m("ovn_dbctl");
  return m;
}
}  // namespace

class Runner final : public RunState {
 public:
  Runner(const ProgramSpec& spec, std::vector<CommandSpec> commands)
      : spec_(spec), commands_(std::move(commands)) {}

  int main(const std::vector<std::string>& args, const std::string& command_line);

  // RunState.
  client::Idl& idl() override { return *idl_; }
  bool wait_until(const std::function<bool()>& predicate) override;
  const std::string* option(std::string_view name) const override {
    auto it = line_.global.extra.find(name);
    return it == line_.global.extra.end() ? nullptr : &it->second;
  }
  std::any& program_state() override { return program_state_; }
  const client::TxnReport* report() const override { return report_ ? &*report_ : nullptr; }
  bool dry_run() const override { return line_.global.dry_run; }

 private:
  // Fatal error: "PROGRAM: message" and exit status 1.
  int fail(const std::string& message) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s: %s\n", spec_.name.c_str(), message.c_str());
    return 1;
  }
  std::string default_db() const;
  void setup_logging();
  Context make_context(const ParsedCommand& pc);
  // One attempt at running every command and committing. Returns true when done (exit
  // status in *STATUS), false to try again once the replica changed.
  bool attempt(int* status);
  void print_outputs();

  const ProgramSpec& spec_;
  std::vector<CommandSpec> commands_;
  CommandLine line_;
  std::string db_;
  std::string command_line_;
  boost::asio::io_context io_;
  std::unique_ptr<client::Idl> idl_;
  std::any program_state_;
  std::optional<client::TxnReport> report_;
  std::map<std::string, Symbol, std::less<>> symbols_;
  std::vector<Context> contexts_;
  std::chrono::steady_clock::time_point deadline_;
};

std::string Runner::default_db() const {
  if (const char* env = std::getenv(spec_.db_env.c_str()); env && *env) return env;
  const char* rundir = std::getenv("OVN_RUNDIR");
  return fmt::format("unix:{}/{}", rundir && *rundir ? rundir : "/var/run/ovn", spec_.db_socket);
}

void Runner::setup_logging() {
  // The OVS tools log warnings and errors to the console, nothing else, unless -v says so.
  (void)log::set_levels("console:warn");
  (void)log::set_levels("file:off");
  for (const std::string& v : line_.global.verbose) (void)log::set_levels(v.empty() ? "dbg" : v);
  if (line_.global.log_file) {
    std::string path = line_.global.log_file->empty()
                           ? fmt::format("/var/log/ovn/{}.log", spec_.name)
                           : *line_.global.log_file;
    (void)log::open_log_file(path);
  }
}

bool Runner::wait_until(const std::function<bool()>& predicate) {
  if (line_.global.timeout_s == 0) return client::run_until(io_, predicate, -1);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (client::run_until(io_, predicate, static_cast<int>(left.count()))) return true;
  }
  if (predicate()) return true;
  // As the OVS tools do on --timeout: die by SIGALRM.
  std::fflush(stdout);
  if (signal_log().enabled(log::Level::warn)) {
    log::write(signal_log(), log::Level::warn, "terminating with signal 14 (Alarm clock)");
  }
  signal(SIGALRM, SIG_DFL);
  raise(SIGALRM);
  std::_Exit(128 + SIGALRM);
}

Context Runner::make_context(const ParsedCommand& pc) {
  Context ctx;
  ctx.args_ = pc.args;
  ctx.options_ = pc.options;
  ctx.binding_ = spec_.binding.get();
  ctx.idl_ = idl_.get();
  ctx.row_ids_ = &spec_.row_ids;
  ctx.symbols_ = &symbols_;
  ctx.program_state_ = &program_state_;
  return ctx;
}

bool Runner::attempt(int* status) {
  client::Transaction txn(idl_->replica());
  symbols_.clear();
  contexts_.clear();
  bool again = false;
  for (const ParsedCommand& pc : line_.commands) {
    Context ctx = make_context(pc);
    ctx.txn_ = &txn;
    Status s = pc.spec->run(ctx);
    if (!s.ok()) {
      *status = fail(s.error().to_string());
      return true;
    }
    again |= ctx.try_again_;
    contexts_.push_back(std::move(ctx));
  }
  if (again) return false;
  for (const auto& [name, sym] : symbols_) {
    if (sym.referenced && !sym.defined) {
      *status =
          fail(fmt::format("row id \"{}\" is referenced but never created (e.g. with "
                           "\"-- --id={} create ...\")",
                           name, name));
      return true;
    }
    if (sym.created && !sym.referenced) {
      const auto* t = spec_.binding->find_table(sym.table);
      if (t && !t->schema->is_root() && dbctl_log().enabled(log::Level::warn)) {
        log::write(dbctl_log(), log::Level::warn,
                   fmt::format("row id \"{}\" was created but no reference to it was inserted, "
                               "so it will not actually appear in the database",
                               name));
      }
    }
  }
  if (spec_.before_commit) {
    Status s = spec_.before_commit(*this, txn);
    if (!s.ok()) {
      *status = fail(s.error().to_string());
      return true;
    }
  }
  txn.add_comment(command_line_);
  report_.reset();
  if (line_.global.dry_run) {
    report_ = client::TxnReport{};
  } else {
    uint64_t seqno = idl_->replica().seqno();
    std::optional<client::TxnReport> r;
    idl_->commit(txn, [&r](const client::TxnReport& rep) { r = rep; });
    wait_until([&] { return r.has_value(); });
    if (r->status == client::TxnStatus::try_again) {
      // Rebuild once the replica caught up (or the connection is back).
      wait_until([&] {
        return (idl_->is_synced() && idl_->replica().seqno() != seqno) || idl_->gave_up();
      });
      return false;
    }
    if (r->status != client::TxnStatus::success && r->status != client::TxnStatus::unchanged) {
      std::string text = r->error_json.empty() ? r->error : r->error_json;
      LOG_WARN("transaction error: {}", text);
      *status = fail("transaction error: " + text);
      return true;
    }
    report_ = std::move(*r);
  }
  for (size_t i = 0; i < contexts_.size(); ++i) {
    Context& ctx = contexts_[i];
    ctx.report_ = &*report_;
    if (const auto& post = line_.commands[i].spec->post_commit) {
      Status s = post(ctx);
      if (!s.ok()) {
        *status = fail(s.error().to_string());
        return true;
      }
    }
  }
  if (spec_.after_commit) {
    Status s = spec_.after_commit(*this);
    if (!s.ok()) {
      *status = fail(s.error().to_string());
      return true;
    }
  }
  print_outputs();
  *status = 0;
  return true;
}

void Runner::print_outputs() {
  static bool first_table = true;
  std::string out;
  for (Context& ctx : contexts_) {
    if (ctx.table_) {
      out += ctx.table_->render(line_.global.format, first_table);
      first_table = false;
      continue;
    }
    if (!line_.global.oneline) {
      out += ctx.output_;
      continue;
    }
    std::string text = ctx.output_;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    for (char c : text) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

int Runner::main(const std::vector<std::string>& args, const std::string& command_line) {
  command_line_ = command_line;
  auto parsed = internal::parse_command_line(spec_, commands_, args);
  if (!parsed.ok()) return fail(parsed.error().to_string());
  line_ = std::move(*parsed);
  db_ = line_.global.db.empty() ? default_db() : line_.global.db;
  if (line_.global.help) {
    std::fputs(help_text(spec_, commands_, default_db()).c_str(), stdout);
    return 0;
  }
  if (line_.global.version) {
    std::printf("%s (ovnx) 0.1.0\nDB Schema %s\n", spec_.name.c_str(),
                spec_.binding->schema().version().c_str());
    return 0;
  }
  setup_logging();
  deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(line_.global.timeout_s);

  client::IdlOptions options;
  options.remote = db_;
  options.leader_only = line_.global.leader_only;
  auto remotes = jsonrpc::parse_address_list(db_);
  options.max_connect_attempts = remotes.ok() ? static_cast<int>(remotes->size()) : 1;
  options.probe_interval_ms = 0;
  idl_ = std::make_unique<client::Idl>(io_, spec_.binding, options);
  idl_->replica().set_tracking(false);
  for (const ParsedCommand& pc : line_.commands) {
    Context ctx = make_context(pc);
    if (pc.spec->prerequisites) {
      pc.spec->prerequisites(ctx);
    } else {
      idl_->monitor_all();
    }
  }
  idl_->start();
  wait_until([&] { return idl_->is_synced() || idl_->gave_up(); });
  if (!idl_->is_synced()) {
    std::string reason = idl_->last_error() ? idl_->last_error()->to_string() : "unknown error";
    if (!remotes.ok()) {
      reason = "Address family not supported by protocol";
    } else if (size_t colon = reason.rfind(": "); colon != std::string::npos) {
      reason = reason.substr(colon + 2);
    }
    return fail(fmt::format("{}: database connection failed ({})", db_, reason));
  }
  int status = 0;
  while (!attempt(&status)) {
    if (idl_->gave_up()) {
      return fail(fmt::format("{}: database connection failed", db_));
    }
    // attempt() already waited for a commit retry; a command's try_again waits here.
    uint64_t seqno = idl_->replica().seqno();
    if (contexts_.size() == line_.commands.size()) {
      bool retried_by_command = false;
      for (const Context& c : contexts_) retried_by_command |= c.try_again_;
      if (retried_by_command) {
        wait_until([&] { return idl_->replica().seqno() != seqno || idl_->gave_up(); });
      }
    }
  }
  return status;
}

int run_program(const ProgramSpec& spec, int argc, char** argv) {
  std::vector<CommandSpec> commands = spec.commands;
  for (CommandSpec& c : database_commands()) commands.push_back(std::move(c));
  std::vector<std::string> args;
  if (!spec.options_env.empty()) {
    if (const char* env = std::getenv(spec.options_env.c_str())) {
      args = internal::split_words(env);
    }
  }
  std::string command_line = spec.name + ":";
  for (int i = 0; i < argc; ++i) {
    command_line += " ";
    command_line += i == 0 ? spec.name : argv[i];
    if (i > 0) args.push_back(argv[i]);
  }
  Runner runner(spec, std::move(commands));
  return runner.main(args, command_line);
}

}  // namespace ovnx::ctl
