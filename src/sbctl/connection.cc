// get/set/del-connection and get/set/del-ssl: SB_Global's connections and ssl.
#include <fmt/format.h>

#include <algorithm>

#include "base/log.h"
#include "ovsdb/client/sb.h"
#include "sbctl/sbctl.h"

OVNX_LOG_MODULE(sbctl);

namespace ovnx::sbctl {

namespace {

using ctl::Context;

Result<const sb::SBGlobal*> sb_global(Context& ctx) {
  auto rows = sb::SBGlobal::rows(ctx.txn());
  if (rows.empty()) return make_error("no row in the SB_Global table");
  return rows.front();
}

Status cmd_get_connection(Context& ctx) {
  auto rows = sb::SBGlobal::rows(ctx.txn());
  if (rows.empty()) return {};
  std::vector<const sb::Connection*> conns;
  for (const sb::Connection* c : rows.front()->connections()) conns.push_back(c);
  std::sort(conns.begin(), conns.end(), [](const sb::Connection* a, const sb::Connection* b) {
    return a->target() < b->target();
  });
  for (const sb::Connection* c : conns) {
    ctx.output() += fmt::format("{} role=\"{}\" {}\n", c->read_only() ? "read-only" : "read-write",
                                c->role(), c->target());
  }
  return {};
}

Status cmd_del_connection(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const sb::SBGlobal* g, sb_global(ctx));
  sb::SBGlobal::edit(ctx.txn(), g).set_connections({});
  return {};
}

Status cmd_set_connection(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const sb::SBGlobal* g, sb_global(ctx));
  std::optional<int64_t> probe;
  if (const std::string* p = ctx.option("--inactivity-probe")) {
    try {
      size_t used = 0;
      probe = std::stoll(*p, &used);
      if (used != p->size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      return make_error(fmt::format("--inactivity-probe: \"{}\" is not an integer", *p));
    }
  }
  bool read_only = false;
  std::string role;
  std::vector<const sb::Connection*> conns;
  for (size_t i = 1; i < ctx.args().size(); ++i) {
    const std::string& arg = ctx.args()[i];
    if (arg == "read-only") {
      read_only = true;
      continue;
    }
    if (arg == "read-write") {
      read_only = false;
      continue;
    }
    if (arg.compare(0, 5, "role=") == 0) {
      role = arg.substr(5);
      continue;
    }
    std::string type = arg.substr(0, arg.find(':'));
    static const char* const kKnown[] = {"ptcp", "pssl", "punix", "tcp", "ssl", "unix"};
    if (std::find(std::begin(kKnown), std::end(kKnown), type) == std::end(kKnown)) {
      LOG_WARN("target type \"{}\" is possibly erroneous", arg);
    }
    auto c = sb::Connection::insert(ctx.txn());
    c.set_target(arg);
    c.set_read_only(read_only);
    c.set_role(role);
    if (probe) c.set_inactivity_probe(*probe);
    conns.push_back(c.row());
  }
  sb::SBGlobal::edit(ctx.txn(), g).set_connections(conns);
  return {};
}

Status cmd_get_ssl(Context& ctx) {
  auto rows = sb::SBGlobal::rows(ctx.txn());
  if (rows.empty()) return {};
  const sb::SSL* ssl = rows.front()->ssl();
  if (!ssl) return {};
  ctx.output() += fmt::format(
      "Private key: {}\nCertificate: {}\nCA Certificate: {}\nBootstrap: {}\n", ssl->private_key(),
      ssl->certificate(), ssl->ca_cert(), ssl->bootstrap_ca_cert() ? "true" : "false");
  return {};
}

Status cmd_del_ssl(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const sb::SBGlobal* g, sb_global(ctx));
  if (const sb::SSL* ssl = g->ssl()) sb::SSL::edit(ctx.txn(), ssl).remove();
  sb::SBGlobal::edit(ctx.txn(), g).set_ssl(nullptr);
  return {};
}

Status cmd_set_ssl(Context& ctx) {
  OVNX_ASSIGN_OR_RETURN(const sb::SBGlobal* g, sb_global(ctx));
  if (const sb::SSL* old = g->ssl()) sb::SSL::edit(ctx.txn(), old).remove();
  auto ssl = sb::SSL::insert(ctx.txn());
  ssl.set_private_key(ctx.args()[1]);
  ssl.set_certificate(ctx.args()[2]);
  ssl.set_ca_cert(ctx.args()[3]);
  ssl.set_bootstrap_ca_cert(ctx.has_option("--bootstrap"));
  if (ctx.args().size() > 4) ssl.set_ssl_protocols(ctx.args()[4]);
  if (ctx.args().size() > 5) ssl.set_ssl_ciphers(ctx.args()[5]);
  sb::SBGlobal::edit(ctx.txn(), g).set_ssl(ssl.row());
  return {};
}

void connection_prereqs(Context& ctx) {
  ctx.monitor(sb::SBGlobal::binding_table());
  ctx.monitor(sb::Connection::binding_table());
  ctx.monitor(sb::SSL::binding_table());
}

}  // namespace

std::vector<ctl::CommandSpec> connection_commands() {
  constexpr int kMany = ctl::CommandSpec::kUnlimited;
  return {
      {"get-connection", "", 0, 0, "", connection_prereqs, cmd_get_connection, nullptr},
      {"del-connection", "", 0, 0, "", connection_prereqs, cmd_del_connection, nullptr},
      {"set-connection", "TARGET...", 1, kMany, "--inactivity-probe=", connection_prereqs,
       cmd_set_connection, nullptr},
      {"get-ssl", "", 0, 0, "", connection_prereqs, cmd_get_ssl, nullptr},
      {"del-ssl", "", 0, 0, "", connection_prereqs, cmd_del_ssl, nullptr},
      {"set-ssl", "PRIV-KEY CERT CA-CERT [SSL-PROTOS [SSL-CIPHERS]]", 3, 5, "--bootstrap",
       connection_prereqs, cmd_set_ssl, nullptr},
  };
}

}  // namespace ovnx::sbctl
