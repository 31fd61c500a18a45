// The "mutate" operation with every mutator (RFC 7047 section 5.1 <mutation>).
#include <gtest/gtest.h>

#include "test_util.h"

namespace ovnx::ovsdb::server {
namespace {

using testing::column_values;
using testing::make_db;
using testing::transact;

struct MutateTest : ::testing::Test {
  std::unique_ptr<Database> db = make_db();
  void SetUp() override {
    auto r = transact(*db, R"([{"op":"insert","table":"Other","row":{},"uuid-name":"o"},
      {"op":"insert","table":"Parent","row":{"name":"p","color":"red","count":10,"ratio":1.5,
       "nums":["set",[1,2,3]],"reals":["set",[1.0,2.5]],"tags":["set",["a"]],
       "opts":["map",[["k1","v1"],["k2","v2"]]],"weak1":["named-uuid","o"]}}])");
    ASSERT_EQ(r.error(), "") << r.text();
  }
  testing::TxnResult mutate(const std::string& mutations) {
    return transact(*db, R"([{"op":"mutate","table":"Parent","where":[],"mutations":)" +
                             mutations + "}]");
  }
  std::string value(const std::string& column) {
    return column_values(*db, "Parent", column).at(0);
  }
};

TEST_F(MutateTest, ArithmeticOnIntegers) {
  EXPECT_EQ(mutate(R"([["count","+=",5]])").count(0), 1);
  EXPECT_EQ(value("count"), "15");
  mutate(R"([["count","-=",3]])");
  EXPECT_EQ(value("count"), "12");
  mutate(R"([["count","*=",2]])");
  EXPECT_EQ(value("count"), "24");
  mutate(R"([["count","/=",5]])");
  EXPECT_EQ(value("count"), "4");
  mutate(R"([["count","%=",3]])");
  EXPECT_EQ(value("count"), "1");
}

TEST_F(MutateTest, ArithmeticOnRealsAndSets) {
  mutate(R"([["ratio","*=",2]])");
  EXPECT_EQ(value("ratio"), "3E0");
  mutate(R"([["ratio","/=",4]])");
  EXPECT_EQ(value("ratio"), "7.5E-1");
  mutate(R"([["nums","+=",10]])");  // element-wise on sets
  EXPECT_EQ(value("nums"), R"(["set",[11,12,13]])");
  mutate(R"([["reals","-=",1]])");
  EXPECT_EQ(value("reals"), R"(["set",[0E0,1.5E0]])");
}

TEST_F(MutateTest, ArithmeticErrors) {
  auto r = mutate(R"([["count","/=",0]])");
  EXPECT_EQ(r.error(), "domain error");
  EXPECT_EQ(r.details(), "Division by zero.");
  r = mutate(R"([["count","-=",11]])");
  EXPECT_EQ(r.error(), "constraint violation");  // below minInteger 0
  r = mutate(R"([["nums","*=",9223372036854775807]])");
  EXPECT_EQ(r.error(), "range error");
  r = mutate(R"([["nums","*=",0]])");  // 0,0,0: duplicates in a set
  EXPECT_EQ(r.error(), "constraint violation");
  r = mutate(R"([["ratio","%=",2]])");
  EXPECT_EQ(r.error(), "syntax error");  // no modulo on reals
  r = mutate(R"([["fixed","+=",1]])");
  EXPECT_EQ(r.error(), "constraint violation");
  EXPECT_EQ(r.details(), "Cannot mutate immutable column fixed in table Parent.");
  r = mutate(R"([["name","insert","x"]])");
  EXPECT_EQ(r.error(), "syntax error");
  EXPECT_EQ(value("count"), "10");  // nothing changed
}

TEST_F(MutateTest, InsertAndDeleteOnSets) {
  mutate(R"([["nums","insert",["set",[3,4]]]])");
  EXPECT_EQ(value("nums"), R"(["set",[1,2,3,4]])");
  mutate(R"([["nums","delete",["set",[1,9]]]])");
  EXPECT_EQ(value("nums"), R"(["set",[2,3,4]])");
  mutate(R"([["tags","insert",["set",["b","c"]]]])");
  auto r = mutate(R"([["tags","insert","d"]])");  // max 3 elements
  EXPECT_EQ(r.error(), "constraint violation");
  EXPECT_EQ(value("tags"), R"(["set",["a","b","c"]])");
}

TEST_F(MutateTest, InsertAndDeleteOnMaps) {
  mutate(R"([["opts","insert",["map",[["k1","new"],["k3","v3"]]]]])");
  // insert does not replace existing keys
  EXPECT_EQ(value("opts"), R"(["map",[["k1","v1"],["k2","v2"],["k3","v3"]]])");
  mutate(R"([["opts","delete",["map",[["k1","v1"],["k2","other"]]]]])");  // by pair
  EXPECT_EQ(value("opts"), R"(["map",[["k2","v2"],["k3","v3"]]])");
  mutate(R"([["opts","delete",["set",["k3"]]]])");  // by key
  EXPECT_EQ(value("opts"), R"(["map",[["k2","v2"]]])");
}

TEST_F(MutateTest, SeveralMutationsApplyInOrder) {
  mutate(R"([["count","+=",1],["count","*=",2],["nums","delete",1]])");
  EXPECT_EQ(value("count"), "22");
  EXPECT_EQ(value("nums"), R"(["set",[2,3]])");
}

}  // namespace
}  // namespace ovnx::ovsdb::server
