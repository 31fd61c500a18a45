// OVSDB atoms (RFC 7047 section 5.1): integer, real, boolean, string, uuid, with the total
// order OVSDB uses to keep sets and maps sorted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "base/uuid.h"

namespace ovnx::ovsdb {

enum class AtomicType : uint8_t { integer, real, boolean, string, uuid };

std::string_view atomic_type_name(AtomicType type);  // "integer", "real", ...
bool parse_atomic_type(std::string_view name, AtomicType* out);

class Atom {
 public:
  Atom() : v_(int64_t{0}) {}
  explicit Atom(int64_t i) : v_(i) {}
  explicit Atom(int i) : v_(int64_t{i}) {}
  explicit Atom(double r) : v_(r) {}
  explicit Atom(bool b) : v_(b) {}
  explicit Atom(std::string s) : v_(std::move(s)) {}
  explicit Atom(const char* s) : v_(std::string(s)) {}
  explicit Atom(std::string_view s) : v_(std::string(s)) {}
  explicit Atom(Uuid u) : v_(u) {}

  // The default value of each type: 0, 0.0, false, "", the all-zeros UUID.
  static Atom default_for(AtomicType type);

  AtomicType type() const { return static_cast<AtomicType>(v_.index()); }

  // REQUIRES: type() matches.
  int64_t integer() const { return std::get<int64_t>(v_); }
  double real() const { return std::get<double>(v_); }
  bool boolean() const { return std::get<bool>(v_); }
  const std::string& string() const { return std::get<std::string>(v_); }
  const Uuid& uuid() const { return std::get<Uuid>(v_); }

  // Total order within one type (atoms of different types order by type).
  int compare(const Atom& other) const;
  bool operator==(const Atom& other) const { return compare(other) == 0; }
  bool operator<(const Atom& other) const { return compare(other) < 0; }
  size_t hash() const;

 private:
  // Index order must match AtomicType.
  std::variant<int64_t, double, bool, std::string, Uuid> v_;
};

}  // namespace ovnx::ovsdb
