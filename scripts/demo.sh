#!/bin/bash
# shellcheck disable=SC2317  # functions run from traps
# The seed scenario with ovnx, from one command (make demo runs it on a release build):
#
#   scripts/demo.sh [--keep] [BIN_DIR]        (BIN_DIR default: build/release/bin)
#
# Two hypervisors, node1 and node2, are network namespaces joined by a veth underlay
# (10.0.12.7 and 10.0.12.11), each with its own Open vSwitch (ovsdb-server + ovs-vswitchd,
# userspace datapath; the underlay address sits on a netdev bridge br-phy so geneve works
# without the kernel module). node1 is also the central node: `ovnx-ctl start_northd` brings up
# the Northbound and Southbound ovnx-dbserver and ovnx-northd; each hypervisor runs
# `ovnx-ctl start_controller`. Workloads are namespaces behind veths on br-int: ls1 spans both
# hosts (192.168.1.10 on node1, 192.168.1.20 on node2), ls2 has 192.168.2.30 on node2, router
# lr1 joins them. The topology is made with ovnx-nbctl, exactly the seed's commands.
#
# Prints ovnx-nbctl show, ovnx-sbctl show, the pings and a one-line verdict, then removes
# everything (processes, namespaces, files). --keep leaves it running and prints how to explore
# it and how to tear it down. The same with the real OVN daemons, for comparison:
#   OVNX_NORTHD_BIN=ovn-northd OVNX_CONTROLLER_BIN=ovn-controller scripts/demo.sh
set -u -o pipefail

KEEP=0
BIN=
for arg in "$@"; do
  case $arg in
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "demo.sh: $arg: unknown option (try --help)" >&2; exit 1 ;;
    *) BIN=$arg ;;
  esac
done
SRC=$(cd "$(dirname "$0")/.." && pwd)
source "$SRC/tests/lib/seed.sh"  # seed_topology: the seed's nbctl commands
BIN=$(cd "${BIN:-$SRC/build/release/bin}" 2>/dev/null && pwd) || {
  echo "demo.sh: no build at ${BIN:-build/release/bin} (run make demo)" >&2
  exit 1
}
for b in ovnx-ctl ovnx-dbserver ovnx-dbtool ovnx-nbctl ovnx-sbctl; do
  [[ -x $BIN/$b ]] || { echo "demo.sh: $BIN/$b is missing (run make demo)" >&2; exit 1; }
