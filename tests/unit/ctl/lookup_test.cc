// Tables, columns and records named as the ctl tools allow.
#include "ctl/lookup.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "ctl/row_ids.h"
#include "ovsdb/client/sb.h"

namespace ovnx::ctl {
namespace {

namespace client = ovsdb::client;

TEST(Lookup, TablesByCaseInsensitiveUniqueAbbreviation) {
  const auto& db = sb::binding();
  EXPECT_EQ((*find_table(db, "chassis"))->name(), "Chassis");
  EXPECT_EQ((*find_table(db, "port-b"))->name(), "Port_Binding");
  EXPECT_EQ(
      find_table(db, "chas").error().to_string(),
      "\"chas\" matches multiple table names: Chassis, Chassis_Private, Chassis_Template_Var");
  EXPECT_EQ(find_table(db, "Nope").error().to_string(), "unknown table \"Nope\"");
}

TEST(Lookup, ColumnsByUniqueAbbreviation) {
  const auto& t = sb::Chassis::binding_table();
  EXPECT_EQ((*find_column(t, "external-ids", false))->name, "external_ids");
  EXPECT_EQ((*find_column(t, "na", false))->name, "name");
  EXPECT_EQ(find_column(t, "n", false).error().to_string(),
            "Chassis contains more than one column whose name matches \"n\": name, nb_cfg");
  EXPECT_EQ(find_column(t, "_uuid", false).error().to_string(),
            "Chassis does not contain a column whose name matches \"_uuid\"");
  EXPECT_TRUE(find_column(t, "_uuid", true).ok());
  EXPECT_FALSE(find_column(t, "_u", true).ok());
}

class RowLookup : public ::testing::Test {
 protected:
  RowLookup() : replica_(sb::binding_ptr()) {
    Status s = replica_.apply(boost::json::parse(R"({
      "Chassis": {
        "11111111-1111-4111-8111-111111111111": {"initial": {"name": "hv1"}},
        "11112222-1111-4111-8111-111111111111": {"initial": {"name": "hv2"}}},
      "Datapath_Binding": {
        "33333333-3333-4333-8333-333333333333": {"initial": {"tunnel_key": 1,
            "external_ids": ["map", [["name", "ls1"]]]}},
        "44444444-4444-4444-8444-444444444444": {"initial": {"tunnel_key": 2,
            "external_ids": ["map", [["name", "ls1"]]]}}},
      "SB_Global": {"55555555-5555-4555-8555-555555555555": {"initial": {}}}})"),
                              client::UpdateFormat::update2);
    EXPECT_TRUE(s.ok());
  }
  Result<const client::Row*> row(const client::Transaction& txn, const char* table,
                                 const char* id) {
    return find_row(txn, *sb::binding().find_table(table), id, southbound_row_ids(), true);
  }
  client::Replica replica_;
};

TEST_F(RowLookup, ByNameUuidPrefixAndDot) {
  client::Transaction txn(replica_);
  EXPECT_EQ((*row(txn, "Chassis", "hv2"))->uuid().to_string(),
            "11112222-1111-4111-8111-111111111111");
  EXPECT_EQ((*row(txn, "Chassis", "11112"))->uuid().to_string(),
            "11112222-1111-4111-8111-111111111111");
  EXPECT_EQ(row(txn, "Chassis", "1111").error().to_string(),
            "multiple rows in Chassis match \"1111\"");
  EXPECT_EQ(row(txn, "Chassis", "111").error().to_string(), "no row \"111\" in table Chassis");
  EXPECT_TRUE(row(txn, "SB_Global", ".").ok());
  EXPECT_EQ(row(txn, "Datapath_Binding", "ls1").error().to_string(),
            "multiple rows in Datapath_Binding match \"ls1\"");
  EXPECT_EQ(row(txn, "Chassis", "hvX").error().to_string(), "no row \"hvX\" in table Chassis");
  auto missing = find_row(txn, sb::Chassis::binding_table(), "hvX", southbound_row_ids(), false);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(*missing, nullptr);
}

TEST_F(RowLookup, SeesTheTransactionsOwnRows) {
  client::Transaction txn(replica_);
  auto ch = sb::Chassis::insert(txn);
  ch.set_name("new");
  EXPECT_EQ(*row(txn, "Chassis", "new"), ch.row());
  sb::Chassis::edit(txn, sb::Chassis::find_by_name(replica_, "hv1")).remove();
  EXPECT_FALSE(row(txn, "Chassis", "hv1").ok());
}

}  // namespace
}  // namespace ovnx::ctl
