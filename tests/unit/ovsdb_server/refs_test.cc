// Referential integrity (strong references), garbage collection of non-root rows, and weak
// references that disappear with the rows they name.
#include <gtest/gtest.h>

#include "test_util.h"

namespace ovnx::ovsdb::server {
namespace {

using testing::column_values;
using testing::make_db;
using testing::transact;

struct RefsTest : ::testing::Test {
  std::unique_ptr<Database> db = make_db();
  std::string other;  // an Other row for Parent.weak1 (min 1)
  void SetUp() override {
    auto r = transact(*db, R"([{"op":"insert","table":"Other","row":{"o":1}}])");
    other = r.uuid(0).to_string();
  }
  testing::TxnResult run(const std::string& ops) { return transact(*db, ops); }
  std::string parent(const std::string& name, const std::string& extra = "") {
    return R"({"op":"insert","table":"Parent","row":{"name":")" + name +
           R"(","color":"red","weak1":["uuid",")" + other + "\"]" + extra + "}}";
  }
  size_t rows(const char* table) { return db->find_table(table)->size(); }
};

TEST_F(RefsTest, StrongReferenceToMissingRowFails) {
  auto r = run("[" + parent("a", R"(,"children":["uuid","2e29c565-9fa0-439c-a52a-7bdade785d95"])") + "]");
  EXPECT_EQ(r.error(), "referential integrity violation");
  EXPECT_NE(r.details().find("references nonexistent row 2e29c565-9fa0-439c-a52a-7bdade785d95 in "
                             "table Child."),
            std::string::npos) << r.details();
  EXPECT_EQ(r.results.size(), 2u);  // the commit's error comes after the operations' results
}

TEST_F(RefsTest, DeletingAStronglyReferencedRowFails) {
  auto r = run(R"([{"op":"insert","table":"Child","row":{"n":1},"uuid-name":"c"},)" +
               parent("a", R"(,"children":["named-uuid","c"])") + "]");
  ASSERT_EQ(r.error(), "") << r.text();
  auto d = run(R"([{"op":"delete","table":"Child","where":[]}])");
  EXPECT_EQ(d.error(), "referential integrity violation");
  EXPECT_EQ(d.details(), "cannot delete Child row " + r.uuid(0).to_string() +
                             " because of 1 remaining reference(s)");
  // Deleting the referrer too is fine.
  auto both = run(R"([{"op":"delete","table":"Child","where":[]},{"op":"delete","table":"Parent","where":[]}])");
  EXPECT_EQ(both.error(), "") << both.text();
  EXPECT_EQ(rows("Child"), 0u);
}

TEST_F(RefsTest, DeletingAReferencedRootRowFails) {
  // Only root tables without reference columns of their own are touched: still checked.
  auto r = run(R"([{"op":"insert","table":"Plain","row":{"s":"p"},"uuid-name":"p"},
                   {"op":"insert","table":"Holder","row":{"plain":["named-uuid","p"]}}])");
  ASSERT_EQ(r.error(), "") << r.text();
  auto d = run(R"([{"op":"delete","table":"Plain","where":[]}])");
  EXPECT_EQ(d.error(), "referential integrity violation");
  EXPECT_EQ(rows("Plain"), 1u);
}

TEST_F(RefsTest, UnreferencedNonRootRowsAreCollected) {
  // Inserted without a reference: collected at commit, but the insert itself succeeded.
  auto r = run(R"([{"op":"insert","table":"Child","row":{"n":1}}])");
  EXPECT_EQ(r.error(), "");
  EXPECT_EQ(rows("Child"), 0u);
  // Dropping the last reference collects the child and, transitively, its grandchild.
  auto t = run(R"([{"op":"insert","table":"Grand","row":{"g":"x"},"uuid-name":"g"},
                   {"op":"insert","table":"Child","row":{"n":1,"grand":["named-uuid","g"]},"uuid-name":"c"},)" +
               parent("a", R"(,"children":["named-uuid","c"])") + "]");
  ASSERT_EQ(t.error(), "") << t.text();
  EXPECT_EQ(rows("Grand"), 1u);
  auto u = run(R"([{"op":"update","table":"Parent","where":[],"row":{"children":["set",[]]}}])");
  EXPECT_EQ(u.error(), "") << u.text();
  EXPECT_EQ(rows("Child"), 0u);
  EXPECT_EQ(rows("Grand"), 0u);
  // The change set records the collected rows as deletions.
  ASSERT_TRUE(u.committed);
  size_t deletes = 0;
  for (const auto& tc : u.committed->tables) {
    for (const auto& rc : tc.rows) deletes += rc.is_delete();
  }
  EXPECT_EQ(deletes, 2u);
}

