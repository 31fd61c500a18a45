// Support for the generated typed bindings (idlgen): typed views over a row's columns and the
// base of the generated row and writer classes. Included by every generated header, so it
// stays light: no Asio, no Boost.JSON.
//
// Column values map to C++ as: integer -> int64_t, real -> double, boolean -> bool,
// string -> std::string, uuid -> Uuid, reference -> const Row-class*. Scalars are returned
// directly (strings by const reference), optional columns as std::optional (strings as
// std::optional<std::string_view>; references as a possibly null pointer), sets as SetView /
// RefSetView and maps as MapView: cheap views into the replica, valid as long as the row.
#pragma once

#include <algorithm>
#include <cassert>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/uuid.h"
#include "ovsdb/client/replica.h"
#include "ovsdb/client/row.h"
#include "ovsdb/client/transaction.h"
#include "ovsdb/datum.h"

namespace ovnx::ovsdb::client {

// ---- Atom <-> C++ value.
template <class T>
struct AtomTraits;
template <>
struct AtomTraits<int64_t> {
  using Ref = int64_t;
  using Arg = int64_t;
  static Ref get(const Atom& a) { return a.integer(); }
  static Atom make(Arg v) { return Atom(v); }
};
template <>
struct AtomTraits<double> {
  using Ref = double;
  using Arg = double;
  static Ref get(const Atom& a) { return a.real(); }
  static Atom make(Arg v) { return Atom(v); }
};
template <>
struct AtomTraits<bool> {
  using Ref = bool;
  using Arg = bool;
  static Ref get(const Atom& a) { return a.boolean(); }
  static Atom make(Arg v) { return Atom(v); }
};
template <>
struct AtomTraits<std::string> {
  using Ref = const std::string&;
  using Arg = std::string_view;
  static Ref get(const Atom& a) { return a.string(); }
  static Atom make(Arg v) { return Atom(v); }
};
template <>
struct AtomTraits<Uuid> {
  using Ref = const Uuid&;
  using Arg = const Uuid&;
  static Ref get(const Atom& a) { return a.uuid(); }
  static Atom make(Arg v) { return Atom(v); }
};

// A sorted set of T (a set column, or the keys of a map).
template <class T>
class SetView {
 public:
  using Traits = AtomTraits<T>;
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = typename Traits::Ref;
    iterator() = default;
    explicit iterator(const Atom* p) : p_(p) {}
    reference operator*() const { return Traits::get(*p_); }
    iterator& operator++() {
      ++p_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++p_;
      return t;
    }
    bool operator==(const iterator& o) const { return p_ == o.p_; }

   private:
    const Atom* p_ = nullptr;
  };

  explicit SetView(const std::vector<Atom>& atoms) : atoms_(&atoms) {}
  iterator begin() const { return iterator(atoms_->data()); }
  iterator end() const { return iterator(atoms_->data() + atoms_->size()); }
  size_t size() const { return atoms_->size(); }
  bool empty() const { return atoms_->empty(); }
  typename Traits::Ref operator[](size_t i) const { return Traits::get((*atoms_)[i]); }
  bool contains(typename Traits::Arg v) const {
    return std::binary_search(atoms_->begin(), atoms_->end(), Traits::make(v));
  }
  std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

 private:
  const std::vector<Atom>* atoms_;
};

// A map column: sorted by key.
template <class K, class V>
class MapView {
 public:
  using KT = AtomTraits<K>;
  using VT = AtomTraits<V>;
  using Value = std::conditional_t<std::is_same_v<V, std::string>, std::string_view, V>;

  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<typename KT::Ref, typename VT::Ref>;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;
    iterator() = default;
    iterator(const Datum* d, size_t i) : d_(d), i_(i) {}
    value_type operator*() const { return {KT::get(d_->key(i_)), VT::get(d_->value(i_))}; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++i_;
      return t;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const Datum* d_ = nullptr;
    size_t i_ = 0;
  };

