// One ovnx-trace run on a snapshot: DATAPATH and MICROFLOW as given on the command line, the
// chosen output forms, the text to print.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "trace/snapshot.h"
#include "trace/tracer.h"

namespace ovnx::trace {

struct OutputForms {
  bool detailed = false;
  bool summary = false;
  bool minimal = false;  // none set: detailed
};

// "# FLOW" then each chosen form; with more than one, each under a "# Detailed trace." (...)
// banner. Errors: unknown datapath, a microflow that does not parse, names an unknown port,
// does not set the ingress port or does not describe a single packet.
Result<std::string> run_trace(const Snapshot& snapshot, std::string_view datapath,
                              std::string_view microflow, const TraceOptions& options,
                              OutputForms forms);

}  // namespace ovnx::trace
