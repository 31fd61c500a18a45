// FlowTable against a fake Channel: what it sends (bundles of strict flow_mods), how it tracks
// the installed set, and what happens when the switch refuses or the connection fails.
#include <gtest/gtest.h>

#include "openflow/flow_table.h"
#include "openflow/format.h"

namespace ovnx::openflow {
namespace {

// Records batches; answers each with `next_result` (default: success).
class FakeChannel : public Channel {
 public:
  void send_batch(std::vector<Message> messages, BatchHandler done) override {
    batches.push_back(std::move(messages));
    if (hold) {
      held.push_back(std::move(done));
      return;
    }
    done(next_result);
  }
  void request(Message request, ReplyHandler on_reply) override {
    requests.push_back(std::move(request));
    on_reply(next_reply);
  }

  // The flow_mods inside the last batch's bundle, checking the bundle framing on the way.
  std::vector<FlowMod> last_flow_mods() const {
    const auto& b = batches.back();
    EXPECT_GE(b.size(), 2u);
    const auto& open = std::get<BundleControl>(b.front());
    const auto& commit = std::get<BundleControl>(b.back());
    EXPECT_EQ(open.type, BundleCtrlType::kOpenRequest);
    EXPECT_EQ(commit.type, BundleCtrlType::kCommitRequest);
    EXPECT_EQ(open.flags, kBundleAtomic | kBundleOrdered);
    EXPECT_EQ(open.bundle_id, commit.bundle_id);
    std::vector<FlowMod> mods;
    for (size_t i = 1; i + 1 < b.size(); i++) {
      const auto& add = std::get<BundleAdd>(b[i]);
      EXPECT_EQ(add.bundle_id, open.bundle_id);
      auto env = decode(add.message);
      EXPECT_TRUE(env.ok());
      if (env.ok()) mods.push_back(std::get<FlowMod>(env->message));
    }
    return mods;
  }

  std::vector<std::vector<Message>> batches;
  std::vector<Message> requests;
  BatchResult next_result;
  Result<Envelope> next_reply = make_error("no reply set");
  bool hold = false;
  std::vector<BatchHandler> held;
};

Flow make(uint8_t table, uint16_t prio, uint32_t reg0, ActionList actions = {}) {
  Flow f;
  f.table_id = table;
  f.priority = prio;
  f.match.set(reg(0), reg0);
  f.actions = std::move(actions);
  return f;
}

SyncResult sync_now(FlowTable& t) {
  SyncResult out;
  bool called = false;
  t.sync([&](const SyncResult& r) {
    out = r;
    called = true;
  });
  EXPECT_TRUE(called);
  return out;
}

TEST(FlowTable, FirstSyncReplacesEverythingAtomically) {
  FakeChannel ch;
  FlowTable t(ch);
  Flow a = make(0, 10, 1, {Resubmit{kPortInPort, 1}});
  Flow b = make(1, 10, 2);
  EXPECT_EQ(t.set_desired({b, a}), 0u);
  SyncResult r = sync_now(t);
  ASSERT_TRUE(r.status.ok()) << r.status.error().to_string();
  EXPECT_TRUE(r.full_replace);
  EXPECT_EQ(r.added, 2u);
  auto mods = ch.last_flow_mods();
  ASSERT_EQ(mods.size(), 3u);
  EXPECT_EQ(mods[0].command, FlowModCommand::kDelete);  // every table, every flow
  EXPECT_EQ(mods[0].flow.table_id, kTableAll);
  EXPECT_TRUE(mods[0].flow.match.empty());
  EXPECT_EQ(mods[1].flow, a);  // sorted by key
  EXPECT_EQ(mods[2].flow, b);
  EXPECT_TRUE(t.installed_known());
  EXPECT_EQ(t.installed().size(), 2u);
}

TEST(FlowTable, DiffSendsOnlyChanges) {
  FakeChannel ch;
  FlowTable t(ch);
  Flow keep = make(0, 10, 1, {Output{1}});
  Flow change_actions = make(0, 10, 2, {Output{2}});
  Flow change_cookie = make(0, 10, 3, {Output{3}});
  Flow remove = make(0, 10, 4, {Output{4}});
  t.set_desired({keep, change_actions, change_cookie, remove});
  ASSERT_TRUE(sync_now(t).status.ok());

  Flow changed_actions = change_actions;
  changed_actions.actions = {Output{5}};
  Flow changed_cookie = change_cookie;
  changed_cookie.cookie = 7;
  Flow added = make(2, 1, 9);
  t.set_desired({keep, changed_actions, changed_cookie, added});
  SyncResult r = sync_now(t);
  ASSERT_TRUE(r.status.ok());
  EXPECT_FALSE(r.full_replace);
  EXPECT_EQ(r.deleted, 1u);
  EXPECT_EQ(r.modified, 1u);
  EXPECT_EQ(r.added, 2u);
  auto mods = ch.last_flow_mods();
  ASSERT_EQ(mods.size(), 4u);
  EXPECT_EQ(mods[0].command, FlowModCommand::kDeleteStrict);
  EXPECT_EQ(FlowKey::of(mods[0].flow), FlowKey::of(remove));
  EXPECT_EQ(mods[1].command, FlowModCommand::kModifyStrict);
  EXPECT_EQ(mods[1].flow, changed_actions);
  EXPECT_EQ(mods[2].command, FlowModCommand::kAdd);  // a new cookie needs an add
  EXPECT_EQ(mods[2].flow, changed_cookie);
  EXPECT_EQ(mods[3].command, FlowModCommand::kAdd);
  EXPECT_EQ(mods[3].flow, added);
  EXPECT_EQ(t.installed().size(), 4u);
  EXPECT_EQ(t.installed().at(FlowKey::of(changed_cookie)).cookie, 7u);

  // Nothing left to do: no batch at all.
  size_t batches = ch.batches.size();
  SyncResult again = sync_now(t);
  EXPECT_TRUE(again.status.ok());
  EXPECT_EQ(again.added + again.modified + again.deleted, 0u);
  EXPECT_EQ(ch.batches.size(), batches);
}

TEST(FlowTable, RefusedBundleChangesNothingAndNamesTheFlow) {
  FakeChannel ch;
  FlowTable t(ch);
  Flow good = make(0, 10, 1);
  t.set_desired({good});
  ASSERT_TRUE(sync_now(t).status.ok());
  Flow bad = make(5, 1, 1, {Group{4242}});
  Flow other = make(5, 2, 1);
  t.upsert(bad);
  t.upsert(other);
  // Message 1 of the batch (the first flow_mod) is refused; the commit then fails.
  ch.next_result.errors = {{1, ErrorMsg{2, 9}}, {3, ErrorMsg{17, 13}}};
  SyncResult r = sync_now(t);
  ASSERT_FALSE(r.status.ok());
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].first, bad);
  EXPECT_EQ(r.rejected[0].second.to_string(), "OFPBAC_BAD_OUT_GROUP (type 2, code 9)");
  EXPECT_NE(r.status.error().details.find("rejected flow: table=5, priority=1"),
            std::string::npos);
  EXPECT_TRUE(t.installed_known());
  EXPECT_EQ(t.installed().size(), 1u);  // unchanged: the bundle was atomic
  // Dropping the bad flow lets the rest through, as a diff.
  t.erase(FlowKey::of(bad));
  ch.next_result = {};
  SyncResult ok = sync_now(t);
  ASSERT_TRUE(ok.status.ok());
  EXPECT_EQ(ok.added, 1u);
  EXPECT_FALSE(ok.full_replace);
}

