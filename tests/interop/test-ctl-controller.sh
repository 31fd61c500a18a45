#!/bin/bash
# ovnx-ctl on a hypervisor: in a private network namespace with its own Open vSwitch
# (ovsdb-server + ovs-vswitchd, userspace datapath) and a central started by ovnx-ctl
# start_northd, start_controller registers the chassis and makes br-int; status_controller;
# restart_controller keeps the chassis row; stop_controller removes it and leaves nothing
# running.
set -eu -o pipefail
BIN=${OVNX_BIN_DIR:?}
CTL=$BIN/ovnx-ctl
# Checked before the temporary directory exists: the cleanup trap is not set yet.
[[ -x $BIN/ovnx-northd ]] || { echo "$BIN/ovnx-northd is not built" >&2; exit 1; }
[[ -x $BIN/ovnx-controller ]] || { echo "$BIN/ovnx-controller is not built" >&2; exit 1; }
D=$(mktemp -d /tmp/ovnx-ctlhv.XXXXXX)
NS=ovnxctl$$
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$D/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$D/sanitizer:print_stacktrace=1"
mkdir -p "$D/hv" "$D/central"

# Everything runs inside the namespace: the central in $D/central, the hypervisor in $D/hv.
central() {
  ip netns exec "$NS" env OVN_RUNDIR="$D/central" OVN_DBDIR="$D/central" OVN_LOGDIR="$D/central" \
    "$CTL" "$@"
}
hv() {
  ip netns exec "$NS" env OVN_RUNDIR="$D/hv" OVN_LOGDIR="$D/hv" OVS_RUNDIR="$D/hv" \
    "$CTL" --db-sock="$D/hv/db.sock" "$@"
}
vs() { ip netns exec "$NS" env OVS_RUNDIR="$D/hv" ovs-vsctl --timeout=20 --db="unix:$D/hv/db.sock" "$@"; }
sb() { ovn-sbctl --timeout=10 --db="unix:$D/central/ovnsb_db.sock" "$@"; }

cleanup() {
  local rc=$? f
  set +e
  hv stop_controller >/dev/null 2>&1
  central stop_northd >/dev/null 2>&1
  for f in "$D"/*/*.pid; do [[ -f $f ]] && kill "$(<"$f")" 2>/dev/null; done
  sleep 0.3
  for f in "$D"/*/*.pid; do [[ -f $f ]] && kill -9 "$(<"$f")" 2>/dev/null; done
  if [[ $rc != 0 ]]; then
    for f in "$D"/*/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
  fi
  if compgen -G "$D/sanitizer.*" >/dev/null; then cat "$D"/sanitizer.* >&2; rc=1; fi
  ip netns del "$NS" 2>/dev/null
  rm -rf "$D"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }
wait_for() {  # DESCRIPTION SECONDS CMD...
  local what=$1 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "timed out waiting for $what"
    sleep 0.2
  done
}

ip netns add "$NS"
ip -n "$NS" link set lo up
ovsdb-tool create "$D/hv/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ip netns exec "$NS" env OVS_RUNDIR="$D/hv" ovsdb-server "$D/hv/conf.db" \
  --remote="punix:$D/hv/db.sock" --pidfile="$D/hv/ovsdb-server.pid" \
  --unixctl="$D/hv/ovsdb-server.ctl" --log-file="$D/hv/ovsdb-server.log" --detach --no-chdir \
  -vconsole:off
vs --no-wait init
ip netns exec "$NS" env OVS_RUNDIR="$D/hv" ovs-vswitchd "unix:$D/hv/db.sock" \
  --pidfile="$D/hv/ovs-vswitchd.pid" --unixctl="$D/hv/ovs-vswitchd.ctl" \
  --log-file="$D/hv/ovs-vswitchd.log" --detach --no-chdir -vconsole:off

central start_northd >/dev/null
out=$(hv --db-sock="$D/nowhere.sock" start_controller 2>&1) && fail "started without a database"
grep -q "no Open vSwitch database" <<<"$out" || fail "unclear error: $out"
pass "start_controller refuses a missing Open vSwitch database with a clear error"

vs set Open_vSwitch . external-ids:system-id=hv1 external-ids:hostname=hv1 \
  external-ids:ovn-remote="unix:$D/central/ovnsb_db.sock" external-ids:ovn-encap-type=geneve \
  external-ids:ovn-encap-ip=10.11.12.13 external-ids:ovn-bridge-datapath-type=netdev
hv start_controller
wait_for "chassis hv1 in SB" 30 sb get Chassis hv1 name
wait_for "br-int" 30 vs br-exists br-int
out=$(hv status_controller) || fail "status_controller: $out"
grep -q "is running with pid" <<<"$out" || fail "status_controller: $out"
[[ $(sb get Encap "$(sb --bare --columns=_uuid find Encap chassis_name=hv1)" ip) == '"10.11.12.13"' ]] ||
  fail "encap ip"
out=$(hv start_controller)
grep -q "already running" <<<"$out" || fail "second start_controller: $out"
pass "start_controller: chassis hv1 with its geneve encap in SB, br-int created"

uuid=$(sb get Chassis hv1 _uuid)
pid=$(<"$D/hv/ovnx-controller.pid")
hv restart_controller >/dev/null
wait_for "controller back" 20 test -s "$D/hv/ovnx-controller.pid"
[[ $(<"$D/hv/ovnx-controller.pid") != "$pid" ]] || fail "restart_controller kept the old process"
[[ $(sb get Chassis hv1 _uuid) == "$uuid" ]] || fail "restart_controller replaced the chassis row"
pass "restart_controller: a new process, the same chassis row"

pid=$(<"$D/hv/ovnx-controller.pid")
hv stop_controller >/dev/null
kill -0 "$pid" 2>/dev/null && fail "controller still running after stop_controller"
[[ -z $(sb --bare --columns=name find Chassis name=hv1) ]] || fail "stop_controller left the chassis"
hv status_controller >/dev/null && fail "status_controller succeeds after stop"
pass "stop_controller: the controller exits and removes its chassis"
