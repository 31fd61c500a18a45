// Secondary indexes of the Southbound replica the controller looks rows up by (beyond the
// schema's own): ports, multicast groups, flows and MAC bindings of one datapath.
//
// Created once per replica (Replica::add_index) and valid for its lifetime.
#pragma once

#include <vector>

#include "ovsdb/client/replica.h"
#include "ovsdb/client/sb.h"

namespace ovnx::controller {

class SbIndexes {
 public:
  explicit SbIndexes(ovsdb::client::Replica& sb);

  std::vector<const sb::PortBinding*> ports_of(const sb::DatapathBinding& dp) const;
  std::vector<const sb::MulticastGroup*> mcgroups_of(const sb::DatapathBinding& dp) const;
  std::vector<const sb::LogicalFlow*> lflows_of(const sb::DatapathBinding& dp) const;
  std::vector<const sb::LogicalFlow*> lflows_of_group(const sb::LogicalDPGroup& group) const;
  std::vector<const sb::MACBinding*> mac_bindings_of(const sb::DatapathBinding& dp) const;
  // Port_Bindings whose chassis column is CHASSIS.
  std::vector<const sb::PortBinding*> ports_on(const sb::Chassis& chassis) const;

  const ovsdb::client::Replica& replica() const { return *sb_; }

 private:
  template <class T>
  static std::vector<const T*> find(const ovsdb::client::Index* index, const Uuid& uuid);

  const ovsdb::client::Replica* sb_;
  const ovsdb::client::Index* pb_by_datapath_;
  const ovsdb::client::Index* pb_by_chassis_;
  const ovsdb::client::Index* mc_by_datapath_;
  const ovsdb::client::Index* lflow_by_datapath_;
  const ovsdb::client::Index* lflow_by_group_;
  const ovsdb::client::Index* mb_by_datapath_;
};

}  // namespace ovnx::controller
