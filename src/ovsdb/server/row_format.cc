#include "ovsdb/server/row_format.h"

#include <charconv>

#include "ovsdb/json.h"

namespace ovnx::ovsdb::server {

namespace {

bool is_default_atom(const Atom& a) {
  switch (a.type()) {
    case AtomicType::integer: return a.integer() == 0;
    case AtomicType::real: return a.real() == 0.0;
    case AtomicType::boolean: return !a.boolean();
    case AtomicType::string: return a.string().empty();
    case AtomicType::uuid: return a.uuid().is_zero();
  }
  return false;
}

// Diffs replace the whole value of columns that hold at most one atom.
bool diff_is_replacement(const Type& type) { return !type.is_map() && type.n_max == 1; }

}  // namespace

void append_uuid_text(const Uuid& u, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char buf[36];
  int pos = 0;
  auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) buf[pos++] = kHex[(v >> (4 * i)) & 0xf];
  };
  put(u.hi >> 32, 8);
  buf[pos++] = '-';
  put((u.hi >> 16) & 0xffff, 4);
  buf[pos++] = '-';
  put(u.hi & 0xffff, 4);
  buf[pos++] = '-';
  put(u.lo >> 48, 4);
  buf[pos++] = '-';
  put(u.lo & 0xffffffffffffULL, 12);
  out->append(buf, sizeof buf);
}

void append_atom(const Atom& atom, std::string* out) {
  switch (atom.type()) {
    case AtomicType::integer: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, atom.integer());
      out->append(buf, static_cast<size_t>(end - buf));
      break;
    }
    case AtomicType::uuid:
      out->append("[\"uuid\",\"");
      append_uuid_text(atom.uuid(), out);
      out->append("\"]");
      break;
    default:
      append_atom_json(atom, out);
  }
}

void append_datum(const Datum& datum, const Type& type, std::string* out) {
  if (type.is_map()) {
    out->append("[\"map\",[");
    for (size_t i = 0; i < datum.size(); ++i) {
      if (i) out->push_back(',');
      out->push_back('[');
      append_atom(datum.key(i), out);
      out->push_back(',');
      append_atom(datum.value(i), out);
      out->push_back(']');
    }
    out->append("]]");
    return;
  }
  if (datum.size() == 1) {
    append_atom(datum.key(0), out);
    return;
  }
  out->append("[\"set\",[");
  for (size_t i = 0; i < datum.size(); ++i) {
    if (i) out->push_back(',');
    append_atom(datum.key(i), out);
  }
  out->append("]]");
}

bool is_default_datum(const Datum& d, const Type& type) {
  if (type.n_min == 0) return d.empty();
  if (d.size() != 1) return false;
  if (!is_default_atom(d.key(0))) return false;
  return !type.is_map() || is_default_atom(d.value(0));
}

void append_row_json(const Row& row, const TableSchema& table, const std::vector<size_t>& columns,
                     bool skip_defaults, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (size_t c : columns) {
    const ColumnSchema& col = table.column(c);
    const Datum& d = row.columns[c];
    if (skip_defaults && is_default_datum(d, col.type)) continue;
    if (!first) out->push_back(',');
    first = false;
    append_json_string(col.name, out);
    out->push_back(':');
    append_datum(d, col.type, out);
  }
  out->push_back('}');
}

Datum datum_diff(const Datum& a, const Datum& b, const Type& type) {
  if (diff_is_replacement(type)) return b;
  Datum out = type.is_map() ? Datum::empty_map() : Datum();
  size_t i = 0, j = 0;
  // Both are sorted by key: merge.
  while (i < a.size() || j < b.size()) {
    int c = i == a.size() ? 1 : j == b.size() ? -1 : a.key(i).compare(b.key(j));
    if (c < 0) {
      if (type.is_map()) {
        out.append_unchecked(a.key(i), a.value(i));
      } else {
        out.append_unchecked(a.key(i));
      }
      ++i;
    } else if (c > 0) {
      if (type.is_map()) {
        out.append_unchecked(b.key(j), b.value(j));
      } else {
        out.append_unchecked(b.key(j));
      }
      ++j;
    } else {
      if (type.is_map() && !(a.value(i) == b.value(j))) out.append_unchecked(b.key(j), b.value(j));
      ++i;
      ++j;
    }
  }
  return out;
}

void append_diff_json(const Datum& a, const Datum& b, const Type& type, std::string* out) {
  if (diff_is_replacement(type)) {
    append_datum(b, type, out);
    return;
  }
  append_datum(datum_diff(a, b, type), type, out);
}

void apply_datum_diff(Datum* value, const Datum& diff, const Type& type) {
  if (diff_is_replacement(type)) {
    *value = diff;
    return;
  }
  if (!type.is_map()) {
    Datum add, remove;
    for (const Atom& a : diff.keys()) (value->contains(a) ? remove : add).append_unchecked(a);
    value->subtract(remove);
    value->union_with(add);
    return;
  }
  for (size_t i = 0; i < diff.size(); ++i) {
    long pos = value->find(diff.key(i));
    if (pos < 0) {
      value->put(diff.key(i), diff.value(i));
    } else if (value->value(static_cast<size_t>(pos)) == diff.value(i)) {
      value->erase_key(diff.key(i));
    } else {
      value->put(diff.key(i), diff.value(i));
    }
  }
}

}  // namespace ovnx::ovsdb::server
