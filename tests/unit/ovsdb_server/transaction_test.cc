// Operations of "transact" (RFC 7047 section 5.2) and their error strings, checked against
// what the real ovsdb-server answers.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ovnx::ovsdb::server {
namespace {

using testing::column_values;
using testing::make_db;
using testing::transact;

struct TransactionTest : ::testing::Test {
  std::unique_ptr<Database> db = make_db();
  TransactionTest() {}
  testing::TxnResult run(const std::string& ops, ExecuteParams p = {}) {
    return transact(*db, ops, std::move(p));
  }
};

TEST_F(TransactionTest, InsertThenSelectReturnsEveryColumnByDefault) {
  auto r = run(R"([{"op":"insert","table":"Plain","row":{"s":"a","i":3}}])");
  ASSERT_EQ(r.error(), "") << r.text();
  ASSERT_TRUE(r.committed);
  auto s = run(R"([{"op":"select","table":"Plain","where":[]}])");
  ASSERT_EQ(s.rows(0).size(), 1u);
  const auto& row = s.rows(0)[0].as_object();
  EXPECT_EQ(row.at("s").as_string(), "a");
  EXPECT_EQ(row.at("i").as_int64(), 3);
  EXPECT_TRUE(row.contains("_uuid"));
  EXPECT_TRUE(row.contains("_version"));
  EXPECT_EQ(row.at("_uuid").as_array()[1].as_string(), r.uuid(0).to_string());
}

TEST_F(TransactionTest, SelectProjectsRequestedColumns) {
  run(R"([{"op":"insert","table":"Plain","row":{"s":"a","i":3}}])");
  auto s = run(R"([{"op":"select","table":"Plain","where":[],"columns":["i"]}])");
  EXPECT_EQ(boost::json::serialize(s.rows(0)), R"([{"i":3}])");
  auto bad = run(R"([{"op":"select","table":"Plain","where":[],"columns":["zz"]}])");
  EXPECT_EQ(bad.error(), "syntax error");
  EXPECT_EQ(bad.details(), "zz is not a valid column name");
}

TEST_F(TransactionTest, UuidNamesLinkRowsWithinATransaction) {
  auto r = run(R"([{"op":"insert","table":"Child","row":{"n":1},"uuid-name":"c"},
                   {"op":"insert","table":"Parent","uuid-name":"p",
                    "row":{"name":"p","color":"red","children":["named-uuid","c"],
                           "weak1":["named-uuid","o"]}},
                   {"op":"insert","table":"Other","row":{"o":1},"uuid-name":"o"}])");
  ASSERT_EQ(r.error(), "") << r.text();
  auto s = run(R"([{"op":"select","table":"Parent","where":[],"columns":["children","weak1"]}])");
  EXPECT_EQ(s.rows(0)[0].as_object().at("children").as_array()[1].as_string(),
            r.uuid(0).to_string());
  EXPECT_EQ(s.rows(0)[0].as_object().at("weak1").as_array()[1].as_string(),
            r.uuid(2).to_string());
}

TEST_F(TransactionTest, DuplicateUuidNameFails) {
  auto r = run(R"([{"op":"insert","table":"Plain","row":{},"uuid-name":"a"},
                   {"op":"insert","table":"Plain","row":{},"uuid-name":"a"}])");
  EXPECT_EQ(r.error(), "duplicate uuid-name");
  EXPECT_EQ(r.results.size(), 2u);
  EXPECT_FALSE(r.committed);
}

