// The incremental compiler: after NB edits, update() must leave exactly the content a full
// compile of the edited NB produces, touching only what depends on the edit.
#include <cstdio>
#include <random>

#include <fmt/format.h>

#include <gtest/gtest.h>

#include "fixture.h"
#include "northd/incremental.h"
#include "northd/sb_text.h"

namespace ovnx::northd {
namespace {

using testing::line_diff;
using testing::load_fixture_nb;
using testing::load_fixture_sb_state;

Uuid new_uuid(std::mt19937_64& rng) { return Uuid{rng(), rng()}; }

std::string full_text(const nb::Snapshot& nb, const SbState& sb) {
  auto c = compile(nb, sb, {.threads = 1});
  EXPECT_TRUE(c.ok());
  return c.ok() ? sb_text(*c) : "";
}

// Holds a snapshot and an incremental compiler over it; edits go through helpers that record
// the NB changes the way the OVSDB input node reports them.
class Harness {
 public:
  Harness(nb::Snapshot nb, SbState sb) : nb_(std::move(nb)), sb_(std::move(sb)) {
    EXPECT_TRUE(ic_.recompute(nb_, sb_).ok());
    ic_.take_changes();
  }
  nb::Snapshot& nb() { return nb_; }
  NbChanges& changes() { return changes_; }
  IncrementalCompiler& ic() { return ic_; }

