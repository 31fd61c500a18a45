// The parallel parts of a full compile (topology steps, flows beside the other SB rows, the
// flow table's merge) give what a serial compile gives, and replaced compilers are freed off
// the caller's thread.
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "fixture.h"
#include "northd/compiler.h"
#include "northd/sb_text.h"
#include "northd/thread_pool.h"

namespace ovnx::northd {
namespace {

using testing::line_diff;
using testing::load_fixture_nb;
using testing::load_fixture_sb_state;

class Threaded : public ::testing::TestWithParam<std::string> {};

TEST_P(Threaded, CompileEqualsSerialCompile) {
  const nb::Snapshot nb = load_fixture_nb(GetParam());
  const SbState sb = load_fixture_sb_state(GetParam());
  auto serial = compile(nb, sb, {.threads = 1});
  ASSERT_TRUE(serial.ok());
  const std::string want = sb_text(*serial);
  // Several times: a race would show as a difference now and then.
  for (int i = 0; i < 3; ++i) {
    auto threaded = compile(nb, sb, {.threads = 3});
    ASSERT_TRUE(threaded.ok());
    EXPECT_EQ(line_diff(want, sb_text(*threaded)), "") << "run " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Threaded,
                         ::testing::Values("seed", "acl", "routes", "gateway", "generated",
                                           "dhcp-dns", "ports"));

// A port named like a port of an earlier switch (by name) is ignored there, as ovn-northd does,
// however many threads build the ports.
TEST(Threaded, APortNameTakenByAnEarlierSwitchIsIgnored) {
  nb::Snapshot nb = load_fixture_nb("generated");
  const SbState sb = load_fixture_sb_state("generated");
  const nb::LogicalSwitch* first = nullptr;
  const nb::LogicalSwitch* last = nullptr;
  for (const auto& [u, ls] : nb.logical_switches) {
    if (ls.ports.empty()) continue;
    if (!first || ls.name < first->name) first = &ls;
    if (!last || ls.name > last->name) last = &ls;
  }
  ASSERT_TRUE(first && last && first != last);
  const nb::LogicalSwitchPort* taken = nb::find(nb.logical_switch_ports, first->ports.front());
  ASSERT_NE(taken, nullptr);
  nb::LogicalSwitchPort dup;
  dup.uuid = Uuid{0x1234, 0x5678};
  dup.name = taken->name;
  dup.addresses = {"00:00:00:00:12:34 10.99.0.1"};
  nb.logical_switch_ports[dup.uuid] = dup;
  nb.logical_switches[last->uuid].ports.push_back(dup.uuid);
  const Uuid first_uuid = first->uuid;

  for (unsigned threads : {1u, 3u}) {
    auto c = compile(nb, sb, {.threads = threads});
    ASSERT_TRUE(c.ok());
    int bindings = 0;
    for (const auto& pb : c->port_bindings) {
      if (pb.logical_port != dup.name) continue;
      ++bindings;
      EXPECT_EQ(pb.datapath, first_uuid) << threads << " threads";
    }
    EXPECT_EQ(bindings, 1) << threads << " threads";
    EXPECT_EQ(sb_text(*c).find("10.99.0.1"), std::string::npos) << threads << " threads";
  }
}

// Records where and whether it was destroyed.
struct Tracked {
  Tracked(std::atomic<bool>* gone, std::thread::id* where) : gone(gone), where(where) {}
  ~Tracked() {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    *where = std::this_thread::get_id();
    gone->store(true);
  }
  std::atomic<bool>* gone;
  std::thread::id* where;
};

TEST(BackgroundRelease, DestroysOnAnotherThreadAndWaitWaitsForIt) {
  std::atomic<bool> gone{false};
  std::thread::id where;
  BackgroundRelease r;
  r.release(std::make_unique<Tracked>(&gone, &where));
  r.wait();
  EXPECT_TRUE(gone.load());
  EXPECT_NE(where, std::this_thread::get_id());
}

TEST(BackgroundRelease, TheNextReleaseAndTheDestructorWaitForThePrevious) {
  std::atomic<bool> first{false}, second{false};
  std::thread::id w1, w2;
  {
    BackgroundRelease r;
    r.release(std::make_unique<Tracked>(&first, &w1));
    r.release(std::make_unique<Tracked>(&second, &w2));
    EXPECT_TRUE(first.load());
    r.release(std::unique_ptr<Tracked>());  // nothing to do
  }
  EXPECT_TRUE(second.load());
}

}  // namespace
}  // namespace ovnx::northd
