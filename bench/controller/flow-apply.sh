#!/bin/bash
# How ovs-vswitchd's cost of taking a large flow table depends on how it is sent: one atomic
# bundle, several bundles, or plain flow_mods followed by a barrier (what ovs-ofctl add-flows
# does). Loads FLOWS (an `ovs-ofctl --no-stats --no-names dump-flows` output, e.g. from
# BENCH_PROFILE of bench-controller.sh) into an empty netdev br-int of a fresh ovs-vswitchd,
# REPEAT times per way, and prints the wall time and ovs-vswitchd's CPU ticks of each.
#
#   bench/controller/flow-apply.sh FLOWS [REPEAT [PORTS]]
#
# PORTS (default 0) internal ports are on the bridge first, as after the bench's bind: each of
# ovs-vswitchd's main loop iterations then polls them all, and it takes at most 50 OpenFlow
# messages of a connection per iteration.
#
# What it showed (11,476 flows of the 20x50 bench topology, 2 CPUs, load ~5, 3 runs each):
# one atomic bundle costs ovs-vswitchd 11-17 ticks (10 ms each), 8 bundles one after the
# other 19-28, 32 bundles 46-51, plain flow_mods + barrier 80-138, 8 connections of flow_mods
# at once 69-82. Every commit costs the switch about a table's worth of work, and flow_mods
# outside a bundle cost it several times more: the controller keeps one bundle per
# difference and does not split the initial table.
# With the bench's 200 ports on the bridge (PORTS=200, 5 runs) one atomic bundle costs 25-42
# ticks: each iteration polls every port, and there are ~230 of them (50 messages each). The
# same table as 2, 4 or 8 bundles sent at once on as many connections (fewer iterations)
# costs 28-40, 31-41 and 38-51 ticks: what the iterations save, the extra commits cost.
set -u
FLOWS=$1
REPEAT=${2:-3}
PORTS=${3:-0}
export OVNX_SOURCE_DIR=${OVNX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$OVNX_SOURCE_DIR/tests/e2e/lib.sh"

ms() { date +%s%3N; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

e2e_host hv 10.0.98.2
vs hv -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure
ofctl hv add-tlv-map br-int "{class=0x102,type=0x80,len=4}->tun_metadata0"
if ((PORTS > 0)); then
  args=()
  for ((k = 0; k < PORTS; k++)); do args+=(-- add-port br-int "fa$k" -- set interface "fa$k" type=internal); done
  vs hv "${args[@]}"
fi
vsw=$(e2e_pid hv/vswitchd.pid)
n=$(grep -c . "$FLOWS")
parts=$E2E_DIR/parts
mkdir -p "$parts"
# Chunks in the order of the dump (it is grouped by table).
split -n l/8 "$FLOWS" "$parts/p8."
split -n l/32 "$FLOWS" "$parts/p32."
split -n l/4 "$FLOWS" "$parts/p4."

# measure NAME COMMAND...: wall ms and vswitchd ticks of loading the table into an empty bridge.
measure() {
  local name=$1 k t0 c0 walls=() cpus=()
  shift
  for ((k = 0; k < REPEAT; k++)); do
    ofctl hv del-flows br-int
    sleep 0.3
    c0=$(ticks "$vsw")
    t0=$(ms)
    "$@" || echo "$name failed" >&2
    walls+=($(($(ms) - t0)))
    cpus+=($(($(ticks "$vsw") - c0)))
  done
  local got
  got=$(ofctl hv --no-stats dump-flows br-int | grep -vc '^OFPST')
  printf '%-34s wall ms: %-16s vswitchd ticks: %-12s flows %d/%d\n' "$name" "${walls[*]}" \
    "${cpus[*]}" "$got" "$n"
}
one_bundle() { ofctl hv --bundle add-flows br-int "$FLOWS"; }
plain() { ofctl hv add-flows br-int "$FLOWS"; }
bundles() {  # PREFIX
  local f
  for f in "$parts/$1".*; do ofctl hv --bundle add-flows br-int "$f" || return 1; done
}
parallel_bundles() {  # PREFIX: every chunk at once, one bundle per connection
  local f pids=()
  for f in "$parts/$1".*; do ofctl hv --bundle add-flows br-int "$f" & pids+=($!); done
  wait "${pids[@]}"
}
plain_parallel_parts() {  # PREFIX: every chunk at once, as separate connections
  local f pids=()
  for f in "$parts/$1".*; do ofctl hv add-flows br-int "$f" & pids+=($!); done
  wait "${pids[@]}"
}

echo "$n flows from $FLOWS, $PORTS ports, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "one atomic bundle" one_bundle
measure "flow_mods + barrier" plain
measure "8 bundles, one after another" bundles p8
measure "32 bundles, one after another" bundles p32
measure "8 connections of flow_mods" plain_parallel_parts p8
measure "4 connections of one bundle each" parallel_bundles p4
measure "8 connections of one bundle each" parallel_bundles p8
measure "one atomic bundle (again)" one_bundle
