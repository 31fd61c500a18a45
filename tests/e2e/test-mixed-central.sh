#!/bin/bash
# A mixed cluster the other way round: the real ovn-controller on both hypervisors with the
# all-ovnx central (ovnx-dbserver NB and SB, ovnx-northd, ovnx-nbctl) passes the seed checks.
export E2E_CENTRAL=ovnx E2E_CONTROLLER=real
if [[ ! -x ${OVNX_BIN_DIR:-}/ovnx-northd || ! -x ${OVNX_BIN_DIR:-}/ovnx-dbserver ]]; then
  echo "FAIL: ovnx-northd / ovnx-dbserver not built in OVNX_BIN_DIR=${OVNX_BIN_DIR:-}" >&2
  exit 1
fi
exec "$(dirname "$0")/test-seed.sh"
