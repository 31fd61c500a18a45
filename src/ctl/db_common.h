// Internal to ctl: pieces shared by the database commands.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ctl/command.h"
#include "ovsdb/client/row.h"

namespace ovnx::ctl::internal {

// "column[:key]" followed by an operator and a value, split.
struct ColumnArg {
  const ovsdb::ColumnSchema* column = nullptr;
  std::optional<std::string> key_text;  // the key as typed (unquoted)
  std::string op;                       // "=", "!=", "{<=}", ... (empty if none was asked for)
  std::string value;                    // what follows the operator
};

// Parses ARG as column[:key] followed by one of OPERATORS (longest match) and a value; with no
// OPERATORS, ARG is column[:key] alone. ERROR_SUFFIX completes the "argument does not end in"
// message.
Result<ColumnArg> parse_column_arg(Context& ctx, const ovsdb::client::TableBinding& table,
                                   std::string_view arg, const std::vector<std::string>& operators,
                                   bool allow_uuid);

// The operators of find and wait-until, and of set/create.
const std::vector<std::string>& condition_operators();
const std::vector<std::string>& assignment_operators();

// A row's value for COLUMN, with _uuid as a uuid datum.
ovsdb::Datum column_value(const ovsdb::client::Row& row, const ovsdb::ColumnSchema& column);

// Sets ARG (column[:key]=value) on ROW in the transaction (set and create).
Status apply_assignment(Context& ctx, const ovsdb::client::TableBinding& table,
                        const ovsdb::client::Row* row, std::string_view arg);

// True if ROW satisfies the condition ARG (find, wait-until).
Result<bool> evaluate_condition(Context& ctx, const ovsdb::client::TableBinding& table,
                                const ovsdb::client::Row& row, std::string_view arg);

// Rows of TABLE in a stable order (by uuid).
std::vector<const ovsdb::client::Row*> sorted_rows(Context& ctx,
                                                   const ovsdb::client::TableBinding& table);

// Fills the command's table output with COLUMNS of ROWS (--columns, or _uuid and then every
// column by name).
Status output_rows(Context& ctx, const ovsdb::client::TableBinding& table,
                   const std::vector<const ovsdb::client::Row*>& rows);

// The prerequisites of a command whose first argument is a table: replicate that table.
void monitor_first_arg_table(Context& ctx);

}  // namespace ovnx::ctl::internal
