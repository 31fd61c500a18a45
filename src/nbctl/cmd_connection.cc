// get-connection, del-connection, set-connection, get-ssl, del-ssl, set-ssl (the NB_Global
// connections and ssl columns, which ovsdb-server can be told to use for its remotes).
#include <algorithm>

#include <fmt/format.h>

#include "base/log.h"
#include "nbctl/args.h"
#include "nbctl/commands.h"
#include "nbctl/nb.h"

OVNX_LOG_MODULE(nbctl);

namespace ovnx::nbctl {

namespace {

using Global = nb::NBGlobal;
using Connection = nb::Connection;
using SSL = nb::SSL;

// The NB_Global row, created if the database has none yet.
const Global* global(Nb& nb) {
  auto rows = nb.rows<Global>();
  return rows.empty() ? Global::insert(nb.txn()).row() : rows.front();
}

// True if TARGET names a known active or passive connection method.
bool known_target(const std::string& target) {
  size_t colon = target.find(':');
  if (colon == std::string::npos) return false;
  std::string type = target.substr(0, colon);
  static const char* const kTypes[] = {"tcp", "ssl", "unix", "ptcp", "pssl", "punix"};
  return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

Status get_connection(ctl::Context& ctx) {
  Nb nb(ctx);
  std::vector<std::string> targets;
  for (const Connection* c : nb.refs(global(nb)->connections())) targets.push_back(c->target());
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  for (const std::string& t : targets) ctx.output() += t + "\n";
  return {};
}

void delete_connections(Nb& nb, const Global* g) {
  for (const Connection* c : nb.refs(g->connections())) Connection::edit(nb.txn(), c).remove();
  Global::edit(nb.txn(), g).set_connections({});
}

Status del_connection(ctl::Context& ctx) {
  Nb nb(ctx);
  delete_connections(nb, global(nb));
  return {};
}

Status set_connection(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  for (size_t i = 1; i < a.size(); ++i) {
    if (!known_target(a[i])) LOG_WARN("target type \"{}\" is possibly erroneous", a[i]);
  }
  const Global* g = global(nb);
  delete_connections(nb, g);
  std::optional<int64_t> probe;
  if (const std::string* p = ctx.option("--inactivity-probe")) probe = std::atoll(p->c_str());
  std::vector<const Connection*> conns;
  for (size_t i = 1; i < a.size(); ++i) {
    auto w = Connection::insert(nb.txn());
    w.set_target(a[i]);
    if (probe) w.set_inactivity_probe(*probe);
    conns.push_back(w.row());
  }
  Global::edit(nb.txn(), g).set_connections(conns);
  return {};
}

Status get_ssl(ctl::Context& ctx) {
  Nb nb(ctx);
  const SSL* ssl = nb.view(global(nb)->ssl());
  if (!ssl) return {};
  ctx.output() += fmt::format(
      "Private key: {}\nCertificate: {}\nCA Certificate: {}\nBootstrap: {}\n", ssl->private_key(),
      ssl->certificate(), ssl->ca_cert(), ssl->bootstrap_ca_cert() ? "true" : "false");
  return {};
}

void delete_ssl(Nb& nb, const Global* g) {
  if (const SSL* ssl = nb.view(g->ssl())) SSL::edit(nb.txn(), ssl).remove();
  Global::edit(nb.txn(), g).set_ssl(nullptr);
}

Status del_ssl(ctl::Context& ctx) {
  Nb nb(ctx);
  delete_ssl(nb, global(nb));
  return {};
}

Status set_ssl(ctl::Context& ctx) {
  Nb nb(ctx);
  const auto& a = ctx.args();
  const Global* g = global(nb);
  delete_ssl(nb, g);
  auto w = SSL::insert(nb.txn());
  w.set_private_key(a[1]);
  w.set_certificate(a[2]);
  w.set_ca_cert(a[3]);
  w.set_bootstrap_ca_cert(ctx.has_option("--bootstrap"));
  if (a.size() > 4) w.set_ssl_protocols(a[4]);
  if (a.size() > 5) w.set_ssl_ciphers(a[5]);
  Global::edit(nb.txn(), g).set_ssl(w.row());
  return {};
}

void connection_prereq(ctl::Context& ctx) {
  want<Global>(ctx, {Global::Col::connections});
  want<Connection>(ctx, {Connection::Col::target, Connection::Col::inactivity_probe});
}

void ssl_prereq(ctl::Context& ctx) {
  want<Global>(ctx, {Global::Col::ssl});
  want<SSL>(ctx);
}

}  // namespace

void add_connection_commands(Commands& out) {
  constexpr int N = ctl::CommandSpec::kUnlimited;
  out.push_back({"get-connection", "", 0, 0, "", connection_prereq, get_connection});
  out.push_back({"del-connection", "", 0, 0, "", connection_prereq, del_connection});
  out.push_back({"set-connection", "TARGET...", 1, N, "--inactivity-probe=", connection_prereq,
                 set_connection});
  out.push_back({"get-ssl", "", 0, 0, "", ssl_prereq, get_ssl});
  out.push_back({"del-ssl", "", 0, 0, "", ssl_prereq, del_ssl});
  out.push_back({"set-ssl", "PRIV-KEY CERT CA-CERT [SSL-PROTOS [SSL-CIPHERS]]", 3, 5,
                 "--bootstrap", ssl_prereq, set_ssl});
}

}  // namespace ovnx::nbctl
