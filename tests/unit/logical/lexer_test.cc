#include "logical/lexer.h"

#include <gtest/gtest.h>

namespace ovnx::logical {
namespace {

std::vector<Token> lex_all(std::string_view s) {
  Lexer l(s);
  std::vector<Token> out;
  while (l.token().type != TokenType::kEnd) {
    out.push_back(l.token());
    if (l.token().type == TokenType::kError) break;
    l.advance();
  }
  return out;
}

TEST(Lexer, IdentifiersKeepDots) {
  auto t = lex_all("ct.new ip4.src reg0");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].text, "ct.new");
  EXPECT_EQ(t[1].text, "ip4.src");
  EXPECT_EQ(t[1].pos, 7u);
}

TEST(Lexer, SubscriptEllipsisIsNotPartOfNumbers) {
  auto t = lex_all("reg0[0..15]");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[2].type, TokenType::kInteger);
  EXPECT_EQ(t[3].type, TokenType::kEllipsis);
  EXPECT_EQ(t[4].value, U128(15u));
}

TEST(Lexer, AddressesStartingWithLetters) {
  auto t = lex_all("fe80::1 be:ef:00:00:00:01 dead");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].format, IntFormat::kIPv6);
  EXPECT_EQ(t[1].format, IntFormat::kEthernet);
  EXPECT_EQ(t[1].value, U128(0xbeef00000001ull));
  EXPECT_EQ(t[2].type, TokenType::kId);
}

TEST(Lexer, Ipv4WithPortIsAddressThenColon) {
  auto t = lex_all("10.0.0.1:80 [fe80::1]:443");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].format, IntFormat::kIPv4);
  EXPECT_EQ(t[1].type, TokenType::kColon);
  EXPECT_EQ(t[2].value, U128(80u));
  EXPECT_EQ(t[4].format, IntFormat::kIPv6);
}

TEST(Lexer, Ipv4IsExactlyADottedQuad) {
  auto t = lex_all("255.255.255.255 0.0.0.0 10.1.2.3");
  ASSERT_EQ(t.size(), 3u);
  for (const Token& k : t) EXPECT_EQ(k.format, IntFormat::kIPv4);
  EXPECT_EQ(t[0].value, U128(0xffffffffu));
  EXPECT_EQ(t[1].value, U128(0u));
  EXPECT_EQ(t[2].value, U128(0x0a010203u));
  // Parts over 255, leading zeros (octal to inet_aton), too few or too many parts.
  for (const char* bad : {"256.0.0.1", "010.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.1000"}) {
    auto b = lex_all(bad);
    ASSERT_FALSE(b.empty()) << bad;
    EXPECT_EQ(b[0].type, TokenType::kError) << bad;
  }
}

TEST(Lexer, EachTokenStartsClean) {
  // The lexer reuses its token: nothing of one token may show through in the next.
  Lexer l("\"a long string that does not fit inline\" 10.0.0.0/8 5 xyz");
  EXPECT_EQ(l.token().type, TokenType::kString);
  l.advance();
  EXPECT_EQ(l.token().type, TokenType::kMaskedInteger);
  EXPECT_EQ(l.token().text, "");
  l.advance();
  EXPECT_EQ(l.token().type, TokenType::kInteger);
  EXPECT_EQ(l.token().mask, U128(0u));
  EXPECT_EQ(l.token().format, IntFormat::kDecimal);
  l.advance();
  EXPECT_EQ(l.token().type, TokenType::kId);
  EXPECT_EQ(l.token().text, "xyz");
  EXPECT_EQ(l.token().value, U128(0u));
  l.advance();
  EXPECT_EQ(l.token().type, TokenType::kEnd);
}

TEST(Lexer, MasksAndPrefixes) {
  auto t = lex_all("10.0.0.0/8 fe80::/10 0x10/0x30 01:00:00:00:00:00/01:00:00:00:00:00");
  ASSERT_EQ(t.size(), 4u);
  for (const Token& k : t) EXPECT_EQ(k.type, TokenType::kMaskedInteger);
  EXPECT_EQ(t[0].mask, U128(0xff000000u));
  EXPECT_EQ(t[1].mask, U128(0xffc0000000000000ull, 0));
  EXPECT_EQ(t[2].mask, U128(0x30u));
}

TEST(Lexer, HugeConstantsFitOrFail) {
  auto ok = lex_all("0xffffffffffffffffffffffffffffffff 340282366920938463463374607431768211455");
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(ok[0].value, ~U128());
  EXPECT_EQ(ok[1].value, ~U128());
  auto bad = lex_all("340282366920938463463374607431768211456");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].type, TokenType::kError);
}

TEST(Lexer, StringsUnescapeJsonStyle) {
  auto t = lex_all(R"("a\"b\\c\u00e9")");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].text, "a\"b\\c\xc3\xa9");
}

TEST(Lexer, OperatorsAndComments) {
  auto t = lex_all("a <-> b; c--; x == 1 && y != 2 || !z // gone\n /* gone */ - <= >=");
  std::vector<TokenType> types;
  for (const Token& k : t) types.push_back(k.type);
  std::vector<TokenType> want = {
      TokenType::kId,  TokenType::kExchange, TokenType::kId,    TokenType::kSemicolon,
      TokenType::kId,  TokenType::kDecrement, TokenType::kSemicolon, TokenType::kId,
      TokenType::kEq,  TokenType::kInteger, TokenType::kAnd,   TokenType::kId,
      TokenType::kNe,  TokenType::kInteger, TokenType::kOr,    TokenType::kNot,
      TokenType::kId,  TokenType::kHyphen,  TokenType::kLe,    TokenType::kGe};
  EXPECT_EQ(types, want);
}

TEST(Lexer, FormatsConstantsBack) {
  EXPECT_EQ(format_masked(U128(0x0a000000u), U128(0xff000000u), IntFormat::kIPv4, 32), "10.0.0.0/8");
  EXPECT_EQ(format_masked(U128(0x0a000000u), U128(0xff00ff00u), IntFormat::kIPv4, 32),
            "10.0.0.0/255.0.255.0");
  EXPECT_EQ(format_integer(U128(0xfe80000000000000ull, 1), IntFormat::kIPv6), "fe80::1");
  EXPECT_EQ(U128(0).to_hex(), "0x0");
  EXPECT_EQ((~U128()).to_decimal(), "340282366920938463463374607431768211455");
}

}  // namespace
}  // namespace ovnx::logical
