#!/bin/bash
# Forced full recompute of the two northd daemons, side by side: the real ovn-northd (OVN 23.03)
# and ovnx-northd, each against its own pair of real ovsdb-servers loaded with the same
# generated NB, one daemon after the other (never both at once).
#
#   bench/northd/recompute-side-by-side.sh [BIN_DIR] [-- gen-topology.py options]
#
# BIN_DIR holds ovnx-northd (default build/release/bin). For each daemon: load the NB, start
# the daemon on an empty SB, wait for `ovn-nbctl --wait=sb sync` and for the daemon's CPU to
# settle; then K times: clear the engine stats, `inc-engine/recompute`, wait until the northd
# node reports a recompute and the daemon's CPU time (utime+stime from /proc) stops moving.
# Reported per recompute: CPU ms (the daemon's whole work: NB input, flow build and the SB
# difference, which is empty since nothing changed) and wall ms (trigger to the stats showing
# the recompute, polled every 20 ms). CPU is the figure to trust on a busy machine.
#
# Environment: K recomputes per daemon (default 5); ONLY=ovnx or ONLY=real runs one daemon
# alone; NORTHD_OPTS adds options to ovnx-northd (e.g. -vnorthd:dbg; with KEEP=1 the logs stay),
# REAL_NORTHD_OPTS to ovn-northd (e.g. --n-threads=2: its parallel flow build, off by default);
# PERF=1 records `perf record -g` of ovnx-northd during its recomputes into perf-ovnx.data in
# the kept work directory (implies KEEP=1).
#
# 2026-11-26, defaults (500 switches x 40 ports, 185,756 logical flows), 2 cores at load ~5:
# ovn-northd 4,160-5,170 ms CPU per forced recompute; ovnx-northd 6,357 before the fingerprint
# compare, 4,220 after it with glibc's malloc, 2,490 and 2,414 with jemalloc (ratio 2.1x and
# 2.0x; the first recompute after start also fingerprints every SB flow, ~700 ms). Of ~2,450:
# compile ~1,600, freeing the previous compiler ~230, SB keys ~65, SB difference ~800
# (Logical_Flow ~500, Port_Binding ~120).
# jemalloc is off by default (-DOVNX_NORTHD_JEMALLOC=ON; not an adopted dependency yet): the
# default build took 3,100-3,870 ms at load 2.5-5 (jemalloc build 2,290-2,690 in the same runs);
# glibc tunables (tcache_count, trim/mmap thresholds, mxfast, arena_max) did not help.
# Later the same day, default build: flow text in per-sink arenas and LflowTable rows in per-shard
# std::pmr pools, back to back at load ~4-5: 3,690 -> 2,527 and 3,773 -> 2,630 ms CPU (old
# compiler freed ~710 -> ~360, Logical_Flow compare ~500 -> ~200); one full run: ovn-northd
# 4,593 vs ovnx-northd 1,877 (2.4x CPU, 3.3x wall). Idle guest, same evening: ovn-northd 4,150
# vs ovnx-northd 2,287 ms CPU (1.8x; wall 3,916 vs 1,974, 2.0x); the binary from before the
# pools right after: 3,397, then this one again 2,440.
# Next day, idle guest (load ~1): the compile's serial parts in parallel (topology per datapath,
# non-flow SB rows beside the flow build, the merge's hashing), the old compiler freed on a
# background thread, the SB difference's Logical_Flow matching on a second thread and the other
# tables matched through views: ovn-northd 4,380 ms CPU / 4,348 wall vs ovnx-northd 1,510 / 908
# (2.9x CPU, 4.8x wall; engine run 595-750 ms wall, SB difference 106-157); the previous binary
# right after: 2,950 / 2,574. Against ovn-northd --n-threads=2 (REAL_NORTHD_OPTS): 3,167 / 2,674
# vs 1,223 / 687 (2.6x CPU, 3.9x wall). Initial sync 47.4 vs 34.2 s; peak RSS 1,213 vs 1,451 MiB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=${1:-$root/build/release/bin}
shift || true
[ "${1:-}" = "--" ] && shift
GEN_ARGS=("$@")
K=${K:-5}
ONLY=${ONLY:-}
PERF=${PERF:-0}
[ "$PERF" = 1 ] && KEEP=1
case "$ONLY" in "" | ovnx | real) ;; *) echo "ONLY must be empty, ovnx or real" >&2; exit 1 ;; esac
[ "$ONLY" = real ] || [ -x "$BIN/ovnx-northd" ] || { echo "no ovnx-northd in $BIN" >&2; exit 1; }
W=$(mktemp -d /tmp/northd-recompute-bench.XXXXXX)
cleanup() {
  for f in "$W"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.5
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
TCK=$(getconf CLK_TCK)

python3 "$here/gen-topology.py" "${GEN_ARGS[@]}" >"$W/txn.json"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Waits until the process has used no CPU for 300 ms (three looks 100 ms apart).
settle() {
  local pid=$1 a b still=0
  a=$(cpu_ticks "$pid")
  while [ $still -lt 3 ]; do
    sleep 0.1
    b=$(cpu_ticks "$pid")
    if [ "$b" = "$a" ]; then still=$((still + 1)); else still=0; a=$b; fi
  done
}

declare -A R
run() {  # TAG DAEMON-BIN
  local tag=$1 bin=$2 f pid t0 t1 c0 c1 walls=() perf_pid=
  for f in nb sb; do
    ovsdb-tool create "$W/$tag-$f.db" "/usr/share/ovn/ovn-$f.ovsschema"
    ovsdb-server "$W/$tag-$f.db" --remote="punix:$W/$tag-$f.sock" --pidfile="$W/$tag-$f.pid" \
      --unixctl="$W/$tag-$f.ctl" --log-file="$W/$tag-$f.log" --detach --no-chdir
  done
  local NB="unix:$W/$tag-nb.sock" SB="unix:$W/$tag-sb.sock"
  nb() { ovn-nbctl --db="$NB" --timeout=600 "$@"; }
  nb init
  nb set NB_Global . options:mac_prefix=0a:00:00 options:svc_monitor_mac=0a:00:00:00:00:fe
  python3 "$here/ovsdb-transact.py" "$NB" "$W/txn.json" >/dev/null
  local extra=()
  [ "$tag" = ovnx ] && read -r -a extra <<<"${NORTHD_OPTS:-}"
  [ "$tag" = real ] && read -r -a extra <<<"${REAL_NORTHD_OPTS:-}"
  "$bin" "${extra[@]}" --ovnnb-db="$NB" --ovnsb-db="$SB" --pidfile="$W/$tag-northd.pid" \
    --log-file="$W/$tag-northd.log" --unixctl="$W/$tag-northd.ctl" --detach --no-chdir
  pid=$(cat "$W/$tag-northd.pid")
  t0=$(now_ms)
  nb --wait=sb sync
  t1=$(now_ms)
  R[$tag,initial]=$((t1 - t0))
  settle "$pid"
  appctl() { ovs-appctl -t "$W/$tag-northd.ctl" "$@"; }
  if [ "$PERF" = 1 ] && [ "$tag" = ovnx ]; then
    perf record -g -p "$pid" -o "$W/perf-ovnx.data" >/dev/null 2>&1 &
    perf_pid=$!
    echo "$perf_pid" >"$W/perf.pid"
    sleep 1
  fi
  c0=$(cpu_ticks "$pid")
  for _ in $(seq "$K"); do
    appctl inc-engine/clear-stats >/dev/null
    t0=$(now_ms)
    appctl inc-engine/recompute >/dev/null
    until [ "$(appctl inc-engine/show-stats northd recompute | tr -dc 0-9)" -ge 1 ]; do
      sleep 0.02
    done
    t1=$(now_ms)
    walls+=($((t1 - t0)))
    settle "$pid"
  done
  c1=$(cpu_ticks "$pid")
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" || true; rm -f "$W/perf.pid"
  fi
  R[$tag,cpu]=$(python3 -c "print('%.0f' % (($c1 - $c0) * 1000.0 / $TCK / $K))")
  R[$tag,wall]=$(printf "%s\n" "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  R[$tag,rss]=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  R[$tag,lflows]=$(ovsdb-client transact "$SB" '["OVN_Southbound", {"op":"select","table":"Logical_Flow","where":[],"columns":["_uuid"]}]' | grep -o '"_uuid"' | wc -l)
  for f in northd nb sb; do
    [ -f "$W/$tag-$f.pid" ] || continue
    kill "$(cat "$W/$tag-$f.pid")" 2>/dev/null || true
    rm -f "$W/$tag-$f.pid"
  done
  sleep 0.5
}

for t in real ovnx; do
  for k in initial cpu wall rss lflows; do R[$t,$k]=-; done
done
load0=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$ONLY" = ovnx ] || run real ovn-northd
[ "$ONLY" = real ] || run ovnx "$BIN/ovnx-northd"

ratio() {
  python3 -c "import sys
try: a, b = float(sys.argv[1]), float(sys.argv[2])
except ValueError: a = b = 0
print('%.1fx' % (a / b) if b > 0 else '-')" "$1" "$2"
}
row() { printf "%-48s %12s %12s %8s\n" "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
echo
echo "== northd daemons, forced full recompute (generated topology ${GEN_ARGS[*]:-defaults}; K=$K) =="
printf "%-48s %12s %12s %8s\n" "" "ovn-northd" "ovnx-northd" "ratio"
row "CPU ms per forced recompute (mean of $K)" "${R[real,cpu]}" "${R[ovnx,cpu]}"
row "wall ms per forced recompute (median of $K)" "${R[real,wall]}" "${R[ovnx,wall]}"
row "initial: start to --wait=sb sync (ms)" "${R[real,initial]}" "${R[ovnx,initial]}"
row "peak RSS (MiB)" "${R[real,rss]}" "${R[ovnx,rss]}"
printf "%-48s %12s %12s\n" "SB Logical_Flow rows" "${R[real,lflows]}" "${R[ovnx,lflows]}"
echo "load average: before $load0, after $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
exit 0
