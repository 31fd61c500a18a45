#include "logical/constant.h"

#include <fmt/format.h>

namespace ovnx::logical {

Result<ConstantSet> ConstantSet::parse_addresses(const std::vector<std::string>& members) {
  ConstantSet set;
  set.values.reserve(members.size());
  for (const std::string& m : members) {
    Token t;
    if (!lex_single_constant(m, t)) {
      return make_error("invalid address", fmt::format("`{}` is not an address or constant", m));
    }
    Constant c = Constant::integer(t.value, t.format);
    if (t.type == TokenType::kMaskedInteger) {
      c.mask = t.mask;
      c.masked = true;
    }
    set.values.push_back(std::move(c));
  }
  return set;
}

ConstantSet ConstantSet::parse_addresses_lenient(const std::vector<std::string>& members,
                                                 std::vector<Error>* errors) {
  ConstantSet set;
  for (const std::string& m : members) {
    auto one = parse_addresses({m});
    if (one.ok()) {
      set.values.push_back(std::move(one->values[0]));
    } else if (errors) {
      errors->push_back(std::move(one).error());
    }
  }
  return set;
}

ConstantSet ConstantSet::of_strings(std::vector<std::string> names) {
  ConstantSet set;
  set.is_string = true;
  set.values.reserve(names.size());
  for (std::string& n : names) set.values.push_back(Constant::of_string(std::move(n)));
  return set;
}

}  // namespace ovnx::logical