TEST_F(TransactionTest, InsertWithExplicitUuid) {
  const char* u = "2e29c565-9fa0-439c-a52a-7bdade785d95";
  auto r = run(std::string(R"([{"op":"insert","table":"Plain","row":{},"uuid":")") + u + "\"}]");
  ASSERT_EQ(r.error(), "") << r.text();
  EXPECT_EQ(r.uuid(0).to_string(), u);
  auto again = run(std::string(R"([{"op":"insert","table":"Plain","row":{},"uuid":")") + u + "\"}]");
  EXPECT_EQ(again.error(), "duplicate uuid");
  // Deleted and re-inserted in one transaction is not allowed either.
  auto both = run(std::string(R"([{"op":"delete","table":"Plain","where":[]},
                                  {"op":"insert","table":"Plain","row":{},"uuid":")") + u + "\"}]");
  EXPECT_EQ(both.error(), "duplicate uuid");
}

TEST_F(TransactionTest, ErrorStopsTheTransactionAndPadsWithNull) {
  auto r = run(R"([{"op":"insert","table":"Plain","row":{"s":"x"}},
                   {"op":"insert","table":"Plain","row":{"nope":1}},
                   {"op":"insert","table":"Plain","row":{"s":"y"}}])");
  ASSERT_EQ(r.results.size(), 3u);
  EXPECT_EQ(r.error(), "unknown column");
  EXPECT_EQ(r.details(), "No column nope in table Plain.");
  EXPECT_TRUE(r.results[2].is_null());
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(db->find_table("Plain")->size(), 0u);  // all or nothing
}

TEST_F(TransactionTest, ParseErrorsNameTheOperation) {
  auto r = run(R"([{"op":"frob"}])");
  EXPECT_EQ(r.error(), "syntax error");
  EXPECT_EQ(r.details(), "Parsing ovsdb operation 1 of 1 failed: No operation \"frob\"");
  r = run(R"([{"op":"insert"}])");
  EXPECT_EQ(r.details(), "Parsing ovsdb operation 1 of 1 failed: Required 'table' member is missing.");
  r = run(R"([{"op":"insert","table":"Nope","row":{}}])");
  EXPECT_EQ(r.details(), "Parsing ovsdb operation 1 of 1 failed: No table named Nope.");
  r = run(R"([{"op":"insert","table":"Plain","row":{},"frob":1}])");
  EXPECT_EQ(r.details(),
            "Parsing ovsdb operation 1 of 1 failed: Member 'frob' is present but not allowed here.");
  r = run(R"([{"op":"select","table":"Plain"}])");
  EXPECT_EQ(r.details(), "Parsing ovsdb operation 1 of 1 failed: Required 'where' member is missing.");
  r = run(R"([5])");
  EXPECT_EQ(r.details(), "Parsing ovsdb operation 1 of 1 failed: Object expected.");
  r = run(R"([{"op":"commit"}])");
  EXPECT_EQ(r.details(), "Parsing ovsdb operation 1 of 1 failed: Required 'durable' member is missing.");
}

TEST_F(TransactionTest, ConstraintsAreCheckedOnInsertIncludingDefaults) {
  auto r = run(R"([{"op":"insert","table":"Parent","row":{"name":"a"}}])");
  EXPECT_EQ(r.error(), "constraint violation");  // color defaults to "", not in the enum
  r = run(R"([{"op":"insert","table":"Parent","row":{"name":"a","color":"red","count":101}}])");
  EXPECT_EQ(r.error(), "constraint violation");
  EXPECT_EQ(r.details(), "101 is not in the valid range 0 to 100 (inclusive)");
  r = run(R"([{"op":"insert","table":"Parent","row":{"color":"red","tags":["set",["a","b","c","d"]]}}])");
  EXPECT_EQ(r.error(), "syntax error");
  EXPECT_EQ(r.details(), "set must have 0 to 3 members but 4 are present");
  r = run(R"([{"op":"insert","table":"Plain","row":{"i":["set",[]]}}])");
  EXPECT_EQ(r.details(), "set must have exactly one member but 0 are present");
  r = run(R"([{"op":"insert","table":"Parent","row":{"color":"red","tags":["set",["toolong"]]}}])");
  EXPECT_EQ(r.error(), "constraint violation");
  r = run(R"([{"op":"insert","table":"Plain","row":{"i":"x"}}])");
  EXPECT_EQ(r.error(), "syntax error");
}

