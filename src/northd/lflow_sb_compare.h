// A merged logical flow (LflowTable::Row) compared with the SB Logical_Flow row it should be,
// column by column, without materializing sb::LogicalFlow or building maps: a full compare of
// the ~200,000 flows of a large deployment then costs a hash and a few comparisons per flow
// and no allocation.
//
// Each function agrees with what LflowTable::Row::to_sb() and SbWriter write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "northd/lflow_table.h"

namespace ovnx::sb {
class LogicalFlow;
}

namespace ovnx::northd {

// The hash of what identifies a flow in the SB apart from its datapaths: pipeline, table,
// priority, match and actions. A table row and the SB row it should be hash alike.
size_t sb_flow_content_hash(std::string_view pipeline, int64_t table_id, int64_t priority,
                            std::string_view match, std::string_view actions);
size_t sb_flow_content_hash(const LflowTable::Row& want);
size_t sb_flow_content_hash(const ::ovnx::sb::LogicalFlow& row);

// Same pipeline, table, priority, match, actions and controller_meter.
bool sb_flow_same_content(const ::ovnx::sb::LogicalFlow& row, const LflowTable::Row& want);

// Same external_ids (stage-name, stage-hint, source) and tags (in_out_port).
bool sb_flow_same_ids_and_tags(const ::ovnx::sb::LogicalFlow& row, const LflowTable::Row& want);

// A 64-bit fingerprint of every column northd writes (content, datapath references,
// external_ids, tags): equal for an SB row and a table row that would write exactly it
// (`datapath` or `group` the SB row the table row's datapaths resolve to, the other zero).
// Different rows collide with probability about 2^-64 per pair. The table row's side starts
// from its precomputed LflowTable::Row::hash (lflow_hash), so it reads no flow text; the SB
// row's side computes lflow_hash from the row (once per row: the writer keeps them).
uint64_t sb_flow_fingerprint(const ::ovnx::sb::LogicalFlow& row);
uint64_t sb_flow_fingerprint(const LflowTable::Row& want, const Uuid& datapath, const Uuid& group);

}  // namespace ovnx::northd
