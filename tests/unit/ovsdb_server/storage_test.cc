// Durable storage in the standalone file format of ovsdb(5): writing, reading back, files
// written by the real ovsdb-server, torn and corrupt tails, compaction.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ovsdb/server/log_file.h"
#include "ovsdb/server/storage.h"
#include "test_util.h"

namespace ovnx::ovsdb::server {
namespace {

namespace fs = std::filesystem;
using testing::column_values;
using testing::transact;

// Transaction records the real ovsdb-server 3.1 wrote for the test schema (diff format: set
// differences, map differences, an optional column emptied, a garbage-collected child, an
// ephemeral column left out).
const char* kRealServerRecords = R"ovnx(OVSDB JSON 237 b42ac6dd8b3ad95c5d984517144c01809e5fa600
{"_date":1795638881311,"Plain":{"11111111-1111-4111-8111-111111111111":{"map":["map",[["k",1],["l",2]]],"set":["set",["x","y"]],"i":1,"s":"a"}},"Other":{"22222222-2222-4222-8222-222222222222":{"o":5}},"_is_diff":true,"_comment":"first"}
OVSDB JSON 155 4cc3a3c8576df878b3e7c981e05b32d5f8f3087e
{"_date":1795638881615,"Plain":{"11111111-1111-4111-8111-111111111111":{"map":["map",[["l",3],["m",4]]],"set":["set",["x","z"]],"s":"b"}},"_is_diff":true}
OVSDB JSON 299 caaef6a83387cc6d284048fed0d6571f2b9fe460
{"_date":1795638881916,"Child":{"33333333-3333-4333-8333-333333333333":{"n":7}},"_is_diff":true,"Parent":{"44444444-4444-4444-8444-444444444444":{"weak1":["uuid","22222222-2222-4222-8222-222222222222"],"name":"p","children":["uuid","33333333-3333-4333-8333-333333333333"],"opt":3,"color":"green"}}}
OVSDB JSON 234 13357e0630f6dee85dcb750bd7bf3c15fcf8a874
{"_date":1795638882216,"Child":{"33333333-3333-4333-8333-333333333333":null},"_is_diff":true,"Parent":{"44444444-4444-4444-8444-444444444444":{"children":["uuid","33333333-3333-4333-8333-333333333333"],"opt":["set",[]],"tags":"t1"}}}
OVSDB JSON 102 f365a1cd6f608cc2a4fc2189da027a4d9e15ca1c
{"_date":1795638882517,"Plain":{"55555555-5555-4555-8555-555555555555":{"s":"gone"}},"_is_diff":true}
OVSDB JSON 94 f44b4e4913ed4aaf66ff75be3aaefae6e1a897f1
{"_date":1795638882818,"Plain":{"55555555-5555-4555-8555-555555555555":null},"_is_diff":true}
)ovnx";

struct StorageTest : ::testing::Test {
  fs::path dir;
  std::string path;
  void SetUp() override {
    char tmpl[] = "/tmp/ovnx-storage-test-XXXXXX";
    dir = mkdtemp(tmpl);
    path = (dir / "conf.db").string();
  }
  void TearDown() override { fs::remove_all(dir); }

  std::string read_file() {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void write_file(const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << data;
  }
  // Opens the file, runs OPS, closes it.
  void commit(const std::string& ops) {
    std::unique_ptr<Database> db;
    auto s = Storage::open(path, &db);
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    ExecuteParams p;
    Storage* storage = s->get();
    p.before_commit = [storage](const ChangeSet& c) { return storage->append(c); };
    auto r = transact(*db, ops, p);
    ASSERT_EQ(r.error(), "") << r.text();
  }
  std::unique_ptr<Database> load() {
    std::unique_ptr<Database> db;
    auto s = Storage::open(path, &db);
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    return db;
  }
};

TEST_F(StorageTest, CreateWritesTheSchemaRecord) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  std::string data = read_file();
  EXPECT_EQ(data.rfind("OVSDB JSON ", 0), 0u);
  EXPECT_EQ(std::count(data.begin(), data.end(), '\n'), 2);
  auto db = load();
  ASSERT_TRUE(db);
  EXPECT_EQ(db->name(), "Conf");
  EXPECT_FALSE(Storage::create(path, testing::kConfSchema).ok());  // exists already
  EXPECT_FALSE(Storage::create((dir / "bad.db").string(), "{\"name\":").ok());
}

TEST_F(StorageTest, CommittedTransactionsSurviveAReopen) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"a","set":["set",["x","y"]],"map":["map",[["k",1]]]}}])");
  commit(R"([{"op":"update","table":"Plain","where":[],"row":{"set":["set",["y","z"]],"map":["map",[["k",2],["l",3]]]}},
             {"op":"insert","table":"Plain","row":{"s":"b","i":5}},{"op":"comment","comment":"two"}])");
  commit(R"([{"op":"delete","table":"Plain","where":[["s","==","a"]]},
             {"op":"insert","table":"Plain","row":{"s":"c","set":["set",["q"]]}}])");
  auto db = load();
  EXPECT_EQ(column_values(*db, "Plain", "s"), (std::vector<std::string>{"\"b\"", "\"c\""}));
  EXPECT_EQ(column_values(*db, "Plain", "set"), (std::vector<std::string>{R"("q")", R"(["set",[]])"}));
  EXPECT_NE(read_file().find("\"_comment\":\"two\""), std::string::npos);
}

