#include "ctl/text.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ovnx::ctl {

using ovsdb::Atom;
using ovsdb::AtomicType;
using ovsdb::BaseType;
using ovsdb::Datum;
using ovsdb::Type;

namespace {

bool is_ascii_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Parses a JSON string starting at TEXT[*POS] == '"'; leaves *POS after the closing quote.
Result<std::string> parse_json_string(std::string_view text, size_t* pos) {
  std::string out;
  size_t i = *pos + 1;
  while (i < text.size() && text[i] != '"') {
    char c = text[i++];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (i >= text.size()) break;
    char e = text[i++];
    switch (e) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        auto hex4 = [&](uint32_t* v) {
          if (i + 4 > text.size()) return false;
          *v = 0;
          for (int k = 0; k < 4; ++k) {
            char h = text[i + k];
            *v <<= 4;
            if (h >= '0' && h <= '9')
              *v |= h - '0';
            else if (h >= 'a' && h <= 'f')
              *v |= h - 'a' + 10;
            else if (h >= 'A' && h <= 'F')
              *v |= h - 'A' + 10;
            else
              return false;
          }
          i += 4;
          return true;
        };
        uint32_t cp;
        if (!hex4(&cp)) return make_error("malformed \\u escape in string");
        if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < text.size() && text[i] == '\\' &&
            text[i + 1] == 'u') {
          i += 2;
          uint32_t lo;
          if (!hex4(&lo)) return make_error("malformed \\u escape in string");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        append_utf8(cp, &out);
        break;
      }
      default:
        return make_error(fmt::format("bad escape \\{} in string", e));
    }
  }
  if (i >= text.size()) {
    return make_error("quoted string extends past end of argument");
  }
  *pos = i + 1;
  return out;
}

bool is_delimiter(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == ':' || c == '=' ||
         c == ',' || c == '[' || c == ']' || c == '{' || c == '}' || c == '!' || c == '<' ||
         c == '>';
}

struct Token {
  std::string text;
  bool quoted = false;
  bool empty_at_end = false;  // nothing left in the argument
  char stop = 0;              // the delimiter where an empty bare token stopped
};

// The next token at *POS: a JSON string or a bare run (backslash escapes a character).
Result<Token> next_token(std::string_view s, size_t* pos) {
  Token t;
  if (*pos < s.size() && s[*pos] == '"') {
    OVNX_ASSIGN_OR_RETURN(t.text, parse_json_string(s, pos));
    t.quoted = true;
    return t;
  }
  size_t i = *pos;
  while (i < s.size() && !is_delimiter(s[i])) {
    if (s[i] == '\\') {
      if (++i >= s.size()) return make_error("backslash at end of argument");
    }
    t.text.push_back(s[i++]);
  }
  if (t.text.empty()) {
    if (i >= s.size()) {
      t.empty_at_end = true;
    } else {
      t.stop = s[i];
    }
  }
  *pos = i;
  return t;
}

void skip_space(std::string_view s, size_t* pos) {
  while (*pos < s.size() && std::isspace(static_cast<unsigned char>(s[*pos]))) ++(*pos);
}

Result<int64_t> parse_integer(std::string_view text, bool* ok_out = nullptr) {
  std::string s(text);
  const char* p = s.c_str();
  while (std::isspace(static_cast<unsigned char>(*p))) ++p;
  if (*p == '\0') return make_error("not an integer");
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(p, &end, 10);
  if (errno == ERANGE || *end != '\0' || end == p) return make_error("not an integer");
  return static_cast<int64_t>(v);
}

