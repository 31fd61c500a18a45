// The command framework of the ctl tools (ovnx-sbctl, ovnx-nbctl): a command is a CommandSpec
// (name, argument counts, accepted options, and functions run at the stages of an
// invocation); each runs with a Context that gives it the transaction, name lookups, @name
// symbols and its output.
//
// Stages of one invocation (see runner.h): every command's `prerequisites` says which tables
// to replicate; once the replica is synced, every command's `run` records its edits into one
// shared transaction (a command may ask to be tried again when the replica changes, as
// wait-until does); the transaction is committed (rebuilt from scratch if the server says
// "try again"); then `post_commit` runs (e.g. to print the real uuid of a created row); then
// outputs are printed in command order.
#pragma once

#include <any>
#include <climits>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ctl/lookup.h"
#include "ctl/table_output.h"
#include "ctl/text.h"
#include "ovsdb/client/transaction.h"

namespace ovnx::ovsdb::client {
class Idl;
}

namespace ovnx::ctl {

class Context;

struct CommandSpec {
  static constexpr int kUnlimited = INT_MAX;

  std::string name;
  std::string usage;  // arguments, for --help ("TABLE [RECORD]...")
  int min_args = 0;
  int max_args = 0;
  // Options the command accepts, comma separated; a trailing "=" means it takes a value:
  // "--if-exists,--columns=".
  std::string options;
  // Registers the tables and columns the command reads (Context::monitor). If null, every
  // table is replicated.
  std::function<void(Context&)> prerequisites;
  std::function<Status(Context&)> run;
  std::function<Status(Context&)> post_commit;  // optional
};

// @name row ids of one invocation (--id=@name on create/get, @name in values).
struct Symbol {
  Uuid uuid;
  bool defined = false;     // created by create, or bound by get
  bool created = false;     // defined by create
  bool referenced = false;  // used in a value
  std::string table;        // created rows: their table
};

class Context {
 public:
  // ---- The command line.
  const std::string& name() const { return args_[0]; }
  // args()[0] is the command name, then its arguments.
  const std::vector<std::string>& args() const { return args_; }
  bool has_option(std::string_view option) const;  // e.g. "--if-exists"
  // The value of an option given as --option=value.
  const std::string* option(std::string_view option) const;

  // ---- The database (valid in run() and post_commit()).
  ovsdb::client::Transaction& txn() { return *txn_; }
  const ovsdb::client::Replica& replica() const { return txn_->replica(); }
  const ovsdb::client::DatabaseBinding& binding() const { return *binding_; }
  // The commit's report (valid in post_commit()).
  const ovsdb::client::TxnReport& report() const { return *report_; }

  // Name lookups with the tools' rules and error messages.
  Result<const ovsdb::client::TableBinding*> table(std::string_view name) const;
  Result<const ovsdb::ColumnSchema*> column(const ovsdb::client::TableBinding& table,
                                            std::string_view name, bool allow_uuid = false) const;
  Result<const ovsdb::client::Row*> row(const ovsdb::client::TableBinding& table,
                                        std::string_view id, bool must_exist = true) const;
  const std::vector<TableIds>& row_ids() const { return *row_ids_; }

  // Values typed on the command line, with @name references resolved.
  Result<ovsdb::Datum> parse_datum(std::string_view text, const ovsdb::Type& type);
  Result<ovsdb::Atom> parse_atom(std::string_view text, const ovsdb::BaseType& type);
  // The symbol NAME ("@x"), created on first use.
  Symbol& symbol(std::string_view name);

  // ---- Prerequisites (valid in prerequisites()).
  // Replicates COLUMNS (all if empty) of TABLE.
  void monitor(const ovsdb::client::TableBinding& table, std::vector<size_t> columns = {});
  void monitor(std::string_view table_name);  // no-op if the table name is unknown

  // ---- Output.
  std::string& output() { return output_; }
  // A table output (list/find); replaces plain output for this command.
  OutputTable& table_output();
  bool has_table_output() const { return table_ != nullptr; }

  // Asks for the whole invocation to be retried once the replica changes (e.g. wait-until
  // whose condition does not hold yet). Output and edits of this attempt are discarded.
  void try_again() { try_again_ = true; }

  // Program-wide state a program's commands share (e.g. nbctl's --wait bookkeeping).
  std::any& program_state() { return *program_state_; }

 private:
  friend class Runner;
  std::vector<std::string> args_;
  std::map<std::string, std::string, std::less<>> options_;
  ovsdb::client::Transaction* txn_ = nullptr;
  const ovsdb::client::TxnReport* report_ = nullptr;
  const ovsdb::client::DatabaseBinding* binding_ = nullptr;
  ovsdb::client::Idl* idl_ = nullptr;
  const std::vector<TableIds>* row_ids_ = nullptr;
  std::map<std::string, Symbol, std::less<>>* symbols_ = nullptr;
  std::any* program_state_ = nullptr;
  std::string output_;
  std::unique_ptr<OutputTable> table_;
  bool try_again_ = false;
};

}  // namespace ovnx::ctl
