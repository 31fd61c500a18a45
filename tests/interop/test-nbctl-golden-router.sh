#!/usr/bin/env bash
# Golden test of ovnx-nbctl against the real ovn-nbctl: logical routers, router ports, static routes, NAT and policies.
# Each fixture in tests/fixtures/nbctl/ runs with both tools, each against a fresh server of
# each kind; the masked transcripts (stdout, stderr, exit status) must be identical.
set -u
: "${OVNX_BIN_DIR:?}" "${OVNX_SOURCE_DIR:?}"
source "$OVNX_SOURCE_DIR/tests/fixtures/nbctl/golden.sh"
nbctl_golden router.sh gateway_chassis.sh ha_chassis_group.sh route.sh nat.sh policy.sh