TEST_F(TransactionTest, UpdateChangesMatchingRowsAndRejectsImmutableColumns) {
  run(R"([{"op":"insert","table":"Plain","row":{"s":"a","i":1}},
          {"op":"insert","table":"Plain","row":{"s":"b","i":2}}])");
  auto r = run(R"([{"op":"update","table":"Plain","where":[["i",">",1]],"row":{"s":"c"}}])");
  EXPECT_EQ(r.count(0), 1);
  EXPECT_EQ(column_values(*db, "Plain", "s"), (std::vector<std::string>{"\"a\"", "\"c\""}));
  r = run(R"([{"op":"update","table":"Plain","where":[],"row":{"_uuid":["uuid","2e29c565-9fa0-439c-a52a-7bdade785d95"]}}])");
  EXPECT_EQ(r.error(), "constraint violation");
  EXPECT_EQ(r.details(), "Cannot update immutable column _uuid in table Plain.");
  run(R"([{"op":"insert","table":"Other","row":{"o":1},"uuid-name":"o"},
          {"op":"insert","table":"Parent","row":{"name":"a","color":"red","weak1":["named-uuid","o"]}}])");
  r = run(R"([{"op":"update","table":"Parent","where":[],"row":{"fixed":3}}])");
  EXPECT_EQ(r.details(), "Cannot update immutable column fixed in table Parent.");
}

TEST_F(TransactionTest, UpdateThatChangesNothingCommitsNothing) {
  run(R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])");
  auto r = run(R"([{"op":"update","table":"Plain","where":[],"row":{"s":"a"}}])");
  EXPECT_EQ(r.count(0), 1);
  EXPECT_FALSE(r.committed);
}

TEST_F(TransactionTest, UpdateBumpsVersion) {
  auto ins = run(R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])");
  auto before = run(R"([{"op":"select","table":"Plain","where":[],"columns":["_version"]}])");
  run(R"([{"op":"update","table":"Plain","where":[],"row":{"s":"b"}}])");
  auto after = run(R"([{"op":"select","table":"Plain","where":[],"columns":["_version"]}])");
  EXPECT_NE(boost::json::serialize(before.rows(0)), boost::json::serialize(after.rows(0)));
}

TEST_F(TransactionTest, DeleteCountsRows) {
  run(R"([{"op":"insert","table":"Plain","row":{"i":1}},{"op":"insert","table":"Plain","row":{"i":2}},
          {"op":"insert","table":"Plain","row":{"i":3}}])");
  auto r = run(R"([{"op":"delete","table":"Plain","where":[["i","<=",2]]}])");
  EXPECT_EQ(r.count(0), 2);
  EXPECT_EQ(column_values(*db, "Plain", "i"), (std::vector<std::string>{"3"}));
}

TEST_F(TransactionTest, UuidConditionIsALookup) {
  auto ins = run(R"([{"op":"insert","table":"Plain","row":{"i":1}},{"op":"insert","table":"Plain","row":{"i":2}}])");
  std::string u = ins.uuid(1).to_string();
  auto r = run(R"([{"op":"select","table":"Plain","where":[["_uuid","==",["uuid",")" + u +
               R"("]]],"columns":["i"]}])");
  EXPECT_EQ(boost::json::serialize(r.rows(0)), R"([{"i":2}])");
  // Rows inserted earlier in the same transaction are visible to later operations.
  auto same = run(R"([{"op":"insert","table":"Plain","row":{"i":7},"uuid-name":"n"},
                      {"op":"update","table":"Plain","where":[["_uuid","==",["named-uuid","n"]]],
                       "row":{"i":8}}])");
  EXPECT_EQ(same.count(1), 1);
  EXPECT_EQ(column_values(*db, "Plain", "i"), (std::vector<std::string>{"1", "2", "8"}));
}

