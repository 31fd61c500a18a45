#include "ovsdb/mutation.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ovsdb/json.h"
#include "ovsdb/row.h"
#include "test_schema.h"

namespace ovnx::ovsdb {
namespace {

struct MutationTest : ::testing::Test {
  std::shared_ptr<const DatabaseSchema> schema = testing::test_schema();
  const TableSchema& table = *schema->find_table("Parent");
  Row row = Row::make_default(table, Uuid::generate());

  void set(const char* col, const char* json) {
    const ColumnSchema* c = table.find_column(col);
    row.columns[c->index] = *datum_from_json(c->type, boost::json::parse(json));
  }
  std::string get(const char* col) {
    const ColumnSchema* c = table.find_column(col);
    return boost::json::serialize(datum_to_json(row.columns[c->index], c->type));
  }
  Status mutate(const char* json) {
    auto m = MutationSet::from_json(table, boost::json::parse(json));
    if (!m.ok()) return std::move(m).error();
    return m->apply(&row.columns);
  }
};

TEST_F(MutationTest, Arithmetic) {
  set("count", "10");
  ASSERT_TRUE(mutate(R"([["count","+=",5],["count","*=",2],["count","-=",1],["count","/=",2]])").ok());
  EXPECT_EQ(get("count"), "14");
  ASSERT_TRUE(mutate(R"([["count","%=",4]])").ok());
  EXPECT_EQ(get("count"), "2");
  set("ratio", "1.5");
  ASSERT_TRUE(mutate(R"([["ratio","*=",2]])").ok());
  set("nums", R"(["set",[1,2]])");
  ASSERT_TRUE(mutate(R"([["nums","+=",10]])").ok());
  EXPECT_EQ(get("nums"), R"(["set",[11,12]])");
}

TEST_F(MutationTest, ArithmeticErrors) {
  set("count", "10");
  EXPECT_EQ(mutate(R"([["count","/=",0]])").error().tag, "domain error");
  EXPECT_EQ(mutate(R"([["count","+=",1000]])").error().tag, "constraint violation");
  set("nums", "9223372036854775807");
  EXPECT_EQ(mutate(R"([["nums","+=",1]])").error().tag, "range error");
  set("nums", R"(["set",[1,2]])");
  EXPECT_EQ(mutate(R"([["nums","*=",0]])").error().tag, "constraint violation");
  EXPECT_EQ(mutate(R"([["name","+=",1]])").error().tag, "syntax error");
  EXPECT_EQ(mutate(R"([["ratio","%=",1]])").error().tag, "syntax error");
  EXPECT_EQ(mutate(R"([["fixed","+=",1]])").error().tag, "constraint violation");
  EXPECT_EQ(mutate(R"([["count","^=",1]])").error().tag, "unknown mutator");
}

TEST_F(MutationTest, InsertAndDelete) {
  ASSERT_TRUE(mutate(R"([["tags","insert",["set",["a","b"]]]])").ok());
  EXPECT_EQ(get("tags"), R"(["set",["a","b"]])");
  EXPECT_EQ(mutate(R"([["tags","insert",["set",["c","d"]]]])").error().tag,
            "constraint violation");  // max 3
  EXPECT_EQ(mutate(R"([["tags","insert","toolong"]])").error().tag, "constraint violation");
  ASSERT_TRUE(mutate(R"([["opts","insert",["map",[["k","v"],["j","w"]]]]])").ok());
  ASSERT_TRUE(mutate(R"([["opts","delete",["set",["k"]]]])").ok());
  EXPECT_EQ(get("opts"), R"(["map",[["j","w"]]])");
  ASSERT_TRUE(mutate(R"([["opts","delete",["map",[["j","x"]]]]])").ok());
  EXPECT_EQ(get("opts"), R"(["map",[["j","w"]]])");
  ASSERT_TRUE(mutate(R"([["opts","delete",["map",[["j","w"]]]]])").ok());
  EXPECT_EQ(get("opts"), R"(["map",[]])");
  EXPECT_EQ(mutate(R"([["name","insert","x"]])").error().tag, "syntax error");
}

}  // namespace
}  // namespace ovnx::ovsdb
