#!/usr/bin/env bash
# Golden test of ovnx-nbctl against the real ovn-nbctl: general commands and options (init,
# show, sync, --wait, --timeout, output formats), DHCP options and connection/SSL settings.
# Each fixture in tests/fixtures/nbctl/ runs with both tools, each against a fresh server of
# each kind; the masked transcripts (stdout, stderr, exit status) must be identical.
set -u
: "${OVNX_BIN_DIR:?}" "${OVNX_SOURCE_DIR:?}"
source "$OVNX_SOURCE_DIR/tests/fixtures/nbctl/golden.sh"
nbctl_golden general.sh dhcp.sh connection.sh