TEST(FlowTable, ConnectionFailureForgetsInstalledState) {
  FakeChannel ch;
  FlowTable t(ch);
  t.set_desired({make(0, 1, 1)});
  ASSERT_TRUE(sync_now(t).status.ok());
  t.upsert(make(0, 1, 2));
  ch.next_result.failure = make_error("connection closed", "closed by the switch");
  SyncResult r = sync_now(t);
  EXPECT_FALSE(r.status.ok());
  EXPECT_FALSE(t.installed_known());
  ch.next_result = {};
  SyncResult again = sync_now(t);
  ASSERT_TRUE(again.status.ok());
  EXPECT_TRUE(again.full_replace);
  EXPECT_EQ(again.added, 2u);
}

TEST(FlowTable, LoadInstalledAdoptsTheSwitchFlows) {
  FakeChannel ch;
  FlowTable t(ch);
  Flow a = make(0, 1, 1);
  Flow b = make(0, 1, 2);
  FlowStatsReply reply;
  reply.flows = {FlowStats{a}, FlowStats{b}};
  ch.next_reply = Envelope{kVersion15, 5, reply};
  Status st = make_error("not called");
  t.load_installed([&](Status s) { st = s; });
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  ASSERT_EQ(ch.requests.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<FlowStatsRequest>(ch.requests[0]));
  EXPECT_TRUE(t.installed_known());
  t.set_desired({a});
  SyncResult r = sync_now(t);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.deleted, 1u);
  EXPECT_EQ(r.added, 0u);

  ch.next_reply = make_error("openflow error", "OFPBRC_EPERM");
  t.load_installed([&](Status s) { st = s; });
  EXPECT_FALSE(st.ok());
}

TEST(FlowTable, SyncsRunOneAtATime) {
  FakeChannel ch;
  ch.hold = true;
  FlowTable t(ch);
  t.set_desired({make(0, 1, 1)});
  int done = 0;
  t.sync([&](const SyncResult& r) { done += r.status.ok() ? 1 : 100; });
  t.upsert(make(0, 1, 2));
  t.sync([&](const SyncResult& r) { done += r.status.ok() ? 10 : 100; });
  ASSERT_EQ(ch.batches.size(), 1u);  // the second waits for the first
  ch.held[0](BatchResult{});
  EXPECT_EQ(done, 1);
  ASSERT_EQ(ch.batches.size(), 2u);
  auto mods = ch.last_flow_mods();
  ASSERT_EQ(mods.size(), 1u);  // only the flow added meanwhile
  ch.held[1](BatchResult{});
  EXPECT_EQ(done, 11);
}

TEST(FlowTable, DuplicateKeysKeepTheFirst) {
  FakeChannel ch;
  FlowTable t(ch);
  Flow a = make(0, 1, 1, {Output{1}});
  Flow a2 = make(0, 1, 1, {Output{2}});
  EXPECT_EQ(t.set_desired({a, a2}), 1u);
  EXPECT_EQ(t.desired().at(FlowKey::of(a)), a);
}

TEST(FlowTable, UnencodableFlowFailsBeforeSending) {
  FakeChannel ch;
  FlowTable t(ch);
  t.set_desired({make(0, 1, 1, {Move{Subfield{reg(0), 0, 8}, Subfield{reg(1), 0, 4}}})});
  SyncResult r = sync_now(t);
  EXPECT_FALSE(r.status.ok());
  EXPECT_NE(r.status.error().details.find("8 bits to 4"), std::string::npos);
  EXPECT_TRUE(ch.batches.empty());
}

}  // namespace
}  // namespace ovnx::openflow
