#!/bin/bash
# One half of bench/dataplane/side-by-side.sh: the seed scenario (tests/e2e/lib.sh: two namespace
# hosts with real ovs-vswitchd, userspace datapath, geneve) run entirely by one OVN flavour, then
# ping RTT and TCP throughput through the flows it installed. Prints "key value" lines.
#
#   OVNX_BIN_DIR=build/release/bin bench/dataplane/run-one.sh real|ovnx [PINGS] [TCP_SECONDS] \
#       [IDLE_SECONDS]
#
# Also the CPU time (clock ticks, utime + stime) of every daemon of the scenario (central:
# NB, SB, northd; each node: ovsdb-server, ovs-vswitchd, controller) over an idle window of
# IDLE_SECONDS before the pings ("idle_cpu_HOST_DAEMON") and over the two TCP runs
# ("tcp_cpu_HOST_DAEMON"): on a small machine a daemon's background work competes with the
# datapath threads for the cores. And each node's datapath counters over the TCP runs
# ("tcp_dp_HOST_upcalls", ...): the same traffic should take the same path through both
# flavours' flows.
set -u
FLAVOUR=$1
PINGS=${2:-500}
TCP_SECONDS=${3:-5}
IDLE_SECONDS=${4:-10}
case $FLAVOUR in
  real) export E2E_CENTRAL=real E2E_CONTROLLER=real ;;
  ovnx) export E2E_CENTRAL=ovnx E2E_CONTROLLER=ovnx ;;
  *) echo "run-one.sh: $FLAVOUR: expected real or ovnx" >&2; exit 2 ;;
esac
export OVNX_SOURCE_DIR=${OVNX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$OVNX_SOURCE_DIR/tests/e2e/lib.sh"
PY=/usr/bin/python3  # the system python: plain sockets, nothing else

e2e_seed
# A veth leaves TCP checksums to an offload the userspace datapath does not perform: without
# this, TCP segments arrive with bad checksums. ETHTOOL_STXCSUM off (ethtool is not installed).
tx_csum_off() {
  ip netns exec "$E2E_P-$1" "$PY" - <<'PY' || fail "tx checksum offload off in $1"
import ctypes, fcntl, socket, struct
value = ctypes.create_string_buffer(struct.pack("II", 0x17, 0))  # ETHTOOL_STXCSUM, data 0
ifreq = struct.pack("16sP16x", b"eth0", ctypes.addressof(value))
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(sock.fileno(), 0x8946, ifreq)  # SIOCETHTOOL
PY
}
for ns in n1ns1 n2ns1 n2ns2; do tx_csum_off "$ns"; done
nb --wait=hv --timeout=60 sync || fail "--wait=hv did not complete"
e2e_wait_seed_pings 30

# PATH NS DEST: RTT statistics of PINGS echo requests 10 ms apart, after a warm-up that gets
# the datapath's flow cache populated.
rtt() {
  local ns=$1 dest=$2 line
  ip netns exec "$E2E_P-$ns" ping -c 20 -i 0.01 -q "$dest" >/dev/null 2>&1
  line=$(ip netns exec "$E2E_P-$ns" ping -c "$PINGS" -i 0.01 -q "$dest" 2>&1 | grep '^rtt') ||
    fail "ping $ns -> $dest"
  # rtt min/avg/max/mdev = a/b/c/d ms
  read -r min avg max mdev < <(sed -E 's|.*= ([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+) ms|\1 \2 \3 \4|' <<<"$line")
  echo "$min $avg $max $mdev"
}

# HOST: the datapath flows of HOST that matched over 1,000 packets and one in the last half
# second (the bulk of the running TCP stream, not the last one's), one per line with what differs between any two runs masked: flow ids and counters, the
# run's interface-name prefix, the underlay's random MACs, and values under an all-zero mask
# (ports, addresses and TOS the flow does not match on, whatever the first packet carried).
# Both flavours' flows are equal exactly when the datapath does the same work per packet.
bulk_dp_flows() {
  ovs-appctl -t "$E2E_DIR/$1/vswitchd.ctl" dpctl/dump-flows -m 2>/dev/null |
    awk -F'packets:' 'NF > 1 && match($2, /used:[0-9.]+s/) {
      split($2, a, ","); if (a[1] + 0 > 1000 && substr($2, RSTART + 5, RLENGTH - 6) + 0 < 0.5) print
    }' |
    sed -E -e 's/^ufid:[^,]*, //' \
      -e 's/packets:[0-9]+, bytes:[0-9]+, used:[^,]*, (flags:[^,]*, )?//' \
      -e "s/\b$E2E_P([uv][0-9]+)/\1/g" \
      -e 's/=[^,()=]*\/(0|0\.0\.0\.0|::)([,)])/=*\/\1\2/g' \
      -e 's/(dst|src)=[0-9a-f]{2}:[0-9a-f:]{14}/\1=M:&/g' \
      -e 's/(dst|src)=M:(dst|src)=(00:00:00|12:00:00|33:33|01:00:5e|ff:ff:ff)/\1=\3/g' \
      -e 's/(dst|src)=M:(dst|src)=[0-9a-f:]{17}/\1=underlay-mac/g' | sort
}

