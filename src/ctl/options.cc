#include "ctl/options.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

namespace ovnx::ctl::internal {

namespace {

struct OptionDef {
  std::string name;
  char short_name = 0;
  enum { none, required, optional } arg = none;
};

const std::vector<OptionDef>& builtin_options() {
  static const std::vector<OptionDef> defs = {
      {"--db", 0, OptionDef::required},
      {"--timeout", 't', OptionDef::required},
      {"--dry-run"},
      {"--oneline"},
      {"--format", 'f', OptionDef::required},
      {"--data", 'd', OptionDef::required},
      {"--no-headings"},
      {"--pretty"},
      {"--bare"},
      {"--leader-only"},
      {"--no-leader-only"},
      {"--shuffle-remotes"},
      {"--no-shuffle-remotes"},
      {"--no-syslog"},
      {"--verbose", 'v', OptionDef::optional},
      {"--log-file", 0, OptionDef::optional},
      {"--help", 'h'},
      {"--version", 'V'},
  };
  return defs;
}

// Options a command accepts: name -> takes a value.
std::map<std::string, bool, std::less<>> command_options(const CommandSpec& c) {
  std::map<std::string, bool, std::less<>> out;
  size_t start = 0;
  while (start < c.options.size()) {
    size_t comma = c.options.find(',', start);
    std::string o =
        c.options.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!o.empty()) {
      bool value = o.back() == '=';
      if (value) o.pop_back();
      out[o] = value;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Status apply_global(const OptionDef& def, const std::string& value, GlobalOptions* g) {
  const std::string& n = def.name;
  if (n == "--db") {
    g->db = value;
  } else if (n == "--timeout") {
    bool ok = !value.empty();
    for (char c : value) ok &= std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (!ok) return make_error(fmt::format("value {} on -t or --timeout is invalid", value));
    g->timeout_s = std::stoi(value);
  } else if (n == "--dry-run") {
    g->dry_run = true;
  } else if (n == "--oneline") {
    g->oneline = true;
  } else if (n == "--format") {
    static const std::map<std::string, TableFormat> formats = {{"list", TableFormat::list},
                                                               {"table", TableFormat::table},
                                                               {"csv", TableFormat::csv},
                                                               {"json", TableFormat::json},
                                                               {"html", TableFormat::html}};
    auto it = formats.find(value);
    if (it == formats.end()) return make_error(fmt::format("unknown output format \"{}\"", value));
    g->format.format = it->second;
  } else if (n == "--data") {
    static const std::map<std::string, DataFormat> formats = {
        {"string", DataFormat::string}, {"bare", DataFormat::bare}, {"json", DataFormat::json}};
    auto it = formats.find(value);
    if (it == formats.end()) return make_error(fmt::format("unknown data format \"{}\"", value));
    g->format.data = it->second;
  } else if (n == "--no-headings") {
    g->format.headings = false;
  } else if (n == "--pretty") {
    g->format.pretty = true;
  } else if (n == "--bare") {
    g->format.format = TableFormat::list;
    g->format.data = DataFormat::bare;
    g->format.headings = false;
  } else if (n == "--leader-only") {
    g->leader_only = true;
  } else if (n == "--no-leader-only") {
    g->leader_only = false;
  } else if (n == "--verbose") {
    g->verbose.push_back(value);
  } else if (n == "--log-file") {
    g->log_file = value;
  } else if (n == "--help") {
    g->help = true;
  } else if (n == "--version") {
    g->version = true;
  }
  // --shuffle-remotes and --no-syslog have no effect here.
  return {};
}

}  // namespace

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

Result<CommandLine> parse_command_line(const ProgramSpec& spec,
                                       const std::vector<CommandSpec>& commands,
                                       const std::vector<std::string>& args) {
  CommandLine out;
  std::vector<OptionDef> globals = builtin_options();
  for (const GlobalOption& o : spec.extra_options) {
    globals.push_back({o.name, 0, o.takes_value ? OptionDef::required : OptionDef::none});
  }
  // Every command option may also appear among the global options; it then belongs to the
  // first command.
  std::map<std::string, bool, std::less<>> any_command_option;
  for (const CommandSpec& c : commands) {
    for (const auto& [name, value] : command_options(c)) any_command_option[name] |= value;
  }
  std::vector<std::pair<std::string, std::string>> first_command_options;

  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "--") break;
    const OptionDef* def = nullptr;
    std::string value;
    bool has_value = false;
    if (a[1] == '-') {
      size_t eq = a.find('=');
      std::string name = a.substr(0, eq);
      if (eq != std::string::npos) {
        value = a.substr(eq + 1);
        has_value = true;
      }
      for (const OptionDef& d : globals) {
        if (d.name == name) def = &d;
      }
      if (!def) {
        auto it = any_command_option.find(name);
        if (it == any_command_option.end()) {
          return make_error(fmt::format("unrecognized option '{}'", a));
        }
        if (it->second && !has_value) {
          if (i + 1 >= args.size()) {
            return make_error(fmt::format("option '{}' requires an argument", name));
          }
          value = args[++i];
        }
        first_command_options.emplace_back(name, value);
        continue;
      }
      if (def->arg == OptionDef::none && has_value) {
        return make_error(fmt::format("option '{}' doesn't allow an argument", name));
      }
    } else {
      for (const OptionDef& d : globals) {
        if (d.short_name && d.short_name == a[1]) def = &d;
      }
      if (!def) return make_error(fmt::format("invalid option -- '{}'", a.substr(1, 1)));
      if (a.size() > 2) {
        value = a.substr(2);
        has_value = true;
      }
    }
    if (def->arg == OptionDef::required && !has_value) {
      if (i + 1 >= args.size()) {
        return make_error(fmt::format("option '{}' requires an argument", a));
      }
      value = args[++i];
    }
    bool extra = false;
    for (const GlobalOption& o : spec.extra_options) {
      if (o.name == def->name) {
        out.global.extra[o.name] = value;
        extra = true;
      }
    }
    if (!extra) OVNX_RETURN_IF_ERROR(apply_global(*def, value, &out.global));
  }
  if (out.global.help || out.global.version) return out;