  // Applies the recorded changes; true if handled incrementally.
  bool apply() {
    auto r = ic_.update(changes_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    bool handled = r.ok() && *r;
    if (!handled) {
      EXPECT_TRUE(ic_.recompute(nb_, sb_).ok());
    }
    changes_ = NbChanges{};
    return handled;
  }
  // Keys as a restart against our own SB would see them.
  SbState own_keys() const {
    SbState st = sb_;
    st.keys = {};
    for (const auto& [u, dp] : ic_.desired().datapaths) st.keys.datapaths[u] = dp.tunnel_key;
    for (const auto& [n, pb] : ic_.desired().port_bindings) {
      st.keys.ports[n] = {pb.datapath, pb.tunnel_key};
    }
    return st;
  }
  void expect_matches_full(const std::string& what) {
    std::string inc = sb_text(ic_.content());
    std::string full = full_text(nb_, own_keys());
    EXPECT_EQ(line_diff(full, inc), "") << "after " << what;
  }

 private:
  nb::Snapshot nb_;
  SbState sb_;
  IncrementalCompiler ic_{CompileOptions{.threads = 1}};
  NbChanges changes_;
};

const nb::LogicalSwitch* find_switch(const nb::Snapshot& nb, const std::string& name) {
  for (const auto& [u, ls] : nb.logical_switches) {
    if (ls.name == name) return &ls;
  }
  return nullptr;
}

TEST(Incremental, AddingAPortRedoesOnlyItsSwitchAndRouter) {
  Harness h(load_fixture_nb("seed"), load_fixture_sb_state("seed"));
  std::mt19937_64 rng(1);
  nb::LogicalSwitchPort lsp;
  lsp.uuid = new_uuid(rng);
  lsp.name = "ls1-new";
  lsp.addresses = {"00:00:00:00:00:09 192.168.1.90"};
  h.nb().logical_switch_ports[lsp.uuid] = lsp;
  const nb::LogicalSwitch* ls1 = find_switch(h.nb(), "ls1");
  ASSERT_NE(ls1, nullptr);
  h.nb().logical_switches[ls1->uuid].ports.push_back(lsp.uuid);
  h.changes().logical_switch_ports.insert(lsp.uuid);
  h.changes().logical_switches.insert(ls1->uuid);
  h.changes().switch_columns[ls1->uuid] = {"ports"};
  ASSERT_TRUE(h.apply());
  // Only the new port's flows in ls1 and lr1 (and ls1's own), nothing whole, not ls2.
  EXPECT_EQ(h.ic().update_stats().dirty_datapaths, 0u);
  EXPECT_EQ(h.ic().update_stats().port_datapaths, 2u);
  SbChanges ch = h.ic().take_changes();
  EXPECT_FALSE(ch.all);
  EXPECT_EQ(ch.port_bindings.count("ls1-new"), 1u);
  EXPECT_EQ(ch.port_bindings.count("ls2-node2-ns2"), 0u);
  // The new port's flows (ARP responder, L2 lookup, router ARP resolve) and the flood groups,
  // far fewer than the seed's ~200 rows.
  EXPECT_GT(ch.lflows.size(), 0u);
  EXPECT_LT(ch.lflows.size(), 12u);
  h.expect_matches_full("adding ls1-new");
}

// The daemon erases deleted rows from the snapshot before update(): nothing may read them.
TEST(Incremental, DeletedRowsAreNotReadAgain) {
  Harness h(load_fixture_nb("seed"), load_fixture_sb_state("seed"));
  const nb::LogicalSwitch* ls2 = find_switch(h.nb(), "ls2");
  ASSERT_NE(ls2, nullptr);
  const Uuid ls2_uuid = ls2->uuid;
  // ls2-lr1 (type router) goes, then a router port's option changes under a live port.
  for (const Uuid& p : std::vector<Uuid>(ls2->ports)) {
    if (h.nb().logical_switch_ports[p].type != "router") continue;
    h.nb().logical_switch_ports.erase(p);
    std::erase(h.nb().logical_switches[ls2_uuid].ports, p);
    h.changes().logical_switch_ports.insert(p);
  }
  h.changes().logical_switches.insert(ls2_uuid);
  h.changes().switch_columns[ls2_uuid] = {"ports"};
  h.apply();
  h.expect_matches_full("deleting ls2-lr1");
  const nb::LogicalSwitch* ls1 = find_switch(h.nb(), "ls1");
  ASSERT_NE(ls1, nullptr);
  for (const Uuid& p : ls1->ports) {
    auto& lsp = h.nb().logical_switch_ports[p];
    if (lsp.type != "router") continue;
    lsp.options["router-port"] = "lr1-ls2";
    h.changes().logical_switch_ports.insert(p);
  }
  h.apply();
  h.expect_matches_full("moving ls1-lr1 to lr1-ls2");
  // The whole switch goes, with its ports.
  for (const Uuid& p : h.nb().logical_switches[ls2_uuid].ports) {
    h.nb().logical_switch_ports.erase(p);
    h.changes().logical_switch_ports.insert(p);
  }
  h.nb().logical_switches.erase(ls2_uuid);
  h.changes().logical_switches.insert(ls2_uuid);
  h.apply();
  h.expect_matches_full("deleting ls2");
}

TEST(Incremental, AddingAnAclRedoesOnlyThatAclsFlows) {
  Harness h(load_fixture_nb("acl"), load_fixture_sb_state("acl"));
  std::mt19937_64 rng(2);
  const nb::PortGroup* pg = nullptr;
  for (const auto& [u, p] : h.nb().port_groups) {
    if (p.name == "pg_web") pg = &p;
  }
  ASSERT_NE(pg, nullptr);
  nb::Acl acl;
  acl.uuid = new_uuid(rng);
  acl.priority = 1500;
  acl.direction = "to-lport";
  acl.action = "allow-related";
  acl.match = "outport == @pg_web && tcp.dst == 443";
  h.nb().acls[acl.uuid] = acl;
  h.nb().port_groups[pg->uuid].acls.push_back(acl.uuid);
  h.changes().acls.insert(acl.uuid);
  h.changes().port_groups.insert(pg->uuid);
  h.changes().port_group_columns[pg->uuid] = {"acls"};
  ASSERT_TRUE(h.apply());
  EXPECT_EQ(h.ic().update_stats().dirty_datapaths, 0u);
  EXPECT_EQ(h.ic().update_stats().acl_datapaths, 1u);  // sw0, where pg_web's ports are
  SbChanges ch = h.ic().take_changes();
  EXPECT_EQ(ch.lflows.size(), 2u);  // the new ACL's two stateful flows
  EXPECT_TRUE(ch.port_bindings.empty());
  h.expect_matches_full("adding an ACL to pg_web");
}

// Northd writes Logical_Switch_Port.up itself; the change coming back must not rebuild the
// switch while flows ignore whether ports are up (the default), and must when they do not.
TEST(Incremental, PortUpChangeRebuildsOnlyWhenFlowsReadIt) {
  for (bool ignore_down : {true, false}) {
    nb::Snapshot nb = load_fixture_nb("seed");
    if (!ignore_down) nb.nb_global.options["ignore_lsp_down"] = "false";
    Harness h(std::move(nb), load_fixture_sb_state("seed"));
    const nb::LogicalSwitch* ls1 = find_switch(h.nb(), "ls1");
    ASSERT_NE(ls1, nullptr);
    const Uuid port = ls1->ports.front();
    auto& lsp = h.nb().logical_switch_ports[port];
    ASSERT_TRUE(lsp.type.empty()) << lsp.name;
    lsp.up = !lsp.up.value_or(true);
    h.changes().logical_switch_ports.insert(port);
    h.changes().switch_port_columns[port] = {"up"};
    ASSERT_TRUE(h.apply());
    // With ignore_lsp_down=false, the port's flows in ls1 and lr1.
    EXPECT_EQ(h.ic().update_stats().dirty_datapaths, 0u);
    EXPECT_EQ(h.ic().update_stats().port_datapaths, ignore_down ? 0u : 2u);
    SbChanges ch = h.ic().take_changes();
    if (ignore_down) {
      EXPECT_TRUE(ch.empty());
    } else {
      EXPECT_FALSE(ch.lflows.empty());  // its ARP responder flows came or went
    }
    h.expect_matches_full(ignore_down ? "toggling up" : "toggling up, ignore_lsp_down=false");
  }
}

TEST(Incremental, RenamingAPortRedoesItsFlowsUnderTheNewName) {
  Harness h(load_fixture_nb("seed"), load_fixture_sb_state("seed"));
  const nb::LogicalSwitch* ls1 = find_switch(h.nb(), "ls1");
  ASSERT_NE(ls1, nullptr);
  const Uuid port = ls1->ports.front();
  auto& lsp = h.nb().logical_switch_ports[port];
  ASSERT_TRUE(lsp.type.empty()) << lsp.name;
  lsp.name = "ls1-renamed";
  h.changes().logical_switch_ports.insert(port);
  h.changes().switch_port_columns[port] = {"name"};
  ASSERT_TRUE(h.apply());
  EXPECT_EQ(h.ic().update_stats().port_datapaths, 2u);
  h.expect_matches_full("renaming a port");
}

TEST(Incremental, GlobalOptionChangeNeedsRecompute) {
  Harness h(load_fixture_nb("seed"), load_fixture_sb_state("seed"));
  h.nb().nb_global.options["default_acl_drop"] = "true";
  h.changes().nb_global = true;
  EXPECT_FALSE(h.apply());
  h.expect_matches_full("NB_Global change");
}

// Random edits of the kinds a CMS makes, one at a time; after each, incremental == full.
class RandomEdits {
 public:
  RandomEdits(Harness& h, uint64_t seed) : h_(h), rng_(seed) {}