TEST_F(RefsTest, SharedChildSurvivesWhileReferenced) {
  auto t = run(R"([{"op":"insert","table":"Child","row":{"n":1},"uuid-name":"c"},)" +
               parent("a", R"(,"children":["named-uuid","c"])") + "," +
               parent("b", R"(,"count":1,"children":["named-uuid","c"])") + "]");
  ASSERT_EQ(t.error(), "") << t.text();
  run(R"([{"op":"delete","table":"Parent","where":[["name","==","a"]]}])");
  EXPECT_EQ(rows("Child"), 1u);
  run(R"([{"op":"delete","table":"Parent","where":[["name","==","b"]]}])");
  EXPECT_EQ(rows("Child"), 0u);
}

TEST_F(RefsTest, WeakReferencesToDeletedRowsAreRemoved) {
  auto t = run(R"([{"op":"insert","table":"Other","row":{"o":2},"uuid-name":"o2"},
                   {"op":"insert","table":"Child","row":{"n":1},"uuid-name":"c"},)" +
               parent("a", R"(,"children":["named-uuid","c"],"weak":["named-uuid","c"],
                              "wmap":["map",[["x",["named-uuid","o2"]]]])") + "]");
  ASSERT_EQ(t.error(), "") << t.text();
  std::string o2 = t.uuid(0).to_string();
  // Drop the strong reference: the child is collected and the weak one goes with it.
  auto u = run(R"([{"op":"update","table":"Parent","where":[],"row":{"children":["set",[]]}}])");
  EXPECT_EQ(u.error(), "") << u.text();
  EXPECT_EQ(column_values(*db, "Parent", "weak"), (std::vector<std::string>{R"(["set",[]])"}));
  // Deleting the map's target removes the pair.
  auto d = run(R"([{"op":"delete","table":"Other","where":[["o","==",2]]}])");
  EXPECT_EQ(d.error(), "") << d.text();
  EXPECT_EQ(column_values(*db, "Parent", "wmap"), (std::vector<std::string>{R"(["map",[]])"}));
}

TEST_F(RefsTest, WeakReferenceRemovalCanViolateMinimumSize) {
  ASSERT_EQ(run("[" + parent("a") + "]").error(), "");
  auto d = run(R"([{"op":"delete","table":"Other","where":[]}])");
  EXPECT_EQ(d.error(), "constraint violation");
  EXPECT_NE(d.details().find("Deletion of 1 weak reference(s) to deleted (or never-existing) rows "
                             "from column \"weak1\""),
            std::string::npos) << d.details();
  EXPECT_EQ(rows("Other"), 1u);
  // A weak reference to a row that never existed is dropped at once, with the same check.
  auto never = run(R"([{"op":"insert","table":"Parent","row":{"name":"z","color":"green",
                        "weak1":["uuid","2e29c565-9fa0-439c-a52a-7bdade785d95"]}}])");
  EXPECT_EQ(never.error(), "constraint violation");
  EXPECT_NE(never.details().find("(inserted within this transaction)"), std::string::npos);
  // The all-zeros default gets its own explanation.
  auto zero = run(R"([{"op":"insert","table":"Parent","row":{"name":"z","color":"green"}}])");
  EXPECT_NE(zero.details().find("contained all-zeros UUID"), std::string::npos) << zero.details();
}

TEST_F(RefsTest, WeakReferenceIndexFollowsUpdates) {
  auto t = run(R"([{"op":"insert","table":"Other","row":{"o":2},"uuid-name":"o2"},)" +
               parent("a", R"(,"wmap":["map",[["x",["named-uuid","o2"]]]])") + "]");
  ASSERT_EQ(t.error(), "") << t.text();
  // Point the map elsewhere, then delete the old target: nothing to clean any more.
  run(R"([{"op":"update","table":"Parent","where":[],"row":{"wmap":["map",[["x",["uuid",")" +
      other + R"("]]]]}}])");
  auto d = run(R"([{"op":"delete","table":"Other","where":[["o","==",2]]}])");
  EXPECT_EQ(d.error(), "");
  ASSERT_TRUE(d.committed);
  EXPECT_EQ(d.committed->n_rows(), 1u);  // only the Other row
}

}  // namespace
}  // namespace ovnx::ovsdb::server
