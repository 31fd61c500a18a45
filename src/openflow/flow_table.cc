#include "openflow/flow_table.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/log.h"
#include "openflow/format.h"

OVNX_LOG_MODULE(openflow_table);

namespace ovnx::openflow {

FlowTable::FlowTable(Channel& channel) : channel_(channel) {}

size_t FlowTable::set_desired(std::vector<Flow> flows) {
  desired_.clear();
  desired_.reserve(flows.size());
  size_t dups = 0;
  for (Flow& f : flows) {
    FlowKey key = FlowKey::of(f);
    if (!desired_.emplace(std::move(key), std::move(f)).second) dups++;
  }
  return dups;
}

void FlowTable::upsert(Flow flow) {
  FlowKey key = FlowKey::of(flow);
  desired_.insert_or_assign(std::move(key), std::move(flow));
}

void FlowTable::erase(const FlowKey& key) { desired_.erase(key); }

void FlowTable::forget_installed() {
  installed_.clear();
  installed_known_ = false;
}

namespace {

// A strict modify can only change actions: with OpenFlow 1.1+ the switch keeps the old cookie,
// timeouts and flags. Anything else changes through an add, which replaces the flow.
bool modify_suffices(const Flow& installed, const Flow& desired) {
  return installed.cookie == desired.cookie && installed.idle_timeout == desired.idle_timeout &&
         installed.hard_timeout == desired.hard_timeout && installed.flags == desired.flags;
}

}  // namespace

std::vector<FlowMod> FlowTable::diff(const FlowMap& installed, const FlowMap& desired) {
  std::vector<const FlowKey*> deletes;
  std::vector<const Flow*> modifies, adds;
  for (const auto& [key, flow] : installed) {
    if (!desired.count(key)) deletes.push_back(&key);
  }
  for (const auto& [key, flow] : desired) {
    auto it = installed.find(key);
    if (it == installed.end()) {
      adds.push_back(&flow);
    } else if (!(it->second == flow)) {
      (modify_suffices(it->second, flow) ? modifies : adds).push_back(&flow);
    }
  }
  auto by_key = [](const Flow* a, const Flow* b) { return FlowKey::of(*a) < FlowKey::of(*b); };
  std::sort(deletes.begin(), deletes.end(), [](auto* a, auto* b) { return *a < *b; });
  std::sort(modifies.begin(), modifies.end(), by_key);
  std::sort(adds.begin(), adds.end(), by_key);

  std::vector<FlowMod> mods;
  mods.reserve(deletes.size() + modifies.size() + adds.size());
  for (const FlowKey* k : deletes) mods.push_back(strict_delete_of(*k));
  for (const Flow* f : modifies) {
    mods.push_back(FlowMod{.command = FlowModCommand::kModifyStrict, .flow = *f});
  }
  for (const Flow* f : adds) mods.push_back(FlowMod{.command = FlowModCommand::kAdd, .flow = *f});
  return mods;
}

void FlowTable::sync(SyncHandler done) {
  queue_.push_back([this, done = std::move(done)]() mutable { start_sync(std::move(done)); });
  if (!busy_) run_next();
}

void FlowTable::load_installed(std::function<void(Status)> done) {
  queue_.push_back([this, done = std::move(done)]() mutable {
    channel_.request(FlowStatsRequest{}, [this, done = std::move(done)](Result<Envelope> r) {
      Status st = ok_status();
      if (!r.ok()) {
        st = std::move(r).error();
      } else if (auto* reply = std::get_if<FlowStatsReply>(&r->message)) {
        installed_.clear();
        for (FlowStats& fs : reply->flows) {
          FlowKey key = FlowKey::of(fs.flow);
          installed_.insert_or_assign(std::move(key), std::move(fs.flow));
        }
        installed_known_ = true;
        LOG_DBG("loaded {} installed flows from the switch", installed_.size());
      } else {
        st = make_error("openflow error",
                        fmt::format("flow stats request answered by {}",
                                    message_name(r->message)));
      }
      busy_ = false;
      done(st);
      run_next();
    });
  });
  if (!busy_) run_next();
}

void FlowTable::run_next() {
  if (busy_ || queue_.empty()) return;
  busy_ = true;
  auto job = std::move(queue_.front());
  queue_.pop_front();
  job();
}

void FlowTable::finish(SyncHandler done, SyncResult result) {
  busy_ = false;
  done(result);
  run_next();
}

void FlowTable::start_sync(SyncHandler done) {
  SyncResult result;
  std::vector<FlowMod> mods;
  if (installed_known_) {
    mods = diff(installed_, desired_);
  } else {
    result.full_replace = true;
    FlowMod wipe;
    wipe.command = FlowModCommand::kDelete;
    wipe.flow.table_id = kTableAll;
    mods.push_back(wipe);
    std::vector<const Flow*> flows;
    flows.reserve(desired_.size());
    for (const auto& [key, flow] : desired_) flows.push_back(&flow);
    std::sort(flows.begin(), flows.end(),
              [](const Flow* a, const Flow* b) { return FlowKey::of(*a) < FlowKey::of(*b); });
    for (const Flow* f : flows) mods.push_back(FlowMod{.command = FlowModCommand::kAdd, .flow = *f});
  }
  for (const FlowMod& m : mods) {
    switch (m.command) {
      case FlowModCommand::kAdd: result.added++; break;
      case FlowModCommand::kModifyStrict: result.modified++; break;
      case FlowModCommand::kDeleteStrict: result.deleted++; break;
      default: break;
    }
  }
  if (mods.empty()) return finish(std::move(done), std::move(result));

  // One atomic, ordered bundle: open, one add-message per flow_mod, commit.
  uint32_t bundle = next_bundle_id_++;
  constexpr uint16_t kFlags = kBundleAtomic | kBundleOrdered;
  std::vector<Message> batch;
  batch.reserve(mods.size() + 2);
  batch.push_back(BundleControl{bundle, BundleCtrlType::kOpenRequest, kFlags});
  for (const FlowMod& m : mods) {
    auto inner = encode(m, 0);
    if (!inner.ok()) {
      result.status = make_error(inner.error().tag, fmt::format("flow {}: {}",
                                                                format_flow(m.flow),
                                                                inner.error().details));
      return finish(std::move(done), std::move(result));
    }
    batch.push_back(BundleAdd{bundle, kFlags, std::move(inner).value()});
  }
  batch.push_back(BundleControl{bundle, BundleCtrlType::kCommitRequest, kFlags});

  channel_.send_batch(std::move(batch), [this, done = std::move(done), mods = std::move(mods),
                                         result = std::move(result)](const BatchResult& br) mutable {
    if (br.ok()) {
      if (result.full_replace) installed_.clear();
      for (FlowMod& m : mods) {
        FlowKey key = FlowKey::of(m.flow);
        if (m.command == FlowModCommand::kDeleteStrict) {
          installed_.erase(key);
        } else if (m.command != FlowModCommand::kDelete) {
          installed_.insert_or_assign(std::move(key), std::move(m.flow));
        }
      }
      installed_known_ = true;
      return finish(std::move(done), std::move(result));
    }
    result.added = result.modified = result.deleted = 0;
    for (const auto& [index, err] : br.errors) {
      // Index 0 is the bundle open, 1..n the flow_mods, n+1 the commit.
      if (index >= 1 && index <= mods.size()) result.rejected.emplace_back(mods[index - 1].flow, err);
    }
    if (br.failure) {
      // The connection failed mid-way: the switch may or may not have committed.
      forget_installed();
    }
    std::string details = br.status().error().details;
    for (const auto& [flow, err] : result.rejected) {
      details += fmt::format("; rejected flow: {}", format_flow(flow));
    }
    result.status = make_error("openflow error", details);
    LOG_WARN("flow table sync failed: {}", details);
    finish(std::move(done), std::move(result));
  });
}

}  // namespace ovnx::openflow
