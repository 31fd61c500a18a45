// How ovn-sbctl and ovn-nbctl let records be named, by table (see their --help), for the
// database commands of ovnx-sbctl and ovnx-nbctl.
#pragma once

#include <vector>

#include "ctl/lookup.h"

namespace ovnx::ctl {

const std::vector<TableIds>& southbound_row_ids();
const std::vector<TableIds>& northbound_row_ids();

}  // namespace ovnx::ctl