TEST_F(StorageTest, EphemeralColumnsAreNotWritten) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  commit(R"([{"op":"insert","table":"Other","row":{},"uuid-name":"o"},
             {"op":"insert","table":"Parent","row":{"name":"p","color":"red","temp":7,"weak1":["named-uuid","o"]}}])");
  size_t size = read_file().size();
  commit(R"([{"op":"update","table":"Parent","where":[],"row":{"temp":8}}])");
  EXPECT_EQ(read_file().size(), size);  // an ephemeral-only change writes nothing
  auto db = load();
  EXPECT_EQ(column_values(*db, "Parent", "temp"), (std::vector<std::string>{"0"}));
  EXPECT_EQ(column_values(*db, "Parent", "name"), (std::vector<std::string>{"\"p\""}));
}

TEST_F(StorageTest, ReadsFilesWrittenByTheRealServer) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  write_file(read_file() + kRealServerRecords);
  auto db = load();
  ASSERT_TRUE(db);
  EXPECT_EQ(column_values(*db, "Plain", "s"), (std::vector<std::string>{"\"b\""}));
  EXPECT_EQ(column_values(*db, "Plain", "set"), (std::vector<std::string>{R"(["set",["y","z"]])"}));
  EXPECT_EQ(column_values(*db, "Plain", "map"),
            (std::vector<std::string>{R"(["map",[["k",1],["l",3],["m",4]]])"}));
  EXPECT_EQ(column_values(*db, "Parent", "opt"), (std::vector<std::string>{R"(["set",[]])"}));
  EXPECT_EQ(column_values(*db, "Parent", "tags"), (std::vector<std::string>{R"("t1")"}));
  EXPECT_EQ(db->find_table("Child")->size(), 0u);
  EXPECT_EQ(db->find_table("Other")->size(), 1u);
}

TEST_F(StorageTest, TornTailIsDroppedAndTruncated) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"kept"}}])");
  size_t good = read_file().size();
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"torn"}}])");
  std::string data = read_file();
  write_file(data.substr(0, data.size() - 10));  // the last write was cut short
  auto db = load();
  EXPECT_EQ(column_values(*db, "Plain", "s"), (std::vector<std::string>{"\"kept\""}));
  db.reset();
  EXPECT_EQ(read_file().size(), good);
  // Appending continues from the good end.
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"after"}}])");
  EXPECT_EQ(column_values(*load(), "Plain", "s"),
            (std::vector<std::string>{"\"after\"", "\"kept\""}));
}

TEST_F(StorageTest, CorruptRecordEndsTheLog) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"one"}}])");
  size_t good = read_file().size();
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"two"}}])");
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"three"}}])");
  std::string data = read_file();
  size_t pos = data.find("\"two\"");
  ASSERT_NE(pos, std::string::npos);
  data[pos + 1] = 'X';  // the SHA-1 no longer matches
  write_file(data);
  auto db = load();
  EXPECT_EQ(column_values(*db, "Plain", "s"), (std::vector<std::string>{"\"one\""}));
  db.reset();
  EXPECT_EQ(read_file().size(), good);
}

TEST_F(StorageTest, GarbageAfterTheLastRecordIsDropped) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"one"}}])");
  size_t good = read_file().size();
  write_file(read_file() + "OVSDB JSON 99999 0000000000000000000000000000000000000000\n{\"Pl");
  EXPECT_EQ(column_values(*load(), "Plain", "s"), (std::vector<std::string>{"\"one\""}));
  EXPECT_EQ(read_file().size(), good);
}

