#!/bin/bash
# ovnx-northd active/standby and database restarts, on real ovsdb-servers (and ovnx-dbserver):
#   - two ovnx-northd on one SB: one active, one standby (the SB lock "ovn_northd"); the real
#     ovn-northd joining them stands by too; when the active one exits another takes over and
#     `ovn-nbctl --wait=sb` keeps working;
#   - the SB server restarted (orderly, and killed -9) and the NB server restarted: northd
#     reconnects, resyncs, writes what changed meanwhile, and leaves no duplicate rows.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
export OVN_RUNDIR=$OVSDB_DIR OVS_RUNDIR=$OVSDB_DIR
NORTHD=$OVNX_BIN_DIR/ovnx-northd

northd_start() {  # NAME BIN NB SB
  "$2" --ovnnb-db="$3" --ovnsb-db="$4" --pidfile="$OVSDB_DIR/$1.pid" \
    --unixctl="$OVSDB_DIR/$1.ctl" --log-file="$OVSDB_DIR/$1.log" --detach --no-chdir ||
    fail "$1 did not start"
  ovsdb_on_exit "northd_stop $1"
}
northd_stop() {  # NAME: orderly exit, then make sure
  local pid
  pid=$(cat "$OVSDB_DIR/$1.pid" 2>/dev/null) || return 0
  ovs-appctl -t "$OVSDB_DIR/$1.ctl" exit >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$OVSDB_DIR/$1.pid"
}
status() { ovs-appctl -t "$OVSDB_DIR/$1.ctl" status 2>/dev/null; }
# No two logical flows alike, no two datapaths for one NB row.
no_duplicates() {  # SB-REMOTE
  local dups
  dups=$(ovn-sbctl --db="$1" --timeout=10 lflow-list |
    awk '/^Datapath:/ {dp = $0; next} /table=/ {print dp " " $0}' | sort | uniq -d)
  [[ -z $dups ]] || { echo "$dups" | head -5; fail "duplicate logical flows"; }
  dups=$(ovn-sbctl --db="$1" --timeout=10 --bare --columns=external_ids list Datapath_Binding |
    grep -o 'logical-[a-z]*=[0-9a-f-]*' | sort | uniq -d)
  [[ -z $dups ]] || fail "duplicate datapaths: $dups"
}
flows() { ovn-sbctl --db="$1" --timeout=10 lflow-list | grep -c 'table='; }

# --- active/standby on the real servers.
ovsdb_start nb /usr/share/ovn/ovn-nb.ovsschema --real
ovsdb_start sb /usr/share/ovn/ovn-sb.ovsschema --real
NBR=$(ovsdb_remote nb) SBR=$(ovsdb_remote sb)
NB="ovn-nbctl --db=$NBR --timeout=30"
$NB init
northd_start a "$NORTHD" "$NBR" "$SBR"
ovsdb_wait_for "a active" 20 bash -c "[[ \$(ovs-appctl -t $OVSDB_DIR/a.ctl status) == 'Status: active' ]]"
northd_start b "$NORTHD" "$NBR" "$SBR"
northd_start real ovn-northd "$NBR" "$SBR"
ovsdb_wait_for "b standby" 20 bash -c "[[ \$(ovs-appctl -t $OVSDB_DIR/b.ctl status) == 'Status: standby' ]]"
ovsdb_wait_for "real standby" 20 bash -c "[[ \$(ovs-appctl -t $OVSDB_DIR/real.ctl status) == 'Status: standby' ]]"
$NB ls-add ls1 -- lsp-add ls1 p1 -- lsp-set-addresses p1 "00:00:00:00:00:01 192.168.1.10"
timeout 40 $NB --wait=sb sync || fail "--wait=sb with a standing by"
[[ $(status a) == "Status: active" && $(status b) == "Status: standby" ]] || fail "roles changed"
pass "one ovnx-northd active, the other and the real ovn-northd standing by"

# The real one goes; then the active one: b takes over.
northd_stop real
northd_stop a
ovsdb_wait_for "b active" 20 bash -c "[[ \$(ovs-appctl -t $OVSDB_DIR/b.ctl status) == 'Status: active' ]]"
timeout 40 $NB --wait=sb lsp-add ls1 p2 -- lsp-set-addresses p2 "00:00:00:00:00:02 192.168.1.20" ||
  fail "--wait=sb after fail-over"
ovn-sbctl --db="$SBR" --timeout=10 lflow-list | grep -q 00:00:00:00:00:02 || fail "no flows for p2"
no_duplicates "$SBR"
pass "the standby takes over when the active northd exits"

# --- database restarts, with b active, on the real server and on ovnx-dbserver.
restarts() {  # TAG NB-NAME SB-NAME
  local tag=$1 nbn=$2 sbn=$3 n0 n1
  local nbr sbr
  nbr=$(ovsdb_remote "$nbn") sbr=$(ovsdb_remote "$sbn")
  local nb="ovn-nbctl --db=$nbr --timeout=30"
  n0=$(flows "$sbr")

  ovsdb_stop "$sbn"
  $nb ls-add "ls-$tag-1" -- lsp-add "ls-$tag-1" "q-$tag-1"
  ovsdb_restart "$sbn"
  timeout 40 $nb --wait=sb sync || fail "$tag: --wait=sb after the SB restart"
  ovn-sbctl --db="$sbr" --timeout=10 find Port_Binding "logical_port=q-$tag-1" | grep -q . ||
    fail "$tag: change made while the SB was down not written"
  no_duplicates "$sbr"
  pass "$tag: SB server restarted: northd resyncs and writes what changed meanwhile"

  ovsdb_kill9 "$sbn"
  $nb lsp-del "q-$tag-1"
  ovsdb_restart "$sbn"
  timeout 40 $nb --wait=sb ls-del "ls-$tag-1" || fail "$tag: --wait=sb after SB kill -9"
  no_duplicates "$sbr"
  n1=$(flows "$sbr")
  [[ $n0 == "$n1" ]] || fail "$tag: $n0 flows before, $n1 after adding and removing a switch"
  pass "$tag: SB server killed and restarted: no duplicates, deletions caught up"

  ovsdb_stop "$nbn"
  ovsdb_restart "$nbn"
  timeout 40 $nb --wait=sb lsp-add ls1 "r-$tag" || fail "$tag: --wait=sb after the NB restart"
  ovn-sbctl --db="$sbr" --timeout=10 find Port_Binding "logical_port=r-$tag" | grep -q . ||
    fail "$tag: no Port_Binding after the NB restart"
  no_duplicates "$sbr"
  pass "$tag: NB server restarted: northd follows"
}
restarts real nb sb

ovsdb_start xnb /usr/share/ovn/ovn-nb.ovsschema
ovsdb_start xsb /usr/share/ovn/ovn-sb.ovsschema
ovn-nbctl --db="$(ovsdb_remote xnb)" init
ovn-nbctl --db="$(ovsdb_remote xnb)" ls-add ls1 -- lsp-add ls1 p1
northd_start x "$NORTHD" "$(ovsdb_remote xnb)" "$(ovsdb_remote xsb)"
timeout 40 ovn-nbctl --db="$(ovsdb_remote xnb)" --timeout=30 --wait=sb sync || fail "ovnx-dbserver: --wait=sb"
restarts ovnx xnb xsb
