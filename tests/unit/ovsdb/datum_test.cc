#include "ovsdb/datum.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "ovsdb/json.h"
#include "test_schema.h"

namespace ovnx::ovsdb {
namespace {

const Type& column_type(const char* name) {
  static auto s = testing::test_schema();
  return s->find_table("Parent")->find_column(name)->type;
}

Result<Datum> parse(const char* column, const char* text, SymbolTable* st = nullptr) {
  return datum_from_json(column_type(column), boost::json::parse(text), st);
}

std::string format(const char* column, const Datum& d) {
  return boost::json::serialize(datum_to_json(d, column_type(column)));
}

TEST(Datum, ParsesAndFormatsEachForm) {
  auto s = parse("nums", R"(["set",[3,1,2]])");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(format("nums", *s), R"(["set",[1,2,3]])");
  auto one = parse("nums", "7");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(format("nums", *one), "7");
  auto m = parse("opts", R"(["map",[["b","2"],["a","1"]]])");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(format("opts", *m), R"(["map",[["a","1"],["b","2"]]])");
  auto u = parse("weak", R"(["uuid","01234567-89ab-cdef-0123-456789abcdef"])");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(format("weak", *u), R"(["uuid","01234567-89ab-cdef-0123-456789abcdef"])");
  std::string fast;
  append_datum_json(*m, column_type("opts"), &fast);
  EXPECT_EQ(fast, format("opts", *m));
}

TEST(Datum, RejectsBadJson) {
  EXPECT_FALSE(parse("nums", R"(["set",[1,1]])").ok());
  EXPECT_FALSE(parse("opts", R"(["map",[["a","1"],["a","2"]]])").ok());
  EXPECT_FALSE(parse("nums", R"("x")").ok());
  EXPECT_FALSE(parse("nums", "18446744073709551615").ok());
  EXPECT_FALSE(parse("opts", R"(["set",[]])").ok());
  EXPECT_FALSE(parse("weak", R"(["uuid","nope"])").ok());
  EXPECT_FALSE(parse("weak", R"(["named-uuid","x"])").ok());
}

TEST(Datum, NamedUuidsResolveThroughSymbolTable) {
  SymbolTable st;
  auto a = parse("children", R"(["named-uuid","row1"])", &st);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(st.find("row1"));
  EXPECT_TRUE(st.find("row1")->strong_ref);
  EXPECT_EQ(a->scalar_atom().uuid(), st.find("row1")->uuid);
}

TEST(Datum, ChecksConstraints) {
  EXPECT_TRUE(parse("count", "100")->check_constraints(column_type("count")).ok());
  Status s = parse("count", "101")->check_constraints(column_type("count"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().tag, "constraint violation");
  EXPECT_FALSE(parse("color", R"("blue")")->check_constraints(column_type("color")).ok());
  EXPECT_FALSE(parse("tags", R"("toolong")")->check_constraints(column_type("tags")).ok());
  EXPECT_FALSE(
      parse("tags", R"(["set",["a","b","c","d"]])")->check_constraints(column_type("tags")).ok());
  EXPECT_FALSE(parse("name", R"(["set",[]])")->check_constraints(column_type("name")).ok());
}

TEST(Datum, SetAlgebra) {
  Datum a = *parse("nums", R"(["set",[1,2,3]])");
  Datum b = *parse("nums", R"(["set",[3,4]])");
  EXPECT_TRUE(a.includes(*parse("nums", R"(["set",[1,3]])")));
  EXPECT_FALSE(a.includes(b));
  EXPECT_TRUE(a.excludes(*parse("nums", R"(["set",[5,6]])")));
  Datum u = a;
  u.union_with(b);
  EXPECT_EQ(format("nums", u), R"(["set",[1,2,3,4]])");
  u.subtract(*parse("nums", R"(["set",[1,4]])"));
  EXPECT_EQ(format("nums", u), R"(["set",[2,3]])");
}

TEST(Datum, MapInsertKeepsExistingValuesAndDeleteByKeyOrPair) {
  Datum m = *parse("opts", R"(["map",[["a","1"],["b","2"]]])");
  m.union_with(*parse("opts", R"(["map",[["a","9"],["c","3"]]])"));
  EXPECT_EQ(format("opts", m), R"(["map",[["a","1"],["b","2"],["c","3"]]])");
  m.subtract(*parse("opts", R"(["map",[["a","9"],["b","2"]]])"));  // a->9 does not match
  EXPECT_EQ(format("opts", m), R"(["map",[["a","1"],["c","3"]]])");
  Datum keys = *Datum::make_set({Atom("a")});
  m.subtract(keys);
  EXPECT_EQ(format("opts", m), R"(["map",[["c","3"]]])");
}

}  // namespace
}  // namespace ovnx::ovsdb
