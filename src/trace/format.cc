#include "trace/format.h"

namespace ovnx::trace {

namespace {

bool is_heading(NodeType t) {
  return t == NodeType::kPipeline || t == NodeType::kMulticast || t == NodeType::kTransform;
}

// Headings and tables at the margin, actions and comments indented under their table; the
// pipelines a multicast group fans out to one level further in, their tables another level.
void detailed(const Node& n, int indent, bool in_multicast, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (is_heading(n.type)) {
    out += '\n' + pad + n.text + '\n' + pad + std::string(n.text.size(), '-') + '\n';
  } else if (n.type == NodeType::kTable) {
    out += pad + n.text + '\n';
  } else {
    out += pad + "    " + n.text + '\n';
  }
  bool multicast = in_multicast || n.type == NodeType::kMulticast;
  bool deeper = n.type == NodeType::kMulticast || (in_multicast && n.type == NodeType::kPipeline);
  for (const Node& c : n.children) detailed(c, deeper ? indent + 4 : indent, multicast, out);
}

void summary(const Node& n, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (is_heading(n.type)) {
    out += pad + n.text + " {\n";
    for (const Node& c : n.children) summary(c, indent + 4, out);
    out += pad + "};\n";
    return;
  }
  if (n.type == NodeType::kAction) out += pad + n.text + '\n';
  if (n.type == NodeType::kEffect) out += pad + n.text + ";\n";
  if (n.type == NodeType::kComment) out += pad + n.text + '\n';
  for (const Node& c : n.children) summary(c, indent, out);
}

// Packet changes and outputs; a transformation encloses what follows it in braces (or stands
// alone, with `;`, when nothing does).
void minimal(const Node& n, int indent, std::string& out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (n.type == NodeType::kTransform) {
    std::string inner;
    for (const Node& c : n.children) minimal(c, indent + 4, inner);
    out += inner.empty() ? pad + n.text + ";\n" : pad + n.text + " {\n" + inner + pad + "};\n";
    return;
  }
  size_t start = 0;
  while (start < n.minimal.size()) {
    size_t nl = n.minimal.find('\n', start);
    if (nl == std::string::npos) nl = n.minimal.size();
    out += pad + n.minimal.substr(start, nl - start) + '\n';
    start = nl + 1;
  }
  for (const Node& c : n.children) minimal(c, indent, out);
}

}  // namespace

std::string format_detailed(const Node& root) {
  std::string out;
  for (const Node& c : root.children) detailed(c, 0, false, out);
  return out;
}

std::string format_summary(const Node& root) {
  std::string out;
  for (const Node& c : root.children) summary(c, 0, out);
  return out;
}

std::string format_minimal(const Node& root) {
  std::string out;
  for (const Node& c : root.children) minimal(c, 0, out);
  return out;
}

}  // namespace ovnx::trace
