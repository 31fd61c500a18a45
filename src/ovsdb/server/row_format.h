// Rows and row differences as JSON text, written straight into a string (the hot path of
// monitor updates, select replies and the storage log), plus the "diff" notation of
// ovsdb-server(7) section 4.1.14 shared by update2/update3 and the log's "_is_diff" records.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"
#include "ovsdb/server/column_set.h"

namespace ovnx::ovsdb::server {

// JSON text of atoms and data, as ovsdb/json.h writes them but without temporary strings
// (UUIDs and integers dominate large dumps).
void append_uuid_text(const Uuid& uuid, std::string* out);  // the 36 characters, no quotes
void append_atom(const Atom& atom, std::string* out);
void append_datum(const Datum& datum, const Type& type, std::string* out);

// True if D is the default value of TYPE (RFC 7047 section 5.2.1).
bool is_default_datum(const Datum& d, const Type& type);

// Appends {"col":value,...} for COLUMNS of ROW. With SKIP_DEFAULTS, columns at their default
// value are left out (update2 "initial"/"insert", log records of new rows).
void append_row_json(const Row& row, const TableSchema& table, const std::vector<size_t>& columns,
                     bool skip_defaults, std::string* out);

// The difference between OLD and NEW as update2 sends it: the new value for columns holding at
// most one atom, the symmetric difference for sets, and for maps the pairs whose key is in only
// one of them plus the changed pairs with their new values.
Datum datum_diff(const Datum& old_value, const Datum& new_value, const Type& type);
void append_diff_json(const Datum& old_value, const Datum& new_value, const Type& type,
                      std::string* out);
// Applies DIFF (as above) to VALUE. The result's size is not checked.
void apply_datum_diff(Datum* value, const Datum& diff, const Type& type);

}  // namespace ovnx::ovsdb::server