TEST_F(TransactionTest, WaitSucceedsFailsOrAsksForRetry) {
  run(R"([{"op":"insert","table":"Plain","row":{"s":"a","i":1}}])");
  auto ok = run(R"([{"op":"wait","timeout":0,"table":"Plain","where":[],"columns":["s"],
                     "until":"==","rows":[{"s":"a"}]}])");
  EXPECT_EQ(ok.error(), "");
  auto ne = run(R"([{"op":"wait","timeout":0,"table":"Plain","where":[],"columns":["s"],
                     "until":"!=","rows":[{"s":"b"}]}])");
  EXPECT_EQ(ne.error(), "");
  auto timed_out = run(R"([{"op":"wait","timeout":0,"table":"Plain","where":[],"columns":["s"],
                            "until":"==","rows":[{"s":"b"}]}])");
  EXPECT_EQ(timed_out.error(), "timed out");
  EXPECT_EQ(timed_out.details(), "\"where\" clause test failed");
  auto later = run(R"([{"op":"insert","table":"Plain","row":{}},
                       {"op":"wait","timeout":1000,"table":"Plain","where":[],"columns":["s"],
                        "until":"==","rows":[{"s":"b"}]}])");
  EXPECT_TRUE(later.retry);
  EXPECT_EQ(db->find_table("Plain")->size(), 1u);  // nothing was done
  ExecuteParams expired;
  expired.start = ExecuteParams::Clock::now() - std::chrono::seconds(2);
  auto gone = run(R"([{"op":"wait","timeout":1000,"table":"Plain","where":[],"columns":["s"],
                       "until":"==","rows":[{"s":"b"}]}])",
                  expired);
  EXPECT_EQ(gone.error(), "timed out");
}

TEST_F(TransactionTest, CommitAbortCommentAssert) {
  auto r = run(R"([{"op":"insert","table":"Plain","row":{}},{"op":"comment","comment":"hello"},
                   {"op":"commit","durable":true}])");
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(r.committed->comment, "hello");
  EXPECT_TRUE(r.committed->durable);
  EXPECT_EQ(r.text(), R"([{"uuid":["uuid",")" + r.uuid(0).to_string() + R"("]},{},{}])");

  auto a = run(R"([{"op":"insert","table":"Plain","row":{}},{"op":"abort"},{"op":"comment","comment":"x"}])");
  EXPECT_EQ(a.error(), "aborted");
  EXPECT_EQ(a.details(), "aborted by request");
  EXPECT_TRUE(a.results[2].is_null());
  EXPECT_EQ(db->find_table("Plain")->size(), 1u);

  auto no = run(R"([{"op":"assert","lock":"L"}])");
  EXPECT_EQ(no.error(), "not owner");
  EXPECT_EQ(no.details(), "Asserted lock L not held.");
  ExecuteParams p;
  p.holds_lock = [](std::string_view l) { return l == "L"; };
  EXPECT_EQ(run(R"([{"op":"assert","lock":"L"}])", p).error(), "");
}

TEST_F(TransactionTest, ReadOnlyRejectsWrites) {
  ExecuteParams p;
  p.read_only = true;
  p.read_only_reason = "on table in reserved database _Server";
  auto r = run(R"([{"op":"insert","table":"Plain","row":{}}])", p);
  EXPECT_EQ(r.error(), "not allowed");
  EXPECT_EQ(r.details(), "insert operation not allowed on table in reserved database _Server");
  EXPECT_EQ(run(R"([{"op":"select","table":"Plain","where":[]}])", p).error(), "");
}

TEST_F(TransactionTest, MaxRowsIsEnforcedAtCommit) {
  auto r = run(R"([{"op":"insert","table":"Other","row":{}},{"op":"insert","table":"Other","row":{}},
                   {"op":"insert","table":"Other","row":{}},{"op":"insert","table":"Other","row":{}}])");
  ASSERT_EQ(r.results.size(), 5u);
  EXPECT_EQ(r.error(), "constraint violation");
  EXPECT_EQ(r.details(), "transaction causes \"Other\" table to contain 4 rows, greater than the "
                         "schema-defined limit of 3 row(s)");
  // Deleting and inserting in one transaction stays within the limit.
  run(R"([{"op":"insert","table":"Other","row":{}},{"op":"insert","table":"Other","row":{}},
          {"op":"insert","table":"Other","row":{}}])");
  auto swap = run(R"([{"op":"delete","table":"Other","where":[]},{"op":"insert","table":"Other","row":{}}])");
  EXPECT_EQ(swap.error(), "") << swap.text();
}

