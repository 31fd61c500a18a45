#!/bin/bash
# ovnx-dbtool: files it creates are served by the real ovsdb-server; it reads, queries,
# transacts on and compacts files the real tools made; its answers match ovsdb-tool's.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
T=$OVNX_BIN_DIR/ovnx-dbtool
NB=/usr/share/ovn/ovn-nb.ovsschema
D=$OVSDB_DIR

for c in schema-name schema-version schema-cksum; do
  [[ "$($T $c $NB)" == "$(ovsdb-tool $c $NB)" ]] || fail "$c"
done
$T create "$D/ours.db" $NB
for c in db-name db-version db-cksum; do
  [[ "$($T $c "$D/ours.db")" == "$(ovsdb-tool $c "$D/ours.db")" ]] || fail "$c"
done
$T db-is-standalone "$D/ours.db" || fail "db-is-standalone"
if $T create "$D/ours.db" $NB 2>/dev/null; then fail "create over an existing file"; fi
pass "create, schema-* and db-* agree with ovsdb-tool"

out=$($T transact "$D/ours.db" '["OVN_Northbound",{"op":"insert","table":"Logical_Switch","row":{"name":"s1"}},{"op":"comment","comment":"by dbtool"}]')
[[ $out == *'"uuid"'* ]] || fail "transact: $out"
[[ "$(ovsdb-tool query "$D/ours.db" '["OVN_Northbound",{"op":"select","table":"Logical_Switch","where":[],"columns":["name"]}]')" == '[{"rows":[{"name":"s1"}]}]' ]] ||
  fail "ovsdb-tool cannot read ovnx-dbtool's transaction"
ovsdb-tool show-log "$D/ours.db" | grep -q 'by dbtool' || fail "comment not in the log"
# The real server serves a file we created and wrote.
ovsdb_start real "$D/ours.db" --real
[[ "$(ovn-nbctl --db="$(ovsdb_remote real)" ls-list)" == *s1* ]] || fail "real server on our file"
ovn-nbctl --db="$(ovsdb_remote real)" ls-add s2
ovsdb_stop real
q=$($T query "$(ovsdb_db real)" '["OVN_Northbound",{"op":"select","table":"Logical_Switch","where":[],"columns":["name"]}]')
[[ $q == *s1* && $q == *s2* ]] || fail "query of the real server's file: $q"
r=$($T query "$(ovsdb_db real)" '["OVN_Northbound",{"op":"delete","table":"Logical_Switch","where":[]}]')
[[ $r == *'not allowed'* ]] || fail "query must be read-only: $r"
pass "transact/query both ways"

n_before=$($T show-log "$(ovsdb_db real)" | grep -c '^record')
$T compact "$(ovsdb_db real)"
n_after=$(ovsdb-tool show-log "$(ovsdb_db real)" | grep -c '^record')
[[ $n_before -ge 3 && $n_after == 2 ]] || fail "compact: $n_before -> $n_after records"
$T compact "$(ovsdb_db real)" "$D/copy.db"
[[ "$(ovsdb-tool query "$D/copy.db" '["OVN_Northbound",{"op":"select","table":"Logical_Switch","where":[],"columns":["name"]}]' | grep -o '"s[12]"' | sort | tr '\n' ' ')" == '"s1" "s2" ' ]] ||
  fail "compacted copy"
pass "compact in place and to a new file"

# A schema with an error is refused with a message naming the table, the column and the problem,
# and no file is left behind.
echo '{"name":"D","version":"1.0.0","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"uuid","refTable":"Nope"}}}}}}}' > "$D/bad.ovsschema"
if err=$($T create "$D/bad.db" "$D/bad.ovsschema" 2>&1); then fail "a bad schema was accepted"; fi
[[ $err == *'table T column c'*'refTable "Nope" does not exist'* ]] || fail "bad schema message: $err"
[[ ! -e $D/bad.db ]] || fail "a file was left after refusing the schema"
pass "a bad schema is refused naming table and column"
