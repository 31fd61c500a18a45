#!/bin/bash
# Full recompute of the same generated NB by the real ovn-northd (OVN 23.03) and by ovnx's
# compiler, side by side, as ratios.
#
#   bench/northd/side-by-side.sh [BENCH_BIN] [-- gen-topology.py options]
#
# BENCH_BIN is northd_compile_bench from a release build (default: build/release/bench/...).
# Steps: load the topology into a real NB ovsdb-server in one transaction; start the real
# ovn-northd against an empty SB and time the first `ovn-nbctl --wait=sb sync` (initial full
# compute and SB write); then force RECOMPUTES full recomputes (inc-engine/recompute), one at
# a time, and take northd's own stopwatch of the main-loop iteration that ran each one (wall
# clock) and its CPU time from /proc (a busy machine skews wall clock, not CPU time); count SB
# rows; record northd's peak RSS. Then dump NB and SB
# and run our compiler on the NB with the SB's tunnel keys (ITER times, 1 thread and all
# threads), check that our SB text equals the real one, and print both sets of numbers.
#
# Not like for like: ovn-northd's figure is its whole main-loop iteration (NB input, flow build
# and the SB difference), ours is the compiler library alone (NB snapshot to desired SB). The
# daemons' own forced recomputes, like for like, are what recompute-side-by-side.sh measures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=${1:-$root/build/release/bench/northd_compile_bench}
shift || true
[ "${1:-}" = "--" ] && shift
GEN_ARGS=("$@")
RECOMPUTES=${RECOMPUTES:-5}
ITER=${ITER:-5}
W=$(mktemp -d /tmp/northd-bench.XXXXXX)
cleanup() {
  for f in "$W"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  sleep 0.3
  [ "${KEEP:-0}" = 1 ] || rm -rf "$W"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }

ovsdb-tool create "$W/nb.db" /usr/share/ovn/ovn-nb.ovsschema
ovsdb-tool create "$W/sb.db" /usr/share/ovn/ovn-sb.ovsschema
for f in nb sb; do
  ovsdb-server "$W/$f.db" --remote="punix:$W/$f.sock" --pidfile="$W/$f.pid" \
    --unixctl="$W/$f.ctl" --log-file="$W/$f.log" --detach
done
NB="unix:$W/nb.sock" SB="unix:$W/sb.sock"
nb() { ovn-nbctl --db="$NB" "$@"; }
nb init
nb set NB_Global . options:mac_prefix=0a:00:00 options:svc_monitor_mac=0a:00:00:00:00:fe

python3 "$here/gen-topology.py" "${GEN_ARGS[@]}" >"$W/txn.json"
t0=$(now_ms)
python3 "$here/ovsdb-transact.py" "$NB" "$W/txn.json" >/dev/null
t1=$(now_ms)
echo "NB loaded in $((t1 - t0)) ms: $(nb --bare --columns=_uuid list Logical_Switch_Port | grep -c .) switch ports"

ovn-northd --ovnnb-db="$NB" --ovnsb-db="$SB" --pidfile="$W/northd.pid" \
  --log-file="$W/northd.log" --unixctl="$W/northd.ctl" --detach
t0=$(now_ms)
nb --timeout=600 --wait=sb sync
t1=$(now_ms)
real_initial=$((t1 - t0))
appctl() { ovn-appctl -t "$W/northd.ctl" "$@"; }
northd_pid=$(cat "$W/northd.pid")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$northd_pid/stat"; }
samples() { appctl stopwatch/show build_lflows | awk -F: '/Total samples/ {print $2+0}'; }
# One forced full recompute at a time: reset northd's stopwatch, trigger, wait for the sample.
walls=()
cpu0=$(cpu_ticks)
for _ in $(seq "$RECOMPUTES"); do
  appctl stopwatch/reset >/dev/null
  appctl inc-engine/recompute >/dev/null
  until [ "$(samples)" -ge 1 ]; do sleep 0.05; done
  # The main-loop iteration that did it: NB processing, flow build and the (empty) SB diff.
  walls+=("$(appctl stopwatch/show ovn-northd-loop | awk -F: '/Maximum/ {gsub(/[^0-9.]/, "", $2); print $2}')")
