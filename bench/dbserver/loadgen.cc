// ovnx-dbserver-bench: drives an OVSDB server (ours or the real one) through the workloads of
// the side-by-side benchmark and prints one JSON line per measurement:
//   small    N small insert transactions over one connection, each waiting for its reply
//   bulk     an NB topology: S switches x P ports with addresses, port groups with ACLs
//   initial  one client's initial monitor_cond_since of the whole NB database
//   latency  commit-to-last-update time with C clients monitoring NB_Global
// usage: ovnx-dbserver-bench REMOTE SCENARIO [N]
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include "jsonrpc/connection.h"
#include "jsonrpc/framer.h"

namespace {

using namespace ovnx;
using Clock = std::chrono::steady_clock;
using jsonrpc::Message;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

class Client {
 public:
  Client(boost::asio::io_context& io, const std::string& remote) : io_(io) {
    auto addr = jsonrpc::parse_address(remote);
    if (!addr.ok()) die(addr.error().to_string());
    jsonrpc::ConnectionOptions o;
    o.max_message_bytes = 1u << 30;
    jsonrpc::async_connect(io, *addr, o, [this](Result<jsonrpc::ConnectionPtr> c) {
      if (!c.ok()) die(c.error().to_string());
      conn_ = *c;
      conn_->start([this](Message&& m) { on_message(std::move(m)); },
                   [](const Error& e) { die("connection closed: " + e.to_string()); });
    });
    while (!conn_) io_.run_one();
  }
  static void die(const std::string& why) {
    std::fprintf(stderr, "ovnx-dbserver-bench: %s\n", why.c_str());
    std::exit(1);
  }
  // Sends a request (params as JSON text) and returns its id.
  int64_t send(const std::string& method, const std::string& params) {
    int64_t id = next_id_++;
    conn_->send_serialized(fmt::format(R"({{"method":"{}","params":{},"id":{}}})", method, params, id));
    return id;
  }
  Message wait_reply(int64_t id) {
    for (;;) {
      for (auto it = replies_.begin(); it != replies_.end(); ++it) {
        if (it->id == boost::json::value(id)) {
          Message m = std::move(*it);
          replies_.erase(it);
          if (m.type == Message::Type::error) die("error reply: " + m.summary());
          return m;
        }
      }
      io_.run_one();
    }
  }
  Message call(const std::string& method, const std::string& params) {
    return wait_reply(send(method, params));
  }
  size_t updates = 0;  // notifications received
  Clock::time_point last_update;

 private:
  void on_message(Message&& m) {
    if (m.type == Message::Type::notify) {
      ++updates;
      last_update = Clock::now();
    } else {
      replies_.push_back(std::move(m));
    }
  }
  boost::asio::io_context& io_;
  jsonrpc::ConnectionPtr conn_;
  std::deque<Message> replies_;
  int64_t next_id_ = 1;
};

void check_results(const Message& m) {
  const auto& a = m.result.as_array();
  for (const auto& r : a) {
    if (r.is_object() && r.as_object().contains("error")) {
      Client::die("transaction failed: " + boost::json::serialize(r));
    }
  }
}

// A minimal blocking client (one socket, no event loop), so the ping-pong measures the server
// rather than the client's machinery.
class BlockingClient {
 public:
  explicit BlockingClient(const std::string& remote) {
    auto addr = jsonrpc::parse_address(remote);
    if (!addr.ok() || addr->kind != jsonrpc::Address::Kind::unix_socket) {
      Client::die("the small scenario needs a unix: remote");
    }
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::snprintf(sa.sun_path, sizeof sa.sun_path, "%s", addr->path.c_str());
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) Client::die("connect failed");
  }
  ~BlockingClient() { ::close(fd_); }
  Message call(const std::string& text) {
    for (size_t off = 0; off < text.size();) {
      ssize_t n = ::write(fd_, text.data() + off, text.size() - off);
      if (n <= 0) Client::die("write failed");
      off += static_cast<size_t>(n);
    }
    for (;;) {
      if (!values_.empty()) {
        boost::json::value v = std::move(values_.front());
        values_.erase(values_.begin());
        auto m = jsonrpc::message_from_json(std::move(v));
        if (!m.ok()) Client::die("bad reply");
        if (m->type == Message::Type::notify) continue;
        if (m->type == Message::Type::error) Client::die("error reply: " + m->summary());
        return std::move(*m);
      }
      char buf[65536];
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) Client::die("connection closed");
      if (!framer_.feed(std::string_view(buf, static_cast<size_t>(n)), &values_).ok()) {
        Client::die("bad JSON from server");
      }
    }
  }

 private:
  int fd_ = -1;
  jsonrpc::Framer framer_;
  std::vector<boost::json::value> values_;
};

