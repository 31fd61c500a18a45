#!/bin/bash
# The northd daemons end to end, side by side: the real ovn-northd (OVN 23.03) and ovnx-northd,
# each against its own pair of real ovsdb-servers loaded with the same generated NB.
#
#   bench/northd/daemon-side-by-side.sh [BIN_DIR] [-- gen-topology.py options]
#
# BIN_DIR holds ovnx-northd (default build/release/bin). For each daemon:
#   - initial: start the daemon on the loaded NB and an empty SB; time until
#     `ovn-nbctl --wait=sb sync` returns (full compute and the whole SB written);
#   - lsp-add: median over N of `ovn-nbctl --wait=sb lsp-add` of one more port (address and port
#     security) on an existing switch, minus the median of the same command without --wait
#     (ovn-nbctl's own cost of reading the large NB), i.e. NB change to SB written and sb_cfg
#     reported back;
#   - acl-add: the same for one more ACL on a port group;
#   - peak RSS of the daemon (VmHWM) and the SB Logical_Flow rows.
#
# Environment: N samples (default 20); NBCTL_DAEMON=0 runs every ovn-nbctl command as its own
# process, which reads the whole NB first (by default one ovn-nbctl daemon per run keeps the NB,
# so a command's time is the change's own: without --wait a few ms); SERVER=ovnx serves NB and SB with ovnx-dbserver (from
# BIN_DIR, or DBSERVER=path) instead of the real ovsdb-server, for an all-ovnx deployment;
# ONLY=ovnx or ONLY=real runs one daemon alone (no ratios); NORTHD_OPTS adds options to
# ovnx-northd's command line (e.g. -vnorthd:dbg logs each run's engine and SB-difference time;
# KEEP=1 keeps the logs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=${1:-$root/build/release/bin}
shift || true
[ "${1:-}" = "--" ] && shift
GEN_ARGS=("$@")
N=${N:-20}
SERVER=${SERVER:-real}
ONLY=${ONLY:-}
NBCTL_DAEMON=${NBCTL_DAEMON:-1}
DBSERVER=${DBSERVER:-$BIN/ovnx-dbserver}
case "$SERVER:$ONLY" in
  real: | real:ovnx | real:real | ovnx: | ovnx:ovnx | ovnx:real) ;;
  *) echo "SERVER must be real or ovnx, ONLY empty, ovnx or real (got SERVER=$SERVER ONLY=$ONLY)" >&2
     exit 1 ;;
esac
if [ "$SERVER" = ovnx ] && [ ! -x "$DBSERVER" ]; then
  echo "SERVER=ovnx: no ovnx-dbserver at $DBSERVER (set DBSERVER)" >&2; exit 1
