#include "openflow/match.h"

#include <algorithm>

namespace ovnx::openflow {
namespace {

// Calls FN(storage_field, value, mask, covered) for each storage field an update on F touches,
// translating from F's bit positions to the storage field's.
template <class Fn>
void for_each_storage(Field f, U128 value, U128 mask, U128 covered, Fn&& fn) {
  std::optional<AliasStorage> alias = canonical_storage(f);
  if (!alias) return fn(f, value, mask, covered);
  int n_regs = is_xreg(f) ? 2 : is_xxreg(f) ? 4 : 0;
  if (n_regs == 0) {
    return fn(alias->storage, value << alias->shift, mask << alias->shift,
              covered << alias->shift);
  }
  const U128 reg_bits = U128::low_bits(32);
  for (int j = 0; j < n_regs; j++) {
    unsigned shift = 32 * static_cast<unsigned>(n_regs - 1 - j);
    U128 c = (covered >> shift) & reg_bits;
    if (c.is_zero()) continue;
    Field r = static_cast<Field>(static_cast<int>(alias->storage) + j);
    fn(r, (value >> shift) & reg_bits, (mask >> shift) & reg_bits, c);
  }
}

}  // namespace

// Replaces the bits COVERED of FIELD's constraint by (VALUE, MASK); FIELD is a storage field.
static void replace_bits(FieldMatchList& fields, Field field, U128 value, U128 mask,
                         U128 covered) {
  // nw_tos holds only the DSCP bits; the low two (ECN) are the separate field nw_ecn.
  if (field == Field::nw_tos) mask &= U128(0xfc);
  auto it = std::lower_bound(fields.begin(), fields.end(), field,
                             [](const FieldMatch& fm, Field f) { return fm.field < f; });
  bool present = it != fields.end() && it->field == field;
  U128 old_value = present ? it->value : U128();
  U128 old_mask = present ? it->mask : U128();
  U128 new_mask = (old_mask & ~covered) | (mask & covered);
  U128 new_value = ((old_value & ~covered) | (value & covered)) & new_mask;
  if (new_mask.is_zero()) {
    if (present) fields.erase(it);
    return;
  }
  if (present) {
    it->value = new_value;
    it->mask = new_mask;
  } else {
    fields.insert(it, FieldMatch{field, new_value, new_mask});
  }
}

void Match::set_masked(Field field, U128 value, U128 mask) {
  U128 width = U128::low_bits(field_bits(field));
  mask &= width;
  value &= mask;
  if (field != Field::nw_tos && !is_alias(field)) {
    // A field stored as itself (nearly every one): the whole constraint is replaced, so this is
    // replace_bits() with every bit covered, without its bit arithmetic. Matches are usually
    // built in field order, so the end is checked before searching.
    auto it = fields_.empty() || fields_.back().field < field
                  ? fields_.end()
                  : std::lower_bound(fields_.begin(), fields_.end(), field,
                                     [](const FieldMatch& fm, Field f) { return fm.field < f; });
    bool present = it != fields_.end() && it->field == field;
    if (mask.is_zero()) {
      if (present) fields_.erase(it);
    } else if (present) {
      it->value = value;
      it->mask = mask;
    } else {
      fields_.insert(it, FieldMatch{field, value, mask});
    }
    return;
  }
  for_each_storage(field, value, mask, width, [this](Field f, U128 v, U128 m, U128 c) {
    replace_bits(fields_, f, v, m, c);
  });
}

void Match::set_masked_at(size_t index, U128 value, U128 mask) {
  FieldMatch& fm = fields_[index];
  mask &= U128::low_bits(field_bits(fm.field));
  if (fm.field == Field::nw_tos) mask &= U128(0xfc);  // as replace_bits() keeps it
  if (mask.is_zero()) {
    fields_.erase(fields_.begin() + index);
    return;
  }
  fm.value = value & mask;
  fm.mask = mask;
}

void Match::set(Field field, U128 value) {
  set_masked(field, value, U128::low_bits(field_bits(field)));
}

void Match::set_subfield(const Subfield& sf, U128 value) {
  U128 covered = sf.mask() & U128::low_bits(field_bits(sf.field));
  U128 v = (value << sf.ofs) & covered;
  for_each_storage(sf.field, v, covered, covered, [this](Field f, U128 v2, U128 m, U128 c) {
    replace_bits(fields_, f, v2, m, c);
  });
}

void Match::clear(Field field) {
  U128 width = U128::low_bits(field_bits(field));
  for_each_storage(field, U128(), U128(), width, [this](Field f, U128 v, U128 m, U128 c) {
    replace_bits(fields_, f, v, m, c);
  });
}

const FieldMatch* Match::find(Field field) const {
  auto it = std::lower_bound(fields_.begin(), fields_.end(), field,
                             [](const FieldMatch& fm, Field f) { return fm.field < f; });
  return it != fields_.end() && it->field == field ? &*it : nullptr;
}

size_t hash_value(const Match& m) {
  size_t seed = hash_combine(0x3a7c, m.size());
  for (const FieldMatch& fm : m.fields()) {
    seed = hash_combine(seed, static_cast<uint64_t>(fm.field));
    seed = hash_combine(hash_combine(seed, fm.value), fm.mask);
  }
  return seed;
}

size_t hash_value(const FlowKey& k) {
  size_t seed = hash_combine(hash_value(k.match), (uint64_t{k.table_id} << 16) | k.priority);
  return seed;
}

size_t hash_value(const Flow& f) {
  size_t seed = hash_combine(hash_value(f.match), (uint64_t{f.table_id} << 16) | f.priority);
  seed = hash_combine(seed, f.cookie);
  seed = hash_combine(seed, (uint64_t{f.idle_timeout} << 32) | (uint64_t{f.hard_timeout} << 16) |
                                f.flags);
  return hash_combine(seed, hash_value(f.actions));
}

}  // namespace ovnx::openflow
