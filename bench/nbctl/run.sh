#!/usr/bin/env bash
# Side-by-side: creating logical switch ports with ovnx-nbctl and with the real ovn-nbctl
# against the same kind of server (a fresh one per run): one command per process, and all
# in one multi-command transaction ("lsp-add ... -- lsp-add ..."). Prints wall time, the
# tool's CPU (user+sys of the tool processes only) and ratios real / ovnx.
#
#   bench/nbctl/run.sh BUILD_DIR       (a release build: make release)
#   PORTS=10000 (multi-command) SINGLE=1000 (one per process) SERVER=real|ovnx
set -eu
BUILD=${1:-build/release}
PORTS=${PORTS:-10000}
SINGLE=${SINGLE:-$PORTS}
SERVER=${SERVER:-real}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
OVNX=$BUILD/bin/ovnx-nbctl
tmp=$(mktemp -d /tmp/ovnx-bench-nbctl-XXXXXX)
trap 'kill $(cat "$tmp"/*.pid 2>/dev/null) 2>/dev/null; rm -rf "$tmp"' EXIT

start() {  # start NAME: a fresh NB server; sets NB
  ovsdb-tool create "$tmp/$1.db" "$SRC/schemas/ovn-nb.ovsschema"
  local bin=ovsdb-server
  [[ $SERVER == ovnx ]] && bin=$BUILD/bin/ovnx-dbserver
  "$bin" "$tmp/$1.db" --remote="punix:$tmp/$1.sock" --unixctl="$tmp/$1.ctl" \
    --pidfile="$tmp/$1.pid" --detach --no-chdir --log-file="$tmp/$1.log" 2>/dev/null
  for _ in $(seq 400); do [[ -S $tmp/$1.sock && -s $tmp/$1.pid ]] && break; sleep 0.05; done
  [[ -S $tmp/$1.sock ]] || { echo "server $1 did not start" >&2; exit 1; }
  NB=unix:$tmp/$1.sock
}

stop() { kill "$(cat "$tmp/$1.pid")" 2>/dev/null; rm -f "$tmp/$1.pid"; }

# "wall_seconds cpu_seconds" of a shell snippet; CPU is that of the snippet's children
# (the tool processes), not of the server.
measure() {
  bash -c "TIMEFORMAT='%R %U %S'; time ( $1 ) >/dev/null" 2>&1 | tail -1 |
    awk '{printf "%s %.2f\n", $1, $2 + $3}'
}

run_single() {  # TOOL NAME
  start "$2"
  "$1" --db="$NB" ls-add ls0
  echo "for i in \$(seq $SINGLE); do $1 --db=$NB lsp-add ls0 p\$i; done" >"$tmp/$2.sh"
  measure "source $tmp/$2.sh"
  local n
  n=$("$1" --db="$NB" lsp-list ls0 | wc -l)
  [[ $n == "$SINGLE" ]] || echo "warning: $2 created $n ports" >&2
  stop "$2"
}

run_multi() {  # TOOL NAME
  start "$2"
  "$1" --db="$NB" ls-add ls0
  /usr/bin/python3 -c "
import sys
n = int(sys.argv[1])
print('\n'.join(a for i in range(n) for a in (['--'] if i else []) + ['lsp-add', 'ls0', 'p%d' % i]))
" "$PORTS" >"$tmp/$2.args"
  measure "mapfile -t a <$tmp/$2.args; $1 --db=$NB \"\${a[@]}\""
  local n
  n=$("$1" --db="$NB" lsp-list ls0 | wc -l)
  [[ $n == "$PORTS" ]] || echo "warning: $2 created $n ports" >&2
  stop "$2"
}

ratio() { /usr/bin/python3 -c "print('%.1fx' % ($1 / max($2, 0.005)))"; }

echo "lsp-add into one switch, $SERVER server"
read -r rs_w rs_c < <(run_single ovn-nbctl real-single)
read -r os_w os_c < <(run_single "$OVNX" ovnx-single)
printf '  %-44s %8.2f s wall  %7.2f s CPU\n' "ovn-nbctl, $SINGLE processes" "$rs_w" "$rs_c"
printf '  %-44s %8.2f s wall  %7.2f s CPU\n' "ovnx-nbctl, $SINGLE processes" "$os_w" "$os_c"
echo "  ratio real / ovnx: $(ratio "$rs_w" "$os_w") wall, $(ratio "$rs_c" "$os_c") CPU"
read -r rm_w rm_c < <(run_multi ovn-nbctl real-multi)
read -r om_w om_c < <(run_multi "$OVNX" ovnx-multi)
printf '  %-44s %8.2f s wall  %7.2f s CPU\n' "ovn-nbctl, $PORTS commands in 1 transaction" "$rm_w" "$rm_c"
printf '  %-44s %8.2f s wall  %7.2f s CPU\n' "ovnx-nbctl, $PORTS commands in 1 transaction" "$om_w" "$om_c"
echo "  ratio real / ovnx: $(ratio "$rm_w" "$om_w") wall, $(ratio "$rm_c" "$om_c") CPU"
