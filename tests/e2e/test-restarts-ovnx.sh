#!/bin/bash
# test-restarts.sh with the all-ovnx central: kill -9 of ovnx-controller, ovs-vswitchd, the
# ovnx-dbserver holding the Southbound database and ovnx-northd, each mid-ping.
export E2E_CENTRAL=ovnx
if [[ ! -x ${OVNX_BIN_DIR:-}/ovnx-northd || ! -x ${OVNX_BIN_DIR:-}/ovnx-dbserver ]]; then
  echo "FAIL: ovnx-northd / ovnx-dbserver not built in OVNX_BIN_DIR=${OVNX_BIN_DIR:-}" >&2
  exit 1
fi
exec "$(dirname "$0")/test-restarts.sh"
