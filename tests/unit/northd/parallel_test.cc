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
