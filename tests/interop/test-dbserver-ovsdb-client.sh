#!/bin/bash
# The real ovsdb-client and ovsdb-tool against ovnx-dbserver: list-dbs, get-schema, transact,
# dump, monitor / monitor-cond / monitor-cond-since, lock; files in the standalone format
# going both ways (made by ovsdb-tool and served by us; written by us and read by ovsdb-tool,
# also after online compaction); the control commands.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"

schema=/usr/share/ovn/ovn-nb.ovsschema
ovsdb_start nb "$schema"
R=$(ovsdb_remote nb)
CTL=$(ovsdb_ctl nb)

[[ "$(ovsdb-client list-dbs "$R" | tr '\n' ' ')" == "OVN_Northbound _Server " ]] || fail "list-dbs"
pass "list-dbs"

ovsdb-client get-schema "$R" OVN_Northbound > "$OVSDB_DIR/schema.json"
[[ "$(ovsdb-client get-schema-version "$R" OVN_Northbound)" == "$(ovsdb-tool schema-version "$schema")" ]] ||
  fail "get-schema-version"
[[ "$(ovsdb-client get-schema-cksum "$R" OVN_Northbound)" == "$(ovsdb-tool schema-cksum "$schema")" ]] ||
  fail "get-schema-cksum"
ovsdb-client list-tables "$R" OVN_Northbound | grep -q Logical_Switch_Port || fail "list-tables"
pass "get-schema"

# A monitor of every kind, started before the changes.
ovsdb-client monitor "$R" OVN_Northbound Logical_Switch name,ports > "$OVSDB_DIR/mon1.out" 2>&1 &
m1=$!
ovsdb-client monitor-cond "$R" OVN_Northbound '[["name","==","ls2"]]' Logical_Switch name \
  > "$OVSDB_DIR/mon2.out" 2>&1 &
m2=$!
ovsdb-client monitor-cond-since "$R" OVN_Northbound '[true]' Logical_Switch name \
  > "$OVSDB_DIR/mon3.out" 2>&1 &
m3=$!
ovsdb_on_exit "kill $m1 $m2 $m3 2>/dev/null"
sleep 0.5

out=$(ovsdb-client transact "$R" '["OVN_Northbound",
  {"op":"insert","table":"Logical_Switch_Port","row":{"name":"p1"},"uuid-name":"p"},
  {"op":"insert","table":"Logical_Switch","row":{"name":"ls1","ports":["named-uuid","p"]}},
  {"op":"insert","table":"Logical_Switch","row":{"name":"ls2"}}]')
[[ $out == *'"uuid"'*'"uuid"'*'"uuid"'* ]] || fail "transact insert: $out"
out=$(ovsdb-client transact "$R" '["OVN_Northbound",
  {"op":"select","table":"Logical_Switch","where":[["name","==","ls1"]],"columns":["name"]}]')
[[ $out == '[{"rows":[{"name":"ls1"}]}]' ]] || fail "transact select: $out"
out=$(ovsdb-client transact "$R" '["OVN_Northbound",{"op":"delete","table":"Logical_Switch_Port","where":[]}]')
[[ $out == *'referential integrity violation'* ]] || fail "refint: $out"
ovsdb-client transact "$R" '["OVN_Northbound",{"op":"update","table":"Logical_Switch","where":[["name","==","ls2"]],"row":{"name":"ls2"}},
  {"op":"mutate","table":"Logical_Switch","where":[["name","==","ls1"]],"mutations":[["other_config","insert",["map",[["k","v"]]]]]}]' >/dev/null
pass "transact"

ovsdb-client dump "$R" OVN_Northbound > "$OVSDB_DIR/dump.out"
grep -q 'Logical_Switch table' "$OVSDB_DIR/dump.out" || fail "dump has no Logical_Switch table"
grep -q 'ls1' "$OVSDB_DIR/dump.out" && grep -q 'p1' "$OVSDB_DIR/dump.out" || fail "dump contents"
ovsdb-client -f json dump "$R" OVN_Northbound Logical_Switch | grep -q '"ls2"' || fail "dump json"
pass "dump"

