// Lexer for the logical-flow language shared by matches and actions (ovn-sb(5), Logical_Flow).
//
// Tokens: identifiers (which may contain dots: `ip4.src`, `ct.new`), integers in decimal or hex,
// IPv4/IPv6/Ethernet addresses, any of those followed by `/mask` (a CIDR prefix length for IP
// addresses), JSON-style strings, `$address_set`, `@port_group`, and the operators
//   ( ) { } [ ] , ; : = == != < <= > >= ! && || .. -- <-> -
// Comments run from `//` to the end of the line or between `/*` and `*/`.
//
// The lexer never fails hard: a malformed token comes back as TokenType::kError with a message
// and its position, which the parsers turn into an Error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "logical/u128.h"

namespace ovnx::logical {

enum class TokenType {
  kEnd,
  kError,
  kId,             // text
  kString,         // text (unescaped contents)
  kInteger,        // value, format
  kMaskedInteger,  // value, mask, format
  kMacro,          // `$name`: text is the name
  kPortGroup,      // `@name`: text is the name
  kLParen,
  kRParen,
  kLCurly,
  kRCurly,
  kLSquare,
  kRSquare,
  kEq,        // ==
  kNe,        // !=
  kLt,        // <
  kLe,        // <=
  kGt,        // >
  kGe,        // >=
  kNot,       // !
  kAnd,       // &&
  kOr,        // ||
  kEllipsis,  // ..
  kComma,
  kSemicolon,
  kColon,
  kEquals,     // =
  kExchange,   // <->
  kDecrement,  // --
  kHyphen,     // - (port ranges: ct_snat(10.0.0.1, 1000-2000))
};

// How an integer constant was written; formatting reproduces it.
enum class IntFormat : uint8_t { kDecimal, kHex, kIPv4, kIPv6, kEthernet };

struct Token {
  TokenType type = TokenType::kEnd;
  size_t pos = 0;  // byte offset of the first character in the input
  size_t len = 0;  // length in the input
  // Identifier, string contents, macro/port-group name, or error message. Usually a slice of
  // the input (valid while the input is), so lexing copies nothing; an unescaped string or an
  // error message lives in the token itself (copies and moves keep it pointing there).
  std::string_view text;
  U128 value;
  U128 mask;  // kMaskedInteger only
  IntFormat format = IntFormat::kDecimal;

  Token() = default;
  Token(const Token& o) { *this = o; }
  Token(Token&& o) noexcept { *this = std::move(o); }
  Token& operator=(const Token& o) {
    if (this == &o) return *this;
    copy_fields(o);
    storage_ = o.storage_;
    text = o.owns_text() ? std::string_view(storage_) : o.text;
    return *this;
  }
  Token& operator=(Token&& o) noexcept {
    if (this == &o) return *this;
    copy_fields(o);
    bool owned = o.owns_text();
    storage_ = std::move(o.storage_);
    text = owned ? std::string_view(storage_) : o.text;
    return *this;
  }
  // Makes `s` the text, held by the token.
  void set_owned_text(std::string s) {
    storage_ = std::move(s);
    text = storage_;
  }
  // Storage for building an owned text in place; call set_owned_text(take_storage()) after.
  std::string take_storage() {
    std::string s = std::move(storage_);
    s.clear();
    return s;
  }

 private:
  bool owns_text() const { return !storage_.empty() && text.data() == storage_.data(); }
  void copy_fields(const Token& o) {
    type = o.type;
    pos = o.pos;
    len = o.len;
    value = o.value;
    mask = o.mask;
    format = o.format;
  }
  std::string storage_;
};

// Human-readable token description for error messages, e.g. "`==`", "end of input".
std::string describe_token(const Token& token, std::string_view input);

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) { advance(); }

  const Token& token() const { return token_; }
  std::string_view input() const { return input_; }
  // Moves to the next token.
  void advance();
  // The token after the current one, without consuming anything (lexed once, kept).
  const Token& peek() const;
  // Consumes the current token if it has type `type`.
  bool match(TokenType type) {
    if (token_.type != type) return false;
    advance();
    return true;
  }
  // True if the current token is the identifier `id` (consumes it when it is).
  bool match_id(std::string_view id) {
    if (token_.type != TokenType::kId || token_.text != id) return false;
    advance();
    return true;
  }
  bool is_id(std::string_view id) const {
    return token_.type == TokenType::kId && token_.text == id;
  }

 private:
  void lex(size_t& pos, Token& tok) const;

  std::string_view input_;
  size_t pos_ = 0;
  Token token_;
  mutable std::optional<Token> peeked_;
  mutable size_t peeked_end_ = 0;
};

// Parses a single constant (integer, address, masked or not) from `text`, with nothing else.
// Used for address-set members and action arguments given as strings.
bool lex_single_constant(std::string_view text, Token& out);

// Formats an integer constant in `format` (masked when `mask` is given and not all-ones for
// `width` bits). IPv4/IPv6 masks that are prefixes print as "/len".
std::string format_integer(U128 value, IntFormat format);
std::string format_masked(U128 value, U128 mask, IntFormat format, int width);

// Quotes a string in JSON style.
std::string quote_string(std::string_view s);

}  // namespace ovnx::logical