# SERVER_NS SERVER_IP CLIENT_NS: Mbit/s of one TCP stream for TCP_SECONDS (bytes the receiver got).
tcp_mbps() {
  local sns=$1 sip=$2 cns=$3 out=$E2E_DIR/tcp-$1.out
  ip netns exec "$E2E_P-$sns" "$PY" - "$sip" >"$out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5201)); s.listen(1)
c, _ = s.accept(); n = 0; t0 = time.monotonic()
while True:
    b = c.recv(1 << 20)
    if not b: break
    n += len(b)
print(n * 8 / (time.monotonic() - t0) / 1e6)
PY
  local server=$!
  sleep 0.5
  # Halfway through, the datapath flows that carry the stream (see bulk_dp_flows).
  (sleep "$(awk -v t="$TCP_SECONDS" 'BEGIN {print t / 2}')"
   for h in node1 node2; do bulk_dp_flows "$h" | sed "s/^/dpflow_$1_$h /"; done >"$E2E_DIR/dp-$1") &
  local dumper=$!
  ip netns exec "$E2E_P-$cns" "$PY" - "$sip" "$TCP_SECONDS" <<'PY' || fail "tcp client $cns -> $sip"
import socket, sys, time
c = socket.create_connection((sys.argv[1], 5201), timeout=10)
buf = b"\0" * (1 << 16); end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end: c.sendall(buf)
c.close()
PY
  wait "$server" || fail "tcp server $sns"
  wait "$dumper"
  printf '%.0f\n' "$(cat "$out")"
}

# Every daemon's CPU ticks, one "HOST_DAEMON TICKS" line each (by pidfile: central/nb.pid ...).
daemon_ticks() {
  local f pid name
  for f in "$E2E_DIR"/*/*.pid; do
    pid=$(cat "$f" 2>/dev/null) || continue
    [[ -r /proc/$pid/stat ]] || continue
    name=${f#"$E2E_DIR"/}
    name=${name%.pid}
    # Fields after the command name (which may hold spaces): utime, stime are 14th and 15th.
    echo "${name//\//_} $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')"
  done
}
# PREFIX BEFORE AFTER: "PREFIX_HOST_DAEMON ticks" for each daemon in both snapshots.
ticks_between() {
  join <(sort <<<"$2") <(sort <<<"$3") | awk -v p="$1" '{print p "_" $1, $3 - $2}'
}

before=$(daemon_ticks)
sleep "$IDLE_SECONDS"
ticks_between idle_cpu "$before" "$(daemon_ticks)"
echo "idle_seconds $IDLE_SECONDS"

read -r min avg max mdev < <(rtt n1ns1 192.168.1.20)
echo "rtt_l2_avg $avg"; echo "rtt_l2_mdev $mdev"
read -r min avg max mdev < <(rtt n1ns1 192.168.2.30)
echo "rtt_l3_avg $avg"; echo "rtt_l3_mdev $mdev"
# HOST: its datapath's packet counters, "KEY VALUE" lines summed over the datapath threads
# (upcalls are the packets our flows sent to the slow path; passes, recirculations per packet).
dp_stats() {
  ovs-appctl -t "$E2E_DIR/$1/vswitchd.ctl" dpif-netdev/pmd-stats-show 2>/dev/null | awk -F: '
    /packets received/ {rx += $2} /packet recirculations/ {rc += $2}
    /emc hits/ {emc += $2} /megaflow hits/ {mf += $2} /miss with success upcall/ {up += $2}
    END {printf "rx %d\nrecirc %d\nemc_hits %d\nmegaflow_hits %d\nupcalls %d\n", rx, rc, emc, mf, up}'
}
for h in node1 node2; do ovs-appctl -t "$E2E_DIR/$h/vswitchd.ctl" dpif-netdev/pmd-stats-clear >/dev/null 2>&1; done
before=$(daemon_ticks)
echo "tcp_l2_mbps $(tcp_mbps n2ns1 192.168.1.20 n1ns1)"
echo "tcp_l3_mbps $(tcp_mbps n2ns2 192.168.2.30 n1ns1)"
cat "$E2E_DIR/dp-n2ns1" "$E2E_DIR/dp-n2ns2"
ticks_between tcp_cpu "$before" "$(daemon_ticks)"
for h in node1 node2; do dp_stats "$h" | awk -v h="$h" '{print "tcp_dp_" h "_" $1, $2}'; done
echo "flows_node1 $(e2e_flows node1 | grep -c .)"
