// Constants of the logical-flow language and sets of them: what `$address_set` and `@port_group`
// stand for, and what `{a, b, c}` in a match denotes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "logical/lexer.h"
#include "logical/u128.h"

namespace ovnx::logical {

struct Constant {
  bool is_string = false;
  std::string string;  // when is_string
  U128 value;
  U128 mask;            // meaningful when masked
  bool masked = false;  // written as value/mask (or a CIDR prefix)
  IntFormat format = IntFormat::kDecimal;

  static Constant integer(U128 v, IntFormat f = IntFormat::kDecimal) {
    Constant c;
    c.value = v;
    c.format = f;
    return c;
  }
  static Constant of_string(std::string s) {
    Constant c;
    c.is_string = true;
    c.string = std::move(s);
    return c;
  }
  // The constant as written, e.g. "10.0.0.0/8", "\"lp1\"".
  std::string to_string(int width = 128) const;
};

// A set of constants, all strings or all integers.
struct ConstantSet {
  std::vector<Constant> values;
  bool is_string = false;

  // Parses address-set members ("10.0.0.1", "10.1.0.0/16", "fe80::1", "00:00:00:00:00:01").
  // Fails on the first member that is not a single constant, naming it.
  static Result<ConstantSet> parse_addresses(const std::vector<std::string>& members);
  // The same, skipping malformed members (their errors go to `errors` when given), the way an
  // address set with one bad entry should still be usable.
  static ConstantSet parse_addresses_lenient(const std::vector<std::string>& members,
                                             std::vector<Error>* errors = nullptr);
  // A set of logical port names, for a port group.
  static ConstantSet of_strings(std::vector<std::string> names);
};

}  // namespace ovnx::logical
