// Internal helpers shared by the actions' encode() and prerequisites(). The encoder follows the
// logical-to-physical conventions of ovn-architecture(7) (base/ovn_conventions.h).
#pragma once

#include <array>
#include <span>
#include <vector>

#include "base/ovn_conventions.h"
#include "logical/action_types.h"
#include "logical/controller_ops.h"
#include "openflow/actions.h"
#include "openflow/fields.h"

namespace ovnx::logical {

class Encoder {
 public:
  Encoder(const EncodeParams& params, openflow::ActionList& out) : params_(params), out_(out) {}

  const EncodeParams& params() const { return params_; }
  openflow::ActionList& out() { return out_; }
  void add(openflow::Action a) { out_.push_back(std::move(a)); }

  // The OpenFlow table of logical table `table` of `pipeline`.
  static uint8_t of_table(Pipeline pipeline, int table) {
    return uint8_t((pipeline == Pipeline::kIngress ? ovn::kTableLogIngressPipeline
                                                   : ovn::kTableLogEgressPipeline) +
                   table);
  }
  uint8_t next_table() const { return of_table(params_.pipeline, params_.table_id + 1); }
  uint8_t output_table() const {
    return params_.pipeline == Pipeline::kIngress ? ovn::kTableOutputLargePktDetect
                                                  : ovn::kTableSaveInport;
  }
  void resubmit(uint8_t table) { add(openflow::Resubmit{openflow::kPortInPort, table}); }

  // A logical field reference as an OpenFlow subfield.
  static openflow::Subfield subfield(const FieldRef& f);
  static openflow::Subfield whole(openflow::Field f) { return openflow::Subfield::whole(f); }
  static openflow::Subfield reg(int n) { return whole(openflow::reg(n)); }

  // Copies `src` into `dst` through the stack (as OVN does), or nothing when they are the
  // same bits.
  void move(const openflow::Subfield& src, const openflow::Subfield& dst);
  // Loads the arguments of a table lookup or controller action into the registers the other
  // side expects, saving those registers first; restore_args() puts them back (in reverse).
  struct Arg {
    openflow::Subfield src;
    openflow::Subfield dst;
  };
  std::vector<openflow::Subfield> setup_args(const std::vector<Arg>& args);
  void restore_args(const std::vector<openflow::Subfield>& saved);

  // The conntrack zone register for a flow of this datapath: reg13 (logical port zone) in a
  // switch, the DNAT zone reg11 in a router.
  openflow::Subfield ct_zone() const {
    return zone_reg(params_.is_switch ? ovn::kRegCtZone : ovn::kRegDnatZone);
  }
  static openflow::Subfield zone_reg(int reg) {
    return openflow::Subfield{openflow::reg(reg), 0, 16};
  }

  // controller(userdata=op+payload[,pause][,meter_id]).
  void controller(ControllerOp op, std::span<const uint8_t> payload, bool pause);
  // Encodes nested logical actions (same pipeline and table) to OpenFlow wire bytes.
  Result<std::vector<uint8_t>> nested_bytes(const std::vector<Action>& nested) const;
  // OXM/NXM header of `f` as it goes on the wire (for the result field of paused actions).
  static uint32_t oxm_header(openflow::Field f);

 private:
  const EncodeParams& params_;
  openflow::ActionList& out_;
};

// Collects prerequisites of actions.
class Prereqs {
 public:
  explicit Prereqs(const SymbolTable& symtab) : symtab_(symtab) {}
  // A predicate or field by name ("ip4", "tcp", "nd_ns").
  void add(std::string_view symbol);
  // What reading or writing `f` implies (its symbol's prerequisites).
  void add_field(const FieldRef& f);
  void add_actions(const std::vector<Action>& nested);
  // Each symbol once, in order of first use.
  std::span<const Symbol* const> symbols() const {
    if (!more_.empty()) return more_;
    return {inline_.data(), n_inline_};
  }

 private:
  void add_symbol(const Symbol* s);
  const SymbolTable& symtab_;
  // An action list implies a few symbols at most: kept inside the object (this runs for every
  // logical flow, and a vector cost it a malloc/free). Past kInline all of them move to more_.
  static constexpr size_t kInline = 8;
  std::array<const Symbol*, kInline> inline_{};
  size_t n_inline_ = 0;
  std::vector<const Symbol*> more_;
};

// The format/encode/prerequisites of any Action (dispatch over the variant).
void format_action(const Action& a, std::string& out);
Status encode_action(const Action& a, Encoder& e);
void action_prerequisites(const Action& a, Prereqs& pre);
// "{ a; b; }" or "{}".
void format_block(const std::vector<Action>& actions, std::string& out);

// Formats a field reference as written: `reg0[0..15]`.
std::string format_field_ref(const FieldRef& f);

}  // namespace ovnx::logical
