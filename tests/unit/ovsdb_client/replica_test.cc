// The replica without a server: update notations, change tracking, reloads, indexes.
#include "ovsdb/client/replica.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "ovsdb/client/sb.h"

namespace ovnx::ovsdb::client {
namespace {

namespace json = boost::json;

const char* const kU1 = "11111111-1111-4111-8111-111111111111";
const char* const kU2 = "22222222-2222-4222-8222-222222222222";

Status apply2(Replica& r, const std::string& text) {
  return r.apply(json::parse(text), UpdateFormat::update2);
}

TEST(Replica, InitialInsertFillsDefaultsAndTracks) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"initial": {{"name": "hv1",
      "external_ids": ["map", [["a", "1"]]]}}}}}}}})",
                                    kU1))
                  .ok());
  const auto* ch = sb::Chassis::get(r, *Uuid::parse(kU1));
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->name(), "hv1");
  EXPECT_EQ(ch->hostname(), "");
  EXPECT_EQ(ch->external_ids().get("a"), "1");
  EXPECT_FALSE(ch->external_ids().get("b"));
  EXPECT_TRUE(ch->transport_zones().empty());
  auto tracked = sb::Chassis::tracked(r);
  ASSERT_EQ(tracked.size(), 1u);
  EXPECT_TRUE(tracked[0]->is_inserted());
  EXPECT_EQ(r.seqno(), 1u);
  r.clear_tracked();
  EXPECT_TRUE(sb::Chassis::tracked(r).empty());
}

TEST(Replica, ModifyAppliesSetAndMapDiffs) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Port_Binding": {{"{}": {{"insert": {{
      "logical_port": "p", "mac": ["set", ["a", "b"]],
      "options": ["map", [["k1", "v1"], ["k2", "v2"]]]}}}}}}}})",
                                    kU1))
                  .ok());
  r.clear_tracked();
  // Set diff toggles a and c; map diff changes k1, removes k2 (same value), adds k3.
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Port_Binding": {{"{}": {{"modify": {{
      "mac": ["set", ["a", "c"]], "tunnel_key": 5,
      "options": ["map", [["k1", "x"], ["k2", "v2"], ["k3", "v3"]]]}}}}}}}})",
                                    kU1))
                  .ok());
  const auto* pb = sb::PortBinding::get(r, *Uuid::parse(kU1));
  ASSERT_NE(pb, nullptr);
  EXPECT_EQ(pb->mac().to_vector(), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(pb->options().to_map(),
            (std::map<std::string, std::string>{{"k1", "x"}, {"k3", "v3"}}));
  EXPECT_EQ(pb->tunnel_key(), 5);
  EXPECT_TRUE(pb->is_modified());
  EXPECT_TRUE(pb->column_changed(sb::PortBinding::Col::options));
  EXPECT_FALSE(pb->column_changed(sb::PortBinding::Col::logical_port));
  const Datum* old = pb->old_datum(sb::PortBinding::Col::mac);
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->size(), 2u);
}

TEST(Replica, InsertThenDeleteInOneBatchIsNotReported) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"insert": {{"name": "x"}}}}}}}})", kU1))
          .ok());
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"delete": null}}}}}})", kU1)).ok());
  EXPECT_TRUE(sb::Chassis::tracked(r).empty());
  EXPECT_FALSE(r.has_tracked_changes());
}

TEST(Replica, DeletedRowReadableUntilCleared) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"insert": {{"name": "x"}}}}}}}})", kU1))
          .ok());
  r.clear_tracked();
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"delete": null}}}}}})", kU1)).ok());
  auto tracked = sb::Chassis::tracked(r);
  ASSERT_EQ(tracked.size(), 1u);
  EXPECT_TRUE(tracked[0]->is_deleted());
  EXPECT_EQ(tracked[0]->name(), "x");
  EXPECT_EQ(sb::Chassis::get(r, *Uuid::parse(kU1)), nullptr);
  r.clear_tracked();
}

TEST(Replica, ReloadReportsOnlyDifferences) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"initial": {{"name": "a"}}}},
      "{}": {{"initial": {{"name": "b", "hostname": "h"}}}}}}}})",
                                    kU1, kU2))
                  .ok());
  r.clear_tracked();
  uint64_t seq = r.seqno();
  // The snapshot repeats row 1 unchanged and lacks row 2.
  r.begin_reload();
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"initial": {{"name": "a"}}}}}}}})", kU1))
          .ok());
  r.end_reload({sb::Chassis::kTableId});
  auto tracked = sb::Chassis::tracked(r);
  ASSERT_EQ(tracked.size(), 1u);
  EXPECT_TRUE(tracked[0]->is_deleted());
  EXPECT_EQ(tracked[0]->name(), "b");
  EXPECT_GT(r.seqno(), seq);
  r.clear_tracked();
  // A snapshot where a column went back to its default (omitted) is a modification.
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"modify": {{"hostname": "z"}}}}}}}})", kU1))
          .ok());
  r.clear_tracked();
  r.begin_reload();
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"initial": {{"name": "a"}}}}}}}})", kU1))
          .ok());
  r.end_reload({sb::Chassis::kTableId});
  tracked = sb::Chassis::tracked(r);
  ASSERT_EQ(tracked.size(), 1u);
  EXPECT_TRUE(tracked[0]->is_modified());
  EXPECT_EQ(tracked[0]->hostname(), "");
}

