// Ofctrl against a scripted bridge on a unix socket: a difference goes out while the previous
// bundle is still unanswered (at most two in flight), installed_seqno() follows the commits,
// a refused bundle with another behind it proves no seqno until its flows went again, and a big
// bundle holds its commit so the differences found meanwhile join it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "base/ovn_conventions.h"
#include "controller/flow_store.h"
#include "controller/ofctrl.h"
#include "openflow/codec.h"

namespace ovnx::controller {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
using namespace ovnx::openflow;

// Speaks just enough OpenFlow for Ofctrl: hello, the TLV table (OVN's option already mapped),
// bundles (barrier replies held back on demand), and a refusal of one bundle's first add.
class FakeBridge {
 public:
  FakeBridge(asio::io_context& io, const std::string& path) : acceptor_(io) {
    std::filesystem::remove(path);
    acceptor_.open(local());
    acceptor_.bind(local::endpoint(path));
    acceptor_.listen();
    acceptor_.async_accept([this](boost::system::error_code ec, local::socket s) {
      if (ec) return;
      sock_ = std::make_shared<local::socket>(std::move(s));
      send_raw({0x06, 0x00, 0x00, 0x10, 0, 0, 0, 1, 0x00, 0x01, 0x00, 0x08, 0, 0, 0, 0x40});
      read();
    });
  }

  bool hold_barriers = false;
  uint32_t refuse_bundle = 0;  // its first add gets an error
  std::vector<uint32_t> commits;
  std::vector<uint32_t> held;

  void release() {
    for (uint32_t xid : held) send(BarrierReply{}, xid);
    held.clear();
  }

 private:
  void send(const Message& m, uint32_t xid) {
    auto bytes = encode(m, xid);
    ASSERT_TRUE(bytes.ok());
    send_raw(std::move(bytes).value());
  }
  void send_raw(std::vector<uint8_t> bytes) {
    auto buf = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    asio::async_write(*sock_, asio::buffer(*buf), [buf](boost::system::error_code, size_t) {});
  }
  void read() {
    auto hdr = std::make_shared<std::array<uint8_t, 8>>();
    asio::async_read(*sock_, asio::buffer(*hdr), [this, hdr](boost::system::error_code ec,
                                                             size_t) {
      if (ec) return;
      size_t len = (size_t{(*hdr)[2]} << 8) | (*hdr)[3];
      auto body = std::make_shared<std::vector<uint8_t>>(hdr->begin(), hdr->end());
      body->resize(len);
      asio::async_read(*sock_, asio::buffer(body->data() + 8, len - 8),
                       [this, body](boost::system::error_code ec2, size_t) {
                         if (ec2) return;
                         auto env = decode(*body);
                         ASSERT_TRUE(env.ok()) << env.error().to_string();
                         dispatch(*env);
                         read();
                       });
    });
  }
  void dispatch(const Envelope& env) {
    if (std::holds_alternative<TlvTableRequest>(env.message)) {
      TlvTableReply reply;
      reply.mappings.push_back(
          TlvMap{ovn::kGeneveOptClass, ovn::kGeneveOptType, ovn::kGeneveOptLen, 0});
      send(reply, env.xid);
    } else if (const auto* add = std::get_if<BundleAdd>(&env.message)) {
      if (add->bundle_id == refuse_bundle && refused_.insert(add->bundle_id).second) {
        send(ErrorMsg{2, 4}, env.xid);  // OFPBAC_BAD_OUT_PORT
      }
    } else if (const auto* bc = std::get_if<BundleControl>(&env.message)) {
      if (bc->type == BundleCtrlType::kCommitRequest) commits.push_back(bc->bundle_id);
    } else if (std::holds_alternative<BarrierRequest>(env.message)) {
      if (hold_barriers) {
        held.push_back(env.xid);
      } else {
        send(BarrierReply{}, env.xid);
      }
    }
  }

