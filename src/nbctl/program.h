// ovnx-nbctl as a ctl program: its commands, options and hooks (ctl/runner.h runs it).
#pragma once

#include <string>

#include "ctl/runner.h"

namespace ovnx::nbctl {

// The program spec; NAME prefixes error messages (the real tool uses its argv[0] basename).
ctl::ProgramSpec program_spec(std::string name);

// main(): runs one invocation and returns the exit status.
int run(int argc, char** argv);

}  // namespace ovnx::nbctl
