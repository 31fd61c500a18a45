// OVSDB values in the text syntax of the ctl tools (ovs-vsctl(8) "Database Values"): how
// atoms and data are printed (--data=string|bare|json) and parsed from command-line arguments,
// with the tools' error messages.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/uuid.h"
#include "ovsdb/datum.h"
#include "ovsdb/types.h"

namespace ovnx::ctl {

enum class DataFormat { string, bare, json };

// Resolves "@name" references to row uuids (creating a forward reference if needed).
using SymbolResolver = std::function<Result<Uuid>(std::string_view name)>;

// ---- Printing.
// A string as the tools print it: bare if it starts with a letter or "_" and has only letters,
// digits, "_", "-" and "."  (and is not "true", "false" or a UUID), else JSON-quoted.
std::string format_string(std::string_view s);
std::string json_quote(std::string_view s);
std::string format_atom(const ovsdb::Atom& atom, DataFormat format = DataFormat::string);
// A column value: maps as {k=v, ...}, a single value of a column holding at most one as the
// value alone, other sets as [a, b]; bare drops brackets and quotes; json is RFC 7047 notation.
std::string format_datum(const ovsdb::Datum& datum, const ovsdb::Type& type,
                         DataFormat format = DataFormat::string);
// The datum as RFC 7047 JSON text.
std::string datum_json_text(const ovsdb::Datum& datum, const ovsdb::Type& type);

// "string", "set of up to 1 integers", "map of (string, uuid) pairs", ... as in error messages.
std::string type_english(const ovsdb::Type& type);

// ---- Parsing.
// One atom from a whole argument (the value of "column:key=value"): the text itself, or a
// JSON string if it starts with a quote. Constraints are checked.
Result<ovsdb::Atom> parse_atom(std::string_view text, const ovsdb::BaseType& type,
                               const SymbolResolver* symbols);
// A column value: atoms separated by spaces or commas, optionally in [] (sets) or {} (maps),
// map elements as key=value; integer sets also take ranges "1-5". Checks the number of values
// and each atom's constraints.
Result<ovsdb::Datum> parse_datum(std::string_view text, const ovsdb::Type& type,
                                 const SymbolResolver* symbols);

// Checks ATOM against TYPE's constraints with the tools' wording
// ("constraint violation: 0 is not in the valid range 1 to 32767 (inclusive)").
Status check_constraints(const ovsdb::Atom& atom, const ovsdb::BaseType& type);

// Splits the first token of TEXT (a bare run up to one of DELIMS/space, or a JSON string):
// used for column names and keys in "column:key=value". Returns the unescaped token and sets
// *REST to what follows.
Result<std::string> parse_token(std::string_view text, std::string_view* rest);

}  // namespace ovnx::ctl
