// The database commands of the ctl tools (ovs-vsctl(8) "Database Commands").
#include <fmt/format.h>

#include "base/log.h"
#include "ctl/db_common.h"
#include "ctl/runner.h"

OVNX_LOG_MODULE(db_ctl_base);

namespace ovnx::ctl {

using internal::ColumnArg;
using ovsdb::Atom;
using ovsdb::ColumnSchema;
using ovsdb::Datum;
using ovsdb::Type;
using ovsdb::client::Row;
using ovsdb::client::TableBinding;

namespace {

Status cmd_list(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  std::vector<const Row*> rows;
  if (ctx.args().size() > 2) {
    bool must_exist = !ctx.has_option("--if-exists");
    for (size_t i = 2; i < ctx.args().size(); ++i) {
      OVNX_ASSIGN_OR_RETURN(const Row* row, ctx.row(*table, ctx.args()[i], must_exist));
      if (row) rows.push_back(row);
    }
  } else {
    rows = internal::sorted_rows(ctx, *table);
  }
  return internal::output_rows(ctx, *table, rows);
}

Status cmd_find(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  std::vector<const Row*> all = internal::sorted_rows(ctx, *table);
  std::vector<const Row*> rows;
  for (const Row* row : all) {
    bool match = true;
    for (size_t i = 2; i < ctx.args().size() && match; ++i) {
      OVNX_ASSIGN_OR_RETURN(match, internal::evaluate_condition(ctx, *table, *row, ctx.args()[i]));
    }
    if (match) rows.push_back(row);
  }
  if (all.empty()) {
    // Still check the conditions' syntax against the table.
    for (size_t i = 2; i < ctx.args().size(); ++i) {
      OVNX_RETURN_IF_ERROR(internal::parse_column_arg(ctx, *table, ctx.args()[i],
                                                      internal::condition_operators(), true));
    }
  }
  return internal::output_rows(ctx, *table, rows);
}

// Checks an --id=@name option and returns its symbol name (or nullopt without --id).
Result<std::optional<std::string>> id_option(Context& ctx) {
  const std::string* id = ctx.option("--id");
  if (!id) return std::optional<std::string>();
  if (id->empty() || (*id)[0] != '@') {
    return make_error(fmt::format("row id \"{}\" does not begin with \"@\"", *id));
  }
  return std::optional<std::string>(*id);
}

Status cmd_get(Context& ctx) {
  bool if_exists = ctx.has_option("--if-exists");
  if (if_exists && ctx.option("--id")) {
    return make_error("--if-exists and --id may not be specified together");
  }
  OVNX_ASSIGN_OR_RETURN(auto id, id_option(ctx));
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  const std::string& record = ctx.args()[2];
  OVNX_ASSIGN_OR_RETURN(const Row* row, ctx.row(*table, record, !if_exists));
  if (!row) return {};
  if (id) {
    Symbol& s = ctx.symbol(*id);
    if (s.referenced || s.defined) {
      return make_error(fmt::format(
          "row id \"{}\" specified on \"get\" command was used before it was defined", *id));
    }
    s.uuid = row->uuid();
    s.defined = true;
  }
  for (size_t i = 3; i < ctx.args().size(); ++i) {
    OVNX_ASSIGN_OR_RETURN(ColumnArg ca,
                          internal::parse_column_arg(ctx, *table, ctx.args()[i], {}, true));
    const ColumnSchema& col = *ca.column;
    Datum value = internal::column_value(*row, col);
    if (!ca.key_text) {
      ctx.output() += format_datum(value, col.type) + "\n";
      continue;
    }
    if (!col.type.is_map()) {
      return make_error(fmt::format("cannot specify key to get for non-map column {}", col.name));
    }
    OVNX_ASSIGN_OR_RETURN(Atom key, ctx.parse_atom(*ca.key_text, col.type.key));
    long k = value.find(key);
    if (k < 0) {
      if (if_exists) {
        ctx.output() += "\n";
        continue;
      }
      return make_error(fmt::format("no key \"{}\" in {} record \"{}\" column {}", format_atom(key),
                                    table->name(), record, col.name));
    }
    ctx.output() += format_atom(value.value(k)) + "\n";
  }
  return {};
}

Status cmd_set(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(const Row* row,
                        ctx.row(*table, ctx.args()[2], !ctx.has_option("--if-exists")));
  if (!row) return {};
  for (size_t i = 3; i < ctx.args().size(); ++i) {
    OVNX_RETURN_IF_ERROR(internal::apply_assignment(ctx, *table, row, ctx.args()[i]));
  }
  return {};
}

// The column argument of add/remove/clear.
Result<const ColumnSchema*> plain_column(Context& ctx, const TableBinding& table,
                                         const std::string& name) {
  return ctx.column(table, name, false);
}

Type relaxed(const Type& type) {
  Type t = type;
  t.n_min = 0;
  t.n_max = Type::kUnlimited;
  return t;
}

Status cmd_add(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(const Row* row,
                        ctx.row(*table, ctx.args()[2], !ctx.has_option("--if-exists")));
  if (!row) return {};
  OVNX_ASSIGN_OR_RETURN(const ColumnSchema* col, plain_column(ctx, *table, ctx.args()[3]));
  for (size_t i = 4; i < ctx.args().size(); ++i) {
    OVNX_ASSIGN_OR_RETURN(Datum d, ctx.parse_datum(ctx.args()[i], relaxed(col->type)));
    for (size_t k = 0; k < d.size(); ++k) {
      if (col->type.is_map()) {
        ctx.txn().map_put(row, col->index, d.key(k), d.value(k));
      } else {
        ctx.txn().set_insert(row, col->index, d.key(k));
      }
    }
  }
  return {};
}

Status cmd_remove(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(const Row* row,
                        ctx.row(*table, ctx.args()[2], !ctx.has_option("--if-exists")));
  if (!row) return {};
  OVNX_ASSIGN_OR_RETURN(const ColumnSchema* col, plain_column(ctx, *table, ctx.args()[3]));
  for (size_t i = 4; i < ctx.args().size(); ++i) {
    const std::string& arg = ctx.args()[i];
    if (col->type.is_map()) {
      // KEY=VALUE pairs remove matching pairs; bare KEYs remove whatever value they have.
      auto pairs = ctx.parse_datum(arg, relaxed(col->type));
      if (pairs.ok()) {
        const Datum& cur = ctx.txn().view(row)->datum(col->index);
        for (size_t k = 0; k < pairs->size(); ++k) {
          if (cur.contains_pair(pairs->key(k), pairs->value(k))) {
            ctx.txn().map_erase(row, col->index, pairs->key(k));
          }
        }
        continue;
      }
      Type keys = relaxed(col->type);
      keys.value.reset();
      OVNX_ASSIGN_OR_RETURN(Datum d, ctx.parse_datum(arg, keys));
      for (const Atom& k : d.keys()) ctx.txn().map_erase(row, col->index, k);
      continue;
    }
    OVNX_ASSIGN_OR_RETURN(Datum d, ctx.parse_datum(arg, relaxed(col->type)));
    for (const Atom& k : d.keys()) ctx.txn().set_erase(row, col->index, k);
  }
  size_t n = ctx.txn().view(row)->datum(col->index).size();
  if (n < col->type.n_min) {
    return make_error(
        fmt::format("\"remove\" operation would put {} values in column {} of table "
                    "{} but the minimum number is {}",
                    n, col->name, table->name(), col->type.n_min));
  }
  return {};
}

Status cmd_clear(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(const Row* row,
                        ctx.row(*table, ctx.args()[2], !ctx.has_option("--if-exists")));
  if (!row) return {};
  for (size_t i = 3; i < ctx.args().size(); ++i) {
    OVNX_ASSIGN_OR_RETURN(const ColumnSchema* col, plain_column(ctx, *table, ctx.args()[i]));
    if (col->type.n_min > 0) {
      return make_error(
          fmt::format("\"clear\" operation cannot be applied to column {} of table "
                      "{}, which is not allowed to be empty",
                      col->name, table->name()));
    }
    ctx.txn().write(row, col->index, col->type.is_map() ? Datum::empty_map() : Datum());
  }
  return {};
}

Status cmd_create(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(auto id, id_option(ctx));
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  Uuid provisional = Uuid::generate();
  if (id) {
    Symbol& s = ctx.symbol(*id);
    if (s.defined) {
      return make_error(fmt::format("row id \"{}\" may only be specified on one --id option", *id));
    }
    s.defined = s.created = true;
    s.table = table->name();
    provisional = s.uuid;
  } else if (!table->schema->is_root()) {
    LOG_WARN("applying \"create\" command to table {} without --id option will have no effect",
             table->name());
  }
  const Row* row = ctx.txn().insert(*table, &provisional);
  for (size_t i = 2; i < ctx.args().size(); ++i) {
    OVNX_RETURN_IF_ERROR(internal::apply_assignment(ctx, *table, row, ctx.args()[i]));
  }
  ctx.output() = provisional.to_string();  // replaced by the real uuid after commit
  return {};
}

Status cmd_create_post_commit(Context& ctx) {
  auto provisional = Uuid::parse(ctx.output());
  if (provisional) ctx.output() = ctx.report().real_uuid(*provisional).to_string() + "\n";
  return {};
}

Status cmd_destroy(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  bool all = ctx.has_option("--all");
  if (all && ctx.args().size() > 2) {
    return make_error("--all and records argument should not be specified together");
  }
  if (!all && ctx.args().size() == 2) {
    LOG_WARN("either --all or records argument should be specified");
    return {};
  }
  if (all) {
    for (const Row* row : ctx.txn().rows(table->id)) ctx.txn().remove(row);
    return {};
  }
  bool must_exist = !ctx.has_option("--if-exists");
  for (size_t i = 2; i < ctx.args().size(); ++i) {
    OVNX_ASSIGN_OR_RETURN(const Row* row, ctx.row(*table, ctx.args()[i], must_exist));
    if (row) ctx.txn().remove(row);
  }
  return {};
}

Status cmd_wait_until(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const TableBinding* table, ctx.table(ctx.args()[1]));
  OVNX_ASSIGN_OR_RETURN(const Row* row, ctx.row(*table, ctx.args()[2], false));
  if (!row) {
    ctx.try_again();
    return {};
  }
  for (size_t i = 3; i < ctx.args().size(); ++i) {
    OVNX_ASSIGN_OR_RETURN(bool ok, internal::evaluate_condition(ctx, *table, *row, ctx.args()[i]));
    if (!ok) {
      ctx.try_again();
      return {};
    }
  }
  return {};
}

Status cmd_comment(Context& ctx) {
  std::string text;
  for (size_t i = 1; i < ctx.args().size(); ++i) {
    if (i > 1) text += " ";
    text += ctx.args()[i];
  }
  if (!text.empty()) ctx.txn().add_comment(text);
  return {};
}

}  // namespace

