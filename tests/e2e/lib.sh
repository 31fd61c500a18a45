# shellcheck shell=bash
# lib.sh — hosts, central and workloads for end-to-end tests, in network namespaces with the
# real Open vSwitch userspace datapath. Source it from a test script:
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_host node1 10.0.12.7            # netns + private OVS (br-phy holds the underlay IP)
#   e2e_host node2 10.0.12.11
#   e2e_central node1                   # NB + SB servers and northd in node1, SB on tcp:6642
#   e2e_controller node1                # ovnx-controller (E2E_CONTROLLER=real: ovn-controller)
#   e2e_workload node1 n1ns1 00:00:00:00:00:01 192.168.1.10/24 192.168.1.1 ls1-node1-ns1
#   nb ls-add ls1; sb show; e2e_ping n1ns1 192.168.1.20
#
# Every name (namespaces, links) carries a prefix unique to the run, everything lives in one
# temp dir, and an EXIT trap kills the daemons this script started (by their pidfiles) and
# deletes the namespaces, even on failure — after printing the tails of the logs when it failed.
# E2E_KEEP=1 keeps everything up for debugging (prints how to tear it down).
#
# Hosts share an underlay L2 segment: a Linux bridge in a namespace of its own, so any number
# of hosts can join and leave. Each host's OVS has OVS_RUNDIR/OVN_RUNDIR = its directory.
#
# Knobs (environment):
#   OVNX_BIN_DIR    our binaries (default build/check/bin)
#   E2E_CENTRAL     "real" (ovsdb-server + ovn-northd, default) or "ovnx" (ovnx-dbserver and,
#                   when built, ovnx-northd)
#   E2E_CONTROLLER  default controller flavour for e2e_controller: "ovnx" (default) or "real"
#   E2E_ENCAP       geneve (default) or vxlan

if [[ -n "${E2E_LIB_LOADED:-}" ]]; then return 0; fi
E2E_LIB_LOADED=1
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib/seed.sh"

