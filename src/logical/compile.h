// Compilation of one logical flow (a Southbound Logical_Flow row) into the OpenFlow flows a
// chassis installs, following ovn-architecture(7):
//   - OpenFlow table: 8 + table_id in the ingress pipeline, 42 + table_id in egress;
//   - every flow matches metadata == the logical datapath's tunnel key;
//   - the match is the logical match AND the actions' prerequisites, normalized;
//   - conjunctive matches get conj_id values conj_id_base, conj_id_base + 1, ...; their
//     dimension flows have cookie 0 (they may be shared by several logical flows) and action
//     conjunction(id, k/n); the flow matching conj_id carries the cookie and the actions.
//
// Two steps, so a caller can cache the parse (it depends only on the texts, the address sets
// and port groups) and redo the per-chassis part (ports, is_chassis_resident) cheaply:
//   parse_logical_flow()  -> ParsedLogicalFlow
//   compile_parsed_flow() -> openflow::Flow values
// compile_logical_flow() does both. Pure functions; safe to call from several threads with
// distinct GroupTable/MeterTable objects (or thread-safe ones).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "logical/actions.h"
#include "logical/encode_env.h"
#include "logical/expr.h"
#include "logical/normalize.h"
#include "logical/resolver.h"
#include "logical/symtab.h"
#include "openflow/match.h"

namespace ovnx::logical {

struct LogicalFlow {
  Pipeline pipeline = Pipeline::kIngress;
  uint8_t table_id = 0;
  uint16_t priority = 0;
  std::string_view match = "1";
  std::string_view actions;
  uint64_t cookie = 0;  // OVN uses the first 32 bits of the Logical_Flow UUID
};

struct CompileContext {
  const SymbolTable* symtab = nullptr;  // null: ovn_symbol_table()
  const Resolver* resolver = nullptr;   // required: ports, address sets, port groups, chassis
  uint32_t datapath_key = 0;
  bool is_switch = true;
  GroupTable* groups = nullptr;
  MeterTable* meters = nullptr;
  std::optional<uint32_t> controller_meter;
  uint32_t conj_id_base = 1;
  bool conjunction = true;
  bool merge_adjacent = true;
};

// The match annotated, with the actions' prerequisites, and simplified (ready to normalize),
// and the parsed actions.
struct ParsedLogicalFlow {
  Expr match;
  ActionList actions;
};

struct CompiledFlows {
  std::vector<openflow::Flow> flows;
  uint32_t conj_ids_used = 0;
};

// Errors say which column was wrong: "syntax error: match: column 12: ...".
Result<ParsedLogicalFlow> parse_logical_flow(const LogicalFlow& flow, const CompileContext& ctx);
Result<CompiledFlows> compile_parsed_flow(const LogicalFlow& flow, const ParsedLogicalFlow& parsed,
                                          const CompileContext& ctx);
Result<CompiledFlows> compile_logical_flow(const LogicalFlow& flow, const CompileContext& ctx);

// The OpenFlow match of a normalized flow (without metadata).
openflow::Match to_openflow_match(const std::vector<FieldMatch>& fields);

}  // namespace ovnx::logical