done
cpu1=$(cpu_ticks)
real_rss=$(awk '/VmHWM/ {print $2}' "/proc/$northd_pid/status")
real_recompute=$(printf "%s\n" "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
real_min=$(printf "%s\n" "${walls[@]}" | sort -n | head -1)
ticks_per_s=$(getconf CLK_TCK)
real_cpu=$(python3 -c "print('%.1f' % (($cpu1 - $cpu0) * 1000.0 / $ticks_per_s / $RECOMPUTES))")
count() { ovsdb-client transact "$SB" "[\"OVN_Southbound\", {\"op\":\"select\",\"table\":\"$1\",\"where\":[],\"columns\":[\"_uuid\"]}]" | grep -o '"_uuid"' | wc -l; }
declare -A real_rows
for t in Logical_Flow Logical_DP_Group Datapath_Binding Port_Binding Multicast_Group Address_Set Port_Group; do
  real_rows[$t]=$(count $t)
done

python3 "$root/tests/fixtures/northd/dump-db.py" "$NB" OVN_Northbound "$W/nb.json"
python3 "$root/tests/fixtures/northd/dump-db.py" "$SB" OVN_Southbound "$W/sb.json"
python3 "$root/tests/fixtures/northd/sb-text.py" "$W/sb.json" >"$W/real-sb.txt"

ours1=$("$BIN" --nb "$W/nb.json" --sb "$W/sb.json" --iterations "$ITER" --threads 1)
oursN=$("$BIN" --nb "$W/nb.json" --sb "$W/sb.json" --iterations "$ITER" --threads 0 \
          --text "$W/ours-sb.txt")
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
if cmp -s "$W/real-sb.txt" "$W/ours-sb.txt"; then same="identical"
else same="DIFFERENT ($(diff "$W/real-sb.txt" "$W/ours-sb.txt" | grep -c '^[<>]') lines)"; fi

ours1_ms=$(field "$ours1" compile_ms_median)
oursN_ms=$(field "$oursN" compile_ms_median)
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.1fx' % (a/b) if b else '-')" "$1" "$2"; }
echo
echo "== full recompute (generated topology ${GEN_ARGS[*]:-defaults}) =="
printf "%-44s %12s %12s %8s\n" "" "ovn-northd" "ovnx" "ratio"
printf "%-44s %12s %12s %8s\n" "recompute CPU ms (mean), 1 thread" \
  "$real_cpu" "$(field "$ours1" cpu_ms_mean)" "$(ratio "$real_cpu" "$(field "$ours1" cpu_ms_mean)")"
printf "%-44s %12s %12s %8s\n" "recompute wall ms (median of $RECOMPUTES / $ITER), 1 thread" \
  "$real_recompute" "$ours1_ms" "$(ratio "$real_recompute" "$ours1_ms")"
printf "%-44s %12s %12s %8s\n" "recompute wall ms, ovnx on all cores" \
  "$real_recompute" "$oursN_ms" "$(ratio "$real_recompute" "$oursN_ms")"
printf "%-44s %12s %12s %8s\n" "recompute wall ms, minimum, 1 thread" "$real_min" \
  "$(field "$ours1" compile_ms_min)" "$(ratio "$real_min" "$(field "$ours1" compile_ms_min)")"
printf "%-44s %12s %12s\n" "first compute + SB write (ms, ovn-northd)" "$real_initial" "-"
printf "%-44s %12s %12s %8s\n" "peak RSS (MiB)" "$((real_rss / 1024))" \
  "$(( $(field "$oursN" peak_rss_kib) / 1024 ))" \
  "$(ratio "$real_rss" "$(field "$oursN" peak_rss_kib)")"
for t in Logical_Flow Logical_DP_Group Datapath_Binding Port_Binding Multicast_Group Address_Set Port_Group; do
  printf "%-44s %12s %12s\n" "SB $t rows" "${real_rows[$t]}" "$(field "$oursN" "$t")"
done
echo "our SB (canonical text) vs the real one: $same"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "phases (ovnx, all cores): topology $(field "$oursN" topology_ms) ms, lflows $(field "$oursN" lflows_ms) ms, merge $(field "$oursN" merge_ms) ms, tables $(field "$oursN" tables_ms) ms"
[ "${KEEP:-0}" = 1 ] && echo "kept: $W"
exit 0
