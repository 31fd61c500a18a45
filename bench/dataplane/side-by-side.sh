#!/bin/bash
# Dataplane side by side: ping RTT and TCP throughput through the flows the real OVN 23.03
# installs and through the flows ovnx installs, on the same datapath (real ovs-vswitchd,
# userspace, geneve between two namespace hosts), in one run. Each flavour runs the whole seed
# scenario on its own (bench/dataplane/run-one.sh): real = ovsdb-server + ovn-northd +
# ovn-controller, ovnx = ovnx-dbserver + ovnx-northd + ovnx-controller. Needs root.
#
#   bench/dataplane/side-by-side.sh [BIN_DIR] [PINGS] [TCP_SECONDS] [ROUNDS] [IDLE_SECONDS]
#
# Prints medians over ROUNDS runs of each (the order alternates per round) and the ratio real/ovnx (for RTT above 1 means
# ours is faster; for throughput below 1 means ours is faster), whether the datapath flows
# that carried the TCP streams are the same for both, then each daemon's CPU ticks
# over an idle window and over the TCP runs (run-one.sh): the daemons share the cores with the
# datapath, so a busy daemon costs throughput.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=$(cd "${1:-$root/build/release/bin}" && pwd) || exit 1
PINGS=${2:-500}
TCP_SECONDS=${3:-5}
ROUNDS=${4:-3}
IDLE_SECONDS=${5:-10}
for b in ovnx-dbserver ovnx-northd ovnx-controller ovnx-nbctl ovnx-sbctl; do
  [[ -x $BIN/$b ]] || { echo "side-by-side.sh: $BIN/$b not built" >&2; exit 1; }
done
OUT=$(mktemp -d /tmp/ovnx-dataplane.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

for ((r = 1; r <= ROUNDS; r++)); do
  # Odd rounds run real first, even rounds ovnx first, so neither always gets the fresher guest.
  order="real ovnx"; ((r % 2 == 0)) && order="ovnx real"
  for flavour in $order; do
    echo "round $r: $flavour" >&2
    OVNX_BIN_DIR=$BIN "$here/run-one.sh" "$flavour" "$PINGS" "$TCP_SECONDS" "$IDLE_SECONDS" \
      >"$OUT/$flavour.$r" 2>"$OUT/$flavour.$r.err" ||
      { cat "$OUT/$flavour.$r.err" >&2; echo "side-by-side.sh: $flavour run $r failed" >&2; exit 1; }
  done
done

median() {  # FLAVOUR KEY
  cat "$OUT/$1".[0-9]* | awk -v k="$2" '$1 == k {print $2}' | sort -g |
    awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print('%.2f' % (a/b) if b > 0 else '-')" "$1" "$2"; }
row() {  # LABEL KEY
  local a b
  a=$(median real "$2") b=$(median ovnx "$2")
  printf "%-44s %12s %12s %8s\n" "$1" "$a" "$b" "$(ratio "$a" "$b")"
}
echo
echo "== dataplane through each flavour's flows (seed, geneve, userspace datapath; median of $ROUNDS) =="
printf "%-44s %12s %12s %8s\n" "" "real OVN" "ovnx" "real/ovnx"
row "ping RTT L2 n1ns1 -> n2ns1, avg (ms)" rtt_l2_avg
row "ping RTT L3 n1ns1 -> n2ns2, avg (ms)" rtt_l3_avg
row "TCP L2 one stream (Mbit/s)" tcp_l2_mbps
row "TCP L3 one stream (Mbit/s)" tcp_l3_mbps
row "OpenFlow flows on node1 br-int" flows_node1
echo
# The same packets should cost the datapath the same work: compare the flows that carried the
# TCP streams (run-one.sh masks what differs between any two runs).
echo "== datapath flows carrying the TCP streams, real OVN vs ovnx (round 1) =="
if ! grep -q '^dpflow_' "$OUT/real.1"; then
  echo "no flows dumped (a TCP run too short to catch its flows?)"
elif diff <(grep '^dpflow_' "$OUT/real.1") <(grep '^dpflow_' "$OUT/ovnx.1") >"$OUT/dpflow.diff"; then
  echo "identical: $(grep -c '^dpflow_' "$OUT/real.1") flows (matches, masks and actions)"
else
  echo "differ (< real OVN, > ovnx):"; cat "$OUT/dpflow.diff"
fi
echo
echo "== CPU ticks of each daemon (1/100 s; median of $ROUNDS): idle ${IDLE_SECONDS}s, and the TCP runs;"
echo "   datapath counters over the TCP runs =="
printf "%-44s %12s %12s\n" "" "real OVN" "ovnx"
for k in $(cat "$OUT"/*.[0-9]* | awk '$1 ~ /^(idle|tcp)_(cpu|dp)_/ {print $1}' | sort -u); do
  a=$(median real "$k") b=$(median ovnx "$k")
  printf "%-44s %12s %12s\n" "$k" "${a:--}" "${b:--}"
done
