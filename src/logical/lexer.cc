#include "logical/lexer.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

namespace ovnx::logical {
namespace {

// ASCII classes (the language is ASCII outside strings; no locale lookups), one table lookup
// each: the lexer asks them for every character.
enum CharClass : uint8_t {
  kDigit = 1,
  kAlpha = 2,
  kSpace = 4,
  kHexLetter = 8,
  kIdPunct = 16,     // '_' and '.'
  kConstPunct = 32,  // ':' and '.', which join the parts of an address
};
constexpr std::array<uint8_t, 256> make_char_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; c++) t[c] |= kDigit;
  for (int c = 'a'; c <= 'z'; c++) t[c] |= kAlpha;
  for (int c = 'A'; c <= 'Z'; c++) t[c] |= kAlpha;
  for (int c = 'a'; c <= 'f'; c++) t[c] |= kHexLetter;
  for (int c = 'A'; c <= 'F'; c++) t[c] |= kHexLetter;
  for (int c = '\t'; c <= '\r'; c++) t[c] |= kSpace;
  t[' '] |= kSpace;
  t['_'] |= kIdPunct;
  t['.'] |= kIdPunct | kConstPunct;
  t[':'] |= kConstPunct;
  return t;
}
constexpr std::array<uint8_t, 256> kCharClasses = make_char_classes();
bool has_class(char c, int classes) {
  return (kCharClasses[static_cast<unsigned char>(c)] & classes) != 0;
}

bool is_digit(char c) { return has_class(c, kDigit); }
bool is_alpha(char c) { return has_class(c, kAlpha); }
bool is_space(char c) { return has_class(c, kSpace); }
bool is_id_start(char c) { return is_alpha(c) || c == '_'; }
bool is_id_char(char c) { return has_class(c, kAlpha | kDigit | kIdPunct); }
bool is_hex(char c) { return has_class(c, kDigit | kHexLetter); }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

U128 from_bytes(const uint8_t* bytes, int n) {
  U128 v;
  for (int i = 0; i < n; i++) v = (v << 8) | U128(bytes[i]);
  return v;
}

bool parse_ipv4(std::string_view s, U128& out) {
  if (s.size() > 15) return false;
  // Dotted quad, as inet_pton() takes it: four decimal parts of 0..255, no leading zeros.
  uint32_t addr = 0;
  size_t i = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      i++;
    }
    size_t start = i;
    uint32_t v = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) v = v * 10 + uint32_t(s[i++] - '0');
    size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    addr = (addr << 8) | v;
  }
  if (i == s.size()) {
    out = U128(addr);
    return true;
  }
  return false;
}

bool parse_ipv6(std::string_view s, U128& out) {
  if (s.size() > 45) return false;
  char buf[46];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  uint8_t bytes[16];
  if (inet_pton(AF_INET6, buf, bytes) != 1) return false;
  out = from_bytes(bytes, 16);
  return true;
}

// xx:xx:xx:xx:xx:xx with exactly two hex digits per byte.
bool parse_ethernet(std::string_view s, U128& out) {
  if (s.size() != 17) return false;
  U128 v;
  for (int i = 0; i < 6; i++) {
    char a = s[i * 3], b = s[i * 3 + 1];
    if (!is_hex(a) || !is_hex(b) || (i < 5 && s[i * 3 + 2] != ':')) return false;
    v = (v << 8) | U128(uint64_t(hex_value(a) * 16 + hex_value(b)));
  }
  out = v;
  return true;
}

// Length of the run of characters that can belong to a numeric or address constant.
size_t constant_run(std::string_view in, size_t pos) {
  size_t end = pos;
  while (end < in.size() && has_class(in[end], kDigit | kHexLetter | kConstPunct)) end++;
  return end - pos;
}

