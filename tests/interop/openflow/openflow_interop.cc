// ovnx-test-openflow MODE [TARGET]: drives ovnx_openflow against a real ovs-vswitchd for
// tests/interop/test-openflow-*.sh. Prints results on stdout; exit status 0 on success.
//
//   expected            print main_flows() as dump-flows would (no connection)
//   expected-changed    print changed_flows() likewise
//   install TARGET      map geneve option 0x0102/0x80 to tun_metadata0, add group 1 and meter 1,
//                       replace the whole flow table with main_flows()
//   resync TARGET       dump the switch's flows, sync main_flows(): prints the change counts
//   diff TARGET         dump, then sync changed_flows(): prints the change counts
//   bad-bundle TARGET   dump, then sync main_flows() + a flow the switch refuses + one more
//   packet-in TARGET    ask for NXT_PACKET_IN2, print "ready", print the first packet-in,
//                       resume it if paused
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cstdio>
#include <string>

#include "flows.h"
#include "openflow/connection.h"
#include "openflow/flow_table.h"
#include "openflow/format.h"

namespace of = ovnx::openflow;

namespace {

int g_exit = 1;

void print_flows(const std::vector<of::Flow>& flows) {
  std::vector<std::string> lines;
  for (const of::Flow& f : flows) lines.push_back(of::format_flow(f));
  std::sort(lines.begin(), lines.end());
  for (const auto& l : lines) std::printf("%s\n", l.c_str());
}

void print_sync(const of::SyncResult& r) {
  std::printf("added=%zu modified=%zu deleted=%zu full_replace=%d\n", r.added, r.modified,
              r.deleted, r.full_replace ? 1 : 0);
}

class Driver {
 public:
  Driver(boost::asio::io_context& io, std::string mode, std::string target)
      : io_(io),
        mode_(std::move(mode)),
        conn_(io, of::ConnectionOptions{.target = std::move(target),
                                        .probe_interval_ms = 2000,
                                        .receive_packet_ins = mode_ == "packet-in"}),
        table_(conn_),
        timeout_(io) {}

