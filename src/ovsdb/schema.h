// OVSDB schemas (RFC 7047 section 3.2, ovsdb(7)): databases, tables and columns, parsed from
// and formatted to JSON with validation that names the offending table and column.
//
// Every table has the implicit columns _uuid (index 0) and _version (index 1); user columns
// follow in the order of the schema text.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/fwd.hpp>

#include "base/result.h"
#include "ovsdb/types.h"

namespace ovnx::ovsdb {

inline constexpr size_t kUuidColumn = 0;
inline constexpr size_t kVersionColumn = 1;
inline constexpr size_t kFirstUserColumn = 2;

struct ColumnSchema {
  std::string name;
  Type type;
  bool ephemeral = false;
  bool is_mutable = true;
  size_t index = 0;  // position in TableSchema::columns()
};

class TableSchema {
 public:
  const std::string& name() const { return name_; }
  const std::vector<ColumnSchema>& columns() const { return columns_; }
  const ColumnSchema& column(size_t index) const { return columns_[index]; }
  // nullptr if there is no such column (implicit columns included).
  const ColumnSchema* find_column(std::string_view name) const;
  bool is_root() const { return is_root_; }
  std::optional<uint64_t> max_rows() const { return max_rows_; }
  // Each index is a list of column indexes whose combined values must be unique.
  const std::vector<std::vector<size_t>>& indexes() const { return indexes_; }
  // True if some column of some table holds references to this table.
  bool is_referenced() const { return referenced_; }

 private:
  friend class DatabaseSchema;
  friend Result<std::unique_ptr<TableSchema>> parse_table_schema(std::string_view,
                                                                 const boost::json::value&);
  std::string name_;
  std::vector<ColumnSchema> columns_;
  std::unordered_map<std::string, size_t> column_index_;
  bool is_root_ = false;
  bool root_given_ = false;
  std::optional<uint64_t> max_rows_;
  std::vector<std::vector<size_t>> indexes_;
  bool referenced_ = false;
};

class DatabaseSchema {
 public:
  // Parses and validates a schema; errors are "syntax error" naming table and column.
  static Result<std::shared_ptr<const DatabaseSchema>> from_json(const boost::json::value& json);
  static Result<std::shared_ptr<const DatabaseSchema>> from_text(std::string_view text);
  static Result<std::shared_ptr<const DatabaseSchema>> from_file(const std::string& path);

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& cksum() const { return cksum_; }
  // Tables ordered by name (std::map) so output is deterministic.
  const std::map<std::string, std::unique_ptr<TableSchema>, std::less<>>& tables() const {
    return tables_;
  }
  const TableSchema* find_table(std::string_view name) const;

  // The schema as get_schema returns it.
  boost::json::value to_json() const;

 private:
  std::string name_;
  std::string version_;
  std::string cksum_;
  std::map<std::string, std::unique_ptr<TableSchema>, std::less<>> tables_;
};

// Type and base type JSON forms, shared with conditions and mutations.
Result<Type> parse_type(const boost::json::value& json);
Result<BaseType> parse_base_type(const boost::json::value& json);
boost::json::value type_to_json(const Type& type);
boost::json::value base_type_to_json(const BaseType& type);

// True for identifiers as ovsdb(7) defines them: [A-Za-z_][A-Za-z0-9_]*.
bool is_valid_id(std::string_view name);

}  // namespace ovnx::ovsdb
