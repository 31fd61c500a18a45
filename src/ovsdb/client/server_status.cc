#include "ovsdb/client/server_status.h"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace ovnx::ovsdb::client {

namespace json = boost::json;

Status ServerStatus::apply(const json::value& updates, const std::string& db,
                           bool* schema_changed) {
  const json::object* tables = updates.if_object();
  if (!tables) return make_error("syntax error", "_Server update is not an object");
  const json::value* t = tables->if_contains("Database");
  if (!t) return {};
  const json::object* rows = t->if_object();
  if (!rows) return make_error("syntax error", "_Server Database update is not an object");
  for (const auto& [uuid, update] : *rows) {
    const json::object* u = update.if_object();
    if (!u || u->size() != 1) return make_error("syntax error", "malformed _Server row update");
    const auto& [kind, row] = *u->begin();
    if (kind == "delete") {
      if (found_ && uuid_ == std::string_view(uuid)) found_ = false;
      continue;
    }
    const json::object* r = row.if_object();
    if (!r) return make_error("syntax error", "malformed _Server row");
    bool is_modify = kind == "modify";
    if (!is_modify) {
      // Initial and inserted rows omit columns at their default (false, "").
      const json::value* name = r->if_contains("name");
      if (!name || !name->is_string() || name->get_string() != db) continue;
      found_ = true;
      uuid_ = std::string(uuid);
      model_.clear();
      connected_ = false;
      leader_ = false;
    } else if (!found_ || uuid_ != std::string_view(uuid)) {
      continue;
    }
    if (const json::value* v = r->if_contains("model"); v && v->is_string()) {
      model_ = std::string(v->get_string());
    }
    if (const json::value* v = r->if_contains("connected"); v && v->is_bool()) {
      connected_ = v->get_bool();
    }
    if (const json::value* v = r->if_contains("leader"); v && v->is_bool()) {
      leader_ = v->get_bool();
    }
    if (is_modify && schema_changed && r->contains("schema")) *schema_changed = true;
  }
  return {};
}

std::optional<std::string> ServerStatus::problem(const std::string& db, bool leader_only) const {
  if (!found_) return fmt::format("server has no database {}", db);
  if (model_ == "clustered") {
    if (!connected_) return fmt::format("database {} is not connected to its cluster", db);
    if (leader_only && !leader_) return fmt::format("server is not the leader of {}", db);
  }
  return std::nullopt;
}

}  // namespace ovnx::ovsdb::client
