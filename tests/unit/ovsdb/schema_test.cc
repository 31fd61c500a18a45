#include "ovsdb/schema.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "test_schema.h"

namespace ovnx::ovsdb {
namespace {

std::string source_dir() {
  const char* d = std::getenv("OVNX_SOURCE_DIR");
  return d ? d : ".";
}

TEST(Schema, ParsesEveryColumnKind) {
  auto s = testing::test_schema();
  ASSERT_TRUE(s);
  const TableSchema* p = s->find_table("Parent");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->is_root());
  EXPECT_FALSE(s->find_table("Child")->is_root());
  EXPECT_EQ(s->find_table("Child")->max_rows(), 5u);
  EXPECT_TRUE(s->find_table("Child")->is_referenced());
  EXPECT_EQ(p->find_column("_uuid")->index, kUuidColumn);
  EXPECT_EQ(p->find_column("name")->index, kFirstUserColumn);
  EXPECT_TRUE(p->find_column("opts")->type.is_map());
  EXPECT_TRUE(p->find_column("tags")->type.is_set());
  EXPECT_EQ(p->find_column("children")->type.key.ref_table, s->find_table("Child"));
  EXPECT_EQ(p->find_column("weak")->type.key.ref_type, RefType::weak);
  EXPECT_FALSE(p->find_column("fixed")->is_mutable);
  EXPECT_TRUE(p->find_column("temp")->ephemeral);
  ASSERT_EQ(p->indexes().size(), 1u);
}

TEST(Schema, RoundTripsThroughJson) {
  auto s = testing::test_schema();
  auto again = DatabaseSchema::from_json(s->to_json());
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(boost::json::serialize((*again)->to_json()), boost::json::serialize(s->to_json()));
}

void expect_refused(const std::string& text, const std::string& fragment) {
  auto r = DatabaseSchema::from_text(text);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.error().tag, "syntax error");
  EXPECT_NE(r.error().details.find(fragment), std::string::npos)
      << "details: " << r.error().details << "\nexpected to contain: " << fragment;
}

TEST(Schema, RefusesErrorsNamingTableAndColumn) {
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":"bogus"}}}}})",
                 "table T: column c: \"bogus\" is not an atomic type");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"uuid","refTable":"Nope"}}}}}}})",
                 "table T column c: refTable \"Nope\" does not exist");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":{"key":"integer","min":2}}}}}})",
                 "column c: \"min\" must be 0 or 1");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"integer","minInteger":5,"maxInteger":1}}}}}}})",
                 "minInteger 5 exceeds maxInteger 1");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"_c":{"type":"integer"}}}}})",
                 "reserved");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":"integer","ephemeral":true}},"indexes":[["c"]]}}})",
                 "ephemeral column c may not be indexed");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":"integer"}},"indexes":[["d"]]}}})",
                 "unknown column \"d\"");
  expect_refused(R"({"name":"D","version":"1.0","tables":{}})", "x.y.z");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"string","enum":["set",[1]]}}}}}}})",
                 "enum");
  expect_refused(R"({"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":"integer"}},"maxRows":0}}})",
                 "maxRows");
  expect_refused("{not json", "not valid JSON");
}

TEST(Schema, OldSchemasWithoutIsRootAreAllRoot) {
  auto r = DatabaseSchema::from_text(
      R"({"name":"D","version":"1.0.0","tables":{"A":{"columns":{"c":{"type":"integer"}}}}})");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)->find_table("A")->is_root());
}

TEST(Schema, LoadsTheShippedSchemas) {
  for (const char* f : {"ovn-nb", "ovn-sb", "vswitch", "_server"}) {
    auto r = DatabaseSchema::from_file(source_dir() + "/schemas/" + f + ".ovsschema");
    ASSERT_TRUE(r.ok()) << f << ": " << r.error().to_string();
  }
  auto nb = DatabaseSchema::from_file(source_dir() + "/schemas/ovn-nb.ovsschema");
  EXPECT_EQ((*nb)->name(), "OVN_Northbound");
  EXPECT_EQ((*nb)->version(), "7.0.0");
  const TableSchema* lsp = (*nb)->find_table("Logical_Switch_Port");
  ASSERT_TRUE(lsp);
  EXPECT_FALSE(lsp->is_root());
  EXPECT_TRUE((*nb)->find_table("Logical_Switch")->is_root());
  auto sb = DatabaseSchema::from_file(source_dir() + "/schemas/ovn-sb.ovsschema");
  EXPECT_EQ((*sb)->name(), "OVN_Southbound");
  EXPECT_EQ((*sb)->version(), "20.27.0");
}

}  // namespace
}  // namespace ovnx::ovsdb
