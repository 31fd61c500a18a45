#!/bin/bash
# The real ovn-northd with its NB and SB served by ovnx-dbserver: the seed topology's logical
# flows appear in SB (ovn-nbctl --wait=sb sync returns), exactly as many as with the real
# ovsdb-server serving the same topology.
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
source "$OVNX_SOURCE_DIR/tests/lib/seed.sh"
export OVN_RUNDIR=$OVSDB_DIR OVS_RUNDIR=$OVSDB_DIR

seed() {  # NB-REMOTE
  seed_topology ovn-nbctl --db="$1" --timeout=30 || fail "seed topology"
}

# central TAG [--real]: NB + SB + northd; leaves the number of logical flows in TAG-count.
central() {
  local tag=$1 real=${2:-}
  ovsdb_start "$tag-nb" /usr/share/ovn/ovn-nb.ovsschema $real
  ovsdb_start "$tag-sb" /usr/share/ovn/ovn-sb.ovsschema $real
  local nb sb
  nb=$(ovsdb_remote "$tag-nb") sb=$(ovsdb_remote "$tag-sb")
  ovn-nbctl --db="$nb" init
  ovn-sbctl --db="$sb" init
  ovn-northd --ovnnb-db="$nb" --ovnsb-db="$sb" --pidfile="$OVSDB_DIR/$tag-northd.pid" \
    --unixctl="$OVSDB_DIR/$tag-northd.ctl" --log-file="$OVSDB_DIR/$tag-northd.log" --detach --no-chdir
  ovsdb_on_exit "kill \$(cat $OVSDB_DIR/$tag-northd.pid) 2>/dev/null"
  seed "$nb"
  timeout 30 ovn-nbctl --db="$nb" --wait=sb --timeout=30 sync || fail "$tag: --wait=sb sync did not return"
  ovn-sbctl --db="$sb" lflow-list > "$OVSDB_DIR/$tag-lflows.txt"
  ovn-sbctl --db="$sb" show > "$OVSDB_DIR/$tag-sbshow.txt"
  grep -c 'table=' "$OVSDB_DIR/$tag-lflows.txt" > "$OVSDB_DIR/$tag-count"
}

central ovnx
central real --real
ours=$(cat "$OVSDB_DIR/ovnx-count") real=$(cat "$OVSDB_DIR/real-count")
echo "logical flows: ovnx-dbserver $ours, real ovsdb-server $real"
[[ $ours -gt 200 ]] || fail "only $ours logical flows"
[[ $ours == "$real" ]] || fail "flow count differs: $ours vs $real"
for dp in ls1 ls2 lr1; do
  grep -q "Datapath: \"$dp\"" "$OVSDB_DIR/ovnx-lflows.txt" || fail "no flows for $dp"
done
# Same flows, apart from UUIDs.
norm() { sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g; s/\(0x[0-9a-f]+\)//g' "$1" | sort; }
diff <(norm "$OVSDB_DIR/ovnx-lflows.txt") <(norm "$OVSDB_DIR/real-lflows.txt") > "$OVSDB_DIR/lflow.diff" ||
  { head -20 "$OVSDB_DIR/lflow.diff"; fail "logical flows differ from the real server's"; }
pass "ovn-northd computes the seed topology's $ours logical flows through ovnx-dbserver"

# northd keeps following changes: a new port shows up in SB Port_Binding.
ovn-nbctl --db="$(ovsdb_remote ovnx-nb)" --wait=sb lsp-add ls1 extra -- lsp-set-addresses extra "00:00:00:00:00:09 192.168.1.99"
ovn-sbctl --db="$(ovsdb_remote ovnx-sb)" --bare --columns=logical_port find port_binding logical_port=extra | grep -q extra ||
  fail "no Port_Binding for a new port"
pass "incremental change reaches SB"
