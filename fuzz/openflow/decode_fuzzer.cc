// Fuzzes decode() of one OpenFlow message, then checks properties of what decodes:
//  - formatting never crashes;
//  - it re-encodes, and the re-encoding decodes to the same message (the decoder accepts only
//    what the encoder can express).
// Also feeds the raw bytes to the match and action decoders directly.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "openflow/codec.h"
#include "openflow/format.h"

namespace of = ovnx::openflow;

namespace {

[[noreturn]] void die(const char* what, const std::string& detail) {
  std::fprintf(stderr, "property violated: %s: %s\n", what, detail.c_str());
  std::abort();
}

void format_everything(const of::Message& m) {
  if (const auto* fm = std::get_if<of::FlowMod>(&m)) (void)of::format_flow(fm->flow);
  if (const auto* po = std::get_if<of::PacketOut>(&m)) {
    (void)of::format_match(po->match);
    (void)of::format_actions(po->actions);
  }
  if (const auto* pin = std::get_if<of::PacketIn>(&m)) (void)of::format_match(pin->metadata);
  if (const auto* r = std::get_if<of::FlowStatsReply>(&m)) {
    for (const auto& fs : r->flows) (void)of::format_flow(fs.flow);
  }
  if (const auto* gm = std::get_if<of::GroupMod>(&m)) {
    for (const auto& b : gm->buckets) (void)of::format_actions(b.actions);
  }
  if (const auto* e = std::get_if<of::ErrorMsg>(&m)) (void)e->to_string();
  (void)of::message_name(m);
}

bool same(const of::Message& a, const of::Message& b) {
  // A bundle-add's inner message takes the outer xid when encoded: compare around it.
  const auto* x = std::get_if<of::BundleAdd>(&a);
  const auto* y = std::get_if<of::BundleAdd>(&b);
  if (x && y) {
    if (x->bundle_id != y->bundle_id || x->flags != y->flags) return false;
    if (x->message.size() != y->message.size()) return false;
    for (size_t i = 0; i < x->message.size(); i++) {
      if ((i < 4 || i >= 8) && x->message[i] != y->message[i]) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  (void)of::decode_match(bytes);
  (void)of::decode_actions(bytes);

  auto env = of::decode(bytes);
  if (!env.ok()) return 0;
  format_everything(env->message);
  auto again = of::encode(env->message, env->xid);
  if (!again.ok()) die("decoded message does not re-encode", again.error().to_string());
  auto round = of::decode(*again);
  if (!round.ok()) die("re-encoded message does not decode", round.error().to_string());
  if (!same(round->message, env->message)) {
    die("round trip changed the message", of::message_name(env->message));
  }
  return 0;
}