  explicit MapView(const Datum& d) : d_(&d) {}
  iterator begin() const { return iterator(d_, 0); }
  iterator end() const { return iterator(d_, d_->size()); }
  size_t size() const { return d_->size(); }
  bool empty() const { return d_->empty(); }
  bool contains(typename KT::Arg key) const { return d_->contains(KT::make(key)); }
  // The value of KEY, if present.
  std::optional<Value> get(typename KT::Arg key) const {
    long i = d_->find(KT::make(key));
    if (i < 0) return std::nullopt;
    return Value(VT::get(d_->value(i)));
  }
  // The value of KEY, or FALLBACK.
  Value get_or(typename KT::Arg key, Value fallback) const {
    long i = d_->find(KT::make(key));
    return i < 0 ? fallback : Value(VT::get(d_->value(i)));
  }
  SetView<K> keys() const { return SetView<K>(d_->keys()); }
  std::map<K, V> to_map() const {
    std::map<K, V> m;
    for (size_t i = 0; i < d_->size(); ++i) m.emplace(KT::get(d_->key(i)), VT::get(d_->value(i)));
    return m;
  }

 private:
  const Datum* d_;
};

// A set of references to rows of T, resolved through the row's source; references to rows
// that are not replicated are skipped (uuids() has them all).
template <class T>
class RefSetView {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = const T*;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = const T*;
    iterator() = default;
    iterator(const RefSetView* v, size_t i) : v_(v), i_(i) { skip(); }
    const T* operator*() const { return v_->at(i_); }
    iterator& operator++() {
      ++i_;
      skip();
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++*this;
      return t;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    void skip() {
      while (i_ < v_->d_->size() && !v_->at(i_)) ++i_;
    }
    const RefSetView* v_ = nullptr;
    size_t i_ = 0;
  };

  RefSetView(const Row& owner, const Datum& d) : owner_(&owner), d_(&d) {}
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, d_->size()); }
  // Number of references (resolved or not) and the raw uuids.
  size_t size() const { return d_->size(); }
  bool empty() const { return d_->empty(); }
  SetView<Uuid> uuids() const { return SetView<Uuid>(d_->keys()); }
  bool contains(const Uuid& u) const { return d_->contains(Atom(u)); }
  std::vector<const T*> to_vector() const { return std::vector<const T*>(begin(), end()); }

 private:
  const T* at(size_t i) const {
    return static_cast<const T*>(owner_->resolve(T::kTableId, d_->key(i).uuid()));
  }
  const Row* owner_;
  const Datum* d_;
};

// A range of the rows of one table (replica or transaction order), as T.
template <class T>
class RowRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = const T*;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = const T*;
    iterator() = default;
    explicit iterator(RowMap::const_iterator it) : it_(it) {}
    const T* operator*() const { return static_cast<const T*>(it_->second.get()); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator t = *this;
      ++it_;
      return t;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }

   private:
    RowMap::const_iterator it_;
  };
  explicit RowRange(const RowMap& rows) : rows_(&rows) {}
  iterator begin() const { return iterator(rows_->begin()); }
  iterator end() const { return iterator(rows_->end()); }
  size_t size() const { return rows_->size(); }
  bool empty() const { return rows_->empty(); }

 private:
  const RowMap* rows_;
};

// ---- Column readers used by the generated getters.
template <class T>
typename AtomTraits<T>::Ref scalar_value(const Row& row, size_t column) {
  const Datum& d = row.datum(column);
  assert(!d.empty());
  return AtomTraits<T>::get(d.key(0));
}

template <class T>
auto optional_value(const Row& row, size_t column) {
  using Out = std::conditional_t<std::is_same_v<T, std::string>, std::string_view, T>;
  const Datum& d = row.datum(column);
  return d.empty() ? std::optional<Out>() : std::optional<Out>(Out(AtomTraits<T>::get(d.key(0))));
}

template <class T>
const T* ref_value(const Row& row, size_t column) {
  const Datum& d = row.datum(column);
  if (d.empty()) return nullptr;
  return static_cast<const T*>(row.resolve(T::kTableId, d.key(0).uuid()));
}

