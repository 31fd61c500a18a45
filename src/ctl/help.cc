#include "ctl/help.h"

#include <fmt/format.h>

namespace ovnx::ctl {

std::string help_text(const ProgramSpec& spec, const std::vector<CommandSpec>& commands,
                      const std::string& default_db) {
  std::string out = fmt::format("{}: {}\n\nusage: {} [OPTIONS] COMMAND [ARG...]\n\n", spec.name,
                                spec.description, spec.name);
  out += spec.help_commands;
  out += "\nDatabase commands:\n";
  for (const CommandSpec& c : database_commands()) {
    out += fmt::format("  {:<28} {}\n", c.name + " " + c.usage,
                       c.options.empty() ? "" : "options: " + c.options);
  }
  out += "\nRecords may be named by UUID (or a unique prefix of 4 or more hex digits), or:\n";
  for (const TableIds& t : spec.row_ids) {
    for (const RowIdSpec& id : t.ids) {
      if (id.name_column.empty()) {
        out += fmt::format("  {:<24} \".\" (its only record)\n", t.table);
        continue;
      }
      std::string col = id.key.empty() ? id.name_column : id.name_column + ":" + id.key;
      if (id.uuid_column.empty()) {
        out += fmt::format("  {:<24} by {}\n", t.table, col);
      } else {
        out += fmt::format("  {:<24} via {}.{} of the {} named by {}\n", t.table, id.table,
                           id.uuid_column, id.table, col);
      }
    }
  }
  out += fmt::format(
      "\nOptions:\n"
      "  --db=DATABASE               database to contact (default: {})\n"
      "  --no-leader-only            accept any cluster member, not only the leader\n"
      "  -t, --timeout=SECS          give up after SECS seconds (0: never)\n"
      "  --dry-run                   do not commit the changes\n"
      "  --oneline                   one line of output per command\n",
      default_db);
  for (const GlobalOption& o : spec.extra_options) {
    out += fmt::format("  {:<27} {}\n", o.name + (o.takes_value ? "=VALUE" : ""), o.help);
  }
  out +=
      "\nOutput formatting options (list and find):\n"
      "  -f, --format=FORMAT         list (default), table, csv, json or html\n"
      "  -d, --data=FORMAT           string (default), bare or json cells\n"
      "  --no-headings               no heading row\n"
      "  --pretty                    indented JSON\n"
      "  --bare                      same as --format=list --data=bare --no-headings\n"
      "\nOther options:\n"
      "  -v, --verbose[=SPEC]        set logging levels\n"
      "  --log-file[=FILE]           also log to FILE\n"
      "  -h, --help                  print this help\n"
      "  -V, --version               print the version\n";
  return out;
}

}  // namespace ovnx::ctl
