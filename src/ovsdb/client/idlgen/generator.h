// The code generator behind ovnx-idlgen: schema in, C++ header and source text out.
#pragma once

#include <string>

#include "base/result.h"
#include "ovsdb/schema.h"

namespace ovnx::idlgen {

struct Options {
  std::string ns;            // e.g. "nb": classes go into ovnx::nb
  std::string include_name;  // how the header is included, e.g. "ovsdb/client/nb.h"
  std::string schema_path;   // for the "generated from" comment
};

struct Output {
  std::string header;
  std::string source;
};

// C++ class name of a table: underscores dropped, case kept (Logical_Switch -> LogicalSwitch).
std::string class_name(const std::string& table);

Result<Output> generate(const ovsdb::DatabaseSchema& schema, const std::string& schema_text,
                        const Options& options);

}  // namespace ovnx::idlgen
