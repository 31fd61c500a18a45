#include "openflow/errors.h"

#include <array>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace ovnx::openflow {
namespace {

// Index = code, per type (OpenFlow 1.5 section 7.5.4). Empty entries are unassigned codes.
constexpr const char* kHelloFailed[] = {"OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"};
constexpr const char* kBadRequest[] = {
    "OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART",
    "OFPBRC_BAD_EXPERIMENTER", "OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM",
    "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN",
    "OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT",
    "OFPBRC_BAD_PACKET", "OFPBRC_MULTIPART_BUFFER_OVERFLOW", "OFPBRC_MULTIPART_REQUEST_TIMEOUT",
    "OFPBRC_MULTIPART_REPLY_TIMEOUT", "OFPBRC_MULTIPART_BAD_SCHED", "OFPBRC_PIPELINE_FIELDS_ONLY",
    "OFPBRC_UNKNOWN"};
constexpr const char* kBadAction[] = {
    "OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER",
    "OFPBAC_BAD_EXP_TYPE", "OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT",
    "OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE",
    "OFPBAC_BAD_OUT_GROUP", "OFPBAC_MATCH_INCONSISTENT", "OFPBAC_UNSUPPORTED_ORDER",
    "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE", "OFPBAC_BAD_SET_LEN",
    "OFPBAC_BAD_SET_ARGUMENT", "OFPBAC_BAD_SET_MASK", "OFPBAC_BAD_METER"};
constexpr const char* kBadInstruction[] = {
    "OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID",
    "OFPBIC_UNSUP_METADATA", "OFPBIC_UNSUP_METADATA_MASK", "OFPBIC_BAD_EXPERIMENTER",
    "OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN", "OFPBIC_EPERM",
    "OFPBIC_DUP_INST"};
constexpr const char* kBadMatch[] = {
    "OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG", "OFPBMC_BAD_DL_ADDR_MASK",
    "OFPBMC_BAD_NW_ADDR_MASK", "OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE",
    "OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ", "OFPBMC_DUP_FIELD", "OFPBMC_EPERM"};
constexpr const char* kFlowModFailed[] = {
    "OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID", "OFPFMFC_OVERLAP",
    "OFPFMFC_EPERM", "OFPFMFC_BAD_TIMEOUT", "OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS",
    "OFPFMFC_CANT_SYNC", "OFPFMFC_BAD_PRIORITY", "OFPFMFC_IS_SYNC"};
constexpr const char* kGroupModFailed[] = {
    "OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP", "OFPGMFC_WEIGHT_UNSUPPORTED",
    "OFPGMFC_OUT_OF_GROUPS", "OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED",
    "OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP", "OFPGMFC_UNKNOWN_GROUP",
    "OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND",
    "OFPGMFC_BAD_BUCKET", "OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM",
    "OFPGMFC_UNKNOWN_BUCKET", "OFPGMFC_BUCKET_EXISTS"};
constexpr const char* kPortModFailed[] = {"OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR",
                                          "OFPPMFC_BAD_CONFIG", "OFPPMFC_BAD_ADVERTISE",
                                          "OFPPMFC_EPERM"};
constexpr const char* kTableModFailed[] = {"OFPTMFC_BAD_TABLE", "OFPTMFC_BAD_CONFIG",
                                           "OFPTMFC_EPERM"};
constexpr const char* kQueueOpFailed[] = {"OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE",
                                          "OFPQOFC_EPERM"};
constexpr const char* kSwitchConfigFailed[] = {"OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN",
                                               "OFPSCFC_EPERM"};
constexpr const char* kRoleRequestFailed[] = {"OFPRRFC_STALE", "OFPRRFC_UNSUP",
                                              "OFPRRFC_BAD_ROLE", "OFPRRFC_ID_UNSUP",
                                              "OFPRRFC_ID_IN_USE"};
constexpr const char* kMeterModFailed[] = {
    "OFPMMFC_UNKNOWN", "OFPMMFC_METER_EXISTS", "OFPMMFC_INVALID_METER", "OFPMMFC_UNKNOWN_METER",
    "OFPMMFC_BAD_COMMAND", "OFPMMFC_BAD_FLAGS", "OFPMMFC_BAD_RATE", "OFPMMFC_BAD_BURST",
    "OFPMMFC_BAD_BAND", "OFPMMFC_BAD_BAND_VALUE", "OFPMMFC_OUT_OF_METERS",
    "OFPMMFC_OUT_OF_BANDS"};
constexpr const char* kTableFeaturesFailed[] = {
    "OFPTFFC_BAD_TABLE", "OFPTFFC_BAD_METADATA", "", "", "", "OFPTFFC_EPERM",
    "OFPTFFC_BAD_CAPA", "OFPTFFC_BAD_MAX_ENT", "OFPTFFC_BAD_FEATURES", "OFPTFFC_BAD_COMMAND",
    "OFPTFFC_TOO_MANY"};
constexpr const char* kBadProperty[] = {
    "OFPBPC_BAD_TYPE", "OFPBPC_BAD_LEN", "OFPBPC_BAD_VALUE", "OFPBPC_TOO_MANY",
    "OFPBPC_DUP_TYPE", "OFPBPC_BAD_EXPERIMENTER", "OFPBPC_BAD_EXP_TYPE",
    "OFPBPC_BAD_EXP_VALUE", "OFPBPC_EPERM"};
constexpr const char* kAsyncConfigFailed[] = {"OFPACFC_INVALID", "OFPACFC_UNSUPPORTED",
                                              "OFPACFC_EPERM"};
constexpr const char* kFlowMonitorFailed[] = {
    "OFPMOFC_UNKNOWN", "OFPMOFC_MONITOR_EXISTS", "OFPMOFC_INVALID_MONITOR",
    "OFPMOFC_UNKNOWN_MONITOR", "OFPMOFC_BAD_COMMAND", "OFPMOFC_BAD_FLAGS",
    "OFPMOFC_BAD_TABLE_ID", "OFPMOFC_BAD_OUT"};
constexpr const char* kBundleFailed[] = {
    "OFPBFC_UNKNOWN", "OFPBFC_EPERM", "OFPBFC_BAD_ID",
    "OFPBFC_BUNDLE_EXIST", "OFPBFC_BUNDLE_CLOSED", "OFPBFC_OUT_OF_BUNDLES",
    "OFPBFC_BAD_TYPE", "OFPBFC_BAD_FLAGS", "OFPBFC_MSG_BAD_LEN",
    "OFPBFC_MSG_BAD_XID", "OFPBFC_MSG_UNSUP", "OFPBFC_MSG_CONFLICT",
    "OFPBFC_MSG_TOO_MANY", "OFPBFC_MSG_FAILED", "OFPBFC_TIMEOUT",
    "OFPBFC_BUNDLE_IN_PROGRESS", "OFPBFC_SCHED_NOT_SUPPORTED", "OFPBFC_SCHED_FUTURE",
    "OFPBFC_SCHED_PAST"};

struct TypeEntry {
  const char* name;
  std::pair<const char* const*, size_t> codes;
};

template <size_t N>
constexpr std::pair<const char* const*, size_t> codes(const char* const (&a)[N]) {
  return {a, N};
}

constexpr TypeEntry kTypes[] = {
    {"OFPET_HELLO_FAILED", codes(kHelloFailed)},
    {"OFPET_BAD_REQUEST", codes(kBadRequest)},
    {"OFPET_BAD_ACTION", codes(kBadAction)},
    {"OFPET_BAD_INSTRUCTION", codes(kBadInstruction)},
    {"OFPET_BAD_MATCH", codes(kBadMatch)},
    {"OFPET_FLOW_MOD_FAILED", codes(kFlowModFailed)},
    {"OFPET_GROUP_MOD_FAILED", codes(kGroupModFailed)},
    {"OFPET_PORT_MOD_FAILED", codes(kPortModFailed)},
    {"OFPET_TABLE_MOD_FAILED", codes(kTableModFailed)},
    {"OFPET_QUEUE_OP_FAILED", codes(kQueueOpFailed)},
    {"OFPET_SWITCH_CONFIG_FAILED", codes(kSwitchConfigFailed)},
    {"OFPET_ROLE_REQUEST_FAILED", codes(kRoleRequestFailed)},
    {"OFPET_METER_MOD_FAILED", codes(kMeterModFailed)},
    {"OFPET_TABLE_FEATURES_FAILED", codes(kTableFeaturesFailed)},
    {"OFPET_BAD_PROPERTY", codes(kBadProperty)},
    {"OFPET_ASYNC_CONFIG_FAILED", codes(kAsyncConfigFailed)},
    {"OFPET_FLOW_MONITOR_FAILED", codes(kFlowMonitorFailed)},
    {"OFPET_BUNDLE_FAILED", codes(kBundleFailed)},
};

// Open vSwitch's Nicira-extension errors (experimenter 0x2320) that ovnx can trigger.
constexpr std::pair<uint16_t, const char*> kNiciraErrors[] = {
    {2, "NXBRC_NXM_INVALID"},        {3, "NXBRC_NXM_BAD_TYPE"},
    {4, "NXBRC_MUST_BE_ZERO"},       {5, "NXBRC_BAD_REASON"},
    {11, "NXBAC_MUST_BE_ZERO"},      {15, "NXBAC_BAD_CONJUNCTION"},
    {16, "NXTTMFC_BAD_COMMAND"},     {17, "NXTTMFC_BAD_OPT_LEN"},
    {18, "NXTTMFC_BAD_FIELD_IDX"},   {19, "NXTTMFC_TABLE_FULL"},
    {20, "NXTTMFC_ALREADY_MAPPED"},  {21, "NXTTMFC_DUP_ENTRY"},
    {34, "NXR_NOT_SUPPORTED"},       {35, "NXR_STALE"},
    {37, "NXFMFC_INVALID_TLV_FIELD"}, {38, "NXTTMFC_INVALID_TLV_DEL"},
};
constexpr uint32_t kNiciraVendor = 0x00002320;

}  // namespace

const char* error_type_name(uint16_t type) {
  if (type < std::size(kTypes)) return kTypes[type].name;
  if (type == kErrorTypeExperimenter) return "OFPET_EXPERIMENTER";
  return "";
}

const char* error_code_name(uint16_t type, uint16_t code) {
  if (type >= std::size(kTypes)) return "";
  auto [names, n] = kTypes[type].codes;
  return code < n ? names[code] : "";
}

std::string format_error(uint16_t type, uint16_t code, uint32_t experimenter) {
  if (type == kErrorTypeExperimenter) {
    if (experimenter == kNiciraVendor) {
      for (auto [c, name] : kNiciraErrors) {
        if (c == code) return fmt::format("{} (experimenter {:#x}, code {})", name,
                                          experimenter, code);
      }
    }
    return fmt::format("experimenter {:#x} error code {}", experimenter, code);
  }
  std::string_view code_name = error_code_name(type, code);
  if (!code_name.empty()) return fmt::format("{} (type {}, code {})", code_name, type, code);
  std::string_view type_name = error_type_name(type);
  if (!type_name.empty()) return fmt::format("{} code {}", type_name, code);
  return fmt::format("error type {} code {}", type, code);
}

}  // namespace ovnx::openflow