int width_of(IntFormat f) {
  switch (f) {
    case IntFormat::kIPv4:
      return 32;
    case IntFormat::kIPv6:
      return 128;
    case IntFormat::kEthernet:
      return 48;
    default:
      return 128;
  }
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xc0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xe0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(char(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(char(0xf0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(char(0x80 | (cp & 0x3f)));
  }
}

Token error_token(size_t pos, size_t len, std::string msg) {
  Token t;
  t.type = TokenType::kError;
  t.pos = pos;
  t.len = len;
  t.set_owned_text(std::move(msg));
  return t;
}

// Scans an unmasked constant at `pos`. Returns false (without touching `tok`) when the text
// there is not a constant, so an identifier can be tried instead; `err` is set when it looks
// like a constant but is malformed.
bool scan_value(std::string_view in, size_t& pos, Token& tok, std::string& err) {
  // The commonest constant, a short decimal (`1`, `80`, a bit index), ends at a character that
  // cannot continue a number or an address: what the general path below would give, without
  // its searches for ':' and '.'. 19 digits always fit in 64 bits.
  if (size_t p = pos; p < in.size() && is_digit(in[p])) {
    uint64_t v = 0;
    while (p < in.size() && is_digit(in[p]) && p - pos < 19) v = v * 10 + uint64_t(in[p++] - '0');
    if (p == in.size() || !has_class(in[p], kDigit | kAlpha | kConstPunct | kIdPunct)) {
      tok.value = U128(v);
      tok.format = IntFormat::kDecimal;
      pos = p;
      return true;
    }
  }
  size_t start = pos;
  size_t run = constant_run(in, pos);
  std::string_view text = in.substr(pos, run);
  bool starts_digit = run > 0 && is_digit(text[0]);
  bool has_colon = text.find(':') != std::string_view::npos;

  if (has_colon) {
    if (parse_ethernet(text, tok.value)) {
      tok.format = IntFormat::kEthernet;
      pos += run;
      return true;
    }
    if (parse_ipv6(text, tok.value)) {
      tok.format = IntFormat::kIPv6;
      pos += run;
      return true;
    }
    if (std::count(text.begin(), text.end(), ':') >= 2) {
      err = fmt::format("invalid Ethernet or IPv6 address `{}`", text);
      return false;
    }
    // An IPv4 address or integer followed by ':' (ct_lb backends "10.0.0.1:80").
    text = text.substr(0, text.find(':'));
    run = text.size();
    if (run == 0) {
      if (in.substr(pos, 2) == "::") {
        err = "invalid IPv6 address";
        return false;
      }
      return false;
    }
  }
  if (!starts_digit) return false;

  if (text.find('.') != std::string_view::npos && text.find("..") == std::string_view::npos) {
    if (parse_ipv4(text, tok.value)) {
      tok.format = IntFormat::kIPv4;
      pos += run;
      return true;
    }
  }
  // Hexadecimal.
  if (in.substr(pos, 2) == "0x" || in.substr(pos, 2) == "0X") {
    size_t p = pos + 2;
    U128 v;
    int digits = 0;
    while (p < in.size() && is_hex(in[p])) {
      if (digits == 0 && in[p] == '0') {
        p++;
        continue;  // leading zeros do not count against the width
      }
      if (++digits > 32) {
        err = "hexadecimal constant too large (more than 128 bits)";
        return false;
      }
      v = (v << 4) | U128(uint64_t(hex_value(in[p])));
      p++;
    }
    if (p == pos + 2) {
      err = "hexadecimal constant has no digits";
      return false;
    }
    if (p < in.size() && is_id_char(in[p]) && in[p] != '.') {
      err = "invalid hexadecimal constant";
      return false;
    }
    tok.value = v;
    tok.format = IntFormat::kHex;
    pos = p;
    return true;
  }
  // Decimal.
  size_t p = pos;
  U128 v;
  constexpr U128 kMaxDiv10(0x1999999999999999ull, 0x9999999999999999ull);  // (2^128-1) / 10
  while (p < in.size() && is_digit(in[p])) {
    uint64_t digit = uint64_t(in[p] - '0');
    if (v > kMaxDiv10 || (v == kMaxDiv10 && digit > 5)) {
      err = "decimal constant too large (more than 128 bits)";
      return false;
    }
    v = (v << 3) + (v << 1) + U128(digit);
    p++;
  }
  if (p < in.size() && (is_alpha(in[p]) || in[p] == '_')) {
    err = "invalid numeric constant";
    pos = start;
    return false;
  }
  if (p < in.size() && in[p] == '.' && in.substr(p, 2) != "..") {
    err = "invalid numeric constant";
    return false;
  }
  tok.value = v;
  tok.format = IntFormat::kDecimal;
  pos = p;
  return true;
}

// Parses the mask after '/' for a value of format `vf`.
bool scan_mask(std::string_view in, size_t& pos, IntFormat vf, Token& tok, std::string& err) {
  Token m;
  std::string merr;
  if (!scan_value(in, pos, m, merr)) {
    err = merr.empty() ? "missing or invalid mask after `/`" : merr;
    return false;
  }
  int width = width_of(vf);
  if ((vf == IntFormat::kIPv4 || vf == IntFormat::kIPv6) && m.format == IntFormat::kDecimal) {
    if (m.value > U128(uint64_t(width))) {
      err = fmt::format("prefix length {} is too long for a {}-bit address", m.value.to_decimal(),
                        width);
      return false;
    }
    int len = int(m.value.lo);
    tok.mask = U128::low_bits(width) & ~U128::low_bits(width - len);
  } else if (m.format == vf || ((vf == IntFormat::kDecimal || vf == IntFormat::kHex) &&
                                (m.format == IntFormat::kDecimal || m.format == IntFormat::kHex))) {
    tok.mask = m.value;
  } else {
    err = "mask must be written in the same form as the value";
    return false;
  }
  if (!(tok.value & ~tok.mask).is_zero()) {
    err = "value has 1-bits outside its mask";
    return false;
  }
  return true;
}

}  // namespace

std::string describe_token(const Token& token, std::string_view input) {
  if (token.type == TokenType::kEnd) return "end of input";
  std::string_view text = input.substr(token.pos, token.len);
  if (text.size() > 40) return fmt::format("`{}...`", text.substr(0, 40));
  return fmt::format("`{}`", text);
}

void Lexer::advance() {
  if (peeked_) {
    token_ = std::move(*peeked_);
    pos_ = peeked_end_;
    peeked_.reset();
    return;
  }
  lex(pos_, token_);
}

const Token& Lexer::peek() const {
  if (!peeked_) {
    size_t pos = pos_;
    peeked_.emplace();
    lex(pos, *peeked_);
    peeked_end_ = pos;
  }
  return *peeked_;
}

// Lexes the token at `pos` into `tok`, reusing its storage (no new Token, and the text keeps
// its capacity from one token to the next).
void Lexer::lex(size_t& pos, Token& tok) const {
  std::string_view in = input_;
  // Whitespace and comments.
  for (;;) {
    while (pos < in.size() && is_space(in[pos])) pos++;
    if (pos + 1 >= in.size() || in[pos] != '/') break;  // the usual case: no comment here
    if (in[pos + 1] == '/') {
      while (pos < in.size() && in[pos] != '\n') pos++;
    } else if (in[pos + 1] == '*') {
      size_t end = in.find("*/", pos + 2);
      if (end == std::string_view::npos) {
        tok = error_token(pos, in.size() - pos, "unterminated comment");
        pos = in.size();
        return;
      }
      pos = end + 2;
    } else {
      break;
    }
  }
  tok.pos = pos;
  tok.len = 0;
  tok.text = {};
  tok.value = U128();
  tok.mask = U128();
  tok.format = IntFormat::kDecimal;
  if (pos >= in.size()) {
    tok.type = TokenType::kEnd;
    return;
  }
  size_t start = pos;
  auto finish = [&](TokenType type, size_t len) {
    tok.type = type;
    pos += len;
    tok.len = pos - start;
  };
  auto fail = [&](size_t at, size_t len, std::string msg) { tok = error_token(at, len, std::move(msg)); };
  char c = in[pos];
  char n = pos + 1 < in.size() ? in[pos + 1] : '\0';
  switch (c) {
    case '(':
      return finish(TokenType::kLParen, 1);
    case ')':
      return finish(TokenType::kRParen, 1);
    case '{':
      return finish(TokenType::kLCurly, 1);
    case '}':
      return finish(TokenType::kRCurly, 1);
    case '[':
      return finish(TokenType::kLSquare, 1);
    case ']':
      return finish(TokenType::kRSquare, 1);
    case ',':
      return finish(TokenType::kComma, 1);
    case ';':
      return finish(TokenType::kSemicolon, 1);
    case '=':
      return n == '=' ? finish(TokenType::kEq, 2) : finish(TokenType::kEquals, 1);
    case '!':
      return n == '=' ? finish(TokenType::kNe, 2) : finish(TokenType::kNot, 1);
    case '<':
      if (n == '-' && pos + 2 < in.size() && in[pos + 2] == '>') {
        return finish(TokenType::kExchange, 3);
      }
      return n == '=' ? finish(TokenType::kLe, 2) : finish(TokenType::kLt, 1);
    case '>':
      return n == '=' ? finish(TokenType::kGe, 2) : finish(TokenType::kGt, 1);
    case '&':
      if (n == '&') return finish(TokenType::kAnd, 2);
      pos++;
      return fail(start, 1, "`&` is not an operator (did you mean `&&`?)");
    case '|':
      if (n == '|') return finish(TokenType::kOr, 2);
      pos++;
      return fail(start, 1, "`|` is not an operator (did you mean `||`?)");
    case '-':
      if (n == '-') return finish(TokenType::kDecrement, 2);
      return finish(TokenType::kHyphen, 1);
    case '.':
      if (n == '.') return finish(TokenType::kEllipsis, 2);
      break;
    case '"': {
      // Without escapes the contents are a slice of the input; the first escape switches to
      // building an owned copy in `s`.
      std::string s;
      bool escaped = false;
      size_t p = pos + 1;
      while (p < in.size() && in[p] != '"') {
        char ch = in[p];
        if (static_cast<unsigned char>(ch) < 0x20) {
          pos = p + 1;
          return fail(start, p - start, "control character in string");
        }
        if (ch != '\\') {
          if (escaped) s.push_back(ch);
          p++;
          continue;
        }
        if (!escaped) {
          escaped = true;
          s = tok.take_storage();
          s.assign(in.substr(pos + 1, p - pos - 1));
        }
        if (p + 1 >= in.size()) break;
        char e = in[p + 1];
        p += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            s.push_back(e);
            break;
          case 'b':
            s.push_back('\b');
            break;
          case 'f':
            s.push_back('\f');
            break;
          case 'n':
            s.push_back('\n');
            break;
          case 'r':
            s.push_back('\r');
            break;
          case 't':
            s.push_back('\t');
            break;
          case 'u': {
            uint32_t cp = 0;
            for (int i = 0; i < 4; i++, p++) {
              if (p >= in.size() || !is_hex(in[p])) {
                pos = p;
                return fail(start, p - start, "invalid \\u escape in string");
              }
              cp = cp * 16 + uint32_t(hex_value(in[p]));
            }
            if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
              pos = p;
              return fail(start, p - start, "unsupported \\u escape in string");
            }
            append_utf8(s, cp);
            break;
          }
          default:
            pos = p;
            return fail(start, p - start, fmt::format("invalid escape `\\{}` in string", e));
        }
      }
      if (p >= in.size()) {
        pos = in.size();
        return fail(start, pos - start, "unterminated string");
      }
      if (escaped) {
        tok.set_owned_text(std::move(s));
      } else {
        tok.text = in.substr(pos + 1, p - pos - 1);
      }
      return finish(TokenType::kString, p + 1 - pos);
    }
    case '$':
    case '@': {
      size_t p = pos + 1;
      while (p < in.size() && is_id_char(in[p])) p++;
      if (p == pos + 1) {
        pos = p;
        return fail(start, 1, fmt::format("`{}` must be followed by a name", c));
      }
      tok.text = in.substr(pos + 1, p - pos - 1);
      return finish(c == '$' ? TokenType::kMacro : TokenType::kPortGroup, p - pos);
    }
    default:
      break;
  }

  // Constants (which may start with a letter: fe80::1, be:ef:00:00:00:01) before identifiers;
  // a token starting with a letter can only be a constant if a ':' follows in its run.
  bool maybe_constant = is_digit(c) || c == ':';
  if (!maybe_constant && is_hex(c)) {
    size_t run = constant_run(in, pos);
    maybe_constant = in.substr(pos, run).find(':') != std::string_view::npos;
  }
  if (maybe_constant) {
    std::string err;
    size_t p = pos;
    if (scan_value(in, p, tok, err)) {
      if (p < in.size() && in[p] == '/') {
        p++;
        if (!scan_mask(in, p, tok.format, tok, err)) {
          pos = p;
          return fail(start, p - start, err);
        }
        tok.type = TokenType::kMaskedInteger;
      } else {
        tok.type = TokenType::kInteger;
      }
      pos = p;
      tok.len = pos - start;
      return;
    }
    if (!err.empty()) {
      size_t end = pos + std::max<size_t>(1, constant_run(in, pos));
      while (end < in.size() && is_id_char(in[end])) end++;
      pos = end;
      return fail(start, end - start, err);
    }
    if (c == ':') return finish(TokenType::kColon, 1);
  }
  if (is_id_start(c)) {
    // "reg0..reg1" never occurs, but "reg0[1..2]" must not swallow the ellipsis: ids end before
    // "..".
    size_t p = pos;
    while (p < in.size() && is_id_char(in[p]) &&
           !(in[p] == '.' && p + 1 < in.size() && in[p + 1] == '.')) {
      p++;
    }
    tok.text = in.substr(pos, p - pos);
    return finish(TokenType::kId, p - pos);
  }
  pos++;
  return fail(start, 1, fmt::format("unexpected character `{}`", c));
}