// The atoms a token stands for (integer ranges "a-b" give several).
Result<std::vector<Atom>> token_atoms(const std::string& text, const BaseType& type,
                                      const SymbolResolver* symbols, bool allow_range) {
  std::vector<Atom> out;
  switch (type.type) {
    case AtomicType::integer: {
      auto v = parse_integer(text);
      if (v.ok()) {
        out.emplace_back(*v);
        return out;
      }
      // "a-b": an inclusive range.
      size_t dash = text.find('-', 1);
      if (allow_range && dash != std::string::npos) {
        auto lo = parse_integer(std::string_view(text).substr(0, dash));
        auto hi = parse_integer(std::string_view(text).substr(dash + 1));
        if (lo.ok() && hi.ok() && *lo <= *hi && *hi - *lo < 4096) {
          for (int64_t i = *lo; i <= *hi; ++i) out.emplace_back(i);
          return out;
        }
      }
      return make_error(fmt::format("\"{}\" is not a valid integer or range", text));
    }
    case AtomicType::real: {
      std::string s(text);
      errno = 0;
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(d)) {
        return make_error(fmt::format("\"{}\" is not a valid real number", text));
      }
      out.emplace_back(d);
      return out;
    }
    case AtomicType::boolean:
      if (text == "true" || text == "yes" || text == "on" || text == "1") {
        out.emplace_back(true);
      } else if (text == "false" || text == "no" || text == "off" || text == "0") {
        out.emplace_back(false);
      } else {
        return make_error(
            fmt::format("\"{}\" is not a valid boolean (use \"true\" or \"false\")", text));
      }
      return out;
    case AtomicType::string:
      out.emplace_back(std::string_view(text));
      return out;
    case AtomicType::uuid: {
      if (!text.empty() && text[0] == '@' && symbols) {
        OVNX_ASSIGN_OR_RETURN(Uuid u, (*symbols)(text));
        out.emplace_back(u);
        return out;
      }
      auto u = Uuid::parse(text);
      if (!u) return make_error(fmt::format("\"{}\" is not a valid UUID", text));
      out.emplace_back(*u);
      return out;
    }
  }
  return out;
}

std::string plural(std::string_view base) { return std::string(base) + "s"; }

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string format_string(std::string_view s) {
  bool bare = !s.empty() && (is_ascii_alpha(s[0]) || s[0] == '_');
  for (size_t i = 1; bare && i < s.size(); ++i) {
    unsigned char c = s[i];
    bare = is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  }
  if (bare && (s == "true" || s == "false" || Uuid::is_uuid_text(s))) bare = false;
  return bare ? std::string(s) : json_quote(s);
}

std::string format_atom(const Atom& atom, DataFormat format) {
  switch (atom.type()) {
    case AtomicType::integer:
      return std::to_string(atom.integer());
    case AtomicType::real:
      return fmt::format("{:.15g}", atom.real());
    case AtomicType::boolean:
      return atom.boolean() ? "true" : "false";
    case AtomicType::string:
      if (format == DataFormat::bare) return atom.string();
      if (format == DataFormat::json) return json_quote(atom.string());
      return format_string(atom.string());
    case AtomicType::uuid:
      if (format == DataFormat::json) return "[\"uuid\",\"" + atom.uuid().to_string() + "\"]";
      return atom.uuid().to_string();
  }
  return "";
}

std::string datum_json_text(const Datum& d, const Type& type) {
  std::string out;
  if (type.is_map()) {
    out = "[\"map\",[";
    for (size_t i = 0; i < d.size(); ++i) {
      if (i) out += ",";
      out += "[" + format_atom(d.key(i), DataFormat::json) + "," +
             format_atom(d.value(i), DataFormat::json) + "]";
    }
    return out + "]]";
  }
  if (d.size() == 1) return format_atom(d.key(0), DataFormat::json);
  out = "[\"set\",[";
  for (size_t i = 0; i < d.size(); ++i) {
    if (i) out += ",";
    out += format_atom(d.key(i), DataFormat::json);
  }
  return out + "]]";
}

std::string format_datum(const Datum& d, const Type& type, DataFormat format) {
  if (format == DataFormat::json) return datum_json_text(d, type);
  std::string out;
  if (format == DataFormat::bare) {
    for (size_t i = 0; i < d.size(); ++i) {
      if (i) out += " ";
      out += format_atom(d.key(i), format);
      if (type.is_map()) out += "=" + format_atom(d.value(i), format);
    }
    return out;
  }
  if (type.is_map()) {
    out = "{";
    for (size_t i = 0; i < d.size(); ++i) {
      if (i) out += ", ";
      out += format_atom(d.key(i)) + "=" + format_atom(d.value(i));
    }
    return out + "}";
  }
  if (type.n_max == 1 && d.size() == 1) return format_atom(d.key(0));
  out = "[";
  for (size_t i = 0; i < d.size(); ++i) {
    if (i) out += ", ";
    out += format_atom(d.key(i));
  }
  return out + "]";
}

