// Values in the ctl tools' text syntax: printing and parsing, with their error messages.
#include "ctl/text.h"

#include <gtest/gtest.h>

namespace ovnx::ctl {
namespace {

using ovsdb::Atom;
using ovsdb::AtomicType;
using ovsdb::BaseType;
using ovsdb::Datum;
using ovsdb::Type;

Type set_of(AtomicType t, unsigned min = 0, unsigned max = Type::kUnlimited) {
  Type type(t);
  type.n_min = min;
  type.n_max = max;
  return type;
}

Type map_of(AtomicType k, AtomicType v) {
  Type type(k);
  type.value = BaseType(v);
  type.n_min = 0;
  type.n_max = Type::kUnlimited;
  return type;
}

std::string parse_error(std::string_view text, const Type& type) {
  auto d = parse_datum(text, type, nullptr);
  return d.ok() ? "ok" : d.error().to_string();
}

TEST(Text, StringsAreQuotedUnlessPlainIdentifiers) {
  EXPECT_EQ(format_string("ls1"), "ls1");
  EXPECT_EQ(format_string("a.b-c_d"), "a.b-c_d");
  EXPECT_EQ(format_string("_x"), "_x");
  EXPECT_EQ(format_string(""), "\"\"");
  EXPECT_EQ(format_string("1a"), "\"1a\"");
  EXPECT_EQ(format_string("a:b"), "\"a:b\"");
  EXPECT_EQ(format_string("true"), "\"true\"");
  EXPECT_EQ(format_string("True"), "True");
  EXPECT_EQ(format_string("01234567-89ab-cdef-0123-456789abcdef"),
            "\"01234567-89ab-cdef-0123-456789abcdef\"");
  EXPECT_EQ(format_string("a\"b\\c\td"), "\"a\\\"b\\\\c\\td\"");
  EXPECT_EQ(format_string("é"), "\"é\"");
}

TEST(Text, DataPrintInEachFormat) {
  Datum map = *Datum::make_map({{Atom("k"), Atom("v 1")}, {Atom("a"), Atom("b")}});
  Type m = map_of(AtomicType::string, AtomicType::string);
  EXPECT_EQ(format_datum(map, m), "{a=b, k=\"v 1\"}");
  EXPECT_EQ(format_datum(map, m, DataFormat::bare), "a=b k=v 1");
  EXPECT_EQ(format_datum(map, m, DataFormat::json), R"(["map",[["a","b"],["k","v 1"]]])");
  EXPECT_EQ(format_datum(Datum::empty_map(), m), "{}");

  Type opt = set_of(AtomicType::integer, 0, 1);
  EXPECT_EQ(format_datum(Datum(), opt), "[]");
  EXPECT_EQ(format_datum(Datum::scalar(Atom(int64_t{5})), opt), "5");
  Type set = set_of(AtomicType::string);
  Datum one = Datum::scalar(Atom("x"));
  EXPECT_EQ(format_datum(one, set), "[x]");
  EXPECT_EQ(format_datum(one, set, DataFormat::json), "\"x\"");
  EXPECT_EQ(format_datum(Datum(), set, DataFormat::json), R"(["set",[]])");
  EXPECT_EQ(format_datum(Datum::scalar(Atom(Uuid{1, 2})), Type(AtomicType::uuid), DataFormat::json),
            R"(["uuid","00000000-0000-0001-0000-000000000002"])");
}

TEST(Text, ParsesSetsMapsAndRanges) {
  auto d = parse_datum("[a, b c]", set_of(AtomicType::string), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size(), 3u);
  d = parse_datum("\"x y\",z", set_of(AtomicType::string), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->key(0).string(), "x y");
  d = parse_datum("{a=1, b=\"2 3\"}", map_of(AtomicType::string, AtomicType::string), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->value(1).string(), "2 3");
  d = parse_datum("1-3,7", set_of(AtomicType::integer), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size(), 4u);
  d = parse_datum("a\\,b", set_of(AtomicType::string), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->key(0).string(), "a,b");
  d = parse_datum("yes", Type(AtomicType::boolean), nullptr);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->key(0).boolean());
}

TEST(Text, ParseErrorsUseTheToolsWording) {
  Type strings = set_of(AtomicType::string);
  Type m = map_of(AtomicType::string, AtomicType::string);
  EXPECT_EQ(parse_error("a,,b", strings), "a,,b: unexpected \",\" parsing set of strings");
  EXPECT_EQ(parse_error("a,a", strings), "a,a: set contains duplicate value");
  EXPECT_EQ(parse_error("[a", strings), "[a: missing \"]\" at end of data");
  EXPECT_EQ(parse_error("\"a", strings), "\"a: quoted string extends past end of argument");
  EXPECT_EQ(parse_error("[a] b", strings), "[a] b: trailing garbage after \"]\"");
  EXPECT_EQ(parse_error("a=1,a=2", m), "a=1,a=2: map contains duplicate key");
  EXPECT_EQ(parse_error("a b=1", m), "a b=1: syntax error at \"b\" expecting \"=\"");
  EXPECT_EQ(parse_error("[a=1]", m),
            "[a=1]: unexpected \"[\" parsing map of (string, string) pairs");
  EXPECT_EQ(parse_error("a=", m),
            "An empty string is not valid as input; use \"\" to represent the empty string");
  EXPECT_EQ(parse_error("x", Type(AtomicType::integer)), "\"x\" is not a valid integer or range");
  EXPECT_EQ(parse_error("1-3", Type(AtomicType::integer)),
            "1-3: 3 value(s) specified but the maximum number is 1");
  EXPECT_EQ(parse_error("[]", set_of(AtomicType::uuid, 1)),
            "[]: 0 value(s) specified but the minimum number is 1");
  EXPECT_EQ(parse_error("TRUE", Type(AtomicType::boolean)),
            "\"TRUE\" is not a valid boolean (use \"true\" or \"false\")");
  EXPECT_EQ(parse_error("x", Type(AtomicType::uuid)), "\"x\" is not a valid UUID");
}

TEST(Text, ConstraintViolations) {
  BaseType port(AtomicType::integer);
  port.min_integer = 1;
  port.max_integer = 4095;
  EXPECT_EQ(check_constraints(Atom(int64_t{5000}), port).error().to_string(),
            "constraint violation: 5000 is not in the valid range 1 to 4095 (inclusive)");
  BaseType e(AtomicType::string);
  e.enum_values = std::make_shared<Datum>(*Datum::make_set({Atom("vxlan"), Atom("geneve")}));
  EXPECT_EQ(check_constraints(Atom("foo"), e).error().to_string(),
            "constraint violation: foo is not one of the allowed values ([geneve, vxlan])");
  EXPECT_TRUE(check_constraints(Atom("geneve"), e).ok());
}

TEST(Text, WholeArgumentAtoms) {
  BaseType s(AtomicType::string);
  EXPECT_EQ(parse_atom("a b:c", s, nullptr)->string(), "a b:c");
  EXPECT_EQ(parse_atom("\"x\\ty\"", s, nullptr)->string(), "x\ty");
  EXPECT_EQ(parse_atom("\"x\"y", s, nullptr).error().to_string(),
            "\"x\"y: missing quote at end of quoted string");
}

TEST(Text, SymbolsResolveAtNames) {
  Uuid u{7, 7};
  SymbolResolver r = [&](std::string_view name) -> Result<Uuid> {
    EXPECT_EQ(name, "@e");
    return u;
  };
  auto d = parse_datum("@e", set_of(AtomicType::uuid), &r);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->key(0).uuid(), u);
}

TEST(Text, TypesInEnglish) {
  EXPECT_EQ(type_english(Type(AtomicType::string)), "string");
  EXPECT_EQ(type_english(set_of(AtomicType::integer, 0, 1)), "set of up to 1 integers");
  EXPECT_EQ(type_english(set_of(AtomicType::uuid, 1)), "set of 1 or more uuids");
  EXPECT_EQ(type_english(map_of(AtomicType::string, AtomicType::uuid)),
            "map of (string, uuid) pairs");
}

}  // namespace
}  // namespace ovnx::ctl