ovsdb-client transact "$R" '["OVN_Northbound",{"op":"update","table":"Logical_Switch","where":[["name","==","ls2"]],"row":{"other_config":["map",[["a","b"]]]}}]' >/dev/null
sleep 0.5
kill $m1 $m2 $m3 2>/dev/null || true
wait $m1 $m2 $m3 2>/dev/null || true
grep -q 'insert.*ls1' "$OVSDB_DIR/mon1.out" || { cat "$OVSDB_DIR/mon1.out"; fail "monitor saw no insert"; }
grep -q 'insert.*ls2' "$OVSDB_DIR/mon2.out" || { cat "$OVSDB_DIR/mon2.out"; fail "monitor-cond saw no insert"; }
if grep -q 'ls1' "$OVSDB_DIR/mon2.out"; then cat "$OVSDB_DIR/mon2.out"; fail "monitor-cond saw ls1"; fi
grep -q 'insert.*ls1' "$OVSDB_DIR/mon3.out" || { cat "$OVSDB_DIR/mon3.out"; fail "monitor-cond-since saw no insert"; }
pass "monitor, monitor-cond, monitor-cond-since"

# Locks: the holder is told its lock was stolen, and gets it back when the thief goes away.
ovsdb-client lock "$R" mylock > "$OVSDB_DIR/lock1.out" 2>&1 &
l1=$!
ovsdb_on_exit "kill $l1 2>/dev/null"
ovsdb_wait_for "first lock" 5 grep -q locked "$OVSDB_DIR/lock1.out"
timeout 1 ovsdb-client steal "$R" mylock > "$OVSDB_DIR/lock2.out" 2>&1 || true
ovsdb_wait_for "lock returned to its first holder" 5 \
  bash -c "tr '\n' ' ' < $OVSDB_DIR/lock1.out | grep -q 'locked.*stolen.*locked'"
grep -q '"locked":true' "$OVSDB_DIR/lock2.out" || fail "steal: $(cat "$OVSDB_DIR/lock2.out")"
kill $l1 2>/dev/null || true
wait $l1 2>/dev/null || true
pass "lock/steal (locked, stolen, locked notifications)"

# Our file is read by the real ovsdb-tool, before and after online compaction.
n=$(ovsdb-tool show-log "$(ovsdb_db nb)" | grep -c '^record')
[[ $n -ge 4 ]] || fail "show-log sees $n records"
q=$(ovsdb-tool query "$(ovsdb_db nb)" '["OVN_Northbound",{"op":"select","table":"Logical_Switch","where":[],"columns":["name"]}]')
[[ $q == *ls1* && $q == *ls2* ]] || fail "ovsdb-tool query: $q"
ovs-appctl -t "$CTL" ovsdb-server/compact
[[ $(ovsdb-tool show-log "$(ovsdb_db nb)" | grep -c '^record') == 2 ]] || fail "compaction did not leave 2 records"
q2=$(ovsdb-tool query "$(ovsdb_db nb)" '["OVN_Northbound",{"op":"select","table":"Logical_Switch","where":[],"columns":["name","other_config"]}]')
[[ $q2 == *ls1* && $q2 == *'"k","v"'* ]] || fail "after compaction: $q2"
ovsdb-tool db-is-standalone "$(ovsdb_db nb)" || fail "db-is-standalone"
# ...and still served after compaction and a restart.
ovsdb-client transact "$R" '["OVN_Northbound",{"op":"insert","table":"Logical_Switch","row":{"name":"ls3"}}]' >/dev/null
ovsdb_stop nb
ovsdb_restart nb
out=$(ovsdb-client transact "$R" '["OVN_Northbound",{"op":"select","table":"Logical_Switch","where":[],"columns":["name"]}]')
[[ $out == *ls1* && $out == *ls2* && $out == *ls3* ]] || fail "after restart: $out"
pass "file format both ways, compaction"

# A file the real server wrote (with diff records) is served by us.
ovsdb_start ref "$schema" --real
ovn-nbctl --db="$(ovsdb_remote ref)" ls-add r1 -- lsp-add r1 rp1 -- lsp-set-addresses rp1 "00:00:00:00:00:01 10.0.0.1"
ovn-nbctl --db="$(ovsdb_remote ref)" lsp-set-addresses rp1 "00:00:00:00:00:02 10.0.0.2" -- lsp-add r1 rp2
ovn-nbctl --db="$(ovsdb_remote ref)" lsp-del rp2
ovsdb_stop ref
ovsdb_start fromreal "$(ovsdb_db ref)"
show=$(ovn-nbctl --db="$(ovsdb_remote fromreal)" show)
[[ $show == *r1* && $show == *rp1* && $show == *10.0.0.2* && $show != *rp2* ]] || fail "real file: $show"
pass "serves a file written by the real ovsdb-server"