TEST(Replica, Update1Notation) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(r.apply(json::parse(fmt::format(R"({{"Chassis": {{"{}": {{"new": {{"name": "a",
      "hostname": "h"}}}}}}}})",
                                              kU1)),
                      UpdateFormat::update1)
                  .ok());
  r.clear_tracked();
  ASSERT_TRUE(r.apply(json::parse(fmt::format(R"({{"Chassis": {{"{}": {{"old": {{"hostname": "h"}},
      "new": {{"name": "a", "hostname": "h2"}}}}}}}})",
                                              kU1)),
                      UpdateFormat::update1)
                  .ok());
  auto tracked = sb::Chassis::tracked(r);
  ASSERT_EQ(tracked.size(), 1u);
  EXPECT_TRUE(tracked[0]->column_changed(sb::Chassis::Col::hostname));
  EXPECT_FALSE(tracked[0]->column_changed(sb::Chassis::Col::name));
  ASSERT_TRUE(r.apply(json::parse(fmt::format(R"({{"Chassis": {{"{}": {{"old": {{}}}}}}}})", kU1)),
                      UpdateFormat::update1)
                  .ok());
  EXPECT_EQ(r.size(sb::Chassis::kTableId), 0u);
}

TEST(Replica, SchemaAndGenericIndexesFollowUpdates) {
  Replica r(sb::binding_ptr());
  const Index* by_dp = r.add_index(sb::PortBinding::kTableId, {sb::PortBinding::Col::datapath});
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"insert": {{"name": "hv1"}}}}}},
      "Port_Binding": {{"{}": {{"insert": {{"logical_port": "lp", "datapath": ["uuid", "{}"]}}}}}}}})",
                                    kU1, kU2, kU1))
                  .ok());
  const auto* ch = sb::Chassis::find_by_name(r, "hv1");
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->uuid(), *Uuid::parse(kU1));
  EXPECT_EQ(sb::Chassis::find_by_name(r, "hv2"), nullptr);
  EXPECT_NE(sb::PortBinding::find_by_logical_port(r, "lp"), nullptr);
  EXPECT_EQ(by_dp->find({Datum::scalar(Atom(*Uuid::parse(kU1)))}).size(), 1u);
  // Renaming moves the row in the index.
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"modify": {{"name": "hv2"}}}}}}}})", kU1))
          .ok());
  EXPECT_EQ(sb::Chassis::find_by_name(r, "hv1"), nullptr);
  EXPECT_NE(sb::Chassis::find_by_name(r, "hv2"), nullptr);
  ASSERT_TRUE(
      apply2(r, fmt::format(R"({{"Port_Binding": {{"{}": {{"delete": null}}}}}})", kU2)).ok());
  EXPECT_TRUE(by_dp->find({Datum::scalar(Atom(*Uuid::parse(kU1)))}).empty());
  r.clear_tracked();
}

TEST(Replica, MalformedUpdatesAreErrors) {
  Replica r(sb::binding_ptr());
  EXPECT_FALSE(apply2(r, R"([1])").ok());
  EXPECT_FALSE(apply2(r, R"({"Chassis": {"not-a-uuid": {"insert": {}}}})").ok());
  EXPECT_FALSE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"insert": {{"name": 5}}}}}}}})", kU1)).ok());
  EXPECT_FALSE(
      apply2(r, fmt::format(R"({{"Chassis": {{"{}": {{"modify": {{"name": "x"}}}}}}}})", kU2))
          .ok());
  // Unknown tables and columns (a newer server) are ignored.
  EXPECT_TRUE(apply2(r, fmt::format(R"({{"Nope": {{}}, "Chassis": {{"{}": {{"insert": {{"name": "a",
      "future_column": 1}}}}}}}})",
                                    kU1))
                  .ok());
}

TEST(Replica, ReferencesResolveThroughTheReplica) {
  Replica r(sb::binding_ptr());
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Encap": {{"{}": {{"insert": {{"ip": "10.0.0.1",
      "type": "geneve"}}}}}}, "Chassis": {{"{}": {{"insert": {{"name": "hv1",
      "encaps": ["uuid", "{}"]}}}}}}}})",
                                    kU1, kU2, kU1))
                  .ok());
  const auto* ch = sb::Chassis::find_by_name(r, "hv1");
  ASSERT_NE(ch, nullptr);
  auto encaps = ch->encaps().to_vector();
  ASSERT_EQ(encaps.size(), 1u);
  EXPECT_EQ(encaps[0]->ip(), "10.0.0.1");
  // A dangling reference is skipped.
  ASSERT_TRUE(apply2(r, fmt::format(R"({{"Encap": {{"{}": {{"delete": null}}}}}})", kU1)).ok());
  EXPECT_TRUE(ch->encaps().to_vector().empty());
  EXPECT_EQ(ch->encaps().size(), 1u);
}

}  // namespace
}  // namespace ovnx::ovsdb::client
