// The usage example of the client library (src/ovsdb/client/README.md), compiled and run: a
// tiny "northd" that replicates NB switches, reacts to tracked changes, and writes one SB
// Datapath_Binding per switch under the SB lock.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <utility>

#include "ovsdb/client/idl.h"
#include "ovsdb/client/nb.h"
#include "ovsdb/client/sb.h"
#include "test_server.h"

namespace ovnx {
namespace {

namespace client = ovsdb::client;

// ---- The example.
class TinyNorthd {
 public:
  TinyNorthd(boost::asio::io_context& io, const std::string& nb_remote,
             const std::string& sb_remote)
      : nb_(io, nb::binding_ptr(), {.remote = nb_remote}),
        sb_(io, sb::binding_ptr(), {.remote = sb_remote}) {
    nb_.monitor<nb::LogicalSwitch>({nb::LogicalSwitch::Col::name});  // only what we read
    sb_.monitor<sb::DatapathBinding>();
    sb_.set_lock("ovn_northd");  // active/standby
    by_switch_ = sb_.replica().add_index(sb::DatapathBinding::kTableId,
                                         {sb::DatapathBinding::Col::external_ids});
    nb_.set_on_change([this] { run(); });
    sb_.set_on_change([this] { run(); });
    nb_.start();
    sb_.start();
  }

  // One engine run: handle the tracked NB changes, then sync SB.
  void run() {
    if (!nb_.is_synced() || !sb_.is_synced() || !sb_.has_lock()) return;
    // One SB transaction at a time: a second one built before the first's rows reach the
    // replica would insert the same datapaths again (and violate the tunnel_key index).
    if (txn_in_flight_) {
      run_again_ = true;
      return;
    }
    for (const nb::LogicalSwitch* ls : nb::LogicalSwitch::tracked(nb_.replica())) {
      if (ls->is_deleted()) {
        wanted_.erase(ls->uuid());
      } else if (ls->is_inserted() || ls->column_changed(nb::LogicalSwitch::Col::name)) {
        wanted_[ls->uuid()] = ls->name();
      }
    }
    nb_.replica().clear_tracked();
    sb_.replica().clear_tracked();
    txn_in_flight_ = true;  // before transact(): its report may come at once (nothing to send)
    sb_.transact(
        [this](client::Transaction& txn) {
          int64_t key = 1;
          for (const auto& [uuid, name] : wanted_) {
            ovsdb::Datum ids = *ovsdb::Datum::make_map(
                {{ovsdb::Atom("logical-switch"), ovsdb::Atom(uuid.to_string())}});
            auto existing = static_cast<const sb::DatapathBinding*>(by_switch_->find_one({ids}));
            auto dp = existing ? sb::DatapathBinding::edit(txn, existing)
                               : sb::DatapathBinding::insert(txn);
            dp.set_external_ids({{"logical-switch", uuid.to_string()}});  // only sent if changed
            if (!existing) dp.set_tunnel_key(key);
            ++key;
          }
          return ok_status();
        },
        [this](const client::TxnReport& r) {
          last_status_ = r.status;
          txn_in_flight_ = false;
          if (std::exchange(run_again_, false)) run();
        });
  }

  client::Idl& nb() { return nb_; }
  client::Idl& sb() { return sb_; }
  client::TxnStatus last_status() const { return last_status_; }

 private:
  client::Idl nb_;
  client::Idl sb_;
  const client::Index* by_switch_;
  std::map<Uuid, std::string> wanted_;
  client::TxnStatus last_status_ = client::TxnStatus::unchanged;
  bool txn_in_flight_ = false;
  bool run_again_ = false;  // changes arrived while a transaction was in flight
};

// ---- Running it.
TEST(ClientExample, TinyNorthdFollowsTheNorthbound) {
  auto nb_server = testing::TestServer::start(
      {testing::TestServer::Kind::real, testing::schema_path("ovn-nb"), false});
  auto sb_server = testing::TestServer::start(
      {testing::TestServer::Kind::real, testing::schema_path("ovn-sb"), false});
  ASSERT_TRUE(nb_server.ok() && sb_server.ok());
  boost::asio::io_context io;
  TinyNorthd northd(io, (*nb_server)->remote(), (*sb_server)->remote());

  // A CMS adds two switches.
  client::Idl cms(io, nb::binding_ptr(), {.remote = (*nb_server)->remote()});
  cms.monitor_all();
  cms.start();
  ASSERT_TRUE(client::run_until(
      io, [&] { return cms.is_synced(); }, 10000));
  bool done = false;
  cms.transact(
      [](client::Transaction& txn) {
        nb::LogicalSwitch::insert(txn).set_name("ls1");
        nb::LogicalSwitch::insert(txn).set_name("ls2");
        return ok_status();
      },
      [&](const client::TxnReport& r) { done = r.ok(); });
  ASSERT_TRUE(client::run_until(
      io, [&] { return done; }, 10000));
  ASSERT_TRUE(client::run_until(
      io, [&] { return sb::DatapathBinding::rows(northd.sb().replica()).size() == 2; }, 10000));

  // ... and deletes one: the tracked deletion reaches the engine; the datapath stays (this toy
  // does not garbage-collect), but the engine no longer wants it.
  done = false;
  cms.transact(
      [&](client::Transaction& txn) {
        for (const nb::LogicalSwitch* ls : nb::LogicalSwitch::rows(cms.replica())) {
          if (ls->name() == "ls2") nb::LogicalSwitch::edit(txn, ls).remove();
        }
        return ok_status();
      },
      [&](const client::TxnReport& r) { done = r.ok(); });
  ASSERT_TRUE(client::run_until(
      io, [&] { return done; }, 10000));
  ASSERT_TRUE(client::run_until(
      io, [&] { return nb::LogicalSwitch::rows(northd.nb().replica()).size() == 1; }, 10000));
  EXPECT_NE(northd.last_status(), client::TxnStatus::error);
}

}  // namespace
}  // namespace ovnx
