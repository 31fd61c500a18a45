// Internal to ctl: the command line of a ctl tool split into global options and commands.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "ctl/command.h"
#include "ctl/runner.h"
#include "ctl/table_output.h"

namespace ovnx::ctl::internal {

struct ParsedCommand {
  const CommandSpec* spec = nullptr;
  std::vector<std::string> args;  // args[0] is the command name
  std::map<std::string, std::string, std::less<>> options;
};

struct GlobalOptions {
  std::string db;  // empty: the default
  int timeout_s = 0;
  bool dry_run = false;
  bool oneline = false;
  bool leader_only = true;
  bool help = false;
  bool version = false;
  FormatOptions format;
  std::vector<std::string> verbose;                       // -v specs
  std::optional<std::string> log_file;                    // --log-file[=FILE]
  std::map<std::string, std::string, std::less<>> extra;  // the program's own options
};

struct CommandLine {
  GlobalOptions global;
  std::vector<ParsedCommand> commands;
};

// Parses ARGS (without argv[0]) against SPEC's options and COMMANDS. Errors carry the tools'
// messages ("unrecognized option '--x'", "'list' command requires at least 1 arguments", ...).
Result<CommandLine> parse_command_line(const ProgramSpec& spec,
                                       const std::vector<CommandSpec>& commands,
                                       const std::vector<std::string>& args);

// Splits an $..._OPTIONS value into words (on white space).
std::vector<std::string> split_words(const std::string& text);

}  // namespace ovnx::ctl::internal
