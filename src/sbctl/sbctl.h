// ovnx-sbctl: the OVN_Southbound management tool, with ovn-sbctl's syntax and output.
// All logic lives here; src/tools/sbctl only calls run_program(program(), ...).
#pragma once

#include <vector>

#include "ctl/command.h"
#include "ctl/runner.h"

namespace ovnx::sbctl {

// The whole program: database, record names, commands (the database commands are added by
// ctl::run_program).
const ctl::ProgramSpec& program();

// Command families, one file each.
std::vector<ctl::CommandSpec> general_commands();     // init, show
std::vector<ctl::CommandSpec> chassis_commands();     // chassis-add/del, lsp-bind/unbind
std::vector<ctl::CommandSpec> lflow_commands();       // lflow-list, dump-flows, count-flows
std::vector<ctl::CommandSpec> connection_commands();  // get/set/del-connection, *-ssl

}  // namespace ovnx::sbctl