  // Commands, separated by "--".
  std::vector<std::vector<std::string>> segments(1);
  for (; i < args.size(); ++i) {
    if (args[i] == "--") {
      segments.emplace_back();
    } else {
      segments.back().push_back(args[i]);
    }
  }
  bool first = true;
  for (const auto& seg : segments) {
    if (seg.empty()) continue;
    ParsedCommand pc;
    size_t k = 0;
    std::vector<std::pair<std::string, std::string>> opts;
    if (first) opts = first_command_options;
    for (; k < seg.size() && seg[k].size() > 2 && seg[k].compare(0, 2, "--") == 0; ++k) {
      size_t eq = seg[k].find('=');
      opts.emplace_back(seg[k].substr(0, eq),
                        eq == std::string::npos ? std::string() : seg[k].substr(eq + 1));
    }
    if (k >= seg.size()) return make_error("missing command name (use --help for help)");
    const std::string& name = seg[k];
    for (const CommandSpec& c : commands) {
      if (c.name == name) pc.spec = &c;
    }
    if (!pc.spec) return make_error(fmt::format("unknown command '{}'; use --help for help", name));
    auto accepted = command_options(*pc.spec);
    for (const auto& [oname, ovalue] : opts) {
      if (!accepted.count(oname)) {
        return make_error(fmt::format("'{}' command has no '{}' option", name, oname));
      }
      if (!pc.options.emplace(oname, ovalue).second) {
        return make_error(fmt::format("'{}' option specified multiple times", oname));
      }
    }
    pc.args.assign(seg.begin() + static_cast<long>(k), seg.end());
    int n = static_cast<int>(pc.args.size()) - 1;
    if (n < pc.spec->min_args) {
      return make_error(
          fmt::format("'{}' command requires at least {} arguments", name, pc.spec->min_args));
    }
    if (n > pc.spec->max_args) {
      return make_error(
          fmt::format("'{}' command takes at most {} arguments", name, pc.spec->max_args));
    }
    out.commands.push_back(std::move(pc));
    first = false;
  }
  if (out.commands.empty()) return make_error("missing command name (use --help for help)");
  return out;
}

}  // namespace ovnx::ctl::internal