# Control commands.
[[ "$(ovs-appctl -t "$CTL" ovsdb-server/list-dbs | tr '\n' ' ')" == "OVN_Northbound _Server " ]] || fail "list-dbs"
port=$(ovsdb_free_port)
ovs-appctl -t "$CTL" ovsdb-server/add-remote "ptcp:$port:127.0.0.1"
ovs-appctl -t "$CTL" ovsdb-server/list-remotes | grep -q "ptcp:$port:127.0.0.1" || fail "list-remotes"
ovsdb-client list-dbs "tcp:127.0.0.1:$port" | grep -q OVN_Northbound || fail "tcp remote"
ovs-appctl -t "$CTL" ovsdb-server/remove-remote "ptcp:$port:127.0.0.1"
if timeout 2 ovsdb-client list-dbs "tcp:127.0.0.1:$port" >/dev/null 2>&1; then fail "remote not removed"; fi
ovs-appctl -t "$CTL" memory/show | grep -q 'cells:' || fail "memory/show"
ovs-appctl -t "$CTL" vlog/list | grep -q ovsdb_server || fail "vlog/list"
ovs-appctl -t "$CTL" vlog/set ovsdb_server:file:dbg
ovs-appctl -t "$CTL" vlog/list | grep -Eq '^ovsdb_server +[A-Z]+ +[A-Z]+ +DBG$' || fail "vlog/set"
ovsdb-tool create "$OVSDB_DIR/sb.db" /usr/share/ovn/ovn-sb.ovsschema
ovs-appctl -t "$CTL" ovsdb-server/add-db "$OVSDB_DIR/sb.db"
ovsdb-client list-dbs "$R" | grep -q OVN_Southbound || fail "add-db"
ovs-appctl -t "$CTL" ovsdb-server/remove-db OVN_Southbound
if ovsdb-client list-dbs "$R" | grep -q OVN_Southbound; then fail "remove-db"; fi
# Errors worded as ovsdb-server words them.
[[ "$(ovs-appctl -t "$CTL" ovsdb-server/compact Nope 2>&1)" == "no database by that name"* ]] ||
  fail "compact of an unknown database"
[[ "$(ovs-appctl -t "$CTL" ovsdb-server/compact _Server 2>&1)" == "cannot compact built-in databases"* ]] ||
  fail "compact of _Server"
[[ "$(ovs-appctl -t "$CTL" ovsdb-server/remove-remote ptcp:1 2>&1)" == "no such remote"* ]] ||
  fail "remove-remote of an unknown remote"
ovs-appctl -t "$CTL" memory/show | grep -Eq '^atoms:[0-9]+ cells:[0-9]+ monitors:[0-9]+ sessions:[0-9]+' ||
  fail "memory/show format"
pid=$(ovsdb_pid nb)
ovs-appctl -t "$CTL" exit || fail "exit"
ovsdb_wait_for "exit" 5 bash -c "! kill -0 $pid"
[[ ! -e $CTL && ! -e $OVSDB_DIR/nb.pid && ! -e $OVSDB_DIR/nb.sock ]] || fail "exit left its files"
pass "control commands"

# Several databases in one process, named on the command line: NB and SB side by side.
ovsdb-tool create "$OVSDB_DIR/sb2.db" /usr/share/ovn/ovn-sb.ovsschema
ovsdb_start both "$schema" "$OVSDB_DIR/sb2.db"
[[ "$(ovsdb-client list-dbs "$(ovsdb_remote both)" | tr '\n' ' ')" == "OVN_Northbound OVN_Southbound _Server " ]] ||
  fail "list-dbs of two databases"
ovn-nbctl --db="$(ovsdb_remote both)" --timeout=10 ls-add both-ls
ovn-sbctl --db="$(ovsdb_remote both)" --timeout=10 chassis-add both-hv geneve 10.0.0.1
[[ "$(ovn-nbctl --db="$(ovsdb_remote both)" ls-list)" == *both-ls* ]] || fail "NB of two"
[[ "$(ovn-sbctl --db="$(ovsdb_remote both)" show)" == *both-hv* ]] || fail "SB of two"
ovsdb_stop both
ovsdb_restart both
[[ "$(ovn-sbctl --db="$(ovsdb_remote both)" show)" == *both-hv* ]] || fail "SB of two after restart"
pass "two databases in one process"
