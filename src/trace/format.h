// The three printed forms of a trace (ovn-trace(8) "Output"):
//   detailed  every pipeline under a dashed header, each flow hit with its actions and effects;
//   summary   the same actions nested in braces by pipeline, without the tables;
//   minimal   only what changes the packet, and where it is finally output.
#pragma once

#include <string>

#include "trace/trace_tree.h"

namespace ovnx::trace {

std::string format_detailed(const Node& root);
std::string format_summary(const Node& root);
std::string format_minimal(const Node& root);

}  // namespace ovnx::trace
