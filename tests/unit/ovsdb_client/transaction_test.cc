// Transactions without a server: read-your-writes, what is sent, how replies are read.
#include "ovsdb/client/transaction.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ovsdb/client/nb.h"
#include "ovsdb/client/txn_encoder.h"

namespace ovnx::ovsdb::client {
namespace {

namespace json = boost::json;

const char* const kLs = "11111111-1111-4111-8111-111111111111";

class TransactionTest : public ::testing::Test {
 protected:
  TransactionTest() : replica_(nb::binding_ptr()) {
    Status s = replica_.apply(json::parse(fmt::format(R"({{"Logical_Switch": {{"{}": {{"initial":
        {{"name": "ls1", "external_ids": ["map", [["a", "1"], ["b", "2"]]]}}}}}}}})",
                                                      kLs)),
                              UpdateFormat::update2);
    EXPECT_TRUE(s.ok());
    ls_ = nb::LogicalSwitch::get(replica_, *Uuid::parse(kLs));
  }
  json::array ops(const Transaction& txn, const std::string& lock = "") {
    auto e = EncodedTransaction::encode(txn, "OVN_Northbound", lock);
    json::array a = e.params();
    EXPECT_EQ(a[0], "OVN_Northbound");
    a.erase(a.begin());
    return a;
  }
  Replica replica_;
  const nb::LogicalSwitch* ls_ = nullptr;
};

TEST_F(TransactionTest, EmptyTransactionSendsNothing) {
  Transaction txn(replica_);
  EXPECT_TRUE(txn.empty());
  // Writing back the current value is no change.
  nb::LogicalSwitch::edit(txn, ls_).set_name("ls1");
  EXPECT_TRUE(txn.empty());
  EXPECT_TRUE(EncodedTransaction::encode(txn, "OVN_Northbound", "").empty());
}

TEST_F(TransactionTest, InsertWithReferenceUsesNamedUuids) {
  Transaction txn(replica_);
  auto lsp = nb::LogicalSwitchPort::insert(txn);
  lsp.set_name("p1");
  lsp.set_addresses({"00:00:00:00:00:01 10.0.0.1"});
  nb::LogicalSwitch::edit(txn, ls_).add_ports(lsp.row());
  // Reads see the transaction's writes.
  const nb::LogicalSwitch* now = ls_->in(txn);
  ASSERT_EQ(now->ports().to_vector().size(), 1u);
  EXPECT_EQ(now->ports().to_vector()[0]->name(), "p1");
  EXPECT_TRUE(ls_->ports().empty());  // the replica is untouched

  json::array a = ops(txn);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].at("op"), "insert");
  std::string name(a[0].at("uuid-name").get_string());
  EXPECT_EQ(a[0].at("row").at("name"), "p1");
  EXPECT_FALSE(a[0].at("row").as_object().contains("enabled"));  // defaults are not sent
  EXPECT_EQ(a[1].at("op"), "mutate");
  EXPECT_EQ(json::serialize(a[1].at("mutations")),
            fmt::format(R"([["ports","insert",["set",[["named-uuid","{}"]]]]])", name));
}

TEST_F(TransactionTest, MapEditsAreMutationsAndWritesAreUpdates) {
  Transaction txn(replica_);
  auto w = nb::LogicalSwitch::edit(txn, ls_);
  w.update_external_ids("a", "9");
  w.delete_external_ids("b");
  w.update_external_ids("c", "3");
  w.set_other_config({{"x", "y"}});
  EXPECT_EQ(ls_->in(txn)->external_ids().to_map(),
            (std::map<std::string, std::string>{{"a", "9"}, {"c", "3"}}));
  json::array a = ops(txn);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].at("op"), "update");
  EXPECT_EQ(json::serialize(a[0].at("row")), R"({"other_config":["map",[["x","y"]]]})");
  EXPECT_EQ(a[1].at("op"), "mutate");
  EXPECT_EQ(json::serialize(a[1].at("mutations")),
            R"([["external_ids","delete",["set",["a","b","c"]]],)"
            R"(["external_ids","insert",["map",[["a","9"],["c","3"]]]]])");
}

TEST_F(TransactionTest, VerifyBecomesWaitAndLockIsAsserted) {
  Transaction txn(replica_);
  auto w = nb::LogicalSwitch::edit(txn, ls_);
  w.verify_name();
  w.set_name("renamed");
  json::array a = ops(txn, "my_lock");
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(json::serialize(a[0]), R"({"op":"assert","lock":"my_lock"})");
  EXPECT_EQ(a[1].at("op"), "wait");
  EXPECT_EQ(a[1].at("timeout"), 0);
  EXPECT_EQ(json::serialize(a[1].at("rows")), R"([{"name":"ls1"}])");
  EXPECT_EQ(a[2].at("op"), "update");
}

TEST_F(TransactionTest, DeleteHidesRowAndInsertedThenDeletedSendsNothing) {
  Transaction txn(replica_);
  auto n = nb::LogicalSwitch::insert(txn);
  n.set_name("tmp");
  EXPECT_EQ(nb::LogicalSwitch::rows(txn).size(), 2u);
  n.remove();
  EXPECT_TRUE(txn.empty());
  nb::LogicalSwitch::edit(txn, ls_).remove();
  EXPECT_EQ(ls_->in(txn), nullptr);
  EXPECT_TRUE(nb::LogicalSwitch::rows(txn).empty());
  json::array a = ops(txn);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].at("op"), "delete");
}

TEST_F(TransactionTest, RepliesAreInterpreted) {
  Transaction txn(replica_);
  auto n = nb::LogicalSwitch::insert(txn);
  n.set_name("new");
  auto w = nb::LogicalSwitch::edit(txn, ls_);
  w.verify_name();
  w.update_external_ids("z", "1");
  auto e = EncodedTransaction::encode(txn, "OVN_Northbound", "");
  // insert, wait, mutate
  TxnReport ok = e.interpret(json::parse(
      R"([{"uuid": ["uuid", "33333333-3333-4333-8333-333333333333"]}, {}, {"count": 1}])"));
  EXPECT_EQ(ok.status, TxnStatus::success);
  EXPECT_EQ(ok.real_uuid(n.uuid()).to_string(), "33333333-3333-4333-8333-333333333333");

  TxnReport conflict = e.interpret(json::parse(
      R"([{"uuid": ["uuid", "33333333-3333-4333-8333-333333333333"]}, {"error": "timed out"}])"));
  EXPECT_EQ(conflict.status, TxnStatus::try_again);

  TxnReport vanished = e.interpret(json::parse(
      R"([{"uuid": ["uuid", "33333333-3333-4333-8333-333333333333"]}, {}, {"count": 0}])"));
  EXPECT_EQ(vanished.status, TxnStatus::try_again);

  TxnReport failed = e.interpret(json::parse(
      R"([{"uuid": ["uuid", "33333333-3333-4333-8333-333333333333"]}, {}, {"count": 1},
          {"error": "constraint violation", "details": "bad"}])"));
  EXPECT_EQ(failed.status, TxnStatus::error);
  EXPECT_EQ(failed.error, "constraint violation: bad");
  EXPECT_EQ(failed.error_json, R"({"details":"bad","error":"constraint violation"})");

  TxnReport dropped = e.interpret(make_error("connection closed", "eof"));
  EXPECT_EQ(dropped.status, TxnStatus::try_again);
}

}  // namespace
}  // namespace ovnx::ovsdb::client