void small(const std::string& remote, int n) {
  BlockingClient c(remote);
  auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    check_results(c.call(fmt::format(
        R"({{"method":"transact","params":["OVN_Northbound",{{"op":"insert","table":"Address_Set","row":{{"name":"as{}","addresses":["set",["10.0.{}.{}"]]}}}}],"id":{}}})",
        i, (i >> 8) & 255, i & 255, i)));
  }
  double s = seconds_since(start);
  std::printf("{\"scenario\":\"small\",\"transactions\":%d,\"seconds\":%.3f,\"per_second\":%.0f}\n", n,
              s, n / s);
}

std::string mac(int sw, int port) {
  return fmt::format("0a:00:{:02x}:{:02x}:{:02x}:{:02x}", (sw >> 8) & 255, sw & 255,
                     (port >> 8) & 255, port & 255);
}

void bulk(const std::string& remote, int switches, int ports, int groups) {
  boost::asio::io_context io;
  Client c(io, remote);
  auto start = Clock::now();
  // Port groups, each with two ACLs.
  std::string ops = R"(["OVN_Northbound")";
  for (int g = 0; g < groups; ++g) {
    for (int a = 0; a < 2; ++a) {
      ops += fmt::format(
          R"(,{{"op":"insert","table":"ACL","uuid-name":"acl{}_{}","row":{{"priority":{},"direction":"{}","match":"{} == @pg{} && ip4","action":"allow-related","external_ids":["map",[["bench","1"]]]}}}})",
          g, a, 1000 + a, a ? "from-lport" : "to-lport", a ? "inport" : "outport", g);
    }
    ops += fmt::format(
        R"(,{{"op":"insert","table":"Port_Group","row":{{"name":"pg{}","acls":["set",[["named-uuid","acl{}_0"],["named-uuid","acl{}_1"]]]}}}})",
        g, g, g);
  }
  ops += "]";
  check_results(c.call("transact", ops));
  // One transaction per switch: its ports, the switch, and the ports' port-group memberships.
  for (int s = 0; s < switches; ++s) {
    ops = R"(["OVN_Northbound")";
    std::string refs;
    std::vector<std::string> members(groups);
    for (int p = 0; p < ports; ++p) {
      ops += fmt::format(
          R"(,{{"op":"insert","table":"Logical_Switch_Port","uuid-name":"p{}","row":{{"name":"ls{}-p{}","addresses":["set",["{} 10.{}.{}.{}"]],"port_security":["set",["{}"]],"external_ids":["map",[["owner","bench"],["switch","ls{}"]]]}}}})",
          p, s, p, mac(s, p), s >> 8, s & 255, p, mac(s, p), s);
      refs += fmt::format(R"({}["named-uuid","p{}"])", p ? "," : "", p);
      std::string& m = members[p % groups];
      m += fmt::format(R"({}["named-uuid","p{}"])", m.empty() ? "" : ",", p);
    }
    ops += fmt::format(
        R"(,{{"op":"insert","table":"Logical_Switch","row":{{"name":"ls{}","ports":["set",[{}]],"other_config":["map",[["subnet","10.{}.{}.0/24"]]]}}}})",
        s, refs, s >> 8, s & 255);
    for (int g = 0; g < groups; ++g) {
      if (members[g].empty()) continue;
      ops += fmt::format(
          R"(,{{"op":"mutate","table":"Port_Group","where":[["name","==","pg{}"]],"mutations":[["ports","insert",["set",[{}]]]]}})",
          g, members[g]);
    }
    ops += "]";
    check_results(c.call("transact", ops));
  }
  double secs = seconds_since(start);
  int total = switches * ports;
  std::printf("{\"scenario\":\"bulk\",\"switches\":%d,\"ports\":%d,\"port_groups\":%d,\"acls\":%d,"
              "\"seconds\":%.3f,\"ports_per_second\":%.0f}\n",
              switches, total, groups, 2 * groups, secs, total / secs);
}

