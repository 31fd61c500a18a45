// Names of OpenFlow error types and codes (OpenFlow 1.5 section 7.5.4), for readable errors.
#pragma once

#include <cstdint>
#include <string>

namespace ovnx::openflow {

inline constexpr uint16_t kErrorTypeExperimenter = 0xffff;

// "OFPET_BAD_ACTION", or "" if unknown.
const char* error_type_name(uint16_t type);
// "OFPBAC_BAD_SET_ARGUMENT", or "" if unknown (standard types only).
const char* error_code_name(uint16_t type, uint16_t code);

// "OFPBAC_BAD_SET_ARGUMENT (type 2, code 15)"; "OFPET_BAD_ACTION code 99" when only the type is
// known; "experimenter 0x2320 error 16 (NXTTMFC_...)" style for experimenter errors.
std::string format_error(uint16_t type, uint16_t code, uint32_t experimenter);

}  // namespace ovnx::openflow
