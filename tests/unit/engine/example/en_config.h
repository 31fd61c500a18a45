// Input node: a configuration value (the flow prefix). Its dependents have no handler for it,
// so a change recomputes them.
#pragma once

#include <string>

#include "engine/value_input.h"

namespace ovnx::engine::example {

class EnConfig final : public ValueInput<std::string> {
 public:
  EnConfig() : ValueInput("config", "table=0") {}
};

}  // namespace ovnx::engine::example