  void run() {
    timeout_.expires_after(std::chrono::seconds(20));
    timeout_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      std::fprintf(stderr, "timed out in mode %s\n", mode_.c_str());
      done(1);
    });
    conn_.start({.on_connected = [this] { on_connected(); },
                 .on_message = [this](const of::Envelope& e) { on_message(e); },
                 .on_disconnected =
                     [this](const ovnx::Error& e) {
                       std::fprintf(stderr, "disconnected: %s\n", e.to_string().c_str());
                     }});
  }

 private:
  void done(int status) {
    g_exit = status;
    conn_.stop();
    timeout_.cancel();
  }

  void fail(const std::string& what) {
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    done(1);
  }

  void on_connected() {
    if (mode_ == "install") return install();
    if (mode_ == "resync") return load_then_sync(of::interop::main_flows());
    if (mode_ == "diff") return load_then_sync(of::interop::changed_flows());
    if (mode_ == "bad-bundle") return bad_bundle();
    if (mode_ == "packet-in") return packet_in();
    fail("unknown mode " + mode_);
  }

  void install() {
    conn_.request(of::TlvTableRequest{}, [this](ovnx::Result<of::Envelope> r) {
      if (!r.ok()) return fail("tlv request: " + r.error().to_string());
      const auto& reply = std::get<of::TlvTableReply>(r->message);
      std::vector<of::Message> setup;
      bool mapped = std::any_of(reply.mappings.begin(), reply.mappings.end(),
                                [](const of::TlvMap& m) { return m.index == 0; });
      if (!mapped) {
        setup.push_back(of::TlvTableMod{of::TlvTableCommand::kAdd, {{0x0102, 0x80, 4, 0}}});
      }
      // Delete first so the adds succeed on a rerun too.
      setup.push_back(of::GroupMod{.command = of::GroupModCommand::kDelete, .group_id = 1});
      setup.push_back(of::MeterMod{.command = of::MeterModCommand::kDelete, .meter_id = 1});
      setup.push_back(of::interop::group_1());
      setup.push_back(of::interop::meter_1());
      conn_.send_batch(std::move(setup), [this](const of::BatchResult& br) {
        if (!br.ok()) return fail("setup: " + br.status().error().to_string());
        table_.set_desired(of::interop::main_flows());
        table_.sync([this](const of::SyncResult& r) {
          if (!r.status.ok()) return fail("sync: " + r.status.error().to_string());
          print_sync(r);
          done(0);
        });
      });
    });
  }

  void load_then_sync(std::vector<of::Flow> flows) {
    table_.load_installed([this, flows = std::move(flows)](ovnx::Status st) mutable {
      if (!st.ok()) return fail("load: " + st.error().to_string());
      std::printf("loaded=%zu\n", table_.installed().size());
      table_.set_desired(std::move(flows));
      for (const of::FlowMod& m : of::FlowTable::diff(table_.installed(), table_.desired())) {
        static const char* kCmd[] = {"add", "modify", "modify_strict", "delete",
                                     "delete_strict"};
        std::printf("%s %s\n", kCmd[static_cast<int>(m.command)],
                    of::format_flow(m.flow).c_str());
      }
      table_.sync([this](const of::SyncResult& r) {
        if (!r.status.ok()) return fail("sync: " + r.status.error().to_string());
        print_sync(r);
        done(0);
      });
    });
  }

  void bad_bundle() {
    table_.load_installed([this](ovnx::Status st) {
      if (!st.ok()) return fail("load: " + st.error().to_string());
      auto flows = of::interop::main_flows();
      flows.push_back(of::interop::bad_flow());
      of::Flow extra;
      extra.table_id = 30;
      extra.priority = 2;
      flows.push_back(extra);
      table_.set_desired(std::move(flows));
      table_.sync([this](const of::SyncResult& r) {
        if (r.status.ok()) return fail("the bundle with a bad flow was accepted");
        std::printf("status: %s\n", r.status.error().to_string().c_str());
        for (const auto& [flow, err] : r.rejected) {
          std::printf("rejected: %s error: %s\n", of::format_flow(flow).c_str(),
                      err.to_string().c_str());
        }
        bool named = r.rejected.size() == 1 && r.rejected[0].first == of::interop::bad_flow();
        if (!named) return fail("the refused flow was not identified");
        // Nothing changed, so the table still knows the switch holds exactly what it dumped.
        std::printf("installed_known=%d installed=%zu\n", table_.installed_known() ? 1 : 0,
                    table_.installed().size());
        done(0);
      });
    });
  }

  void packet_in() {
    // The connection asked for NXT_PACKET_IN2 and a nonzero miss_send_len (see
    // receive_packet_ins); a barrier makes sure the switch applied both before we are ready.
    conn_.send_batch({}, [this](const of::BatchResult& br) {
      if (!br.ok()) return fail("barrier: " + br.status().error().to_string());
      std::printf("ready\n");
      std::fflush(stdout);
    });
  }

  void on_message(const of::Envelope& env) {
    const auto* pin = std::get_if<of::PacketIn>(&env.message);
    if (!pin || mode_ != "packet-in" || got_packet_in_) return;
    got_packet_in_ = true;
    std::printf("packet-in table_id=%u reason=%u cookie=%#llx len=%zu full_len=%u userdata=%s "
                "continuation=%s metadata=%s\n",
                pin->table_id, pin->reason, static_cast<unsigned long long>(pin->cookie),
                pin->packet.size(), pin->full_len, of::format_hex_dots(pin->userdata).c_str(),
                pin->continuation ? "yes" : "no", of::format_match(pin->metadata).c_str());
    if (!pin->continuation) return done(0);
    auto xid = conn_.send(of::resume_from(*pin));
    if (!xid.ok()) return fail("resume: " + xid.error().to_string());
    conn_.send_batch({}, [this](const of::BatchResult& br) {
      if (!br.ok()) return fail("resume: " + br.status().error().to_string());
      std::printf("resumed\n");
      done(0);
    });
  }

  boost::asio::io_context& io_;
  std::string mode_;
  of::Connection conn_;
  of::FlowTable table_;
  boost::asio::steady_timer timeout_;
  bool got_packet_in_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODE [TARGET]\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  if (mode == "expected") {
    print_flows(of::interop::main_flows());
    return 0;
  }
  if (mode == "expected-changed") {
    print_flows(of::interop::changed_flows());
    return 0;
  }
  if (argc < 3) {
    std::fprintf(stderr, "%s needs a TARGET\n", mode.c_str());
    return 2;
  }
  boost::asio::io_context io;
  Driver driver(io, mode, argv[2]);
  driver.run();
  io.run();
  return g_exit;
}
