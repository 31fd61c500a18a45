#!/bin/bash
# ovnx-northd against real OVSDB servers and against ovnx-dbserver: on the seed topology
# (real-ovn-seed-demo.sh) the real `ovn-nbctl --wait=sb` returns and the SB logical flows equal
# those the real ovn-northd writes for the same NB; nb_cfg/sb_cfg/hv_cfg handshake; a bound
# port reports `up` in NB; incremental changes (port added, deleted) reach SB; the control
# commands (status, pause/resume, inc-engine/*) answer.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
source "$OVNX_SOURCE_DIR/tests/lib/seed.sh"
export OVN_RUNDIR=$OVSDB_DIR OVS_RUNDIR=$OVSDB_DIR
NORTHD=$OVNX_BIN_DIR/ovnx-northd

seed() {  # NB-REMOTE
  seed_topology ovn-nbctl --db="$1" --timeout=30 || fail "seed topology"
}

# central TAG NORTHD-BIN [--real]: NB + SB servers (ovnx-dbserver, or the real ones with
# --real), NB_Global with fixed MAC prefixes, NORTHD running on them, the seed topology.
central() {
  local tag=$1 bin=$2 real=${3:-}
  ovsdb_start "$tag-nb" /usr/share/ovn/ovn-nb.ovsschema $real
  ovsdb_start "$tag-sb" /usr/share/ovn/ovn-sb.ovsschema $real
  local nb sb
  nb=$(ovsdb_remote "$tag-nb") sb=$(ovsdb_remote "$tag-sb")
  ovn-nbctl --db="$nb" init
  ovn-nbctl --db="$nb" set NB_Global . options:mac_prefix=0a:00:00 \
    options:svc_monitor_mac=0a:00:00:00:00:fe
  "$bin" --ovnnb-db="$nb" --ovnsb-db="$sb" --pidfile="$OVSDB_DIR/$tag-northd.pid" \
    --unixctl="$OVSDB_DIR/$tag-northd.ctl" --log-file="$OVSDB_DIR/$tag-northd.log" \
    --detach --no-chdir || fail "$tag: $bin did not start"
  ovsdb_on_exit "northd_stop $tag"
  seed "$nb"
  timeout 40 ovn-nbctl --db="$nb" --wait=sb --timeout=30 sync || fail "$tag: --wait=sb sync did not return"
  ovn-sbctl --db="$sb" lflow-list > "$OVSDB_DIR/$tag-lflows.txt"
}

northd_stop() {  # TAG: orderly exit, then make sure
  local pid
  pid=$(cat "$OVSDB_DIR/$1-northd.pid" 2>/dev/null) || return 0
  ovs-appctl -t "$OVSDB_DIR/$1-northd.ctl" exit >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$OVSDB_DIR/$1-northd.pid"
}

# Logical flows without UUIDs and stage hints, sorted.
norm() {
  sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g; s/\(0x[0-9a-f]+\)//g' "$1" | sort
}

central real ovn-northd --real
central ovnx-real "$NORTHD" --real
central ovnx "$NORTHD"
real=$(grep -c 'table=' "$OVSDB_DIR/real-lflows.txt")
[[ $real -gt 200 ]] || fail "the real northd wrote only $real flows"
for tag in ovnx-real ovnx; do
  diff <(norm "$OVSDB_DIR/$tag-lflows.txt") <(norm "$OVSDB_DIR/real-lflows.txt") \
    > "$OVSDB_DIR/$tag.diff" || { head -20 "$OVSDB_DIR/$tag.diff"; fail "$tag: logical flows differ from the real northd's"; }
done
pass "ovnx-northd writes the real northd's $real seed logical flows (real ovsdb-server and ovnx-dbserver)"

