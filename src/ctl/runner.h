// The main program of a ctl tool: global options (like OVS's ctl programs), commands split
// by "--", one transaction for all of them, output in the tools' formats, errors as
// "PROGRAM: message" with exit status 1.
//
//   ProgramSpec spec = ...;            // name, database, record ids, commands
//   return ovnx::ctl::run_program(spec, argc, argv);
//
// Global options: --db=DATABASE (default: $DB_ENV, else unix:$OVN_RUNDIR/SOCKET),
// -t/--timeout=SECS, --dry-run, --oneline, -f/--format, -d/--data, --no-headings, --pretty,
// --bare, --leader-only/--no-leader-only, --shuffle-remotes/--no-shuffle-remotes,
// --no-syslog, -v/--verbose, --log-file, -h/--help, -V/--version, plus the program's own
// (ProgramSpec::extra_options). Command options given before the first command (e.g.
// `ovnx-sbctl --if-exists chassis-del hv1`) apply to the first command. Options are also read
// from $OPTIONS_ENV.
#pragma once

#include <any>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "ctl/command.h"
#include "ovsdb/client/binding.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::ovsdb::client {
class Idl;
}

namespace ovnx::ctl {

// What a program hook can do with the invocation (nbctl's --wait is built on this).
class RunState {
 public:
  virtual ~RunState() = default;
  virtual ovsdb::client::Idl& idl() = 0;
  // Runs IO until PREDICATE holds; honours --timeout (the program dies with SIGALRM, as the
  // OVS tools do). Returns PREDICATE().
  virtual bool wait_until(const std::function<bool()>& predicate) = 0;
  // Values of the program's extra options (see ProgramSpec::extra_options), by name.
  virtual const std::string* option(std::string_view name) const = 0;
  virtual std::any& program_state() = 0;
  // The commit's report (after commit).
  virtual const ovsdb::client::TxnReport* report() const = 0;
  virtual bool dry_run() const = 0;
};

struct GlobalOption {
  std::string name;          // "--wait"
  bool takes_value = false;  // "--wait=sb"
  std::string help;          // one line for --help
};

struct ProgramSpec {
  std::string name;           // "ovnx-sbctl": prefixes errors
  std::string description;    // first line of --help
  std::string db_env;         // "OVN_SB_DB"
  std::string db_socket;      // "ovnsb_db.sock" (under $OVN_RUNDIR, default /var/run/ovn)
  std::string options_env;    // "OVN_SBCTL_OPTIONS"
  std::string help_commands;  // the program-specific part of --help
  std::shared_ptr<const ovsdb::client::DatabaseBinding> binding;
  std::vector<TableIds> row_ids;
  std::vector<CommandSpec> commands;  // the database commands are added by run_program()
  std::vector<GlobalOption> extra_options;
  // Called before the transaction is committed (e.g. nbctl --wait increments nb_cfg) and
  // after a successful commit, before output is printed (e.g. waiting for hv_cfg).
  std::function<Status(RunState&, ovsdb::client::Transaction&)> before_commit;
  std::function<Status(RunState&)> after_commit;
};

// Runs the program; returns the exit status.
int run_program(const ProgramSpec& spec, int argc, char** argv);

// The database commands (list, find, get, set, add, remove, clear, create, destroy,
// wait-until, comment), shared by every ctl program.
std::vector<CommandSpec> database_commands();

}  // namespace ovnx::ctl
