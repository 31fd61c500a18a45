// The result of a trace: a tree of what happened, printed in three forms by format.h.
//
//   kPipeline   "ingress(dp="ls1", inport="p1")": the tables one pipeline ran (children)
//   kMulticast  "multicast(dp="ls1", mcgroup="_MC_flood")": one egress pipeline per member
//   kTable      " 0. ls_in_check_port_sec: MATCH, priority 50, uuid 278133b1": the flow hit;
//               children are its actions
//   kAction     an action as written ("ip.ttl--;"); children are what it led to (the next
//               table, a comment, the peer datapath's pipeline)
//   kTransform  "ct_next(ct_state=est|trk)": the packet changed outside the flow tables
//               (connection tracking, a packet built by the controller); children follow it
//   kEffect     "/* output to "p2", type "" */": where the packet left a datapath, or what
//               the controller would do with it
//   kComment    "/* No MAC binding. */": an explanation
//
// `minimal` is what the --minimal form prints for the node (packet changes, final outputs),
// empty for nodes it omits.
#pragma once

#include <string>
#include <vector>

namespace ovnx::trace {

enum class NodeType { kPipeline, kMulticast, kTable, kAction, kTransform, kEffect, kComment };

struct Node {
  NodeType type = NodeType::kComment;
  std::string text;
  std::string minimal;
  std::vector<Node> children;

  Node& add(NodeType t, std::string s, std::string min = {}) {
    children.push_back(Node{t, std::move(s), std::move(min), {}});
    return children.back();
  }
};

}  // namespace ovnx::trace