for tag in ovnx-real ovnx; do
  nb=$(ovsdb_remote "$tag-nb") sb=$(ovsdb_remote "$tag-sb") ctl=$OVSDB_DIR/$tag-northd.ctl
  NB="ovn-nbctl --db=$nb --timeout=30" SB="ovn-sbctl --db=$sb --timeout=30"

  [[ $(ovs-appctl -t "$ctl" status) == "Status: active" ]] || fail "$tag: status is not active"
  nb_cfg=$($NB get NB_Global . nb_cfg)
  [[ $($SB get SB_Global . nb_cfg) == "$nb_cfg" ]] || fail "$tag: SB_Global.nb_cfg not $nb_cfg"
  [[ $($NB get NB_Global . sb_cfg) == "$nb_cfg" ]] || fail "$tag: NB_Global.sb_cfg not $nb_cfg"
  [[ $($NB get NB_Global . sb_cfg_timestamp) != 0 ]] || fail "$tag: no sb_cfg_timestamp"
  timeout 40 $NB --wait=hv sync || fail "$tag: --wait=hv without chassis"
  pass "$tag: nb_cfg copied to SB, sb_cfg and hv_cfg reported back"

  # Router ports are up at once; a VIF port once a chassis binds it (what a controller does).
  [[ $($NB get Logical_Switch_Port ls1-lr1 up) == true ]] || fail "$tag: router port not up"
  [[ $($NB get Logical_Switch_Port ls1-node1-ns1 up) == false ]] || fail "$tag: unbound port up"
  $SB chassis-add hv1 geneve 127.0.0.2
  $SB lsp-bind ls1-node1-ns1 hv1
  ovsdb_wait_for "$tag: ls1-node1-ns1 up" 20 \
    bash -c "[[ \$($NB get Logical_Switch_Port ls1-node1-ns1 up) == true ]]"
  $SB lsp-unbind ls1-node1-ns1
  ovsdb_wait_for "$tag: ls1-node1-ns1 down" 20 \
    bash -c "[[ \$($NB get Logical_Switch_Port ls1-node1-ns1 up) == false ]]"
  pass "$tag: Port_Binding chassis reported as Logical_Switch_Port.up"

  # Incremental: a port appears in SB with its flows, then goes; nothing recomputed in full.
  ovs-appctl -t "$ctl" inc-engine/clear-stats >/dev/null
  before=$($SB lflow-list | grep -c 'table=')
  timeout 40 $NB --wait=sb lsp-add ls1 extra -- lsp-set-addresses extra "00:00:00:00:00:09 192.168.1.99"
  $SB --bare --columns=logical_port find Port_Binding logical_port=extra | grep -q extra ||
    fail "$tag: no Port_Binding for a new port"
  $SB lflow-list | grep -q '00:00:00:00:00:09' || fail "$tag: no flows for the new port"
  timeout 40 $NB --wait=sb lsp-del extra
  [[ -z $($SB --bare --columns=logical_port find Port_Binding logical_port=extra) ]] ||
    fail "$tag: Port_Binding of a deleted port stays"
  after=$($SB lflow-list | grep -c 'table=')
  [[ $before == "$after" ]] || fail "$tag: $before flows before, $after after add+delete"
  [[ $(ovs-appctl -t "$ctl" inc-engine/show-stats northd recompute) == 0 ]] ||
    { ovs-appctl -t "$ctl" inc-engine/show-stats; fail "$tag: a port add/delete recomputed northd in full"; }
  [[ $(ovs-appctl -t "$ctl" inc-engine/show-stats northd compute) -gt 0 ]] ||
    fail "$tag: northd did not handle the port changes"
  pass "$tag: port add and delete reach SB incrementally"

  # pause: nothing is written; resume catches up.
  ovs-appctl -t "$ctl" pause
  [[ $(ovs-appctl -t "$ctl" is-paused) == true ]] || fail "$tag: is-paused"
  [[ $(ovs-appctl -t "$ctl" status) == "Status: paused" ]] || fail "$tag: status while paused"
  $NB ls-add ls-paused
  sleep 1
  [[ -z $($SB --bare --columns=_uuid find Datapath_Binding external_ids:name=ls-paused) ]] ||
    fail "$tag: paused northd wrote SB"
  ovs-appctl -t "$ctl" resume
  timeout 40 $NB --wait=sb sync || fail "$tag: --wait=sb after resume"
  [[ -n $($SB --bare --columns=_uuid find Datapath_Binding external_ids:name=ls-paused) ]] ||
    fail "$tag: resumed northd did not catch up"
  ovs-appctl -t "$ctl" inc-engine/recompute
  timeout 40 $NB --wait=sb sync || fail "$tag: --wait=sb after recompute"
  pass "$tag: pause, is-paused, resume, inc-engine/recompute"
done

# The daemons' shared start-up: a control socket is required, and --unixctl=none says so.
for d in ovnx-northd ovnx-controller; do
  out=$(timeout 10 "$OVNX_BIN_DIR/$d" --unixctl=none 2>&1) && fail "$d --unixctl=none started"
  grep -q -- "--unixctl=none: the control socket is required" <<<"$out" ||
    fail "$d --unixctl=none: unclear error: $out"
done
pass "ovnx-northd and ovnx-controller refuse --unixctl=none with a clear error"
