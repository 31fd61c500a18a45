// Internal: OXM/NXM encoding of matches and of field headers (for actions naming subfields).
//
// Header layout (OpenFlow 1.5 7.2.3.2): class(16) field(7) hasmask(1) length(8), followed by a
// 32-bit experimenter ID when class is 0xffff. `length` counts the payload (value, plus mask
// when hasmask, plus the experimenter ID).
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.h"
#include "openflow/fields.h"
#include "openflow/match.h"
#include "openflow/wire.h"

namespace ovnx::openflow::oxm {

inline constexpr uint32_t kOnfExperimenter = 0x4f4e4600;

// A decoded header.
struct Header {
  uint16_t oxm_class = 0;
  uint8_t field = 0;
  bool hasmask = false;
  uint8_t length = 0;
  uint32_t experimenter = 0;

  // Payload bytes per value (length without experimenter and mask).
  size_t value_len() const;
};

// Writes the header naming FIELD in action contexts (move/push/output_reg): its `wire` code.
void put_field_header(wire::Writer& w, Field field);
// Reads a header and resolves it to a field (any known code for it, any variable length for
// tun_metadata). Errors name the unknown class/field.
Result<Field> get_field_header(wire::Reader& r, std::string_view context);

// Writes one OXM entry setting FIELD to VALUE/MASK (as set_field carries it). An all-ones mask
// (of the field's width) is written without a mask.
void put_entry(wire::Writer& w, Field field, U128 value, U128 mask);

// Reads one OXM entry: field (aliases as sent, e.g. ip_dscp), value and mask (all-ones of the
// field's width when the entry had no mask).
struct Entry {
  Field field;
  U128 value;
  U128 mask;
};
Result<Entry> get_entry(wire::Reader& r);

// The OXM entries of MATCH, without the ofp_match header.
void put_match_fields(wire::Writer& w, const Match& match);
// Decodes a sequence of OXM entries filling the whole reader into a Match.
Result<Match> get_match_fields(wire::Reader& r);

// ofp_match (type OFPMT_OXM, length, entries, padding to 8 bytes).
void put_match(wire::Writer& w, const Match& match);
Result<Match> get_match(wire::Reader& r);

}  // namespace ovnx::openflow::oxm