done
# The daemons are ours unless explicitly overridden for a side-by-side comparison.
for b in ovnx-northd ovnx-controller; do
  var=OVNX_${b#ovnx-}_BIN; var=${var^^}
  [[ -n ${!var:-} || -x $BIN/$b ]] || { echo "demo.sh: $BIN/$b is missing (run make demo)" >&2; exit 1; }
done
DAEMONS="$(basename "${OVNX_NORTHD_BIN:-ovnx-northd}") + $(basename "${OVNX_CONTROLLER_BIN:-ovnx-controller}")"
[[ $(id -u) == 0 ]] || { echo "demo.sh: needs root (network namespaces)" >&2; exit 1; }
for t in ovs-vswitchd ovsdb-server ovs-vsctl ovsdb-tool ip ping; do
  command -v "$t" >/dev/null || { echo "demo.sh: $t not found (scripts/install-deps.sh)" >&2; exit 1; }
done

P=ovxd$(($$ % 100000))            # prefix of every namespace and link: unique to this run
W=$(mktemp -d /tmp/ovnx-demo.XXXXXX)
CENTRAL=$W/central
NB_DB=unix:$CENTRAL/ovnnb_db.sock
SB_DB=unix:$CENTRAL/ovnsb_db.sock
export OVNX_BIN_DIR=$BIN

# Runs CMD without the "opened log file" notes daemons print as they detach.
quiet() { "$@" 2> >(grep -v 'opened log file' >&2); }
bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# X HOST CMD...: CMD inside HOST's namespace with HOST's run, log and database directories.
X() {
  local h=$1
  shift
  ip netns exec "$P-$h" env OVS_RUNDIR="$W/$h" OVS_LOGDIR="$W/$h" OVS_DBDIR="$W/$h" \
    OVN_RUNDIR="$W/$h" OVN_LOGDIR="$W/$h" OVN_DBDIR="$W/$h" "$@"
}
vs() {
  local h=$1
  shift
  X "$h" ovs-vsctl --timeout=20 --db="unix:$W/$h/db.sock" "$@"
}
ctl_central() {
  ip netns exec "$P-node1" env OVN_RUNDIR="$CENTRAL" OVN_LOGDIR="$CENTRAL" OVN_DBDIR="$CENTRAL" \
    "$BIN/ovnx-ctl" "$@"
}
nb() {  # echoes the command as typed (quoted where needed, one "--" part per line), runs it
  local a line="$ ovnx-nbctl"
  for a in "$@"; do
    if [[ $a == *" "* ]]; then line+=" \"$a\""; elif [[ $a == -- ]]; then line+=$' \\\n   --'; else line+=" $a"; fi
  done
  echo "$line"
  "$BIN/ovnx-nbctl" --timeout=30 --db="$NB_DB" "$@"
}
sb() { "$BIN/ovnx-sbctl" --timeout=30 --db="$SB_DB" "$@"; }

# The teardown, also written to $W/teardown.sh for --keep.
write_teardown() {
  cat >"$W/teardown.sh" <<TEARDOWN
#!/bin/bash
# Tears down the ovnx demo in $W.
for h in node1 node2; do
  ip netns exec $P-\$h env OVN_RUNDIR=$W/\$h OVS_RUNDIR=$W/\$h OVNX_BIN_DIR=$BIN \\
    $BIN/ovnx-ctl --db-sock=$W/\$h/db.sock stop_controller >/dev/null 2>&1
done
ip netns exec $P-node1 env OVN_RUNDIR=$CENTRAL OVN_LOGDIR=$CENTRAL OVN_DBDIR=$CENTRAL \\
  OVNX_BIN_DIR=$BIN $BIN/ovnx-ctl stop_northd >/dev/null 2>&1
for f in $W/*/*.pid; do [ -f "\$f" ] && kill "\$(cat "\$f")" 2>/dev/null; done
sleep 0.5
for f in $W/*/*.pid; do [ -f "\$f" ] && kill -9 "\$(cat "\$f")" 2>/dev/null; done
for ns in $P-node1 $P-node2 $P-n1ns1 $P-n2ns1 $P-n2ns2; do ip netns del \$ns 2>/dev/null; done
rm -rf $W
echo "ovnx demo torn down"
TEARDOWN
  chmod +x "$W/teardown.sh"
}
write_teardown

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if ((KEEP)) && [[ ${DEMO_UP:-0} == 1 ]]; then
    cat <<EXPLORE

The demo keeps running (everything lives in $W).
Explore:
  $BIN/ovnx-nbctl --db=$NB_DB show
  $BIN/ovnx-sbctl --db=$SB_DB show
  $BIN/ovnx-sbctl --db=$SB_DB lflow-list ls1
  ip netns exec $P-n1ns1 ping 192.168.2.30          # workloads: $P-n1ns1 $P-n2ns1 $P-n2ns2
  ip netns exec $P-node1 env OVS_RUNDIR=$W/node1 ovs-ofctl -O OpenFlow15 dump-flows br-int   # hosts: $P-node1 $P-node2
  ip netns exec $P-node2 ovs-vsctl --db=unix:$W/node2/db.sock show
  logs: $CENTRAL/*.log  $W/node1/*.log  $W/node2/*.log
Tear down:
  $W/teardown.sh
EXPLORE
    exit "$rc"
  fi
  if [[ $rc != 0 ]]; then
    for f in "$W"/*/*.log; do
      [[ -f $f ]] || continue
      echo "---- tail of ${f#"$W"/} ----" >&2
      tail -n 15 "$f" >&2
    done
  fi
  "$W/teardown.sh" >/dev/null 2>&1
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
  echo "demo.sh: $*" >&2
  echo "VERDICT: FAIL ($*; ${DAEMONS:-})"
  exit 1
}

