// ovnx-dbtool: offline management of database files, with the commands of ovsdb-tool(1) that
// apply to standalone databases.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include "ovsdb/schema.h"
#include "ovsdb/server/database.h"
#include "ovsdb/server/execution.h"
#include "ovsdb/server/log_file.h"
#include "ovsdb/server/storage.h"

namespace {

using namespace ovnx;
using namespace ovnx::ovsdb;
using namespace ovnx::ovsdb::server;
using Args = std::vector<std::string>;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string default_db() {
  return env_or("OVS_DBDIR", env_or("OVS_SYSCONFDIR", "/etc") + "/openvswitch") + "/conf.db";
}

std::string default_schema() {
  return env_or("OVS_PKGDATADIR", "/usr/share/openvswitch") + "/vswitch.ovsschema";
}

std::string arg(const Args& a, size_t i, const std::string& fallback) {
  return i < a.size() ? a[i] : fallback;
}

Status print_line(const std::string& s) {
  std::printf("%s\n", s.c_str());
  return {};
}

Status cmd_create(const Args& a) {
  std::string db = arg(a, 0, default_db()), schema = arg(a, 1, default_schema());
  OVNX_ASSIGN_OR_RETURN(std::string text, LogFile::read_all(schema));
  return Storage::create(db, text);
}

Result<std::shared_ptr<const DatabaseSchema>> file_schema(const std::string& db) {
  std::string text;
  OVNX_ASSIGN_OR_RETURN(auto database, Storage::load(db, &text));
  return database->schema_ptr();
}

Status cmd_db_field(const Args& a, const std::function<std::string(const DatabaseSchema&)>& f) {
  OVNX_ASSIGN_OR_RETURN(auto schema, file_schema(arg(a, 0, default_db())));
  return print_line(f(*schema));
}

Status cmd_schema_field(const Args& a,
                        const std::function<std::string(const DatabaseSchema&)>& f) {
  OVNX_ASSIGN_OR_RETURN(auto schema, DatabaseSchema::from_file(arg(a, 0, default_schema())));
  return print_line(f(*schema));
}

Status run_transaction(const Args& a, bool write) {
  if (a.empty()) return make_error("syntax error", "missing TRANSACTION");
  std::string db_path = a.size() > 1 ? a[0] : default_db();
  const std::string& txn_text = a.back();
  boost::system::error_code ec;
  boost::json::value txn = boost::json::parse(txn_text, ec);
  if (ec || !txn.is_array() || txn.as_array().empty() || !txn.as_array()[0].is_string()) {
    return make_error("syntax error", "TRANSACTION must be a JSON array [<db-name>, <op>...]");
  }
  std::unique_ptr<Database> db;
  std::unique_ptr<Storage> storage;
  if (write) {
    OVNX_ASSIGN_OR_RETURN(storage, Storage::open(db_path, &db));
  } else {
    OVNX_ASSIGN_OR_RETURN(db, Storage::load(db_path));
  }
  if (txn.as_array()[0].as_string() != db->name()) {
    return make_error("syntax error", fmt::format("{}: database name is {}, not {}", db_path,
                                                  db->name(),
                                                  std::string_view(txn.as_array()[0].as_string())));
  }
  ExecuteParams p;
  p.db = db.get();
  p.read_only = !write;
  p.read_only_reason = "in a query";
  Storage* s = storage.get();
  p.before_commit = [s](const ChangeSet& c) { return s ? s->append(c) : Status(); };
  ExecuteOutcome out = execute_transaction(p, txn.as_array(), 1);
  if (out.retry) return make_error("timed out", "a \"wait\" operation cannot be satisfied offline");
  return print_line(boost::json::serialize(out.results));
}

Status cmd_compact(const Args& a) {
  std::string src = arg(a, 0, default_db());
  if (a.size() > 1) {
    std::string schema_text;
    OVNX_ASSIGN_OR_RETURN(auto db, Storage::load(src, &schema_text));
    std::string contents = frame_record(schema_text) +
                           frame_record(Storage::snapshot_text(*db, "compacted by ovnx-dbtool"));
    return LogFile::create(a[1], contents);
  }
  std::unique_ptr<Database> db;
  OVNX_ASSIGN_OR_RETURN(auto storage, Storage::open(src, &db));
  return storage->compact(*db, "compacted by ovnx-dbtool");
}

Status cmd_show_log(const Args& a) {
  std::string path = arg(a, 0, default_db());
  OVNX_ASSIGN_OR_RETURN(std::string data, LogFile::read_all(path));
  RecordReader reader(data);
  for (int i = 0;; ++i) {
    auto rec = reader.next();
    if (!rec.ok()) return std::move(rec).error();
    if (!*rec) break;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(**rec, ec);
    if (ec || !v.is_object()) {
      std::printf("record %d: (not a JSON object)\n", i);
      continue;
    }
    const auto& o = v.as_object();
    if (i == 0) {
      std::printf("record 0: \"%s\" schema, version=\"%s\", cksum=\"%s\"\n",
                  o.contains("name") ? std::string(o.at("name").as_string()).c_str() : "",
                  o.contains("version") ? std::string(o.at("version").as_string()).c_str() : "",
                  o.contains("cksum") ? std::string(o.at("cksum").as_string()).c_str() : "");
      continue;
    }
    std::string line = fmt::format("record {}:", i);
    if (const auto* d = o.if_contains("_date"); d && d->is_int64()) {
      time_t secs = static_cast<time_t>(d->as_int64() / 1000);
      struct tm tm;
      gmtime_r(&secs, &tm);
      char buf[64];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
      line += fmt::format(" {}.{:03}", buf, d->as_int64() % 1000);
    }
    if (const auto* c = o.if_contains("_comment"); c && c->is_string()) {
      line += fmt::format(" \"{}\"", std::string_view(c->as_string()));
    }
    size_t rows = 0;
    for (const auto& kv : o) {
      if (!kv.key().empty() && kv.key()[0] != '_' && kv.value().is_object()) rows += kv.value().as_object().size();
    }
    line += fmt::format(" ({} rows)", rows);
    std::printf("%s\n", line.c_str());
  }
  return {};
}

Status cmd_db_is_standalone(const Args& a) {
  OVNX_ASSIGN_OR_RETURN(std::string data, LogFile::read_all(arg(a, 0, default_db())));
  if (data.rfind("OVSDB JSON ", 0) != 0) return make_error("", "");
  return {};
}

void usage() {
  std::printf(
      "ovnx-dbtool: OVSDB file management utility\n"
      "usage: ovnx-dbtool COMMAND [ARG...]\n"
      "  create [DB [SCHEMA]]      create DB with the given SCHEMA\n"
      "  compact [DB [DST]]        compact DB in place, or into new file DST\n"
      "  db-name [DB]              report name of schema used by DB\n"
      "  db-version [DB]           report version of schema used by DB\n"
      "  db-cksum [DB]             report checksum of schema used by DB\n"
      "  db-is-standalone [DB]     exit with status 0 if DB is a standalone database\n"
      "  schema-name [SCHEMA]      report SCHEMA's name\n"
      "  schema-version [SCHEMA]   report SCHEMA's schema version\n"
      "  schema-cksum [SCHEMA]     report SCHEMA's checksum\n"
      "  query [DB] TRNS           execute read-only transaction on DB\n"
      "  transact [DB] TRNS        execute read/write transaction on DB\n"
      "  show-log [DB]             print DB's log entries\n"
      "The default DB is %s.\n"
      "The default SCHEMA is %s.\n",
      default_db().c_str(), default_schema().c_str());
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    usage();
    return argc < 2 ? 1 : 0;
  }
  if (std::string(argv[1]) == "--version" || std::string(argv[1]) == "-V") {
    std::printf("ovnx-dbtool (ovnx) 0.1.0\n");
    return 0;
  }
  using Command = std::function<Status(const Args&)>;
  auto name = [](const DatabaseSchema& s) { return s.name(); };
  auto version = [](const DatabaseSchema& s) { return s.version(); };
  auto cksum = [](const DatabaseSchema& s) { return s.cksum(); };
  const std::map<std::string, std::pair<size_t, Command>> commands = {
      {"create", {2, cmd_create}},
      {"compact", {2, cmd_compact}},
      {"db-name", {1, [&](const Args& a) { return cmd_db_field(a, name); }}},
      {"db-version", {1, [&](const Args& a) { return cmd_db_field(a, version); }}},
      {"db-cksum", {1, [&](const Args& a) { return cmd_db_field(a, cksum); }}},
      {"db-is-standalone", {1, cmd_db_is_standalone}},
      {"schema-name", {1, [&](const Args& a) { return cmd_schema_field(a, name); }}},
      {"schema-version", {1, [&](const Args& a) { return cmd_schema_field(a, version); }}},
      {"schema-cksum", {1, [&](const Args& a) { return cmd_schema_field(a, cksum); }}},
      {"query", {2, [](const Args& a) { return run_transaction(a, false); }}},
      {"transact", {2, [](const Args& a) { return run_transaction(a, true); }}},
      {"show-log", {1, cmd_show_log}},
  };
  auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::fprintf(stderr, "ovnx-dbtool: unknown command '%s'; use --help for help\n", argv[1]);
    return 1;
  }
  Args args(argv + 2, argv + argc);
  if (args.size() > it->second.first) {
    std::fprintf(stderr, "ovnx-dbtool: '%s' command takes at most %zu arguments\n", argv[1],
                 it->second.first);
    return 1;
  }
  Status st = it->second.second(args);
  if (!st.ok()) {
    if (!st.error().tag.empty()) std::fprintf(stderr, "ovnx-dbtool: %s\n", st.error().to_string().c_str());
    return 1;
  }
  return 0;
}
