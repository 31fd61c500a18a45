// acl-add, acl-del, acl-list on a logical switch or a port group (--type).
#include <algorithm>

#include <fmt/format.h>

#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

namespace ovnx::nbctl {

namespace {

using ACL = nb::ACL;
using LS = nb::LogicalSwitch;
using PG = nb::PortGroup;

// The switch or port group an ACL command names.
struct Entity {
  const LS* ls = nullptr;
  const PG* pg = nullptr;
  std::vector<const ACL*> acls(Nb& nb) const {
    return pg ? nb.refs(pg->acls()) : nb.refs(ls->acls());
  }
  void add(Nb& nb, const ACL* acl) const {
    if (pg) {
      PG::edit(nb.txn(), pg).add_acls(acl);
    } else {
      LS::edit(nb.txn(), ls).add_acls(acl);
    }
  }
  void remove(Nb& nb, const ACL* acl) const {
    if (pg) {
      PG::edit(nb.txn(), pg).remove_acls(acl);
    } else {
      LS::edit(nb.txn(), ls).remove_acls(acl);
    }
  }
  void clear(Nb& nb) const {
    if (pg) {
      PG::edit(nb.txn(), pg).set_acls({});
    } else {
      LS::edit(nb.txn(), ls).set_acls({});
    }
  }
};

Result<Entity> entity_arg(Nb& nb) {
  const std::string& id = nb.ctx().args()[1];
  Entity e;
  if (const std::string* type = nb.ctx().option("--type")) {
    if (*type == "switch") {
      OVNX_ASSIGN_OR_RETURN(e.ls, nb.ls(id));
    } else if (*type == "port-group") {
      OVNX_ASSIGN_OR_RETURN(e.pg, nb.pg(id));
    } else {
      return make_error(fmt::format("Invalid value '{}' for option --type", *type));
    }
    return e;
  }
  OVNX_ASSIGN_OR_RETURN(e.pg, nb.pg(id, false));
  OVNX_ASSIGN_OR_RETURN(e.ls, nb.ls(id, false));
  if (e.pg && e.ls) {
    return make_error(fmt::format(
        "Same name '{}' exists in both port-groups and logical switches. Specify "
        "--type=port-group or switch, or use a UUID.",
        id));
  }
  if (!e.pg && !e.ls) {
    return make_error(fmt::format("'{}' is not found for port-group or switch.", id));
  }
  return e;
}

Status check_direction(const std::string& d) {
  if (d == "to-lport" || d == "from-lport") return {};
  return make_error(fmt::format("{}: direction must be \"to-lport\" or \"from-lport\"", d));
}

bool after_lb(const ACL* acl) { return acl->options().get_or("apply-after-lb", "") == "true"; }

// The order acl-list prints in, and what makes two ACLs "the same" for acl-add.
int acl_compare(const std::string& dir_a, bool after_a, int64_t prio_a, const std::string& match_a,
                const std::string& dir_b, bool after_b, int64_t prio_b,
                const std::string& match_b) {
  if (int c = dir_a.compare(dir_b)) return c;
  if (after_a != after_b) return after_a ? 1 : -1;
  if (prio_a != prio_b) return prio_a > prio_b ? -1 : 1;
  return match_a.compare(match_b);
}

Status acl_add(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(Entity entity, entity_arg(nb));
  const std::string& direction = a[2];
  OVNX_RETURN_IF_ERROR(check_direction(direction));
  OVNX_ASSIGN_OR_RETURN(int64_t priority, parse_priority(a[3]));
  const std::string& match = a[4];
  const std::string& action = a[5];
  static const char* const kActions[] = {"allow", "allow-related", "allow-stateless", "drop",
                                         "reject"};
  if (std::find(std::begin(kActions), std::end(kActions), action) == std::end(kActions)) {
    return make_error(fmt::format(
        "{}: action must be one of \"allow\", \"allow-related\", \"allow-stateless\", "
        "\"drop\", and \"reject\"",
        action));
  }
  const std::string* severity = ctx.option("--severity");
  const std::string* name = ctx.option("--name");
  const std::string* meter = ctx.option("--meter");
  const std::string* label = ctx.option("--label");
  bool log = ctx.has_option("--log") || severity || name || meter;
  if (severity) {
    static const char* const kSeverities[] = {"alert", "warning", "notice", "info", "debug"};
    if (std::find(std::begin(kSeverities), std::end(kSeverities), *severity) ==
        std::end(kSeverities)) {
      return make_error(fmt::format("bad severity: {}", *severity));
    }
  }
  std::optional<int64_t> label_value;
  if (label) {
    label_value = parse_int_in_range(*label, 0, 4294967295LL);
    if (!label_value) {
      return make_error(fmt::format("{}: label must in range 0...4294967295", *label));
    }
  }
  bool apply_after_lb = direction == "from-lport" && ctx.has_option("--apply-after-lb");
  for (const ACL* other : entity.acls(nb)) {
    if (!acl_compare(direction, apply_after_lb, priority, match, other->direction(),
                     after_lb(other), other->priority(), other->match())) {
      if (ctx.has_option("--may-exist")) return {};
      return make_error(fmt::format("Same ACL already existed on the ls {}.", a[1]));
    }
  }
  auto w = ACL::insert(nb.txn());
  w.set_priority(priority);
  w.set_direction(direction);
  w.set_match(match);
  w.set_action(action);
  if (log) w.set_log(true);
  if (severity) w.set_severity(*severity);
  if (name) w.set_name(*name);
  if (meter) w.set_meter(*meter);
  if (label_value) w.set_label(*label_value);
  if (apply_after_lb) w.update_options("apply-after-lb", "true");
  entity.add(nb, w.row());
  return {};
}

Status acl_del(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  OVNX_ASSIGN_OR_RETURN(Entity entity, entity_arg(nb));
  if (a.size() == 2) {
    entity.clear(nb);
    return {};
  }
  const std::string& direction = a[2];
  OVNX_RETURN_IF_ERROR(check_direction(direction));
  if (a.size() == 3) {
    for (const ACL* acl : entity.acls(nb)) {
      if (acl->direction() == direction) entity.remove(nb, acl);
    }
    return {};
  }
  if (a.size() == 4) return make_error("cannot specify priority without match");
  OVNX_ASSIGN_OR_RETURN(int64_t priority, parse_priority(a[3]));
  // Only the first match (in UUID order) goes, as in the real tool.
  for (const ACL* acl : entity.acls(nb)) {
    if (acl->direction() == direction && acl->priority() == priority && acl->match() == a[4]) {
      entity.remove(nb, acl);
      break;
    }
  }
  return {};
}

Status acl_list(ctl::Context& ctx) {
  Nb nb(ctx);
  OVNX_ASSIGN_OR_RETURN(Entity entity, entity_arg(nb));
  auto acls = entity.acls(nb);
  std::stable_sort(acls.begin(), acls.end(), [](const ACL* x, const ACL* y) {
    return acl_compare(x->direction(), after_lb(x), x->priority(), x->match(), y->direction(),
                       after_lb(y), y->priority(), y->match()) < 0;
  });
  for (const ACL* acl : acls) {
    std::string line = fmt::format("{:>10} {:>5} ({}) {}", acl->direction(), acl->priority(),
                                   acl->match(), acl->action());
    if (acl->log()) {
      std::string details;
      if (auto n = acl->name()) details += fmt::format("name={},", *n);
      if (auto s = acl->severity()) details += fmt::format("severity={},", *s);
      if (auto m = acl->meter()) details += fmt::format("meter=\"{}\",", *m);
      if (!details.empty()) details.pop_back();
      line += fmt::format(" log({})", details);
    }
    if (acl->label()) line += fmt::format(" label={}", acl->label());
    if (after_lb(acl)) line += " [after-lb]";
    ctx.output() += line + "\n";
  }
  return {};
}

void acl_prereq(ctl::Context& ctx) {
  want<LS>(ctx, {LS::Col::name, LS::Col::acls});
  want<PG>(ctx, {PG::Col::name, PG::Col::acls});
  want<ACL>(ctx);
}

}  // namespace

void add_acl_commands(Commands& out) {
  out.push_back({"acl-add", "{SWITCH | PORTGROUP} DIRECTION PRIORITY MATCH ACTION", 5, 5,
                 "--log,--may-exist,--type=,--name=,--severity=,--meter=,--label=,"
                 "--apply-after-lb",
                 acl_prereq, acl_add});
  out.push_back({"acl-del", "{SWITCH | PORTGROUP} [DIRECTION [PRIORITY MATCH]]", 1, 4, "--type=",
                 acl_prereq, acl_del});
  out.push_back({"acl-list", "{SWITCH | PORTGROUP}", 1, 1, "--type=", acl_prereq, acl_list});
}

}  // namespace ovnx::nbctl