fi
W=$(mktemp -d /tmp/northd-daemon-bench.XXXXXX)
cleanup() {
  for f in "$W"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  [ "${KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

python3 "$here/gen-topology.py" "${GEN_ARGS[@]}" >"$W/txn.json"

declare -A R
run() {  # TAG DAEMON-BIN
  local tag=$1 bin=$2 f t0 t1 pid
  for f in nb sb; do
    ovsdb-tool create "$W/$tag-$f.db" "/usr/share/ovn/ovn-$f.ovsschema"
    local server=ovsdb-server
    [ "$SERVER" = ovnx ] && server=$DBSERVER
    "$server" "$W/$tag-$f.db" --remote="punix:$W/$tag-$f.sock" --pidfile="$W/$tag-$f.pid" \
      --unixctl="$W/$tag-$f.ctl" --log-file="$W/$tag-$f.log" --detach --no-chdir
  done
  local NB="unix:$W/$tag-nb.sock" SB="unix:$W/$tag-sb.sock"
  nb() { ovn-nbctl --db="$NB" --timeout=600 "$@"; }
  nb init
  nb set NB_Global . options:mac_prefix=0a:00:00 options:svc_monitor_mac=0a:00:00:00:00:fe
  python3 "$here/ovsdb-transact.py" "$NB" "$W/txn.json" >/dev/null
  if [ "$NBCTL_DAEMON" != 0 ]; then
    local sock
    sock=$(ovn-nbctl --db="$NB" --pidfile="$W/$tag-nbctl.pid" --unixctl="$W/$tag-nbctl.ctl" \
      --log-file="$W/$tag-nbctl.log" --detach --no-chdir)
    nb() { OVN_NB_DAEMON=$sock ovn-nbctl --timeout=600 "$@"; }
  fi
  local extra=()
  [ "$tag" = ovnx ] && read -r -a extra <<<"${NORTHD_OPTS:-}"
  "$bin" "${extra[@]}" --ovnnb-db="$NB" --ovnsb-db="$SB" --pidfile="$W/$tag-northd.pid" \
    --log-file="$W/$tag-northd.log" --unixctl="$W/$tag-northd.ctl" --detach --no-chdir
  pid=$(cat "$W/$tag-northd.pid")
  t0=$(now_ms)
  nb --wait=sb sync
  t1=$(now_ms)
  R[$tag,initial]=$((t1 - t0))
  local sw pg i base=() wait=() acl=() acl_base=()
  sw=$(nb --bare --columns=name find Logical_Switch name=sw7 | head -1)
  pg=pg3
  for i in $(seq "$N"); do
    t0=$(now_ms)
    nb lsp-add "$sw" "bench-nowait-$i" -- lsp-set-addresses "bench-nowait-$i" \
      "0a:bb:00:00:01:$(printf %02x "$i") 10.250.1.$i" -- lsp-set-port-security "bench-nowait-$i" \
      "0a:bb:00:00:01:$(printf %02x "$i")"
    t1=$(now_ms); base+=($((t1 - t0)))
    t0=$(now_ms)
    nb --wait=sb lsp-add "$sw" "bench-$i" -- lsp-set-addresses "bench-$i" \
      "0a:bb:00:00:00:$(printf %02x "$i") 10.250.0.$i" -- lsp-set-port-security "bench-$i" \
      "0a:bb:00:00:00:$(printf %02x "$i")"
    t1=$(now_ms); wait+=($((t1 - t0)))
    t0=$(now_ms)
    nb acl-add "$pg" to-lport 1001 "outport == @$pg && ip4.src == 10.251.1.$i && tcp.dst == 80" allow-related
    t1=$(now_ms); acl_base+=($((t1 - t0)))
    t0=$(now_ms)
    nb --wait=sb acl-add "$pg" to-lport 1001 "outport == @$pg && ip4.src == 10.251.0.$i && tcp.dst == 80" allow-related
    t1=$(now_ms); acl+=($((t1 - t0)))
  done
  nb --wait=sb sync
  R[$tag,lsp_raw]=$(printf "%s\n" "${wait[@]}" | median)
  R[$tag,lsp_base]=$(printf "%s\n" "${base[@]}" | median)
  R[$tag,acl_raw]=$(printf "%s\n" "${acl[@]}" | median)
  R[$tag,acl_base]=$(printf "%s\n" "${acl_base[@]}" | median)
  R[$tag,rss]=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  R[$tag,lflows]=$(ovsdb-client transact "$SB" '["OVN_Southbound", {"op":"select","table":"Logical_Flow","where":[],"columns":["_uuid"]}]' | grep -o '"_uuid"' | wc -l)
  ovn-sbctl --db="$SB" --timeout=600 lflow-list | grep 'table=' |
    sed -E 's/\(0x[0-9a-f]+\)//g' | sort >"$W/$tag-lflows.txt"
  for f in nbctl northd nb sb; do
    [ -f "$W/$tag-$f.pid" ] || continue
    kill "$(cat "$W/$tag-$f.pid")" 2>/dev/null || true
    rm -f "$W/$tag-$f.pid"
  done
  sleep 0.5
}

for t in real ovnx; do  # a daemon left out reports dashes
  for k in initial lsp_raw lsp_base acl_raw acl_base rss lflows; do R[$t,$k]=-; done
done
[ "$ONLY" = ovnx ] || run real ovn-northd
[ "$ONLY" = real ] || run ovnx "$BIN/ovnx-northd"

ratio() {
  python3 -c "import sys
try: a, b = float(sys.argv[1]), float(sys.argv[2])
except ValueError: a = b = 0
print('%.1fx' % (a / b) if b > 0 else '-')" "$1" "$2"
}
minus() { [ "$1" = - ] || [ "$2" = - ] && echo - || echo $(($1 - $2)); }
row() { printf "%-52s %12s %12s %8s\n" "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
echo
servers="real ovsdb-servers"
[ "$SERVER" = ovnx ] && servers="ovnx-dbservers"
clients="one ovn-nbctl daemon"
[ "$NBCTL_DAEMON" = 0 ] && clients="an ovn-nbctl process per command"
echo "== northd daemons end to end (generated topology ${GEN_ARGS[*]:-defaults}; $servers; $clients) =="
printf "%-52s %12s %12s %8s\n" "" "ovn-northd" "ovnx-northd" "ratio"
row "initial: start to --wait=sb sync returned (ms)" "${R[real,initial]}" "${R[ovnx,initial]}"
row "--wait=sb lsp-add, median of $N (ms)" "${R[real,lsp_raw]}" "${R[ovnx,lsp_raw]}"
row "  minus the same without --wait (ms)" "$(minus "${R[real,lsp_raw]}" "${R[real,lsp_base]}")" \
  "$(minus "${R[ovnx,lsp_raw]}" "${R[ovnx,lsp_base]}")"
row "--wait=sb acl-add, median of $N (ms)" "${R[real,acl_raw]}" "${R[ovnx,acl_raw]}"
row "  minus the same without --wait (ms)" "$(minus "${R[real,acl_raw]}" "${R[real,acl_base]}")" \
  "$(minus "${R[ovnx,acl_raw]}" "${R[ovnx,acl_base]}")"
row "peak RSS (MiB)" "${R[real,rss]}" "${R[ovnx,rss]}"
printf "%-52s %12s %12s\n" "SB Logical_Flow rows" "${R[real,lflows]}" "${R[ovnx,lflows]}"
if [ -n "$ONLY" ]; then same="not compared (ONLY=$ONLY)"
elif cmp -s "$W/real-lflows.txt" "$W/ovnx-lflows.txt"; then same=identical
else same="DIFFERENT ($(diff "$W/real-lflows.txt" "$W/ovnx-lflows.txt" | grep -c '^[<>]') lines)"; fi
echo "logical flows (lflow-list without stage hints) vs the real ones: $same"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exit 0
