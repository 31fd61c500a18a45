#!/bin/bash
# The seed scenario with ovnx everywhere: ovnx-dbserver for NB and SB, ovnx-northd, the two
# ovnx-controllers, configured with ovnx-nbctl (see test-seed.sh for what is checked).
export E2E_CENTRAL=ovnx
if [[ ! -x ${OVNX_BIN_DIR:-}/ovnx-northd || ! -x ${OVNX_BIN_DIR:-}/ovnx-dbserver ]]; then
  echo "FAIL: ovnx-northd / ovnx-dbserver not built in OVNX_BIN_DIR=${OVNX_BIN_DIR:-}" >&2
  exit 1
fi
exec "$(dirname "$0")/test-seed.sh"
