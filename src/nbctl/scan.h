// Reading numbers and addresses out of text the way OVS's ovs_scan() does, because that is what
// decides which MAC, IPv4 and CIDR arguments ovn-nbctl accepts: white space is skipped before
// every number, a number may carry a sign (and a 0x prefix in hex), and a value too large for
// the field is truncated rather than refused ("100:0:0:0:0:1" is a MAC). Users rely on exactly
// what the real tool accepts, so we keep these quirks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ovnx::nbctl {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // A number in BASE (after optional white space, sign and, for base 16, "0x"), as strtoll
  // reads it. False (and nothing consumed) if there are no digits.
  bool integer(int base, long long* value);
  // The same, truncated to 8 bits (scanf "%hhx" / "%hhu").
  bool byte(int base, uint8_t* value);
  // Exactly the character C.
  bool literal(char c);
  // White space, as a blank in a scanf format.
  void skip_spaces();
  // One to MAX characters from SET: scanf "%46[0-9a-fA-F:.]" (no white space skipped).
  bool charset(std::string_view set, size_t max, std::string* out);

  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }
  bool at_end() const { return pos_ >= text_.size(); }
  std::string_view rest() const { return std::string_view(text_).substr(pos_); }

 private:
  std::string text_;  // NUL-terminated copy for strtoll
  size_t pos_ = 0;
};

}  // namespace ovnx::nbctl
