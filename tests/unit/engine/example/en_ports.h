// Input node: logical ports and their VLAN, edited by the program between runs.
#pragma once

#include <string>

#include "engine/value_input.h"

namespace ovnx::engine::example {

class EnPorts final : public MapInput<std::string, int> {
 public:
  EnPorts() : MapInput("ports") {}
};

}  // namespace ovnx::engine::example
