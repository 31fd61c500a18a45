#include "nbctl/scan.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace ovnx::nbctl {

bool Scanner::integer(int base, long long* value) {
  skip_spaces();
  const char* start = text_.c_str() + pos_;
  char* end = nullptr;
  int saved = errno;
  errno = 0;
  long long v = std::strtoll(start, &end, base);
  errno = saved;
  if (end == start) return false;
  *value = v;
  pos_ += static_cast<size_t>(end - start);
  return true;
}

bool Scanner::byte(int base, uint8_t* value) {
  long long v;
  if (!integer(base, &v)) return false;
  *value = static_cast<uint8_t>(v);
  return true;
}

bool Scanner::literal(char c) {
  if (pos_ < text_.size() && text_[pos_] == c) {
    ++pos_;
    return true;
  }
  return false;
}

void Scanner::skip_spaces() {
  while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
}

bool Scanner::charset(std::string_view set, size_t max, std::string* out) {
  size_t start = pos_;
  while (pos_ < text_.size() && pos_ - start < max && set.find(text_[pos_]) != set.npos) ++pos_;
  if (pos_ == start) return false;
  *out = text_.substr(start, pos_ - start);
  return true;
}

}  // namespace ovnx::nbctl