std::vector<CommandSpec> database_commands() {
  constexpr int kMany = CommandSpec::kUnlimited;
  auto table_prereq = [](Context& ctx) { internal::monitor_first_arg_table(ctx); };
  std::vector<CommandSpec> cmds;
  cmds.push_back({"comment", "[ARG]...", 0, kMany, "", [](Context&) {}, cmd_comment, nullptr});
  cmds.push_back(
      {"get", "TBL REC COL[:KEY]", 2, kMany, "--if-exists,--id=", table_prereq, cmd_get, nullptr});
  cmds.push_back(
      {"list", "TBL [REC]", 1, kMany, "--if-exists,--columns=", table_prereq, cmd_list, nullptr});
  cmds.push_back(
      {"find", "TBL CONDITION...", 1, kMany, "--columns=", table_prereq, cmd_find, nullptr});
  cmds.push_back(
      {"set", "TBL REC COL[:KEY]=VALUE", 3, kMany, "--if-exists", table_prereq, cmd_set, nullptr});
  cmds.push_back(
      {"add", "TBL REC COL [KEY=]VALUE", 4, kMany, "--if-exists", table_prereq, cmd_add, nullptr});
  cmds.push_back({"remove", "TBL REC COL [KEY=]VALUE", 4, kMany, "--if-exists", table_prereq,
                  cmd_remove, nullptr});
  cmds.push_back(
      {"clear", "TBL REC COL", 3, kMany, "--if-exists", table_prereq, cmd_clear, nullptr});
  cmds.push_back({"create", "TBL COL[:KEY]=VALUE", 2, kMany, "--id=", table_prereq, cmd_create,
                  cmd_create_post_commit});
  cmds.push_back(
      {"destroy", "TBL REC", 1, kMany, "--if-exists,--all", table_prereq, cmd_destroy, nullptr});
  cmds.push_back({"wait-until", "TBL REC [COL[:KEY]=VALUE]", 2, kMany, "", table_prereq,
                  cmd_wait_until, nullptr});
  return cmds;
}

}  // namespace ovnx::ctl