  std::string step() {
    switch (rng_() % 13) {
      case 10: return change_port_security();
      case 11: return set_port_dhcp();
      case 12: return rename_port();
      case 0: return add_port();
      case 1: return delete_port();
      case 2: return change_port_addresses();
      case 3: return toggle_port_enabled();
      case 4: return add_acl();
      case 5: return delete_acl();
      case 6: return change_port_group_members();
      case 7: return add_or_delete_route();
      case 8: return set_port_up();
      default: return change_address_set();
    }
  }

 private:
  template <class T>
  const T* pick(const nb::Table<T>& t) {
    if (t.empty()) return nullptr;
    auto it = t.begin();
    std::advance(it, rng_() % t.size());
    return &it->second;
  }
  std::string addr() {
    unsigned n = counter_++;
    return fmt::format("0a:bb:00:00:{:02x}:{:02x} 10.99.{}.{}", n >> 8, n & 0xff, n / 200,
                       n % 200 + 1);
  }

  // Records a modified column of a switch port, as the OVSDB input does: a row inserted or
  // changed wholesale in the same update stays "all columns".
  void note_port_column(const Uuid& u, const char* column) {
    bool all = h_.changes().logical_switch_ports.count(u) &&
               !h_.changes().switch_port_columns.count(u);
    h_.changes().logical_switch_ports.insert(u);
    if (!all) h_.changes().switch_port_columns[u].insert(column);
  }

