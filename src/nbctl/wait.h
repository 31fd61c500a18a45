// NB_Global upkeep around the commit, and --wait=sb|hv: the NB_Global row is created if the
// database has none (every real ovn-nbctl invocation does this); with --wait, nb_cfg is
// incremented in the same transaction (only if the transaction changes something, unless
// `sync` asked to wait anyway), and after the commit we wait until ovn-northd reports the new
// value back in sb_cfg (--wait=sb) or the chassis in hv_cfg (--wait=hv).
#pragma once

#include "ctl/runner.h"

namespace ovnx::nbctl {

Status before_commit(ctl::RunState& rs, ovsdb::client::Transaction& txn);
Status after_commit(ctl::RunState& rs);

}  // namespace ovnx::nbctl
