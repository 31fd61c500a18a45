#include "ovsdb/condition.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "ovsdb/json.h"
#include "test_schema.h"

namespace ovnx::ovsdb {
namespace {

struct ConditionTest : ::testing::Test {
  std::shared_ptr<const DatabaseSchema> schema = testing::test_schema();
  const TableSchema& table = *schema->find_table("Parent");
  Row row = Row::make_default(table, Uuid::generate());

  void set(const char* col, const char* json) {
    const ColumnSchema* c = table.find_column(col);
    row.columns[c->index] = *datum_from_json(c->type, boost::json::parse(json));
  }
  bool eval(const char* cond) {
    auto c = Condition::from_json(table, boost::json::parse(cond));
    EXPECT_TRUE(c.ok()) << cond << ": " << c.error().to_string();
    return c.ok() && c->evaluate(row);
  }
  Error error(const char* cond) {
    auto c = Condition::from_json(table, boost::json::parse(cond));
    EXPECT_FALSE(c.ok()) << cond;
    return c.ok() ? Error{} : c.error();
  }
};

TEST_F(ConditionTest, EvaluatesEveryFunction) {
  set("count", "5");
  set("nums", R"(["set",[1,2,3]])");
  set("opts", R"(["map",[["a","1"]]])");
  EXPECT_TRUE(eval(R"([["count","==",5]])"));
  EXPECT_TRUE(eval(R"([["count","!=",4]])"));
  EXPECT_TRUE(eval(R"([["count","<",6],["count","<=",5],["count",">",4],["count",">=",5]])"));
  EXPECT_FALSE(eval(R"([["count","<",5]])"));
  EXPECT_TRUE(eval(R"([["nums","includes",["set",[1,3]]]])"));
  EXPECT_FALSE(eval(R"([["nums","includes",["set",[4]]]])"));
  EXPECT_TRUE(eval(R"([["nums","excludes",["set",[4,5]]]])"));
  EXPECT_TRUE(eval(R"([["opts","includes",["map",[["a","1"]]]]])"));
  EXPECT_FALSE(eval(R"([["opts","includes",["map",[["a","2"]]]]])"));
  EXPECT_TRUE(eval(R"([["nums","==",["set",[1,2,3]]]])"));
  EXPECT_TRUE(eval("[]"));
  EXPECT_TRUE(eval("[true]"));
  EXPECT_FALSE(eval("[false]"));
  std::string uuid_cond = R"([["_uuid","==",["uuid",")" + row.uuid().to_string() + R"("]]])";
  EXPECT_TRUE(eval(uuid_cond.c_str()));
}

TEST_F(ConditionTest, RejectsBadConditionsWithOvsdbErrors) {
  EXPECT_EQ(error(R"([["nope","==",1]])").tag, "unknown column");
  EXPECT_EQ(error(R"([["count","~",1]])").tag, "unknown function");
  EXPECT_EQ(error(R"([["name","<","x"]])").tag, "syntax error");
  EXPECT_EQ(error(R"([["count","==","x"]])").tag, "syntax error");
  EXPECT_EQ(error(R"([["count","=="]])").tag, "syntax error");
  EXPECT_EQ(error(R"({})").tag, "syntax error");
}

}  // namespace
}  // namespace ovnx::ovsdb