TEST_F(StorageTest, CompactionKeepsTheContentsInLessSpace) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  std::unique_ptr<Database> db;
  auto s = Storage::open(path, &db);
  ASSERT_TRUE(s.ok());
  ExecuteParams p;
  Storage* storage = s->get();
  p.before_commit = [storage](const ChangeSet& c) { return storage->append(c); };
  transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"x","i":0}}])", p);
  for (int i = 1; i <= 200; ++i) {
    auto r = transact(*db, R"([{"op":"mutate","table":"Plain","where":[],"mutations":[["i","+=",1]]}])", p);
    ASSERT_EQ(r.error(), "");
  }
  size_t before = read_file().size();
  EXPECT_EQ(storage->records_since_compaction(), 201u);
  ASSERT_TRUE(storage->compact(*db).ok());
  size_t after = read_file().size();
  EXPECT_LT(after * 10, before);
  EXPECT_EQ(storage->records_since_compaction(), 0u);
  transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"y"}}])", p);
  s->reset();
  db.reset();
  auto again = load();
  EXPECT_EQ(column_values(*again, "Plain", "i"), (std::vector<std::string>{"0", "200"}));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(StorageTest, SecondOpenOfALockedFileFails) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  std::unique_ptr<Database> db1;
  auto s1 = Storage::open(path, &db1);
  ASSERT_TRUE(s1.ok());
  // fcntl locks are per process: a child process cannot take it.
  pid_t pid = fork();
  if (pid == 0) {
    std::unique_ptr<Database> db2;
    _exit(Storage::open(path, &db2).ok() ? 1 : 0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(StorageTest, FailedWriteIsAnErrorAndLeavesNoPartialRecord) {
  ASSERT_TRUE(Storage::create(path, testing::kConfSchema).ok());
  commit(R"([{"op":"insert","table":"Plain","row":{"s":"before"}}])");
  const off_t size = static_cast<off_t>(read_file().size());
  // In a child, so the file size limit does not touch the test process: a write that the
  // limit cuts short fails the transaction, which must not change the database or the file,
  // and a smaller one afterwards still fits.
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::unique_ptr<Database> db;
    auto storage = Storage::open(path, &db);
    if (!storage.ok()) _exit(10);
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{static_cast<rlim_t>(size + 300), static_cast<rlim_t>(size + 300)};
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0) _exit(11);
    ExecuteParams p;
    Storage* st = storage->get();
    p.before_commit = [st](const ChangeSet& c) { return st->append(c); };
    auto big = transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":")" +
                                     std::string(1000, 'x') + R"("}}])", p);
    if (big.error() != "I/O error") _exit(12);
    if (big.committed || column_values(*db, "Plain", "s").size() != 1) _exit(13);
    auto small = transact(*db, R"([{"op":"insert","table":"Plain","row":{"s":"after"}}])", p);
    if (small.error() != "") _exit(14);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  ASSERT_EQ(WEXITSTATUS(status), 0);
  // Every record in the file is whole: nothing to drop on the next open.
  std::string data = read_file();
  RecordReader reader(data);
  size_t n = 0;
  for (;;) {
    auto r = reader.next();
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    if (!*r) break;
    ++n;
  }
  EXPECT_EQ(n, 3u);  // schema, "before", "after"
  auto db = load();
  EXPECT_EQ(column_values(*db, "Plain", "s"),
            (std::vector<std::string>{"\"after\"", "\"before\""}));
}

TEST_F(StorageTest, ClusteredFilesAreRefusedByName) {
  // The first record header of a file made by "ovsdb-tool create-cluster".
  write_file("OVSDB CLUSTER 14782 a326a0973a08e634666e4d8bd2ff0000000000aa\n{}\n");
  std::unique_ptr<Database> db;
  auto s = Storage::open(path, &db);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().details.find("clustered database"), std::string::npos) << s.error().details;
}

TEST(RecordReader, ValidatesHeaderLengthAndHash) {
  std::string rec = frame_record("{\"a\":1}");
  RecordReader ok(rec);
  auto r = ok.next();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, "{\"a\":1}");
  EXPECT_FALSE(ok.next()->has_value());
  RecordReader bad_magic("XVSDB JSON 3 0000000000000000000000000000000000000000\n{}\n");
  EXPECT_FALSE(bad_magic.next().ok());
  std::string bad_hash = rec;
  bad_hash[bad_hash.size() - 3] = '2';
  RecordReader h(bad_hash);
  auto e = h.next();
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().details.find("SHA-1"), std::string::npos);
  EXPECT_EQ(h.good_end(), 0u);
}

}  // namespace
}  // namespace ovnx::ovsdb::server
