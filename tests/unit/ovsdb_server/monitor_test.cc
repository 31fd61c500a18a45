// Monitor update formats (update, update2, update3), select flags, conditions, condition
// changes, spec sharing, and the transaction history behind monitor_cond_since.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "ovsdb/server/monitor.h"
#include "ovsdb/server/row_format.h"
#include "ovsdb/server/txn_history.h"
#include "test_util.h"

namespace ovnx::ovsdb::server {
namespace {

namespace json = boost::json;
using testing::make_db;
using testing::transact;

struct MonitorTest : ::testing::Test {
  std::unique_ptr<Database> db = make_db();
  SpecRegistry specs;

  SpecPtr spec(const char* table, const char* request, bool v2 = true) {
    auto s = parse_monitor_request(*db->find_table(table), json::parse(request), v2, v2);
    EXPECT_TRUE(s.ok()) << request << ": " << (s.ok() ? "" : s.error().to_string());
    return specs.intern(std::move(*s));
  }
  Monitor monitor(UpdateVersion v, std::vector<SpecPtr> tables) {
    return Monitor("\"m\"", v, std::move(tables));
  }
  // The update notification M would get for OPS, parsed.
  json::value update(const Monitor& m, const std::string& ops) {
    auto r = transact(*db, ops);
    EXPECT_EQ(r.error(), "") << r.text();
    if (!r.committed) return nullptr;
    UpdateCache cache(*r.committed);
    std::string text = m.update_notification(cache);
    return text.empty() ? json::value(nullptr) : json::parse(text);
  }
  static json::value row_update(const json::value& notification, const char* table) {
    const json::array& params = notification.as_object().at("params").as_array();
    const json::object& tables = params.back().as_object();
    const json::object& rows = tables.at(table).as_object();
    EXPECT_EQ(rows.size(), 1u);
    return rows.begin()->value();
  }
};

TEST_F(MonitorTest, Update2InsertModifyDelete) {
  Monitor m = monitor(UpdateVersion::v2, {spec("Plain", R"({"columns":["s","set","map"]})")});
  json::value ins = update(m, R"([{"op":"insert","table":"Plain","row":{"s":"a","i":5,"set":["set",["x"]]}}])");
  EXPECT_EQ(ins.as_object().at("method").as_string(), "update2");
  // Defaults are left out of inserts; unmonitored columns never appear.
  EXPECT_EQ(json::serialize(row_update(ins, "Plain")), R"({"insert":{"s":"a","set":"x"}})");

  json::value mod = update(m, R"([{"op":"update","table":"Plain","where":[],
      "row":{"s":"b","set":["set",["y","z"]],"map":["map",[["k",1]]]}}])");
  // Sets as symmetric difference, maps as changed pairs, scalars as the new value.
  EXPECT_EQ(json::serialize(row_update(mod, "Plain")),
            R"({"modify":{"s":"b","set":["set",["x","y","z"]],"map":["map",[["k",1]]]}})");

  json::value mod2 = update(m, R"([{"op":"update","table":"Plain","where":[],
      "row":{"map":["map",[["k",2],["l",3]]]}}])");
  EXPECT_EQ(json::serialize(row_update(mod2, "Plain")),
            R"({"modify":{"map":["map",[["k",2],["l",3]]]}})");

  // A change to an unmonitored column sends nothing.
  EXPECT_TRUE(update(m, R"([{"op":"update","table":"Plain","where":[],"row":{"i":9}}])").is_null());

  json::value del = update(m, R"([{"op":"delete","table":"Plain","where":[]}])");
  EXPECT_EQ(json::serialize(row_update(del, "Plain")), R"({"delete":null})");
}

TEST_F(MonitorTest, UpdateV1SendsOldAndNew) {
  Monitor m = monitor(UpdateVersion::v1, {spec("Plain", R"({"columns":["s","i"]})", false)});
  json::value ins = update(m, R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])");
  EXPECT_EQ(ins.as_object().at("method").as_string(), "update");
  EXPECT_EQ(json::serialize(row_update(ins, "Plain")), R"({"new":{"s":"a","i":0}})");
  json::value mod = update(m, R"([{"op":"update","table":"Plain","where":[],"row":{"i":4}}])");
  EXPECT_EQ(json::serialize(row_update(mod, "Plain")), R"({"old":{"i":0},"new":{"s":"a","i":4}})");
  json::value del = update(m, R"([{"op":"delete","table":"Plain","where":[]}])");
  EXPECT_EQ(json::serialize(row_update(del, "Plain")), R"({"old":{"s":"a","i":4}})");
}

TEST_F(MonitorTest, AllColumnsIncludeVersionButNotUuid) {
  SpecPtr s = spec("Plain", "{}", false);
  const TableSchema& ts = db->find_table("Plain")->schema();
  EXPECT_FALSE(s->column_set.contains(kUuidColumn));
  EXPECT_TRUE(s->column_set.contains(kVersionColumn));
  EXPECT_EQ(s->columns.size(), ts.columns().size() - 1);
}

