#include "controller/sb_indexes.h"

namespace ovnx::controller {

using ovsdb::Atom;
using ovsdb::Datum;

SbIndexes::SbIndexes(ovsdb::client::Replica& sb)
    : sb_(&sb),
      pb_by_datapath_(sb.add_index(sb::PortBinding::kTableId, {sb::PortBinding::Col::datapath})),
      pb_by_chassis_(sb.add_index(sb::PortBinding::kTableId, {sb::PortBinding::Col::chassis})),
      mc_by_datapath_(
          sb.add_index(sb::MulticastGroup::kTableId, {sb::MulticastGroup::Col::datapath})),
      lflow_by_datapath_(
          sb.add_index(sb::LogicalFlow::kTableId, {sb::LogicalFlow::Col::logical_datapath})),
      lflow_by_group_(
          sb.add_index(sb::LogicalFlow::kTableId, {sb::LogicalFlow::Col::logical_dp_group})),
      mb_by_datapath_(sb.add_index(sb::MACBinding::kTableId, {sb::MACBinding::Col::datapath})) {}

template <class T>
std::vector<const T*> SbIndexes::find(const ovsdb::client::Index* index, const Uuid& uuid) {
  std::vector<const T*> out;
  for (const ovsdb::client::Row* r : index->find({Datum::scalar(Atom(uuid))})) {
    if (!r->is_deleted()) out.push_back(static_cast<const T*>(r));
  }
  return out;
}

std::vector<const sb::PortBinding*> SbIndexes::ports_of(const sb::DatapathBinding& dp) const {
  return find<sb::PortBinding>(pb_by_datapath_, dp.uuid());
}
std::vector<const sb::MulticastGroup*> SbIndexes::mcgroups_of(const sb::DatapathBinding& dp) const {
  return find<sb::MulticastGroup>(mc_by_datapath_, dp.uuid());
}
std::vector<const sb::LogicalFlow*> SbIndexes::lflows_of(const sb::DatapathBinding& dp) const {
  return find<sb::LogicalFlow>(lflow_by_datapath_, dp.uuid());
}
std::vector<const sb::LogicalFlow*> SbIndexes::lflows_of_group(
    const sb::LogicalDPGroup& group) const {
  return find<sb::LogicalFlow>(lflow_by_group_, group.uuid());
}
std::vector<const sb::MACBinding*> SbIndexes::mac_bindings_of(const sb::DatapathBinding& dp) const {
  return find<sb::MACBinding>(mb_by_datapath_, dp.uuid());
}
std::vector<const sb::PortBinding*> SbIndexes::ports_on(const sb::Chassis& chassis) const {
  return find<sb::PortBinding>(pb_by_chassis_, chassis.uuid());
}

}  // namespace ovnx::controller