bool lex_single_constant(std::string_view text, Token& out) {
  Lexer lexer(text);
  Token t = lexer.token();
  if (t.type != TokenType::kInteger && t.type != TokenType::kMaskedInteger) return false;
  lexer.advance();
  if (lexer.token().type != TokenType::kEnd) return false;
  out = std::move(t);
  return true;
}

std::string format_integer(U128 value, IntFormat format) {
  switch (format) {
    case IntFormat::kDecimal:
      return value.to_decimal();
    case IntFormat::kHex:
      return value.to_hex();
    case IntFormat::kIPv4: {
      uint32_t v = uint32_t(value.lo);
      return fmt::format("{}.{}.{}.{}", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }
    case IntFormat::kEthernet: {
      uint64_t v = value.lo;
      return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", (v >> 40) & 0xff,
                         (v >> 32) & 0xff, (v >> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff,
                         v & 0xff);
    }
    case IntFormat::kIPv6: {
      uint8_t bytes[16];
      for (int i = 0; i < 16; i++) bytes[i] = uint8_t(value.extract(8 * (15 - i), 8).lo);
      char buf[INET6_ADDRSTRLEN];
      inet_ntop(AF_INET6, bytes, buf, sizeof buf);
      return buf;
    }
  }
  return value.to_hex();
}

std::string format_masked(U128 value, U128 mask, IntFormat format, int width) {
  std::string out = format_integer(value, format);
  if (mask == U128::low_bits(width)) return out;
  out.push_back('/');
  int addr_width = format == IntFormat::kIPv4 ? 32 : format == IntFormat::kIPv6 ? 128 : 0;
  if (addr_width && mask.is_prefix_mask(addr_width)) {
    out += std::to_string(mask.popcount());
  } else {
    out += format_integer(mask, format == IntFormat::kDecimal ? IntFormat::kHex : format);
  }
  return out;
}

std::string quote_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", int(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace ovnx::logical
