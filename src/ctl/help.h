// Internal to ctl: the --help text of a ctl program.
#pragma once

#include <string>
#include <vector>

#include "ctl/command.h"
#include "ctl/runner.h"

namespace ovnx::ctl {

std::string help_text(const ProgramSpec& spec, const std::vector<CommandSpec>& commands,
                      const std::string& default_db);

}  // namespace ovnx::ctl
