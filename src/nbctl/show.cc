#include "nbctl/show.h"

#include <fmt/format.h>

namespace ovnx::nbctl {

namespace {

// " (aka NAME)" for a non-empty external_ids:KEY (names a CMS such as Neutron gave the row).
std::string aka(const client::MapView<std::string, std::string>& external_ids,
                std::string_view key) {
  auto v = external_ids.get(key);
  return v && !v->empty() ? fmt::format(" (aka {})", *v) : std::string();
}

// ["a", "b"]: each element quoted as is (no escaping), as the real tool prints them.
template <class Range>
std::string quoted_list(const Range& items) {
  std::string out = "[";
  bool first = true;
  for (const auto& s : items) {
    if (!first) out += ", ";
    first = false;
    out += fmt::format("\"{}\"", s);
  }
  return out + "]";
}

}  // namespace

void show_switch(Nb& nb, const nb::LogicalSwitch* ls, std::string* out) {
  *out += fmt::format("switch {} ({}){}\n", ls->uuid().to_string(), ls->name(),
                      aka(ls->external_ids(), "neutron:network_name"));
  for (const nb::LogicalSwitchPort* p : nb.refs(ls->ports())) {
    *out += fmt::format("    port {}{}\n", p->name(), aka(p->external_ids(), "neutron:port_name"));
    if (auto parent = p->parent_name()) *out += fmt::format("        parent: {}\n", *parent);
    if (auto tag = p->tag()) *out += fmt::format("        tag: {}\n", *tag);
    if (!p->type().empty()) *out += fmt::format("        type: {}\n", p->type());
    auto addresses = p->addresses();
    // A lone "router" address only says "ask the router port": not worth a line.
    if (!addresses.empty() && !(addresses.size() == 1 && addresses[0] == "router")) {
      *out += fmt::format("        addresses: {}\n", quoted_list(addresses));
    }
    if (auto rp = p->options().get("router-port")) {
      *out += fmt::format("        router-port: {}\n", *rp);
    }
  }
}

void show_router(Nb& nb, const nb::LogicalRouter* lr, std::string* out) {
  *out += fmt::format("router {} ({}){}\n", lr->uuid().to_string(), lr->name(),
                      aka(lr->external_ids(), "neutron:router_name"));
  for (const nb::LogicalRouterPort* p : nb.refs(lr->ports())) {
    *out += fmt::format("    port {}\n", p->name());
    *out += fmt::format("        mac: \"{}\"\n", p->mac());
    *out += fmt::format("        networks: {}\n", quoted_list(p->networks()));
    auto gateways = nb.refs(p->gateway_chassis());
    if (!gateways.empty()) {
      std::string names;
      for (const nb::GatewayChassis* g : gateways) {
        if (!names.empty()) names += " ";
        names += g->chassis_name();
      }
      *out += fmt::format("        gateway chassis: [{}]\n", names);
    }
  }
  for (const nb::NAT* nat : nb.refs(lr->nat())) {
    *out += fmt::format("    nat {}\n", nat->uuid().to_string());
    *out += fmt::format("        external ip: \"{}\"\n", nat->external_ip());
    if (!nat->external_port_range().empty()) {
      *out += fmt::format("        external port(s): \"{}\"\n", nat->external_port_range());
    }
    *out += fmt::format("        logical ip: \"{}\"\n", nat->logical_ip());
    *out += fmt::format("        type: \"{}\"\n", nat->type());
  }
}

}  // namespace ovnx::nbctl