OVNX_SOURCE_DIR=${OVNX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
OVNX_BIN_DIR=${OVNX_BIN_DIR:-$OVNX_SOURCE_DIR/build/check/bin}
E2E_CENTRAL=${E2E_CENTRAL:-real}
E2E_CONTROLLER=${E2E_CONTROLLER:-ovnx}
E2E_ENCAP=${E2E_ENCAP:-geneve}
E2E_P=${E2E_P:-o$(printf '%05d' $(($$ % 100000)))}  # short: link names are at most 15 chars
E2E_DIR=$(mktemp -d /tmp/ovnx-e2e.XXXXXX)
E2E_UL=$E2E_P-ul  # the underlay segment's namespace
E2E_CENTRAL_IP=
declare -A E2E_HOST_IP=()
declare -A E2E_HOST_DEV=()
E2E_NS=()    # namespaces created, in order
E2E_FAILED=0
E2E_T0=$SECONDS

e2e_log() { echo "[$((SECONDS - E2E_T0))s] $*" >&2; }
fail() {
  E2E_FAILED=1
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "PASS: $*"; }

_e2e_kill_pidfile() {
  local f=$1 pid
  [[ -f $f ]] || return 0
  pid=$(cat "$f" 2>/dev/null) || return 0
  [[ -n $pid ]] && kill "$pid" 2>/dev/null
}

e2e_dump_logs() {
  local f
  for f in "$E2E_DIR"/*/*.log; do
    [[ -f $f ]] || continue
    echo "---- tail of ${f#"$E2E_DIR"/} ----" >&2
    tail -n 25 "$f" >&2
  done
}

_e2e_cleanup() {
  local rc=$? ns f
  set +e
  if [[ $rc != 0 || $E2E_FAILED != 0 ]]; then e2e_dump_logs; fi
  # E2E_SAVE_LOGS=DIR keeps a copy of every log for debugging.
  if [[ -n "${E2E_SAVE_LOGS:-}" ]]; then
    mkdir -p "$E2E_SAVE_LOGS" && cp -r "$E2E_DIR"/. "$E2E_SAVE_LOGS"/ 2>/dev/null
  fi
  if [[ "${E2E_KEEP:-0}" == 1 ]]; then
    echo "kept: dir $E2E_DIR, namespaces ${E2E_NS[*]}" >&2
    exit "$rc"
  fi
  for f in "$E2E_DIR"/*/*.pid; do _e2e_kill_pidfile "$f"; done
  sleep 0.3
  for f in "$E2E_DIR"/*/*.pid; do
    local pid
    pid=$(cat "$f" 2>/dev/null)
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done
  for ns in "${E2E_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$E2E_DIR"
  exit "$rc"
}
trap _e2e_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

e2e_netns_add() {
  ip netns add "$1" || fail "cannot create netns $1"
  E2E_NS+=("$1")
  ip -n "$1" link set lo up
}

# Runs CMD inside HOST's namespace with its OVS/OVN environment.
X() {
  local h=$1
  shift
  ip netns exec "$E2E_P-$h" env OVS_RUNDIR="$E2E_DIR/$h" OVN_RUNDIR="$E2E_DIR/$h" \
    OVS_LOGDIR="$E2E_DIR/$h" OVN_LOGDIR="$E2E_DIR/$h" OVS_DBDIR="$E2E_DIR/$h" "$@"
}
vs() {
  local h=$1
  shift
  X "$h" ovs-vsctl --timeout=20 --db="unix:$E2E_DIR/$h/db.sock" "$@"
}
ofctl() {
  local h=$1
  shift
  X "$h" ovs-ofctl -O OpenFlow15 "$@"
}
# The central's command-line tools: ovnx-nbctl / ovnx-sbctl with an all-ovnx central (when
# built), the real ones otherwise; E2E_CTL=real|ovnx overrides.
E2E_NBCTL=ovn-nbctl E2E_SBCTL=ovn-sbctl
if [[ ${E2E_CTL:-$E2E_CENTRAL} == ovnx && -x $OVNX_BIN_DIR/ovnx-nbctl && -x $OVNX_BIN_DIR/ovnx-sbctl ]]; then
  E2E_NBCTL=$OVNX_BIN_DIR/ovnx-nbctl E2E_SBCTL=$OVNX_BIN_DIR/ovnx-sbctl
fi
nb() { "$E2E_NBCTL" --timeout=30 --db="unix:$E2E_DIR/central/nb.sock" "$@"; }
sb() { "$E2E_SBCTL" --timeout=30 --db="unix:$E2E_DIR/central/sb.sock" "$@"; }
# ovs-appctl to the controller of HOST (the real ovn-controller has no --unixctl option: its
# socket is $OVN_RUNDIR/ovn-controller.<pid>.ctl).
ctl() {
  local h=$1 t
  shift
  t=$E2E_DIR/$h/controller.ctl
  if [[ $(cat "$E2E_DIR/$h/controller.flavour" 2>/dev/null) == real ]]; then
    t=$E2E_DIR/$h/ovn-controller.$(cat "$E2E_DIR/$h/controller.pid").ctl
  fi
  X "$h" ovs-appctl -t "$t" "$@"
}

e2e_wait_for() {  # DESCRIPTION SECONDS CMD...
  local what=$1 secs=$2 deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS >= deadline)) && fail "timed out after ${secs}s waiting for $what"
    sleep 0.2
  done
}

_e2e_underlay() {
  [[ -d $E2E_DIR/ul ]] && return 0
  mkdir -p "$E2E_DIR/ul"
  e2e_netns_add "$E2E_UL"
  ip -n "$E2E_UL" link add ul type bridge
  ip -n "$E2E_UL" link set ul up
}

# e2e_host NAME UNDERLAY_IP: a hypervisor namespace with its own ovsdb-server + ovs-vswitchd,
# and br-phy (netdev) holding its end of the underlay link with UNDERLAY_IP/24.
e2e_host() {
  local h=$1 ip=$2 d=$E2E_DIR/$1 n=$E2E_P-$1 i=${#E2E_HOST_IP[@]}
  local dev=${E2E_P}u$i peer=${E2E_P}b$i
  mkdir -p "$d"
  _e2e_underlay
  e2e_netns_add "$n"
  ip link add "$dev" type veth peer name "$peer" || fail "veth $dev"
  ip link set "$dev" netns "$n"
  ip link set "$peer" netns "$E2E_UL"
  ip -n "$E2E_UL" link set "$peer" master ul up
  ip -n "$n" link set "$dev" up
  E2E_HOST_IP[$h]=$ip
  E2E_HOST_DEV[$h]=$dev
  ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema >/dev/null
  X "$h" ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --pidfile="$d/ovsdb.pid" \
    --unixctl="$d/ovsdb.ctl" --log-file="$d/ovsdb.log" --detach --no-chdir -vconsole:off ||
    fail "ovsdb-server on $h"
  vs "$h" --no-wait init
  e2e_start_vswitchd "$h"
  vs "$h" add-br br-phy -- set bridge br-phy datapath_type=netdev -- add-port br-phy "$dev"
  ip -n "$n" addr add "$ip/24" dev br-phy
  ip -n "$n" link set br-phy up
}

e2e_start_vswitchd() {
  local h=$1 d=$E2E_DIR/$1
  X "$h" ovs-vswitchd "unix:$d/db.sock" --pidfile="$d/vswitchd.pid" --unixctl="$d/vswitchd.ctl" \
    --log-file="$d/vswitchd.log" --detach --no-chdir -vconsole:off || fail "ovs-vswitchd on $h"
}

# e2e_central HOST: NB and SB databases and northd in HOST's namespace; the SB listens on
# tcp:<HOST underlay ip>:6642 for the controllers.
e2e_central() {
  local h=$1 c=$E2E_DIR/central
  mkdir -p "$c"
  E2E_CENTRAL_HOST=$h
  E2E_CENTRAL_IP=${E2E_HOST_IP[$h]}
  e2e_start_db nb
  e2e_start_db sb
  nb init
  sb init
  e2e_start_northd
  sb set-connection "ptcp:6642:$E2E_CENTRAL_IP"
  e2e_wait_for "SB listening on $E2E_CENTRAL_IP:6642" 20 \
    X "$h" ovsdb-client list-dbs "tcp:$E2E_CENTRAL_IP:6642"
}

# e2e_start_db nb|sb: (re)starts a central database server on its existing file.
e2e_start_db() {
  local db=$1 c=$E2E_DIR/central schema name glob
  if [[ $db == nb ]]; then
    schema=/usr/share/ovn/ovn-nb.ovsschema name=OVN_Northbound glob=NB_Global
  else
    schema=/usr/share/ovn/ovn-sb.ovsschema name=OVN_Southbound glob=SB_Global
  fi
  [[ -f $c/$db.db ]] || ovsdb-tool create "$c/$db.db" "$schema" >/dev/null
  local server=ovsdb-server
  [[ $E2E_CENTRAL == ovnx ]] && server=$OVNX_BIN_DIR/ovnx-dbserver
  X "$E2E_CENTRAL_HOST" "$server" "$c/$db.db" --remote="punix:$c/$db.sock" \
    --remote="db:$name,$glob,connections" --pidfile="$c/$db.pid" --unixctl="$c/$db.ctl" \
    --log-file="$c/$db.log" --detach --no-chdir -vconsole:off ${E2E_DB_OPTS:-} ||
    fail "$server for $db"
  e2e_wait_for "$db server" 20 test -S "$c/$db.sock"
}

e2e_start_northd() {
  local c=$E2E_DIR/central northd=ovn-northd
  if [[ $E2E_CENTRAL == ovnx && -x $OVNX_BIN_DIR/ovnx-northd ]]; then
    northd=$OVNX_BIN_DIR/ovnx-northd
  fi
  X "$E2E_CENTRAL_HOST" "$northd" --ovnnb-db="unix:$c/nb.sock" --ovnsb-db="unix:$c/sb.sock" \
    --pidfile="$c/northd.pid" --log-file="$c/northd.log" --detach --no-chdir -vconsole:off \
    ${E2E_NORTHD_OPTS:-} ||
    fail "$northd"
}

# e2e_hv_config HOST [ENCAP]: the Open_vSwitch external_ids a hypervisor needs.
e2e_hv_config() {
  local h=$1 encap=${2:-$E2E_ENCAP}
  vs "$h" set Open_vSwitch . external-ids:system-id="$h" \
    external-ids:ovn-remote="tcp:$E2E_CENTRAL_IP:6642" \
    external-ids:ovn-encap-ip="${E2E_HOST_IP[$h]}" external-ids:ovn-encap-type="$encap" \
    external-ids:ovn-bridge-datapath-type=netdev external-ids:hostname="$h"
}

# e2e_controller HOST [ovnx|real]: starts the controller (after e2e_hv_config).
e2e_controller() {
  local h=$1 flavour=${2:-$E2E_CONTROLLER} d=$E2E_DIR/$1
  echo "$flavour" >"$d/controller.flavour"
  if [[ $flavour == real ]]; then
    X "$h" ovn-controller "unix:$d/db.sock" --pidfile="$d/controller.pid" \
      --log-file="$d/controller.log" --detach --no-chdir -vconsole:off ||
      fail "ovn-controller on $h"
  else
    # shellcheck disable=SC2086  # E2E_CONTROLLER_OPTS: extra options, e.g. -vidl:file:dbg
    X "$h" "$OVNX_BIN_DIR/ovnx-controller" "unix:$d/db.sock" --pidfile="$d/controller.pid" \
      --log-file="$d/controller.log" --unixctl="$d/controller.ctl" --detach --no-chdir \
      -vconsole:off ${E2E_CONTROLLER_OPTS:-} || fail "ovnx-controller on $h"
  fi
}

e2e_pid() { cat "$E2E_DIR/$1" 2>/dev/null; }

# e2e_workload HOST NS MAC IP/LEN GATEWAY LSP: a namespace NS behind a veth on HOST's br-int,
# bound to logical port LSP (MTU 1400 leaves room for the tunnel header).
e2e_workload() {
  local h=$1 ns=$E2E_P-$2 mac=$3 ip=$4 gw=$5 lsp=$6 vif=${E2E_P}v${#E2E_NS[@]}
  e2e_netns_add "$ns"
  ip link add "$vif" type veth peer name eth0 netns "$ns" || fail "veth $vif"
  ip link set "$vif" netns "$E2E_P-$h"
  ip -n "$E2E_P-$h" link set "$vif" up
  ip -n "$ns" link set eth0 address "$mac" mtu 1400 up
  ip -n "$ns" addr add "$ip" dev eth0
  [[ -n $gw ]] && ip -n "$ns" route add default via "$gw"
  echo "$vif" >"$E2E_DIR/$2.vif"
  vs "$h" add-port br-int "$vif" -- set interface "$vif" external-ids:iface-id="$lsp"
}

# The host-side interface name of workload NS.
e2e_vif() { cat "$E2E_DIR/$1.vif"; }

# e2e_ping NS DEST [COUNT]: succeeds if DEST answers.
e2e_ping() {
  ip netns exec "$E2E_P-$1" ping -c "${3:-2}" -i 0.2 -W 2 -q "$2" >/dev/null 2>&1
}

# The TTL of DEST's echo reply as seen from NS.
e2e_ping_ttl() {
  ip netns exec "$E2E_P-$1" ping -c 1 -W 2 "$2" 2>/dev/null | sed -n 's/.*ttl=\([0-9]*\).*/\1/p'
}

# The seed scenario's logical topology (tests/lib/seed.sh).
e2e_seed_topology() { seed_topology nb || fail "seed topology"; }

# The seed's two hosts, central on node1, a controller on each (flavours $1 and $2), workloads.
e2e_seed() {
  e2e_host node1 10.0.12.7
  e2e_host node2 10.0.12.11
  e2e_central node1
  e2e_hv_config node1
  e2e_hv_config node2
  e2e_controller node1 "${1:-$E2E_CONTROLLER}"
  e2e_controller node2 "${2:-$E2E_CONTROLLER}"
  e2e_workload node1 n1ns1 00:00:00:00:00:01 192.168.1.10/24 192.168.1.1 ls1-node1-ns1
  e2e_workload node2 n2ns1 00:00:00:00:00:02 192.168.1.20/24 192.168.1.1 ls1-node2-ns1
  e2e_workload node2 n2ns2 00:00:00:00:00:03 192.168.2.30/24 192.168.2.1 ls2-node2-ns2
  e2e_seed_topology
}

# Polls until every seed ping works (after a disruption); fails after SECONDS.
e2e_wait_seed_pings() {
  local secs=${1:-30}
  e2e_wait_for "L2 ping n1ns1 -> 192.168.1.20" "$secs" e2e_ping n1ns1 192.168.1.20 1
  e2e_wait_for "L3 ping n1ns1 -> 192.168.2.30" "$secs" e2e_ping n1ns1 192.168.2.30 1
  e2e_wait_for "L3 ping n2ns2 -> 192.168.1.10" "$secs" e2e_ping n2ns2 192.168.1.10 1
}

# The OpenFlow flows of HOST's br-int without counters, sorted (for comparisons).
e2e_flows() {
  ofctl "$1" --no-stats dump-flows br-int | sed 's/^ *//' | grep -v '^OFPST_FLOW' | sort
}
