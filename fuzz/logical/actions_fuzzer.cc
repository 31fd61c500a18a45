// libFuzzer target for actions: parse, format and re-parse (round trip), prerequisites, and
// encoding to OpenFlow in both pipelines (which also encodes nested actions to wire bytes).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "logical/actions.h"

using namespace ovnx::logical;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  static MapResolver* resolver = [] {
    auto* r = new MapResolver();
    r->ports["lp1"] = 1;
    r->ports["lp2"] = 2;
    return r;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const SymbolTable& symtab = ovn_symbol_table();
  auto parsed = parse_actions(text, symtab, resolver);
  if (!parsed.ok()) return 0;
  std::string formatted = format_actions(*parsed);
  auto again = parse_actions(formatted, symtab, resolver);
  if (!again.ok() || format_actions(*again) != formatted) std::abort();
  (void)actions_prerequisites_expr(*parsed, symtab);
  for (Pipeline p : {Pipeline::kIngress, Pipeline::kEgress}) {
    SimpleGroupTable groups;
    SimpleMeterTable meters;
    EncodeParams params;
    params.pipeline = p;
    params.table_id = 3;
    params.resolver = resolver;
    params.groups = &groups;
    params.meters = &meters;
    ovnx::openflow::ActionList out;
    (void)encode_actions(*parsed, params, &out);
  }
  return 0;
}
