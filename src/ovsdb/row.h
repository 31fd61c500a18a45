// A row: one Datum per column of its table (implicit _uuid and _version first).
#pragma once

#include <vector>

#include "base/uuid.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"

namespace ovnx::ovsdb {

struct Row {
  std::vector<Datum> columns;

  // A row of TABLE with every column at its default and the given uuid.
  static Row make_default(const TableSchema& table, const Uuid& uuid) {
    Row r;
    r.columns.reserve(table.columns().size());
    for (const ColumnSchema& c : table.columns()) r.columns.push_back(Datum::default_for(c.type));
    r.columns[kUuidColumn] = Datum::scalar(Atom(uuid));
    return r;
  }

  const Uuid& uuid() const { return columns[kUuidColumn].scalar_atom().uuid(); }
  const Uuid& version() const { return columns[kVersionColumn].scalar_atom().uuid(); }
  void set_version(const Uuid& v) { columns[kVersionColumn] = Datum::scalar(Atom(v)); }
};

}  // namespace ovnx::ovsdb