TEST_F(MonitorTest, Update3CarriesTheTransactionId) {
  Monitor m = monitor(UpdateVersion::v3, {spec("Plain", R"({"columns":["s"]})")});
  auto r = transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])");
  UpdateCache cache(*r.committed);
  json::value n = json::parse(m.update_notification(cache));
  EXPECT_EQ(n.as_object().at("method").as_string(), "update3");
  const json::array& params = n.as_object().at("params").as_array();
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(params[0].as_string(), "m");
  EXPECT_EQ(params[1].as_string(), r.committed->txn_id.to_string());
}

TEST_F(MonitorTest, SelectFlagsFilterUpdates) {
  Monitor m = monitor(UpdateVersion::v2,
                      {spec("Plain", R"({"columns":["s"],"select":{"insert":false,"delete":false}})")});
  EXPECT_TRUE(update(m, R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])").is_null());
  EXPECT_FALSE(update(m, R"([{"op":"update","table":"Plain","where":[],"row":{"s":"b"}}])").is_null());
  EXPECT_TRUE(update(m, R"([{"op":"delete","table":"Plain","where":[]}])").is_null());
  transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])");
  Monitor no_initial = monitor(UpdateVersion::v2,
                               {spec("Plain", R"({"columns":["s"],"select":{"initial":false}})")});
  EXPECT_EQ(no_initial.initial_text(), "{}");
}

TEST_F(MonitorTest, ConditionsAreADisjunction) {
  transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"a","i":1}},
                    {"op":"insert","table":"Plain","row":{"s":"b","i":2}},
                    {"op":"insert","table":"Plain","row":{"s":"c","i":3}}])");
  Monitor m = monitor(UpdateVersion::v2,
                      {spec("Plain", R"({"columns":["s"],"where":[["s","==","a"],["i",">",2]]})")});
  json::value initial = json::parse(m.initial_text());
  ASSERT_EQ(initial.as_object().at("Plain").as_object().size(), 2u);
  for (const auto& kv : initial.as_object().at("Plain").as_object()) {
    std::string s(kv.value().as_object().at("initial").as_object().at("s").as_string());
    EXPECT_TRUE(s == "a" || s == "c") << s;
  }
  // A row that starts matching is inserted; one that stops matching is deleted.
  json::value in = update(m, R"([{"op":"update","table":"Plain","where":[["s","==","b"]],"row":{"i":7}}])");
  EXPECT_EQ(json::serialize(row_update(in, "Plain")), R"({"insert":{"s":"b"}})");
  json::value out = update(m, R"([{"op":"update","table":"Plain","where":[["s","==","c"]],"row":{"i":0}}])");
  EXPECT_EQ(json::serialize(row_update(out, "Plain")), R"({"delete":null})");
  // Empty and boolean conditions.
  EXPECT_EQ(json::parse(monitor(UpdateVersion::v2, {spec("Plain", R"({"where":[]})")}).initial_text())
                .as_object().at("Plain").as_object().size(), 3u);
  EXPECT_EQ(monitor(UpdateVersion::v2, {spec("Plain", R"({"where":[false]})")}).initial_text(), "{}");
}

TEST_F(MonitorTest, ConditionChangeSendsInsertsAndDeletes) {
  transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"a"}},
                    {"op":"insert","table":"Plain","row":{"s":"b"}}])");
  SpecPtr before = spec("Plain", R"({"columns":["s"],"where":[["s","==","a"]]})");
  SpecPtr after = spec("Plain", R"({"columns":["s"],"where":[["s","==","b"]]})");
  std::string rows;
  EXPECT_EQ(append_condition_change(*before, *after, &rows), 2u);
  json::value v = json::parse("{" + rows + "}");
  int inserts = 0, deletes = 0;
  for (const auto& kv : v.as_object()) {
    inserts += kv.value().as_object().contains("insert");
    deletes += kv.value().as_object().contains("delete");
  }
  EXPECT_EQ(inserts, 1);
  EXPECT_EQ(deletes, 1);
}

TEST_F(MonitorTest, IdenticalRequestsShareOneSpecAndOneComputation) {
  SpecPtr a = spec("Plain", R"({"columns":["s"],"where":[["i","==",1]]})");
  SpecPtr b = spec("Plain", R"({"columns":["s"],"where":[["i","==",1]]})");
  SpecPtr c = spec("Plain", R"({"columns":["s"],"where":[["i","==",2]]})");
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
  auto r = transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"x","i":1}}])");
  UpdateCache cache(*r.committed);
  const std::string& first = cache.table_update(*a);
  EXPECT_EQ(&first, &cache.table_update(*b));
  EXPECT_TRUE(cache.table_update(*c).empty());
}

