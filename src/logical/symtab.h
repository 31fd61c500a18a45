// Symbol table of the logical-flow language: the names a match or action may use (ovn-sb(5)).
//
// A symbol is
//   - a field: a whole OpenFlow field (`eth.src` is eth_src), integer or string (`inport`);
//   - a subfield: a bit range of another symbol (`vlan.vid` is vlan.tci[0..11], `reg0` is
//     xxreg0[96..127]);
//   - a predicate: shorthand for an expression (`ip4` is `eth.type == 0x800`);
//   - an OVN field: a header OpenFlow cannot set, written by a controller action
//     (`icmp4.frag_mtu`).
// Any symbol may have prerequisites, an expression implied by its use (`tcp.src` implies `tcp`).
//
// Level of measurement decides which comparisons are possible: an ordinal field (one OpenFlow
// lets us mask bit by bit) supports all relational operators and subscripts; a nominal one
// (eth.type, ip.proto, inport) only equality in the positive sense; a predicate is Boolean when
// its expansion refers only to ordinal fields.
//
// A SymbolTable is immutable once built; ovn_symbol_table() returns the process-wide OVN table,
// safe to share between threads.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "logical/lexer.h"
#include "logical/name_hash.h"
#include "openflow/fields.h"

namespace ovnx::logical {

struct Expr;
struct RefTarget;

// An OpenFlow field the language reads or writes. `name` is its ovs-fields(7) name.
struct PhysField {
  int index = 0;  // dense, 0..SymbolTable::num_fields()-1
  std::string name;
  int width = 0;
  bool maskable = false;
  bool writable = false;
  IntFormat format = IntFormat::kDecimal;  // how values print in normalized output
  openflow::Field of_field = openflow::Field::in_port;  // the same field in the openflow model
  const struct Symbol* canonical = nullptr;  // the field symbol that names it in formatted output
};

enum class SymbolKind { kField, kSubfield, kPredicate, kOvnField };
enum class Level { kOrdinal, kNominal, kBoolean };
// Where an assignment to the symbol is allowed.
enum class WriteScope { kReadOnly, kAnywhere, kCtCommit };

struct Symbol {
  std::string name;
  SymbolKind kind = SymbolKind::kField;
  Level level = Level::kOrdinal;
  bool is_string = false;  // inport / outport: compared to logical port names
  int width = 0;           // bits (a predicate counts as 1 bit)
  // Fields and subfields: the OpenFlow field and the bit offset of bit 0 of this symbol in it.
  const PhysField* field = nullptr;
  int ofs = 0;
  const Symbol* parent = nullptr;  // subfields: the symbol it is a range of
  std::string expansion;           // predicates: source text; subfields: "parent[a..b]"
  std::string prereqs_text;        // source text of the prerequisites, "" when none
  bool must_crossproduct = false;  // nominal fields expanded instead of conjunctive matching
  WriteScope write = WriteScope::kReadOnly;
  // Computed once when the table is built (finalize()):
  //  - predicate: the expansion as parsed;
  //  - predicate_true / predicate_false: the annotated expansion and its negation (false is null
  //    when the negation is invalid, e.g. `!ip4` would need `eth.type != 0x800`);
  //  - prereqs: the annotated conjunction of this symbol's prerequisites and those of every
  //    symbol it is a subfield of (null when none).
  std::shared_ptr<const Expr> predicate;
  std::shared_ptr<const Expr> predicate_true;
  std::shared_ptr<const Expr> predicate_false;
  std::string predicate_false_error;
  std::shared_ptr<const Expr> prereqs;
  std::shared_ptr<const Expr> prereqs_raw;  // the same, as written (not annotated)
  // The same three annotated expressions, shared by reference (Expr::make_ref) so annotating
  // a flow does not copy, simplify and normalize them again every time.
  std::shared_ptr<const RefTarget> prereqs_ref;
  std::shared_ptr<const RefTarget> predicate_true_ref;
  std::shared_ptr<const RefTarget> predicate_false_ref;
};

class SymbolTable {
 public:
  SymbolTable() = default;
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;

  // Building. Each returns an error naming the symbol when its definition is invalid.
  Status add_field(std::string name, std::string_view of_field, int width, bool maskable,
                   bool writable, std::string prereqs = {}, bool must_crossproduct = false);
  Status add_string_field(std::string name, std::string_view of_field, int width,
                          std::string prereqs = {});
  // `expansion` is "symbol[a..b]" or "symbol[a]" naming an ordinal symbol.
  Status add_subfield(std::string name, std::string_view expansion, std::string prereqs = {},
                      WriteScope write = WriteScope::kAnywhere);
  Status add_predicate(std::string name, std::string expansion);
  Status add_ovn_field(std::string name, int width, std::string prereqs = {});
  // Restricts writes to a symbol (e.g. ct_mark only inside ct_commit).
  Status set_write_scope(std::string_view name, WriteScope scope);
  // Parses every predicate and prerequisite; call once after all add_*().
  Status finalize();

  const Symbol* find(std::string_view name) const;
  const PhysField* find_field(std::string_view of_name) const;
  const PhysField& field(int index) const { return *fields_[size_t(index)]; }
  int num_fields() const { return int(fields_.size()); }
  const std::vector<const Symbol*>& symbols() const { return order_; }

 private:
  PhysField* get_or_add_field(std::string_view of_name, int width, bool maskable, bool writable);
  Status add_symbol(std::unique_ptr<Symbol> sym);

  Status finalize_symbol(Symbol& sym, std::unordered_map<const Symbol*, int>& state);

  std::deque<std::unique_ptr<PhysField>> fields_;
  std::unordered_map<std::string, PhysField*, NameHash, std::equal_to<>> fields_by_name_;
  std::unordered_map<std::string, std::unique_ptr<Symbol>, NameHash, std::equal_to<>> symbols_;
  std::vector<const Symbol*> order_;
};

// The symbols of OVN 23.03's logical-flow language, built once.
const SymbolTable& ovn_symbol_table();

}  // namespace ovnx::logical
