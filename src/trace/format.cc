#include "trace/format.h"

namespace ovnx::trace {

namespace {

bool is_heading(NodeType t) {
  return t == NodeType::kPipeline || t == NodeType::kMulticast || t == NodeType::kTransform;
}

// Headings and tables at the left margin, actions and comments indented under their table.
void detailed(const Node& n, std::string& out) {
  if (is_heading(n.type)) {
    out += '\n';
    out += n.text;
    out += '\n';
    out.append(n.text.size(), '-');
    out += '\n';
  } else if (n.type == NodeType::kTable) {
    out += n.text;
    out += '\n';
  } else {
    out += "    ";
    out += n.text;
    out += '\n';
  }
  for (const Node& c : n.children) detailed(c, out);
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
  if (n.type == NodeType::kComment) out += pad + n.text + ";\n";
  for (const Node& c : n.children) summary(c, indent, out);
}

void minimal(const Node& n, std::string& out) {
  if (!n.minimal.empty()) out += n.minimal + '\n';
  for (const Node& c : n.children) minimal(c, out);
}

}  // namespace

std::string format_detailed(const Node& root) {
  std::string out;
  for (const Node& c : root.children) detailed(c, out);
  return out;
}

std::string format_summary(const Node& root) {
  std::string out;
  for (const Node& c : root.children) summary(c, 0, out);
  return out;
}

std::string format_minimal(const Node& root) {
  std::string out;
  for (const Node& c : root.children) minimal(c, out);
  return out;
}

}  // namespace ovnx::trace