std::string type_english(const Type& type) {
  std::string k(ovsdb::atomic_type_name(type.key.type));
  if (type.is_map()) {
    std::string v(ovsdb::atomic_type_name(type.value->type));
    std::string pairs = fmt::format("({}, {}) pairs", k, v);
    if (type.n_min == 0 && type.n_max == Type::kUnlimited) return "map of " + pairs;
    if (type.n_max == Type::kUnlimited)
      return fmt::format("map of {} or more {}", type.n_min, pairs);
    if (type.n_min == 0) return fmt::format("map of up to {} {}", type.n_max, pairs);
    return fmt::format("map of {} to {} {}", type.n_min, type.n_max, pairs);
  }
  if (type.is_scalar()) return k;
  if (type.n_min == 0 && type.n_max == Type::kUnlimited) return "set of " + plural(k);
  if (type.n_max == Type::kUnlimited)
    return fmt::format("set of {} or more {}", type.n_min, plural(k));
  if (type.n_min == 0) return fmt::format("set of up to {} {}", type.n_max, plural(k));
  if (type.n_min == type.n_max) return fmt::format("set of exactly {} {}", type.n_min, plural(k));
  return fmt::format("set of {} to {} {}", type.n_min, type.n_max, plural(k));
}

Status check_constraints(const Atom& atom, const BaseType& type) {
  auto violation = [](std::string details) {
    return make_error("constraint violation", std::move(details));
  };
  if (type.enum_values && !type.enum_values->contains(atom)) {
    Type set_type(type.type);
    set_type.n_min = 0;
    set_type.n_max = Type::kUnlimited;
    return violation(fmt::format("{} is not one of the allowed values ({})", format_atom(atom),
                                 format_datum(*type.enum_values, set_type)));
  }
  if (type.type == AtomicType::integer) {
    int64_t v = atom.integer();
    bool has_min = type.min_integer != std::numeric_limits<int64_t>::min();
    bool has_max = type.max_integer != std::numeric_limits<int64_t>::max();
    if ((has_min && v < type.min_integer) || (has_max && v > type.max_integer)) {
      if (has_min && has_max) {
        return violation(fmt::format("{} is not in the valid range {} to {} (inclusive)", v,
                                     type.min_integer, type.max_integer));
      }
      if (has_min) {
        return violation(
            fmt::format("{} is less than minimum allowed value {}", v, type.min_integer));
      }
      return violation(
          fmt::format("{} is greater than maximum allowed value {}", v, type.max_integer));
    }
  } else if (type.type == AtomicType::real) {
    double v = atom.real();
    if (v < type.min_real || v > type.max_real) {
      return violation(fmt::format("{} is not in the valid range {:.15g} to {:.15g} (inclusive)",
                                   format_atom(atom), type.min_real, type.max_real));
    }
  } else if (type.type == AtomicType::string) {
    uint64_t n = 0;
    for (unsigned char c : atom.string()) n += (c & 0xc0) != 0x80;
    if (n < type.min_length) {
      return violation(fmt::format("{} length {} is less than minimum allowed length {}",
                                   format_atom(atom), n, type.min_length));
    }
    if (n > type.max_length) {
      return violation(fmt::format("{} length {} is greater than maximum allowed length {}",
                                   format_atom(atom), n, type.max_length));
    }
  }
  return {};
}

Result<std::string> parse_token(std::string_view text, std::string_view* rest) {
  size_t pos = 0;
  OVNX_ASSIGN_OR_RETURN(Token t, next_token(text, &pos));
  *rest = text.substr(pos);
  return t.text;
}

