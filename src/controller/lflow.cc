#include "controller/lflow.h"

#include "base/log.h"
#include "logical/compile.h"

OVNX_LOG_MODULE(lflow);

namespace ovnx::controller {

std::vector<const sb::DatapathBinding*> lflow_datapaths(const sb::LogicalFlow& lf,
                                                        const LocalState& local) {
  std::vector<const sb::DatapathBinding*> out;
  auto take = [&](const sb::DatapathBinding* dp) {
    if (dp && local.is_local_datapath(static_cast<uint32_t>(dp->tunnel_key()))) out.push_back(dp);
  };
  take(lf.logical_datapath());
  if (const sb::LogicalDPGroup* g = lf.logical_dp_group()) {
    for (const sb::DatapathBinding* dp : g->datapaths()) take(dp);
  }
  return out;
}

bool lflow_for_remote_port(const sb::LogicalFlow& lf, const LocalState& local,
                           const ovsdb::client::Replica& sb) {
  auto port = lf.tags().get("in_out_port");
  return port && port_is_elsewhere(*port, local, sb);
}

void LflowTranslator::untag(const Uuid& lflow) {
  auto it = tag_of_.find(lflow);
  if (it == tag_of_.end()) return;
  auto t = by_tag_.find(it->second);
  if (t != by_tag_.end()) {
    t->second.erase(lflow);
    if (t->second.empty()) by_tag_.erase(t);
  }
  tag_of_.erase(it);
  skipped_.erase(lflow);
}

std::vector<Uuid> LflowTranslator::lflows_tagged(const std::string& lport) const {
  auto it = by_tag_.find(lport);
  if (it == by_tag_.end()) return {};
  return std::vector<Uuid>(it->second.begin(), it->second.end());
}

std::vector<Uuid> LflowTranslator::lflows_tagged_to_redo(const std::string& lport,
                                                         bool skip_now) const {
  std::vector<Uuid> out;
  auto it = by_tag_.find(lport);
  if (it == by_tag_.end()) return out;
  for (const Uuid& u : it->second) {
    if (skipped_.contains(u) != skip_now) out.push_back(u);
  }
  return out;
}

void LflowTranslator::forget(const Uuid& lflow) {
  auto it = entries_.find(lflow);
  if (it == entries_.end()) return;
  for (uint32_t dp : it->second.dps) {
    auto d = by_dp_.find(dp);
    if (d == by_dp_.end()) continue;
    d->second.erase(lflow);
    if (d->second.empty()) by_dp_.erase(d);
  }
  entries_.erase(it);
}

void LflowTranslator::remove(const Uuid& lflow) {
  forget(lflow);
  untag(lflow);
  store_.remove_owner(lflow);
}

void LflowTranslator::clear() {
  for (const auto& [uuid, e] : entries_) store_.remove_owner(uuid);
  entries_.clear();
  by_dp_.clear();
  by_tag_.clear();
  tag_of_.clear();
  skipped_.clear();
}

std::vector<Uuid> LflowTranslator::lflows_on(uint32_t dp_key) const {
  auto it = by_dp_.find(dp_key);
  if (it == by_dp_.end()) return {};
  return std::vector<Uuid>(it->second.begin(), it->second.end());
}

void LflowTranslator::translate(const sb::LogicalFlow& lf, const LflowContext& ctx) {
  forget(lf.uuid());
  untag(lf.uuid());
  std::vector<const sb::DatapathBinding*> dps = lflow_datapaths(lf, *ctx.local);
  if (dps.empty()) {
    store_.remove_owner(lf.uuid());
    return;
  }
  if (auto port = lf.tags().get("in_out_port")) {
    std::string name(*port);
    by_tag_[name].insert(lf.uuid());
    tag_of_.emplace(lf.uuid(), std::move(name));
    if (lflow_for_remote_port(lf, *ctx.local, ctx.sb->replica())) {
      stats_.skipped++;
      skipped_.insert(lf.uuid());
      store_.remove_owner(lf.uuid());
      return;
    }
  }

  logical::LogicalFlow flow;
  if (lf.pipeline() == "ingress") {
    flow.pipeline = logical::Pipeline::kIngress;
  } else if (lf.pipeline() == "egress") {
    flow.pipeline = logical::Pipeline::kEgress;
  } else {
    LOG_WARN("logical flow {}: unknown pipeline \"{}\"", lf.uuid().to_string(), lf.pipeline());
    store_.remove_owner(lf.uuid());
    return;
  }
  if (lf.table_id() < 0 || lf.table_id() > 255 || lf.priority() < 0 || lf.priority() > 65535) {
    LOG_WARN("logical flow {}: table {} / priority {} out of range", lf.uuid().to_string(),
             lf.table_id(), lf.priority());
    store_.remove_owner(lf.uuid());
    return;
  }
  flow.table_id = static_cast<uint8_t>(lf.table_id());
  flow.priority = static_cast<uint16_t>(lf.priority());
  flow.match = lf.match();
  flow.actions = lf.actions();
  flow.cookie = lf.uuid().prefix32();

  std::optional<uint32_t> controller_meter;
  if (auto meter = lf.controller_meter(); meter && ctx.meters) {
    controller_meter = ctx.meters->named_meter(*meter);
  }

  std::vector<openflow::Flow> flows;
  Entry entry;
  for (const sb::DatapathBinding* dp : dps) {
    SbResolver resolver(*ctx.sb, *dp, *ctx.local, *ctx.sets);
    logical::CompileContext cc;
    cc.resolver = &resolver;
    cc.datapath_key = static_cast<uint32_t>(dp->tunnel_key());
    cc.is_switch = is_switch_datapath(*dp);
    cc.groups = ctx.groups;
    cc.meters = ctx.meters;
    cc.controller_meter = controller_meter;
    cc.conj_id_base = next_conj_id_;
    stats_.compiled++;
    auto compiled = logical::compile_logical_flow(flow, cc);
    if (!compiled.ok()) {
      stats_.errors++;
      LOG_WARN("logical flow {} ({} table {} priority {}) on datapath {}: {}",
               lf.uuid().to_string(), lf.pipeline(), lf.table_id(), lf.priority(),
               dp->tunnel_key(), compiled.error().to_string());
      continue;
    }
    next_conj_id_ += compiled->conj_ids_used;
    stats_.flows += compiled->flows.size();
    for (auto& f : compiled->flows) flows.push_back(std::move(f));
    entry.dps.push_back(cc.datapath_key);
  }
  for (uint32_t dp : entry.dps) by_dp_[dp].insert(lf.uuid());
  entries_.emplace(lf.uuid(), std::move(entry));
  store_.set_owner_flows(lf.uuid(), std::move(flows));
}

}  // namespace ovnx::controller