  local::acceptor acceptor_;
  std::shared_ptr<local::socket> sock_;
  std::set<uint32_t> refused_;
};

Flow flow(uint16_t priority) {
  Flow f;
  f.table_id = 10;
  f.priority = priority;
  return f;
}

class OfctrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ovnx-ofctrl-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    bridge_ = std::make_unique<FakeBridge>(io_, dir_ + "/br-int.mgmt");
    ofctrl_ = std::make_unique<Ofctrl>(io_, [this] { changed_ = true; });
    ofctrl_->set_target("unix:" + dir_ + "/br-int.mgmt", 0);
  }
  void TearDown() override {
    ofctrl_.reset();
    bridge_.reset();
    io_.poll();
    std::filesystem::remove_all(dir_);
  }

  // Runs the loop (and Ofctrl::run at SEQNO whenever it asks) until PRED holds.
  bool run_until(const std::function<bool()>& pred, uint64_t seqno) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.run_for(std::chrono::milliseconds(2));
      if (std::exchange(changed_, false)) ofctrl_->run(store_, seqno);
    }
    return true;
  }

  // Connected, with the table of seqno 1 (owner A's two flows) installed.
  void start() {
    store_.set_owner_flows(kA, {flow(1), flow(2)});
    ASSERT_TRUE(run_until([&] { return ofctrl_->installed_seqno() == 1; }, 1));
    EXPECT_EQ(ofctrl_->stats().full_syncs, 1u);
  }

  const Uuid kA{1, 1}, kB{1, 2}, kC{1, 3};
  asio::io_context io_;
  std::string dir_;
  std::unique_ptr<FakeBridge> bridge_;
  std::unique_ptr<Ofctrl> ofctrl_;
  FlowStore store_;
  bool changed_ = false;
};

TEST_F(OfctrlTest, SendsTheNextDifferenceWhileABundleIsInFlight) {
  start();
  bridge_->hold_barriers = true;
  store_.set_owner_flows(kB, {flow(3)});
  ofctrl_->run(store_, 2);
  store_.set_owner_flows(kC, {flow(4)});
  ofctrl_->run(store_, 3);
  ASSERT_TRUE(run_until([&] { return bridge_->commits.size() == 3; }, 3));
  // Two in flight: a third difference waits.
  store_.set_owner_flows(kC, {flow(5)});
  ofctrl_->run(store_, 4);
  io_.run_for(std::chrono::milliseconds(50));
  EXPECT_EQ(bridge_->commits.size(), 3u);
  EXPECT_EQ(ofctrl_->installed_seqno(), 1u);
  EXPECT_FALSE(ofctrl_->synced());

  bridge_->hold_barriers = false;
  bridge_->release();
  ASSERT_TRUE(run_until([&] { return ofctrl_->installed_seqno() == 4 && ofctrl_->synced(); }, 4));
  EXPECT_EQ(bridge_->commits.size(), 4u);
  // 1, 2, 3 and 5 remain (4 was deleted again): no tombstone counts.
  EXPECT_EQ(ofctrl_->installed_flows(), 4u);
  EXPECT_EQ(ofctrl_->stats().rejected, 0u);
}

TEST_F(OfctrlTest, ARefusedBundleWithAnotherBehindItProvesNoSeqno) {
  start();
  bridge_->hold_barriers = true;
  bridge_->refuse_bundle = 2;  // its first add: flow 3
  store_.set_owner_flows(kB, {flow(3), flow(4)});
  ofctrl_->run(store_, 2);
  store_.set_owner_flows(kC, {flow(6)});
  ofctrl_->run(store_, 3);
  ASSERT_TRUE(run_until([&] { return bridge_->commits.size() == 3; }, 3));
  bridge_->release();  // 2 refused, 3 committed; the next one is held
  // Bundle 3 committed, but bundle 2 (before it) was refused: seqno 3 is not installed until
  // bundle 2's other flow went again (bundle 4).
  ASSERT_TRUE(run_until([&] { return bridge_->commits.size() == 4; }, 3));
  io_.run_for(std::chrono::milliseconds(30));
  EXPECT_EQ(ofctrl_->installed_seqno(), 1u);
  bridge_->hold_barriers = false;
  bridge_->release();
  ASSERT_TRUE(run_until([&] { return ofctrl_->installed_seqno() == 3 && ofctrl_->synced(); }, 3));
  EXPECT_EQ(ofctrl_->stats().rejected, 1u);
  // Flows 1, 2, 6 and whichever of 3 and 4 was not the refused one.
  EXPECT_EQ(ofctrl_->installed_flows(), 4u);
  EXPECT_NE(ofctrl_->last_error().find("refused the addition"), std::string::npos);
}

