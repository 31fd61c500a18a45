// The output of list/find: a table of cells printed in the formats of the ctl tools
// (--format=list|table|csv|json|html, --data=string|bare|json, --no-headings, --pretty).
#pragma once

#include <string>
#include <vector>

#include "ctl/text.h"
#include "ovsdb/datum.h"
#include "ovsdb/types.h"

namespace ovnx::ctl {

enum class TableFormat { list, table, csv, json, html };

struct FormatOptions {
  TableFormat format = TableFormat::list;
  DataFormat data = DataFormat::string;
  bool headings = true;
  bool pretty = false;  // json output with one member per line
};

class OutputTable {
 public:
  struct Cell {
    ovsdb::Datum datum;
    ovsdb::Type type;
  };

  void set_headings(std::vector<std::string> headings) { headings_ = std::move(headings); }
  void add_row(std::vector<Cell> cells) { rows_.push_back(std::move(cells)); }
  size_t n_rows() const { return rows_.size(); }

  // The table as text. FIRST is false for every table after the first one a program prints
  // (those are preceded by a blank line, except in json).
  std::string render(const FormatOptions& options, bool first) const;

 private:
  std::string cell_text(const Cell& cell, DataFormat data) const;
  std::vector<std::string> headings_;
  std::vector<std::vector<Cell>> rows_;
};

// JSON text re-indented the way the OVS tools print with --pretty.
std::string pretty_json(const std::string& compact);

}  // namespace ovnx::ctl
