// Conversion between OVSDB atoms/data and their JSON notation (RFC 7047 section 5.1):
//   atoms: numbers, true/false, strings, ["uuid", "..."], ["named-uuid", "name"]
//   sets:  an atom, or ["set", [atoms]];   maps: ["map", [[key, value], ...]]
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/json/fwd.hpp>

#include "base/result.h"
#include "ovsdb/datum.h"
#include "ovsdb/types.h"

namespace ovnx::ovsdb {

// The uuid-names of one transaction. A name can be referenced before the insert that defines
// it; the transaction checks at the end that every referenced name was created.
class SymbolTable {
 public:
  struct Symbol {
    Uuid uuid;
    bool created = false;     // an insert used this uuid-name
    bool strong_ref = false;  // referenced from a strong reference column
    bool weak_ref = false;
  };
  Symbol& get(std::string_view name);  // creates with a fresh uuid if unseen
  Symbol* find(std::string_view name);
  const std::unordered_map<std::string, Symbol>& symbols() const { return symbols_; }

 private:
  std::unordered_map<std::string, Symbol> symbols_;
};

// Parses an atom of TYPE (constraints not checked). With SYMTAB, ["named-uuid", N] is allowed.
Result<Atom> atom_from_json(const BaseType& type, const boost::json::value& json,
                            SymbolTable* symtab = nullptr);
// Parses a datum of TYPE: sorted, duplicates rejected; size and constraints NOT checked (call
// Datum::check_constraints for that).
Result<Datum> datum_from_json(const Type& type, const boost::json::value& json,
                              SymbolTable* symtab = nullptr);

boost::json::value atom_to_json(const Atom& atom);
boost::json::value datum_to_json(const Datum& datum, const Type& type);

// Appends the JSON text of DATUM to OUT without building a json::value (hot path of monitors).
void append_datum_json(const Datum& datum, const Type& type, std::string* out);
void append_atom_json(const Atom& atom, std::string* out);
void append_json_string(std::string_view s, std::string* out);

// An OVSDB error object: {"error": TAG, "details": DETAILS}.
boost::json::value error_to_json(const Error& error);

}  // namespace ovnx::ovsdb