# --- hypervisors: namespaces, underlay, Open vSwitch ---------------------------------------------
bold "Two hypervisors (namespaces $P-node1, $P-node2) with Open vSwitch, userspace datapath"
{ ip netns add "$P-node1" && ip netns add "$P-node2"; } || die "cannot create namespaces"
ip link add "${P}u1" type veth peer name "${P}u2" || die "cannot create the underlay veth"
ip link set "${P}u1" netns "$P-node1"
ip link set "${P}u2" netns "$P-node2"
start_ovs() {  # HOST DEV IP
  local h=$1 dev=$2 ip=$3 d=$W/$1
  mkdir -p "$d"
  ip -n "$P-$h" link set lo up
  ip -n "$P-$h" link set "$dev" up
  ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema || die "ovsdb-tool on $h"
  quiet X "$h" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --pidfile="$d/ovsdb-server.pid" \
    --unixctl="$d/ovsdb-server.ctl" --log-file="$d/ovsdb-server.log" --detach --no-chdir \
    -vconsole:off || die "ovsdb-server on $h"
  vs "$h" --no-wait init
  quiet X "$h" ovs-vswitchd "unix:$d/db.sock" --pidfile="$d/ovs-vswitchd.pid" \
    --unixctl="$d/ovs-vswitchd.ctl" --log-file="$d/ovs-vswitchd.log" --detach --no-chdir \
    -vconsole:off || die "ovs-vswitchd on $h"
  vs "$h" add-br br-phy -- set bridge br-phy datapath_type=netdev -- add-port br-phy "$dev"
  ip -n "$P-$h" addr add "$ip/24" dev br-phy
  ip -n "$P-$h" link set br-phy up
  echo "$h: underlay $ip on br-phy"
}
start_ovs node1 "${P}u1" 10.0.12.7
start_ovs node2 "${P}u2" 10.0.12.11
DEMO_UP=1

# --- central -----------------------------------------------------------------------------------
bold "Central on node1: ovnx-ctl start_northd"
echo "\$ ovnx-ctl --db-sb-create-insecure-remote=yes --db-sb-addr=10.0.12.7 start_northd"
quiet ctl_central --db-sb-create-insecure-remote=yes --db-sb-addr=10.0.12.7 start_northd ||
  die "start_northd failed"