// ---- Values for the generated setters.
template <class T>
Datum make_set_datum(const std::vector<T>& values) {
  std::vector<Atom> atoms;
  atoms.reserve(values.size());
  for (const T& v : values) atoms.push_back(AtomTraits<T>::make(v));
  std::sort(atoms.begin(), atoms.end());
  atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
  Datum d;
  for (Atom& a : atoms) d.append_unchecked(std::move(a));
  return d;
}

template <class T>
Datum make_ref_set_datum(const std::vector<const T*>& rows) {
  std::vector<Uuid> uuids;
  uuids.reserve(rows.size());
  for (const T* r : rows) uuids.push_back(r->uuid());
  return make_set_datum(uuids);
}

template <class K, class V>
Datum make_map_datum(const std::map<K, V>& values) {
  Datum d = Datum::empty_map();
  for (const auto& [k, v] : values)
    d.append_unchecked(AtomTraits<K>::make(k), AtomTraits<V>::make(v));
  return d;
}

template <class T>
Datum make_optional_datum(const std::optional<T>& v) {
  return v ? Datum::scalar(AtomTraits<T>::make(*v)) : Datum();
}

// ---- Bases of the generated classes.

// Static accessors shared by every generated row class ROW (which defines kTableId and
// database_binding()).
template <class ROW>
class TypedRow : public Row {
 public:
  static const TableBinding& binding_table() {
    return ROW::database_binding().table(ROW::kTableId);
  }

  // The row with UUID in a replica or transaction, or nullptr.
  static const ROW* get(const RowSource& source, const Uuid& uuid) {
    return static_cast<const ROW*>(source.find_row(ROW::kTableId, uuid));
  }
  // Every row of the table in the replica.
  static RowRange<ROW> rows(const Replica& replica) {
    check(replica);
    return RowRange<ROW>(replica.rows(ROW::kTableId));
  }
  // Every row as a transaction sees it.
  static std::vector<const ROW*> rows(const Transaction& txn) {
    std::vector<const ROW*> out;
    for (const Row* r : txn.rows(ROW::kTableId)) out.push_back(static_cast<const ROW*>(r));
    return out;
  }
  // The rows changed in the current tracked batch (filter with change()/is_deleted()...).
  static std::vector<const ROW*> tracked(const Replica& replica) {
    check(replica);
    std::vector<const ROW*> out;
    for (const Row* r : replica.tracked(ROW::kTableId)) out.push_back(static_cast<const ROW*>(r));
    return out;
  }
  // This row as TXN leaves it (nullptr if TXN deletes it).
  const ROW* in(const Transaction& txn) const { return static_cast<const ROW*>(txn.view(this)); }

 protected:
  static void check(const Replica& replica) {
    assert(&replica.binding() == &ROW::database_binding() &&
           "typed access to a replica of another binding");
    (void)replica;
  }
};

// Base of the generated writers: records edits of one row into a transaction.
class RowWriter {
 public:
  RowWriter(Transaction& txn, const Row* row) : txn_(&txn), row_(row) {}
  Transaction& txn() const { return *txn_; }
  const Uuid& uuid() const { return row_->uuid(); }
  // Deletes the row.
  void remove() const { txn_->remove(row_); }

 protected:
  void do_write(size_t column, Datum value) const { txn_->write(row_, column, std::move(value)); }
  void do_verify(size_t column) const { txn_->verify(row_, column); }
  void do_map_put(size_t column, Atom k, Atom v) const {
    txn_->map_put(row_, column, std::move(k), std::move(v));
  }
  void do_map_erase(size_t column, const Atom& k) const { txn_->map_erase(row_, column, k); }
  void do_set_insert(size_t column, Atom v) const { txn_->set_insert(row_, column, std::move(v)); }
  void do_set_erase(size_t column, const Atom& v) const { txn_->set_erase(row_, column, v); }
  const Row* raw_row() const { return row_; }

 private:
  Transaction* txn_;
  const Row* row_;
};

}  // namespace ovnx::ovsdb::client