TEST_F(MonitorTest, ManyEqualityClausesMatchByLookup) {
  std::string where = "[";
  for (int i = 0; i < 2000; ++i) where += (i ? "," : "") + std::string(R"(["i","==",)") + std::to_string(i * 2) + "]";
  where += "]";
  SpecPtr s = spec("Plain", (R"({"columns":["i"],"where":)" + where + "}").c_str());
  Row row = Row::make_default(db->find_table("Plain")->schema(), Uuid::generate());
  row.columns[db->find_table("Plain")->schema().find_column("i")->index] = Datum::scalar(Atom(int64_t{3998}));
  EXPECT_TRUE(s->condition.matches(row));
  row.columns[db->find_table("Plain")->schema().find_column("i")->index] = Datum::scalar(Atom(int64_t{3999}));
  EXPECT_FALSE(s->condition.matches(row));
}

TEST_F(MonitorTest, BadRequestsAreRejected) {
  const Table& t = *db->find_table("Plain");
  auto bad_col = parse_monitor_request(t, json::parse(R"({"columns":["zz"]})"), true, true);
  ASSERT_FALSE(bad_col.ok());
  EXPECT_EQ(bad_col.error().details, "zz is not a valid column name");
  auto twice = parse_monitor_request(t, json::parse(R"({"columns":["s","s"]})"), true, true);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().details, "column s mentioned more than once");
  EXPECT_FALSE(parse_monitor_request(t, json::parse(R"({"where":[["zz","==",1]]})"), true, true).ok());
  EXPECT_FALSE(parse_monitor_request(t, json::parse(R"({"where":[]})"), false, false).ok());
}

TEST(TxnHistory, FindsTransactionsAfterAnId) {
  TxnHistory h(3);
  Uuid base = h.last_id();
  std::vector<Uuid> ids;
  for (int i = 0; i < 5; ++i) {
    auto c = std::make_shared<ChangeSet>();
    c->txn_id = Uuid::generate();
    ids.push_back(c->txn_id);
    h.add(c, 0);
  }
  EXPECT_EQ(h.last_id(), ids[4]);
  EXPECT_EQ(h.size(), 3u);
  EXPECT_FALSE(h.since(base).has_value());  // too old
  EXPECT_FALSE(h.since(ids[0]).has_value());
  ASSERT_TRUE(h.since(ids[1]).has_value());  // the base of the kept entries
  EXPECT_EQ(h.since(ids[1])->size(), 3u);
  EXPECT_EQ(h.since(ids[3])->size(), 1u);
  EXPECT_EQ(h.since(ids[4])->size(), 0u);
  EXPECT_FALSE(h.since(Uuid::generate()).has_value());
}

TEST_F(MonitorTest, MergedChangesLookLikeOneTransaction) {
  auto a = transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"a"}}])");
  auto b = transact(*db, R"([{"op":"update","table":"Plain","where":[],"row":{"s":"b"}},
                             {"op":"insert","table":"Plain","row":{"s":"gone"}}])");
  auto c = transact(*db, R"([{"op":"delete","table":"Plain","where":[["s","==","gone"]]}])");
  ChangeSet merged = merge_changes({a.committed, b.committed, c.committed});
  ASSERT_EQ(merged.tables.size(), 1u);
  ASSERT_EQ(merged.tables[0].rows.size(), 1u);  // inserted then deleted: nothing
  EXPECT_TRUE(merged.tables[0].rows[0].is_insert());
  EXPECT_EQ(merged.txn_id, c.committed->txn_id);
  Monitor m = monitor(UpdateVersion::v3, {spec("Plain", R"({"columns":["s"]})")});
  UpdateCache cache(merged);
  EXPECT_EQ(cache.table_update(*m.tables()[0]).find("\"insert\":{\"s\":\"b\"}") != std::string::npos, true);
}

TEST(RowFormat, DiffRoundTrips) {
  auto schema = testing::conf_schema();
  const TableSchema& t = *schema->find_table("Plain");
  const Type& set = t.find_column("set")->type;
  const Type& map = t.find_column("map")->type;
  Datum a = *Datum::make_set({Atom("x"), Atom("y")});
  Datum b = *Datum::make_set({Atom("y"), Atom("z")});
  Datum d = datum_diff(a, b, set);
  apply_datum_diff(&a, d, set);
  EXPECT_EQ(a, b);
  Datum m1 = *Datum::make_map({{Atom("k"), Atom(int64_t{1})}, {Atom("l"), Atom(int64_t{2})}});
  Datum m2 = *Datum::make_map({{Atom("k"), Atom(int64_t{5})}, {Atom("n"), Atom(int64_t{3})}});
  Datum md = datum_diff(m1, m2, map);
  apply_datum_diff(&m1, md, map);
  EXPECT_EQ(m1, m2);
  std::string text;
  append_uuid_text(*Uuid::parse("2e29c565-9fa0-439c-a52a-7bdade785d95"), &text);
  EXPECT_EQ(text, "2e29c565-9fa0-439c-a52a-7bdade785d95");
}

}  // namespace
}  // namespace ovnx::ovsdb::server