Result<Atom> parse_atom(std::string_view text, const BaseType& type,
                        const SymbolResolver* symbols) {
  std::string value;
  if (!text.empty() && text[0] == '"') {
    size_t pos = 0;
    auto s = parse_json_string(text, &pos);
    if (!s.ok() || pos != text.size()) {
      return make_error(fmt::format("{}: missing quote at end of quoted string", text));
    }
    value = std::move(*s);
  } else {
    if (text.empty()) {
      return make_error(
          "An empty string is not valid as input; use \"\" to represent the empty "
          "string");
    }
    value = std::string(text);
  }
  OVNX_ASSIGN_OR_RETURN(auto atoms, token_atoms(value, type, symbols, false));
  OVNX_RETURN_IF_ERROR(check_constraints(atoms[0], type));
  return atoms[0];
}

Result<Datum> parse_datum(std::string_view text, const Type& type, const SymbolResolver* symbols) {
  auto fail = [&](std::string what) { return make_error(fmt::format("{}: {}", text, what)); };
  size_t pos = 0;
  skip_space(text, &pos);
  char close = 0;
  if (pos < text.size() && text[pos] == (type.is_map() ? '{' : '[')) {
    close = type.is_map() ? '}' : ']';
    ++pos;
  }
  std::vector<Atom> keys, values;
  auto element = [&](const BaseType& base, bool allow_range) -> Result<std::vector<Atom>> {
    auto t = next_token(text, &pos);
    if (!t.ok()) return fail(t.error().to_string());
    if (t->text.empty() && !t->quoted) {
      if (t->empty_at_end) {
        return make_error(
            "An empty string is not valid as input; use \"\" to represent the empty string");
      }
      return fail(fmt::format("unexpected \"{}\" parsing {}", t->stop, type_english(type)));
    }
    return token_atoms(t->text, base, symbols, allow_range && !t->quoted);
  };
  for (;;) {
    skip_space(text, &pos);
    if (pos >= text.size()) {
      if (close) return fail(fmt::format("missing \"{}\" at end of data", close));
      break;
    }
    if (close && text[pos] == close) {
      ++pos;
      break;
    }
    OVNX_ASSIGN_OR_RETURN(auto k, element(type.key, !type.is_map()));
    if (type.is_map()) {
      skip_space(text, &pos);
      if (pos >= text.size()) return fail("syntax error at \"");
      if (text[pos] != '=') {
        size_t p2 = pos;
        auto t = next_token(text, &p2);
        std::string at = t.ok() && !t->text.empty() ? t->text : std::string(1, text[pos]);
        return fail(fmt::format("syntax error at \"{}\" expecting \"=\"", at));
      }
      ++pos;
      OVNX_ASSIGN_OR_RETURN(auto v, element(*type.value, false));
      keys.push_back(std::move(k[0]));
      values.push_back(std::move(v[0]));
    } else {
      for (Atom& a : k) keys.push_back(std::move(a));
    }
    skip_space(text, &pos);
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
  skip_space(text, &pos);
  if (pos < text.size()) return fail(fmt::format("trailing garbage after \"{}\"", close));

  Datum d;
  if (type.is_map()) {
    std::vector<std::pair<Atom, Atom>> pairs;
    for (size_t i = 0; i < keys.size(); ++i) pairs.emplace_back(keys[i], values[i]);
    auto m = Datum::make_map(std::move(pairs));
    if (!m.ok()) return fail("map contains duplicate key");
    d = std::move(*m);
  } else {
    auto s = Datum::make_set(std::move(keys));
    if (!s.ok()) return fail("set contains duplicate value");
    d = std::move(*s);
  }
  if (d.size() < type.n_min) {
    return fail(
        fmt::format("{} value(s) specified but the minimum number is {}", d.size(), type.n_min));
  }
  if (d.size() > type.n_max) {
    return fail(
        fmt::format("{} value(s) specified but the maximum number is {}", d.size(), type.n_max));
  }
  for (size_t i = 0; i < d.size(); ++i) {
    OVNX_RETURN_IF_ERROR(check_constraints(d.key(i), type.key));
    if (type.is_map()) OVNX_RETURN_IF_ERROR(check_constraints(d.value(i), *type.value));
  }
  return d;
}

}  // namespace ovnx::ctl