# --- controllers -------------------------------------------------------------------------------
bold "Controllers: ovnx-ctl start_controller on each hypervisor"
for hv in node1:10.0.12.7 node2:10.0.12.11; do
  h=${hv%%:*} ip=${hv#*:}
  echo "\$ ovs-vsctl set Open_vSwitch . external-ids:system-id=$h" \
    "external-ids:ovn-remote=tcp:10.0.12.7:6642 external-ids:ovn-encap-type=geneve" \
    "external-ids:ovn-encap-ip=$ip external-ids:ovn-bridge-datapath-type=netdev"
  vs "$h" set Open_vSwitch . external-ids:system-id="$h" external-ids:hostname="$h" \
    external-ids:ovn-remote=tcp:10.0.12.7:6642 external-ids:ovn-encap-type=geneve \
    external-ids:ovn-encap-ip="$ip" external-ids:ovn-bridge-datapath-type=netdev
  echo "\$ ovnx-ctl start_controller    # on $h"
  quiet X "$h" "$BIN/ovnx-ctl" --db-sock="$W/$h/db.sock" start_controller || die "start_controller on $h"
done
for h in node1 node2; do
  for _ in $(seq 100); do vs "$h" br-exists br-int 2>/dev/null && break; sleep 0.1; done
  vs "$h" br-exists br-int || die "no br-int on $h after 10 s (see $W/$h/ovnx-controller.log)"
done

# --- workloads ---------------------------------------------------------------------------------
bold "Workloads: namespaces behind veths on br-int"
workload() {  # HOST NS VIF MAC IP/LEN GATEWAY LSP
  local h=$1 ns=$P-$2 vif=$P$3 mac=$4 ip=$5 gw=$6 lsp=$7
  ip netns add "$ns" || die "namespace $ns"
  ip -n "$ns" link set lo up
  ip link add "$vif" type veth peer name eth0 netns "$ns" || die "veth $vif"
  ip link set "$vif" netns "$P-$h"
  ip -n "$P-$h" link set "$vif" up
  ip -n "$ns" link set eth0 address "$mac" mtu 1400 up
  ip -n "$ns" addr add "$ip" dev eth0
  ip -n "$ns" route add default via "$gw"
  vs "$h" add-port br-int "$vif" -- set interface "$vif" external-ids:iface-id="$lsp"
  echo "$2 on $h: $ip via $gw, $mac, logical port $lsp"
}
workload node1 n1ns1 v11 00:00:00:00:00:01 192.168.1.10/24 192.168.1.1 ls1-node1-ns1
workload node2 n2ns1 v21 00:00:00:00:00:02 192.168.1.20/24 192.168.1.1 ls1-node2-ns1
workload node2 n2ns2 v22 00:00:00:00:00:03 192.168.2.30/24 192.168.2.1 ls2-node2-ns2

# --- logical topology --------------------------------------------------------------------------
bold "The seed's logical topology, with ovnx-nbctl"
seed_topology nb || die "the seed topology could not be made"
t0=$SECONDS
nb --wait=hv --timeout=60 sync || die "the hypervisors did not catch up within 60 s"
echo "northd and both controllers caught up in $((SECONDS - t0)) s"

bold "ovnx-nbctl show"
"$BIN/ovnx-nbctl" --db="$NB_DB" show
bold "ovnx-sbctl show"
sb show
echo "logical flows: $(sb lflow-list | grep -c 'table=')"
for h in node1 node2; do
  echo "$h: $(X "$h" ovs-ofctl -O OpenFlow15 dump-flows br-int 2>/dev/null | grep -c 'table=') OpenFlow flows on br-int"
done

# --- traffic -----------------------------------------------------------------------------------
bold "Pings"
passed=0 total=0
ping_test() {  # NS DEST WHAT
  local ns=$1 dest=$2 what=$3 ok=0
  total=$((total + 1))
  # The first packets may race the last flow installs: a few tries.
  for _ in 1 2 3 4 5; do
    if ip netns exec "$P-$ns" ping -c 2 -i 0.2 -W 2 -q "$dest" >/dev/null 2>&1; then ok=1; break; fi
    sleep 1
  done
  if ((ok)); then
    passed=$((passed + 1))
    printf 'PASS  %-6s -> %-13s %s\n' "$ns" "$dest" "$what"
  else
    printf 'FAIL  %-6s -> %-13s %s\n' "$ns" "$dest" "$what"
  fi
}
ping_test n1ns1 192.168.1.20 "ls1 across the geneve tunnel (node1 -> node2)"
ping_test n2ns1 192.168.1.10 "ls1 across the geneve tunnel (node2 -> node1)"
ping_test n1ns1 192.168.1.1 "the router port lr1-ls1"
ping_test n1ns1 192.168.2.30 "ls1 -> lr1 -> ls2 (routed, across hosts)"
ping_test n2ns2 192.168.1.10 "ls2 -> lr1 -> ls1 (routed, across hosts)"
ttl=$(ip netns exec "$P-n1ns1" ping -c 1 -W 2 192.168.2.30 2>/dev/null | sed -n 's/.*ttl=\([0-9]*\).*/\1/p')
echo "reply TTL across lr1: ${ttl:-none} (64 minus one hop)"

echo
if ((passed == total)); then
  echo "VERDICT: PASS - $passed/$total pings: L2 over geneve between two hypervisors, L3 through lr1 ($DAEMONS)"
  exit 0
fi
echo "VERDICT: FAIL - $passed/$total pings answered ($DAEMONS)"
exit 1