TEST_F(OfctrlTest, ABigBundleHoldsItsCommitForTheDifferencesFoundMeanwhile) {
  ofctrl_->set_commit_hold_min(2);
  start();  // its two flows were held too, committed once taken in
  EXPECT_EQ(bridge_->commits.size(), 1u);
  bridge_->hold_barriers = true;
  store_.set_owner_flows(kB, {flow(3), flow(4)});
  ofctrl_->run(store_, 2);
  EXPECT_EQ(ofctrl_->held_parts(), 1u);
  // Found while the switch takes in the first part: joins the same bundle.
  store_.set_owner_flows(kC, {flow(5)});
  ofctrl_->run(store_, 3);
  EXPECT_EQ(ofctrl_->held_parts(), 2u);
  io_.run_for(std::chrono::milliseconds(30));
  EXPECT_EQ(bridge_->commits.size(), 1u);  // no commit before every part was taken in
  EXPECT_EQ(ofctrl_->installed_seqno(), 1u);

  bridge_->hold_barriers = false;
  bridge_->release();
  ASSERT_TRUE(run_until([&] { return ofctrl_->installed_seqno() == 3 && ofctrl_->synced(); }, 3));
  ASSERT_EQ(bridge_->commits.size(), 2u);  // one commit for both differences
  EXPECT_EQ(bridge_->commits[1], 2u);
  EXPECT_EQ(ofctrl_->held_parts(), 0u);
  EXPECT_EQ(ofctrl_->installed_flows(), 5u);
}

TEST_F(OfctrlTest, AVeryBigDifferenceStreamsItsFirstPartBeforeEncodingTheRest) {
  start();
  bridge_->hold_barriers = true;
  std::vector<Flow> many;
  for (uint16_t p = 100; p < 5100; p++) many.push_back(flow(p));
  store_.set_owner_flows(kB, many);
  ofctrl_->run(store_, 2);
  EXPECT_EQ(ofctrl_->held_parts(), 2u);
  bridge_->hold_barriers = false;
  bridge_->release();
  ASSERT_TRUE(run_until([&] { return ofctrl_->installed_seqno() == 2 && ofctrl_->synced(); }, 2));
  EXPECT_EQ(bridge_->commits, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(ofctrl_->installed_flows(), 5002u);
}

TEST_F(OfctrlTest, ARefusedPartDiscardsTheHeldBundle) {
  ofctrl_->set_commit_hold_min(2);
  start();
  bridge_->refuse_bundle = 2;  // its first add: flow 3
  store_.set_owner_flows(kB, {flow(3), flow(4)});
  ofctrl_->run(store_, 2);
  EXPECT_EQ(ofctrl_->held_parts(), 1u);
  ASSERT_TRUE(run_until([&] { return ofctrl_->installed_seqno() == 2 && ofctrl_->synced(); }, 2));
  // Bundle 2 never committed; its other flow went again alone (too small to hold).
  EXPECT_EQ(bridge_->commits, (std::vector<uint32_t>{1, 3}));
  EXPECT_EQ(ofctrl_->stats().rejected, 1u);
  EXPECT_EQ(ofctrl_->installed_flows(), 3u);
  EXPECT_NE(ofctrl_->last_error().find("refused the addition"), std::string::npos);
}

}  // namespace
}  // namespace ovnx::controller
