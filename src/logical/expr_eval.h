// Direct evaluation of a match expression against one packet: the semantics the generated flows
// must agree with (the oracle test checks exactly that), and what ovnx-trace uses to decide
// which logical flow a packet hits.
#pragma once

#include <string_view>
#include <vector>

#include "base/result.h"
#include "logical/expr.h"
#include "logical/normalize.h"
#include "logical/resolver.h"
#include "logical/symtab.h"
#include "logical/u128.h"

namespace ovnx::logical {

// Values of the OpenFlow fields of one packet and its metadata, zero unless set.
class FlowState {
 public:
  explicit FlowState(const SymbolTable& symtab)
      : symtab_(&symtab), values_(size_t(symtab.num_fields())) {}

  U128 get(const PhysField& f) const { return values_[size_t(f.index)]; }
  void set(const PhysField& f, U128 v) { values_[size_t(f.index)] = v & U128::low_bits(f.width); }
  // Bits [ofs, ofs + n) of a field.
  U128 get_bits(const PhysField& f, int ofs, int n) const { return get(f).extract(ofs, n); }
  void set_bits(const PhysField& f, int ofs, int n, U128 v);

  // By symbol name ("ip4.src", "reg0", "ct.trk", "inport" takes a port key), whole or part.
  Status set(std::string_view symbol, U128 value);
  Result<U128> get(std::string_view symbol) const;

  const SymbolTable& symtab() const { return *symtab_; }
  friend bool operator==(const FlowState&, const FlowState&) = default;

 private:
  const SymbolTable* symtab_;
  std::vector<U128> values_;
};

// The truth of `expr` (parsed, annotated or simplified) for `state`. String comparisons resolve
// port names with `resolver` (an unknown name never matches); is_chassis_resident() asks it too.
bool evaluate_expr(const Expr& expr, const FlowState& state, const Resolver& resolver);

// Whether `state` matches a flow's tests.
bool matches_fields(const std::vector<FieldMatch>& fields, const FlowState& state);

}  // namespace ovnx::logical
