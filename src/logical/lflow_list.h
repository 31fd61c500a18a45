// Reading `ovn-sbctl lflow-list` output (the Southbound logical flows as text), for tests,
// benchmarks and tools that take a dump of a real northd's flows:
//   Datapath: "NAME" (UUID)  Pipeline: ingress|egress
//     table=N (STAGE), priority=P, match=(MATCH), action=(ACTIONS)
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "logical/encode_env.h"

namespace ovnx::logical {

struct ListedFlow {
  std::string datapath;  // the datapath's name
  Pipeline pipeline = Pipeline::kIngress;
  std::string stage;     // e.g. "ls_in_port_sec_l2"; routers' stages start with "lr_"
  uint8_t table = 0;
  uint16_t priority = 0;
  std::string match;
  std::string actions;   // "drop;" when the listing shows none
  int line = 0;          // 1-based line number in the input
};

// Every flow line of `in`, attributed to the datapath header before it. Lines that are neither
// are skipped.
std::vector<ListedFlow> read_lflow_list(std::istream& in);

}  // namespace ovnx::logical