  std::string add_port() {
    const auto* ls = pick(h_.nb().logical_switches);
    if (!ls) return "nothing";
    nb::LogicalSwitchPort lsp;
    lsp.uuid = Uuid{rng_(), rng_()};
    lsp.name = fmt::format("rnd-{}", counter_);
    lsp.addresses = {addr()};
    if (rng_() % 3 == 0) lsp.port_security = lsp.addresses;
    if (rng_() % 5 == 0) lsp.addresses.push_back("unknown");
    h_.nb().logical_switch_ports[lsp.uuid] = lsp;
    h_.nb().logical_switches[ls->uuid].ports.push_back(lsp.uuid);
    h_.changes().logical_switch_ports.insert(lsp.uuid);
    h_.changes().logical_switches.insert(ls->uuid);
    h_.changes().switch_columns[ls->uuid].insert("ports");
    last_added_ = lsp.uuid;
    return "add port " + lsp.name + " to " + ls->name;
  }
  // A VIF (not a router port, which would take the topology apart).
  const nb::LogicalSwitchPort* pick_vif() {
    for (int tries = 0; tries < 20; ++tries) {
      const auto* p = pick(h_.nb().logical_switch_ports);
      if (p && p->type.empty()) return p;
    }
    return nullptr;
  }
  std::string delete_port() {
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    Uuid u = lsp->uuid;
    std::string name = lsp->name;
    for (auto& [lu, ls] : h_.nb().logical_switches) {
      if (std::erase(ls.ports, u)) {
        h_.changes().logical_switches.insert(lu);
        h_.changes().switch_columns[lu].insert("ports");
      }
    }
    for (auto& [pu, pg] : h_.nb().port_groups) {
      if (std::erase(pg.ports, u)) {
        h_.changes().port_groups.insert(pu);
        h_.changes().port_group_columns[pu].insert("ports");
      }
    }
    h_.nb().logical_switch_ports.erase(u);
    h_.changes().logical_switch_ports.insert(u);
    return "delete port " + name;
  }
  std::string change_port_addresses() {
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    auto& row = h_.nb().logical_switch_ports[lsp->uuid];
    row.addresses = {addr()};
    note_port_column(row.uuid, "addresses");
    return "readdress " + row.name;
  }
  std::string change_port_security() {
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    auto& row = h_.nb().logical_switch_ports[lsp->uuid];
    if (row.port_security.empty() && !row.addresses.empty()) {
      row.port_security = {row.addresses[0]};
    } else {
      row.port_security.clear();
    }
    note_port_column(row.uuid, "port_security");
    return "port security of " + row.name;
  }
  // DHCPv4 options on or off a port (and a new port with them).
  std::string set_port_dhcp() {
    const auto* dhcp = pick(h_.nb().dhcp_options);
    if (!dhcp) return "nothing";
    if (rng_() % 2) {
      std::string what = add_port();
      if (what == "nothing") return what;
      h_.nb().logical_switch_ports[last_added_].dhcpv4_options = dhcp->uuid;
      return what + " with dhcp";
    }
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    auto& row = h_.nb().logical_switch_ports[lsp->uuid];
    if (row.dhcpv4_options) {
      row.dhcpv4_options.reset();
    } else {
      row.dhcpv4_options = dhcp->uuid;
    }
    note_port_column(row.uuid, "dhcpv4_options");
    return "dhcp of " + row.name;
  }
  std::string rename_port() {
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    auto& row = h_.nb().logical_switch_ports[lsp->uuid];
    std::string old = row.name;
    row.name = fmt::format("renamed-{}", counter_++);
    note_port_column(row.uuid, "name");
    return "rename " + old + " to " + row.name;
  }
  std::string toggle_port_enabled() {
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    auto& row = h_.nb().logical_switch_ports[lsp->uuid];
    row.enabled = !(row.enabled.value_or(true));
    note_port_column(row.uuid, "enabled");
    return "toggle " + row.name;
  }
  // As northd writes it back: only the up column.
  std::string set_port_up() {
    const auto* lsp = pick_vif();
    if (!lsp) return "nothing";
    auto& row = h_.nb().logical_switch_ports[lsp->uuid];
    row.up = !(row.up.value_or(true));
    note_port_column(row.uuid, "up");
    return fmt::format("{} up={}", row.name, *row.up);
  }
  std::string add_acl() {
    nb::Acl acl;
    acl.uuid = Uuid{rng_(), rng_()};
    acl.priority = 1000 + rng_() % 100;
    acl.direction = rng_() % 2 ? "to-lport" : "from-lport";
    static const char* kActions[] = {"allow", "allow-related", "drop", "reject",
                                     "allow-stateless"};
    acl.action = kActions[rng_() % 5];
    acl.match = fmt::format("ip4 && tcp.dst == {}", 1000 + rng_() % 1000);
    if (rng_() % 2 && !h_.nb().port_groups.empty()) {
      const auto* pg = pick(h_.nb().port_groups);
      acl.match = fmt::format("outport == @{} && {}", pg->name, acl.match);
      h_.nb().acls[acl.uuid] = acl;
      h_.nb().port_groups[pg->uuid].acls.push_back(acl.uuid);
      h_.changes().port_groups.insert(pg->uuid);
      h_.changes().port_group_columns[pg->uuid].insert("acls");
    } else {
      const auto* ls = pick(h_.nb().logical_switches);
      if (!ls) return "nothing";
      h_.nb().acls[acl.uuid] = acl;
      h_.nb().logical_switches[ls->uuid].acls.push_back(acl.uuid);
      h_.changes().logical_switches.insert(ls->uuid);
      h_.changes().switch_columns[ls->uuid].insert("acls");
    }
    h_.changes().acls.insert(acl.uuid);
    return "add acl " + acl.action;
  }
  std::string delete_acl() {
    const auto* acl = pick(h_.nb().acls);
    if (!acl) return "nothing";
    Uuid u = acl->uuid;
    for (auto& [lu, ls] : h_.nb().logical_switches) {
      if (std::erase(ls.acls, u)) {
        h_.changes().logical_switches.insert(lu);
        h_.changes().switch_columns[lu].insert("acls");
      }
    }
    for (auto& [pu, pg] : h_.nb().port_groups) {
      if (std::erase(pg.acls, u)) {
        h_.changes().port_groups.insert(pu);
        h_.changes().port_group_columns[pu].insert("acls");
      }
    }
    h_.nb().acls.erase(u);
    h_.changes().acls.insert(u);
    return "delete acl";
  }
  std::string change_port_group_members() {
    const auto* pg = pick(h_.nb().port_groups);
    const auto* lsp = pick_vif();
    if (!pg || !lsp) return "nothing";
    auto& row = h_.nb().port_groups[pg->uuid];
    if (!std::erase(row.ports, lsp->uuid)) row.ports.push_back(lsp->uuid);
    h_.changes().port_groups.insert(row.uuid);
    h_.changes().port_group_columns[row.uuid].insert("ports");
    return "toggle " + lsp->name + " in " + row.name;
  }
  std::string add_or_delete_route() {
    const auto* lr = pick(h_.nb().logical_routers);
    if (!lr) return "nothing";
    auto& row = h_.nb().logical_routers[lr->uuid];
    if (!row.static_routes.empty() && rng_() % 2) {
      Uuid u = row.static_routes[rng_() % row.static_routes.size()];
      std::erase(row.static_routes, u);
      h_.nb().static_routes.erase(u);
      h_.changes().static_routes.insert(u);
    } else {
      // A next hop on one of the router's own networks, so the route resolves.
      std::string nexthop;
      for (const Uuid& pu : row.ports) {
        if (const auto* lrp = nb::find(h_.nb().logical_router_ports, pu)) {
          for (const auto& net : lrp->networks) {
            auto p = packets::parse_ipv4_prefix(net);
            if (p.ok() && p->len < 31) {
              nexthop = packets::Ipv4Addr{p->network().value + 7}.to_string();
            }
          }
        }
      }
      if (nexthop.empty()) return "nothing";
      nb::LogicalRouterStaticRoute r;
      r.uuid = Uuid{rng_(), rng_()};
      r.ip_prefix = fmt::format("10.{}.{}.0/24", 100 + rng_() % 100, rng_() % 250);
      r.nexthop = nexthop;
      h_.nb().static_routes[r.uuid] = r;
      row.static_routes.push_back(r.uuid);
      h_.changes().static_routes.insert(r.uuid);
    }
    h_.changes().logical_routers.insert(row.uuid);
    h_.changes().router_columns[row.uuid].insert("static_routes");
    return "route change on " + row.name;
  }
  std::string change_address_set() {
    const auto* as = pick(h_.nb().address_sets);
    if (!as) return "nothing";
    auto& row = h_.nb().address_sets[as->uuid];
    row.addresses.push_back(fmt::format("172.31.{}.{}", rng_() % 250, rng_() % 250));
    h_.changes().address_sets.insert(row.uuid);
    return "grow address set " + row.name;
  }

