// The command line of a ctl tool: global options, command options, "--" separators.
#include "ctl/options.h"

#include <gtest/gtest.h>

#include "ctl/runner.h"
#include "ovsdb/client/sb.h"

namespace ovnx::ctl::internal {
namespace {

class Options : public ::testing::Test {
 protected:
  Options() {
    spec_.name = "t";
    spec_.binding = sb::binding_ptr();
    spec_.extra_options = {{"--wait", true, "wait"}};
    commands_ = database_commands();
    commands_.push_back({"show", "", 0, 0, "", nullptr, nullptr, nullptr});
  }
  Result<CommandLine> parse(std::vector<std::string> args) {
    return parse_command_line(spec_, commands_, args);
  }
  std::string error(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    return r.ok() ? "ok" : r.error().to_string();
  }
  ProgramSpec spec_;
  std::vector<CommandSpec> commands_;
};

TEST_F(Options, GlobalOptionsAndCommands) {
  auto r = parse({"--db=unix:x", "-t", "5", "-f", "table", "--oneline", "--wait=sb", "list",
                  "Chassis", "--", "--if-exists", "get", "Chassis", "hv1", "name"});
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->global.db, "unix:x");
  EXPECT_EQ(r->global.timeout_s, 5);
  EXPECT_EQ(r->global.format.format, TableFormat::table);
  EXPECT_TRUE(r->global.oneline);
  EXPECT_EQ(r->global.extra.at("--wait"), "sb");
  ASSERT_EQ(r->commands.size(), 2u);
  EXPECT_EQ(r->commands[0].args, (std::vector<std::string>{"list", "Chassis"}));
  EXPECT_TRUE(r->commands[1].options.count("--if-exists"));
}

TEST_F(Options, CommandOptionsBeforeTheFirstCommandBelongToIt) {
  auto r = parse({"--if-exists", "--columns=name", "list", "Chassis", "hv1"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->commands[0].options.at("--columns"), "name");
  EXPECT_EQ(error({"--if-exists", "show"}), "'show' command has no '--if-exists' option");
  // A value-taking option takes the next word when it has no "=".
  EXPECT_EQ(error({"--columns", "list", "Chassis"}),
            "unknown command 'Chassis'; use --help for help");
}

TEST_F(Options, ErrorsUseTheToolsWording) {
  EXPECT_EQ(error({}), "missing command name (use --help for help)");
  EXPECT_EQ(error({"--"}), "missing command name (use --help for help)");
  EXPECT_EQ(error({"nosuch"}), "unknown command 'nosuch'; use --help for help");
  EXPECT_EQ(error({"show", "x"}), "'show' command takes at most 0 arguments");
  EXPECT_EQ(error({"list"}), "'list' command requires at least 1 arguments");
  EXPECT_EQ(error({"--foo=1", "show"}), "unrecognized option '--foo=1'");
  EXPECT_EQ(error({"--", "--foo", "list", "x"}), "'list' command has no '--foo' option");
  EXPECT_EQ(error({"--if-exists", "--if-exists", "list", "x"}),
            "'--if-exists' option specified multiple times");
  EXPECT_EQ(error({"-t", "x", "show"}), "value x on -t or --timeout is invalid");
  EXPECT_EQ(error({"-f", "foo", "show"}), "unknown output format \"foo\"");
  EXPECT_EQ(error({"--data=x", "show"}), "unknown data format \"x\"");
  EXPECT_EQ(error({"list", "x", "--", "--", "show", "--"}), "ok");
}

}  // namespace
}  // namespace ovnx::ctl::internal