void initial(const std::string& remote) {
  boost::asio::io_context io;
  Client c(io, remote);
  Message schema = c.call("get_schema", R"(["OVN_Northbound"])");
  std::string requests = "{";
  bool first = true;
  for (const auto& kv : schema.result.as_object().at("tables").as_object()) {
    requests += fmt::format(R"({}"{}":[{{}}])", first ? "" : ",", std::string_view(kv.key()));
    first = false;
  }
  requests += "}";
  auto start = Clock::now();
  Message m = c.call("monitor_cond_since",
                     R"(["OVN_Northbound","bench",)" + requests +
                         R"(,"00000000-0000-0000-0000-000000000000"])");
  double secs = seconds_since(start);
  size_t rows = 0;
  for (const auto& kv : m.result.as_array()[2].as_object()) rows += kv.value().as_object().size();
  std::printf("{\"scenario\":\"initial\",\"rows\":%zu,\"seconds\":%.3f}\n", rows, secs);
}

void latency(const std::string& remote, int n_clients, int rounds) {
  boost::asio::io_context io;
  std::vector<std::unique_ptr<Client>> watchers;
  for (int i = 0; i < n_clients; ++i) {
    watchers.push_back(std::make_unique<Client>(io, remote));
    // One at a time: a burst of unix-socket connects would overflow the listen backlog.
    watchers.back()->call("monitor_cond",
                          R"(["OVN_Northbound","w",{"NB_Global":[{}],"Logical_Switch":[{"columns":["name"]}]}])");
  }
  Client committer(io, remote);
  Message global = committer.call(
      "transact", R"(["OVN_Northbound",{"op":"select","table":"NB_Global","where":[],"columns":["_uuid"]}])");
  if (global.result.as_array()[0].as_object().at("rows").as_array().empty()) {
    check_results(committer.call("transact",
                                 R"(["OVN_Northbound",{"op":"insert","table":"NB_Global","row":{}}])"));
  }
  auto settle = [&] {
    // Let every watcher take its initial reply and any pending update.
    auto until = Clock::now() + std::chrono::milliseconds(200);
    while (Clock::now() < until) io.run_one_for(std::chrono::milliseconds(5));
  };
  settle();
  std::vector<double> samples;
  for (int r = 0; r < rounds; ++r) {
    std::vector<size_t> before;
    for (auto& w : watchers) before.push_back(w->updates);
    auto start = Clock::now();
    committer.send("transact",
                   R"(["OVN_Northbound",{"op":"mutate","table":"NB_Global","where":[],"mutations":[["nb_cfg","+=",1]]}])");
    for (;;) {
      bool all = true;
      for (size_t i = 0; i < watchers.size(); ++i) all = all && watchers[i]->updates > before[i];
      if (all) break;
      io.run_one_for(std::chrono::milliseconds(100));
      if (seconds_since(start) > 10) Client::die("updates did not arrive");
    }
    Clock::time_point last = start;
    for (auto& w : watchers) last = std::max(last, w->last_update);
    samples.push_back(std::chrono::duration<double, std::milli>(last - start).count());
    settle();
  }
  std::sort(samples.begin(), samples.end());
  double mean = 0;
  for (double s : samples) mean += s;
  mean /= samples.size();
  std::printf("{\"scenario\":\"latency\",\"clients\":%d,\"rounds\":%d,\"median_ms\":%.3f,"
              "\"mean_ms\":%.3f,\"p90_ms\":%.3f}\n",
              n_clients, rounds, samples[samples.size() / 2], mean,
              samples[samples.size() * 9 / 10]);
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: ovnx-dbserver-bench REMOTE small|bulk|initial|latency [N...]\n");
    return 1;
  }
  std::string remote = argv[1], scenario = argv[2];
  auto num = [&](int i, int def) { return argc > i ? std::atoi(argv[i]) : def; };
  if (scenario == "small") {
    small(remote, num(3, 10000));
  } else if (scenario == "bulk") {
    bulk(remote, num(3, 200), num(4, 100), num(5, 100));
  } else if (scenario == "initial") {
    initial(remote);
  } else if (scenario == "latency") {
    latency(remote, num(3, 100), num(4, 50));
  } else {
    std::fprintf(stderr, "unknown scenario %s\n", scenario.c_str());
    return 1;
  }
  return 0;
}
