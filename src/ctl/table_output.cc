#include "ctl/table_output.h"

#include <fmt/format.h>

#include <algorithm>

namespace ovnx::ctl {

namespace {

std::string csv_field(const std::string& s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string OutputTable::cell_text(const Cell& cell, DataFormat data) const {
  return format_datum(cell.datum, cell.type, data);
}

std::string OutputTable::render(const FormatOptions& o, bool first) const {
  std::string out;
  if (!first && o.format != TableFormat::json) out += "\n";
  switch (o.format) {
    case TableFormat::list: {
      for (size_t r = 0; r < rows_.size(); ++r) {
        if (r) out += "\n";
        for (size_t c = 0; c < rows_[r].size(); ++c) {
          if (o.headings) out += fmt::format("{:<20}: ", c < headings_.size() ? headings_[c] : "");
          out += cell_text(rows_[r][c], o.data) + "\n";
        }
      }
      break;
    }
    case TableFormat::table: {
      std::vector<std::vector<std::string>> text;
      std::vector<size_t> width(headings_.size(), 0);
      if (o.headings) {
        for (size_t c = 0; c < headings_.size(); ++c) width[c] = headings_[c].size();
      }
      for (const auto& row : rows_) {
        std::vector<std::string> t;
        for (size_t c = 0; c < row.size(); ++c) {
          t.push_back(cell_text(row[c], o.data));
          if (c < width.size()) width[c] = std::max(width[c], t.back().size());
        }
        text.push_back(std::move(t));
      }
      auto line = [&](const std::vector<std::string>& cells) {
        std::string l;
        for (size_t c = 0; c < cells.size(); ++c) {
          if (c) l += " ";
          l += cells[c];
          if (c + 1 < cells.size() && c < width.size()) l.append(width[c] - cells[c].size(), ' ');
        }
        return l + "\n";
      };
      if (o.headings) {
        out += line(headings_);
        std::vector<std::string> dashes;
        for (size_t w : width) dashes.push_back(std::string(w, '-'));
        out += line(dashes);
      }
      for (const auto& t : text) out += line(t);
      break;
    }
    case TableFormat::csv: {
      auto line = [&](const std::vector<std::string>& cells) {
        std::string l;
        for (size_t c = 0; c < cells.size(); ++c) {
          if (c) l += ",";
          l += csv_field(cells[c]);
        }
        return l + "\n";
      };
      if (o.headings) out += line(headings_);
      for (const auto& row : rows_) {
        std::vector<std::string> t;
        for (const Cell& cell : row) t.push_back(cell_text(cell, o.data));
        out += line(t);
      }
      break;
    }
    case TableFormat::json: {
      std::string j = "{\"data\":[";
      for (size_t r = 0; r < rows_.size(); ++r) {
        if (r) j += ",";
        j += "[";
        for (size_t c = 0; c < rows_[r].size(); ++c) {
          if (c) j += ",";
          j += datum_json_text(rows_[r][c].datum, rows_[r][c].type);
        }
        j += "]";
      }
      j += "],\"headings\":[";
      for (size_t c = 0; c < headings_.size(); ++c) {
        if (c) j += ",";
        j += json_quote(headings_[c]);
      }
      j += "]}";
      out += (o.pretty ? pretty_json(j) : j) + "\n";
      break;
    }
    case TableFormat::html: {
      out += "<table border=1>\n";
      if (o.headings) {
        out += "  <tr>\n";
        for (const auto& h : headings_) out += "    <th>" + html_escape(h) + "</th>\n";
        out += "  </tr>\n";
      }
      for (const auto& row : rows_) {
        out += "  <tr>\n";
        for (const Cell& cell : row) {
          out += "    <td>" + html_escape(cell_text(cell, o.data)) + "</td>\n";
        }
        out += "  </tr>\n";
      }
      out += "</table>\n";
      break;
    }
  }
  return out;
}

std::string pretty_json(const std::string& s) {
  // Members and elements one per line, indented by 2 per level, closing brackets right after
  // the last element (the OVS style).
  std::string out;
  int depth = 0;
  bool in_string = false;
  auto newline = [&]() {
    out += "\n";
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < s.size()) {
        out += s[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        if (i + 1 < s.size() && (s[i + 1] == ']' || s[i + 1] == '}')) break;
        ++depth;
        newline();
        break;
      case '}':
      case ']':
        if (i > 0 && (s[i - 1] == '[' || s[i - 1] == '{')) {
          out += c;
          break;
        }
        --depth;
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace ovnx::ctl