  Harness& h_;
  std::mt19937_64 rng_;
  unsigned counter_ = 1;
  Uuid last_added_;
};

class Randomized : public ::testing::TestWithParam<std::string> {};

TEST_P(Randomized, IncrementalEqualsFullAfterEveryEdit) {
  const std::string name = GetParam();
  Harness h(load_fixture_nb(name), load_fixture_sb_state(name));
  RandomEdits edits(h, std::hash<std::string>{}(name));
  int handled = 0;
  int port_scoped = 0;
  constexpr int kEdits = 40;
  for (int i = 0; i < kEdits; ++i) {
    std::string what = edits.step();
    // Now and then two edits in one update, as one NB transaction or a batch of them.
    if (i % 5 == 4) what += " and " + edits.step();
    if (h.apply()) ++handled;
    if (h.ic().update_stats().port_datapaths > 0) ++port_scoped;
    h.expect_matches_full(fmt::format("edit {}: {}", i, what));
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(handled, 30);  // these edits are all handled without a full recompute
  // Port edits of plain VIFs redo only the ports' own flows.
  EXPECT_GT(port_scoped, 0);
  std::printf("%s: %d of %d updates port-scoped\n", name.c_str(), port_scoped, kEdits);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Randomized,
                         ::testing::Values("acl", "routes", "gateway", "generated", "dhcp-dns",
                                           "ports"));

}  // namespace
}  // namespace ovnx::northd
