// list/find output in the tools' formats.
#include "ctl/table_output.h"

#include <gtest/gtest.h>

namespace ovnx::ctl {
namespace {

using ovsdb::Atom;
using ovsdb::AtomicType;
using ovsdb::Datum;
using ovsdb::Type;

OutputTable sample() {
  OutputTable t;
  t.set_headings({"name", "ip"});
  Type s(AtomicType::string);
  t.add_row({{Datum::scalar(Atom("geneve")), s}, {Datum::scalar(Atom("10.0.0.1")), s}});
  t.add_row({{Datum::scalar(Atom("vxlan")), s}, {Datum::scalar(Atom("10.0.0.22")), s}});
  return t;
}

std::string render(TableFormat f, DataFormat d = DataFormat::string, bool headings = true) {
  FormatOptions o;
  o.format = f;
  o.data = d;
  o.headings = headings;
  return sample().render(o, true);
}

TEST(TableOutput, List) {
  EXPECT_EQ(render(TableFormat::list),
            "name                : geneve\nip                  : \"10.0.0.1\"\n\n"
            "name                : vxlan\nip                  : \"10.0.0.22\"\n");
  EXPECT_EQ(render(TableFormat::list, DataFormat::bare, false),
            "geneve\n10.0.0.1\n\nvxlan\n10.0.0.22\n");
}

TEST(TableOutput, Table) {
  EXPECT_EQ(render(TableFormat::table),
            "name   ip\n------ -----------\ngeneve \"10.0.0.1\"\nvxlan  \"10.0.0.22\"\n");
  EXPECT_EQ(render(TableFormat::table, DataFormat::string, false),
            "geneve \"10.0.0.1\"\nvxlan  \"10.0.0.22\"\n");
}

TEST(TableOutput, CsvJsonHtml) {
  EXPECT_EQ(render(TableFormat::csv),
            "name,ip\ngeneve,\"\"\"10.0.0.1\"\"\"\nvxlan,\"\"\"10.0.0.22\"\"\"\n");
  EXPECT_EQ(render(TableFormat::json),
            "{\"data\":[[\"geneve\",\"10.0.0.1\"],[\"vxlan\",\"10.0.0.22\"]],\"headings\":["
            "\"name\",\"ip\"]}\n");
  EXPECT_NE(render(TableFormat::html).find("<td>&quot;10.0.0.1&quot;</td>"), std::string::npos);
}

TEST(TableOutput, LaterTablesArePrecededByABlankLine) {
  FormatOptions o;
  EXPECT_EQ(sample().render(o, false).substr(0, 1), "\n");
  o.format = TableFormat::json;
  EXPECT_EQ(sample().render(o, false).substr(0, 1), "{");
}

TEST(TableOutput, PrettyJson) {
  EXPECT_EQ(pretty_json(R"({"a":[1,[]],"b":"x,y"})"),
            "{\n  \"a\": [\n    1,\n    []],\n  \"b\": \"x,y\"}");
}

}  // namespace
}  // namespace ovnx::ctl
