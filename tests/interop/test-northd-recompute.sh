#!/bin/bash
# ovnx-northd's forced full recompute (inc-engine/recompute) against the real ovsdb-servers, on
# a small generated topology: it rewrites nothing when nothing changed (every Logical_Flow keeps
# its row), and it repairs Logical_Flow rows changed, deleted or added behind its back (actions,
# external_ids, tags) while the untouched rows keep theirs: the SB is written as a difference
# even though the writer finds unchanged flows by fingerprint without reading them.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
NORTHD=$OVNX_BIN_DIR/ovnx-northd
GEN=$OVNX_SOURCE_DIR/bench/northd

ovsdb_start nb /usr/share/ovn/ovn-nb.ovsschema --real
ovsdb_start sb /usr/share/ovn/ovn-sb.ovsschema --real
NB=$(ovsdb_remote nb) SB=$(ovsdb_remote sb)
nbctl() { ovn-nbctl --db="$NB" --timeout=30 "$@"; }
sbctl() { ovn-sbctl --db="$SB" --timeout=30 "$@"; }
nbctl init
nbctl set NB_Global . options:mac_prefix=0a:00:00 options:svc_monitor_mac=0a:00:00:00:00:fe
python3 "$GEN/gen-topology.py" --switches 4 --ports 3 --port-groups 2 --address-sets 2 \
  > "$OVSDB_DIR/txn.json"
python3 "$GEN/ovsdb-transact.py" "$NB" "$OVSDB_DIR/txn.json" > /dev/null || fail "loading the NB"

"$NORTHD" --ovnnb-db="$NB" --ovnsb-db="$SB" --pidfile="$OVSDB_DIR/northd.pid" \
  --unixctl="$OVSDB_DIR/northd.ctl" --log-file="$OVSDB_DIR/northd.log" --detach --no-chdir \
  || fail "ovnx-northd did not start"
northd_stop() {
  local pid
  pid=$(cat "$OVSDB_DIR/northd.pid" 2>/dev/null) || return 0
  ovs-appctl -t "$OVSDB_DIR/northd.ctl" exit >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
ovsdb_on_exit northd_stop
timeout 40 ovn-nbctl --db="$NB" --wait=sb --timeout=30 sync || fail "--wait=sb sync did not return"

# Every written column of every Logical_Flow, with and without its row's UUID.
flows() {
  sbctl --format=csv --data=bare --no-headings \
    --columns=_uuid,logical_datapath,logical_dp_group,pipeline,table_id,priority,match,actions,controller_meter,external_ids,tags \
    list Logical_Flow | sort
}
content() { cut -d, -f2- "$1" | sort; }
recompute() {
  ovs-appctl -t "$OVSDB_DIR/northd.ctl" inc-engine/recompute > /dev/null || fail "recompute"
  timeout 40 ovn-nbctl --db="$NB" --wait=sb --timeout=30 sync || fail "--wait=sb sync"
}
flows > "$OVSDB_DIR/before"
n=$(wc -l < "$OVSDB_DIR/before")
[[ $n -gt 300 ]] || fail "only $n logical flows"

recompute
flows > "$OVSDB_DIR/again"
cmp -s "$OVSDB_DIR/before" "$OVSDB_DIR/again" || {
  diff "$OVSDB_DIR/before" "$OVSDB_DIR/again" | head; fail "a recompute with nothing changed rewrote flows"
}
pass "a forced recompute with nothing changed leaves all $n Logical_Flow rows alone"

mapfile -t u < <(cut -d, -f1 "$OVSDB_DIR/before" | head -5)
sbctl set Logical_Flow "${u[0]}" actions='"drop;"'
sbctl set Logical_Flow "${u[1]}" external_ids:stage-hint=deadbeef
sbctl remove Logical_Flow "${u[2]}" external_ids source
sbctl set Logical_Flow "${u[3]}" tags:in_out_port=bogus
sbctl destroy Logical_Flow "${u[4]}"
dp=$(sbctl --bare --columns=_uuid list Datapath_Binding | grep . | head -1)
sbctl create Logical_Flow logical_datapath="$dp" pipeline=ingress table_id=0 priority=1 \
  match='"1"' actions='"next;"' > /dev/null
recompute
flows > "$OVSDB_DIR/after"
diff <(content "$OVSDB_DIR/before") <(content "$OVSDB_DIR/after") > "$OVSDB_DIR/diff" || {
  head "$OVSDB_DIR/diff"; fail "the recompute did not restore the logical flows"
}
# Rows nobody touched keep their UUIDs.
kept=$(comm -12 <(cut -d, -f1 "$OVSDB_DIR/before" | sort) <(cut -d, -f1 "$OVSDB_DIR/after" | sort) | wc -l)
[[ $kept -ge $((n - 5)) ]] || fail "only $kept of $n rows kept their UUIDs"
pass "a forced recompute repairs flows changed, deleted and added behind northd's back ($kept of $n rows kept)"
