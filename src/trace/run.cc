#include "trace/run.h"

#include <fmt/format.h>

#include "trace/format.h"
#include "trace/microflow.h"

namespace ovnx::trace {

Result<std::string> run_trace(const Snapshot& snapshot, std::string_view datapath,
                              std::string_view microflow, const TraceOptions& options,
                              OutputForms forms) {
  std::optional<size_t> dp = snapshot.find_datapath(datapath);
  if (!dp) return make_error(fmt::format("unknown datapath \"{}\"", datapath));
  DatapathResolver resolver(snapshot, *dp);
  auto packet = parse_microflow(microflow, resolver);
  if (!packet.ok()) {
    return make_error("error parsing microflow", packet.error().to_string());
  }
  auto inport = packet->get("inport");
  if (!inport.ok() || inport->is_zero()) {
    return make_error("microflow does not specify ingress port",
                      "add inport == \"PORT\" with a port of the datapath");
  }
  Tracer tracer(snapshot);
  Node root = tracer.trace(*dp, *packet, options);

  if (!forms.detailed && !forms.summary && !forms.minimal) forms.detailed = true;
  bool banners = int(forms.detailed) + int(forms.summary) + int(forms.minimal) > 1;
  std::string out = fmt::format("# {}\n", format_flow_state(*packet));
  if (forms.detailed) {
    if (banners) out += "# Detailed trace.\n";
    out += format_detailed(root);
  }
  if (forms.summary) {
    if (banners) out += "# Summary trace.\n";
    out += format_summary(root);
  }
  if (forms.minimal) {
    if (banners) out += "# Minimal trace.\n";
    out += format_minimal(root);
  }
  return out;
}

}  // namespace ovnx::trace