TEST_F(TransactionTest, UniqueIndexesRejectDuplicates) {
  auto base = run(R"([{"op":"insert","table":"Other","row":{},"uuid-name":"o"},
                      {"op":"insert","table":"Parent","row":{"name":"a","color":"red","weak1":["named-uuid","o"]}}])");
  ASSERT_EQ(base.error(), "") << base.text();
  std::string o = base.uuid(0).to_string();
  auto dup = run(R"([{"op":"insert","table":"Parent","row":{"name":"a","color":"green","weak1":["uuid",")" + o + R"("]}}])");
  EXPECT_EQ(dup.error(), "constraint violation");
  EXPECT_NE(dup.details().find("identical values (a) for index on column \"name\""),
            std::string::npos) << dup.details();
  auto multi = run(R"([{"op":"insert","table":"Parent","row":{"name":"b","color":"red","weak1":["uuid",")" + o + R"("]}}])");
  EXPECT_NE(multi.details().find("(0 and red) for index on columns \"count\" and \"color\""),
            std::string::npos) << multi.details();
  // Swapping names within one transaction is fine; so is renaming then reusing a name.
  auto ok = run(R"([{"op":"insert","table":"Parent","row":{"name":"b","color":"green","weak1":["uuid",")" + o + R"("]}},
                    {"op":"update","table":"Parent","where":[["name","==","a"]],"row":{"name":"tmp"}},
                    {"op":"update","table":"Parent","where":[["name","==","b"]],"row":{"name":"a"}},
                    {"op":"update","table":"Parent","where":[["name","==","tmp"]],"row":{"name":"b"}}])");
  EXPECT_EQ(ok.error(), "") << ok.text();
  auto two = run(R"([{"op":"insert","table":"Parent","row":{"name":"c","count":5,"color":"red","weak1":["uuid",")" + o + R"("]}},
                     {"op":"insert","table":"Parent","row":{"name":"c","count":6,"color":"red","weak1":["uuid",")" + o + R"("]}}])");
  EXPECT_NE(two.details().find("was inserted by this transaction.  Second row"), std::string::npos)
      << two.details();
  auto del = run(R"([{"op":"delete","table":"Parent","where":[["name","==","a"]]},
                     {"op":"insert","table":"Parent","row":{"name":"a","count":9,"color":"red","weak1":["uuid",")" + o + R"("]}}])");
  EXPECT_EQ(del.error(), "") << del.text();
}

}  // namespace
}  // namespace ovnx::ovsdb::server

namespace ovnx::ovsdb::server {
namespace {

TEST(Conditions, OrderingOnOptionalNumbersIsFalseWhenEmpty) {
  auto db = testing::make_db();
  auto r = testing::transact(*db, R"([{"op":"insert","table":"Other","row":{"o":1},"uuid-name":"o"},
      {"op":"insert","table":"Parent","row":{"name":"a","color":"red","opt":5,"weak1":["named-uuid","o"]}},
      {"op":"insert","table":"Parent","row":{"name":"b","color":"red","count":1,"weak1":["named-uuid","o"]}}])");
  ASSERT_EQ(r.error(), "") << r.text();
  auto s = testing::transact(*db, R"([{"op":"select","table":"Parent","where":[["opt",">",1]],"columns":["name"]},
      {"op":"select","table":"Parent","where":[["opt","<",100]],"columns":["name"]}])");
  EXPECT_EQ(boost::json::serialize(s.rows(0)), R"([{"name":"a"}])");
  EXPECT_EQ(boost::json::serialize(s.rows(1)), R"([{"name":"a"}])");
  EXPECT_EQ(testing::transact(*db, R"([{"op":"select","table":"Parent","where":[["opt","<",["set",[]]]]}])").error(),
            "syntax error");
}

}  // namespace
}  // namespace ovnx::ovsdb::server
