#!/bin/bash
# ovnx_openflow against a real ovs-vswitchd (userspace datapath), over the bridge's management
# socket:
#   1. installing a flow table (registers, resubmits, conjunctions, ct+nat+exec, controller2 with
#      userdata and pause, tun_metadata0 after a geneve TLV mapping, groups, meters, ...) makes
#      `ovs-ofctl -O OpenFlow15 dump-flows` print exactly what our formatter prints;
#   2. a sample packet takes the expected path in ofproto/trace;
#   3. dumping the flows back and diffing against the same desired set changes nothing (our
#      decoding of what the switch reports equals what we sent);
#   4. a controller(pause,userdata) action produces a packet-in our connection decodes, and
#      resuming it continues the pipeline;
#   5. a bundle holding one bad flow changes nothing and names the bad flow;
#   6. a changed desired set is installed as exactly the needed deletes, modifies and adds,
#      and untouched flows keep their age (they were not re-added).
set -euo pipefail

: "${OVNX_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${OVNX_BIN_DIR:?OVNX_BIN_DIR must point at the built binaries}"
TOOL="$OVNX_BIN_DIR/ovnx-test-openflow"
source "$OVNX_SOURCE_DIR/tests/lib/ovs.sh"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

ovs_start of
ovs_add_bridge of br0
MGMT="unix:$(ovs_mgmt_socket of br0)"
ofctl() { ovs_run of ovs-ofctl -O OpenFlow15 "$@"; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-openflow.XXXXXX")
ovs_on_exit "rm -rf '$WORK'"

dump() { ofctl --no-stats dump-flows br0 | sed 's/^ //' | sort; }

echo "== 1. install the flow table"
"$TOOL" install "$MGMT" | tee "$WORK/install.out"
grep -q "full_replace=1" "$WORK/install.out" || fail "first sync was not a full replace"
"$TOOL" expected >"$WORK/expected"
dump >"$WORK/actual"
if ! diff -u "$WORK/expected" "$WORK/actual"; then
  fail "dump-flows differs from the flows we installed"
fi
ofctl dump-tlv-map br0 | grep -q "0x102.*0x80.*4.*tun_metadata0" || fail "TLV mapping missing"
ofctl dump-groups br0 | grep -q "group_id=1,type=select,selection_method=dp_hash" \
  || fail "group 1 not installed as sent: $(ofctl dump-groups br0)"
ofctl dump-meters br0 | grep -q "meter=1 pktps burst" || fail "meter 1 missing: $(ofctl dump-meters br0)"

echo "== 2. ofproto/trace follows the pipeline"
ovs_run of ovs-appctl ofproto/trace br0 \
  "in_port=LOCAL,ip,dl_src=00:00:00:00:00:01,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_proto=17" \
  >"$WORK/trace" || fail "ofproto/trace failed"
for step in "resubmit(,8)" " 8. reg14=0x1,metadata=0x1" "resubmit(,9)" "conj_id=7" \
    "ct(commit,table=10,zone=NXM_NX_REG13[0..15]" "Resuming from table 10" \
    "set_field:0x2->reg15"; do
  grep -qF -- "$step" "$WORK/trace" || { cat "$WORK/trace"; fail "trace lacks \"$step\""; }
done

echo "== 3. dump-and-diff finds nothing to change"
"$TOOL" resync "$MGMT" | tee "$WORK/resync.out"
grep -q "^added=0 modified=0 deleted=0 full_replace=0$" "$WORK/resync.out" \
  || fail "resync against an identical table sent changes"
dump >"$WORK/after-resync"
diff -u "$WORK/expected" "$WORK/after-resync" || fail "resync changed the table"

echo "== 4. packet-in with userdata, then resume"
coproc PIN { "$TOOL" packet-in "$MGMT"; }
# Bash unsets PIN once the coprocess exits, which it may do before its last line is read:
# keep our own copies of its output descriptor and pid.
exec {pin_out}<&"${PIN[0]}"
pin_pid=$PIN_PID
read -r -t 10 line <&"$pin_out" || fail "packet-in tool did not get ready"
[[ "$line" == ready ]] || fail "unexpected output from packet-in tool: $line"
# A UDP packet from LOCAL, straight into table 20.
PACKET=00000000000200000000000108004500001c00010000401100000a0000010a0000023039303900080000
ofctl packet-out br0 "in_port=LOCAL packet=$PACKET actions=resubmit(,20)"
read -r -t 10 pin <&"$pin_out" || fail "no packet-in received"
echo "$pin"
read -r -t 10 resumed <&"$pin_out" || fail "packet-in not resumed"
wait "$pin_pid" || fail "packet-in tool failed"
# (A packet-in caused by a packet-out names no table or cookie, so those are not checked.)
for want in "reason=1" "userdata=de.ad.be.ef" "continuation=yes" "reg0=0x2a" \
    "in_port=LOCAL" "len=42"; do
  [[ "$pin" == *"$want"* ]] || fail "packet-in lacks \"$want\": $pin"
done
[[ "$resumed" == resumed ]] || fail "expected resumed, got: $resumed"
# After the resume the pipeline went on to table 21, whose flow matches reg0=0x2a.
table21_hit() { ofctl dump-flows br0 table=21 | grep -q "n_packets=1,"; }
ovs_wait_for "table 21 hit after resume" 5 table21_hit \
  || fail "the resumed packet did not reach table 21: $(ofctl dump-flows br0 table=21)"

echo "== 5. a bundle with one bad flow changes nothing"
dump >"$WORK/before-bad"
"$TOOL" bad-bundle "$MGMT" | tee "$WORK/bad.out"
grep -q "rejected: table=30, priority=1 actions=group:4242 error: OFPBAC_BAD_OUT_GROUP" \
  "$WORK/bad.out" || fail "the bad flow was not reported with its error"
dump >"$WORK/after-bad"
diff -u "$WORK/before-bad" "$WORK/after-bad" || fail "the failed bundle changed the table"

echo "== 6. the diff changes only what changed"
sleep 1.2  # untouched flows must show an age of at least a second afterwards
"$TOOL" diff "$MGMT" | tee "$WORK/diff.out"
# table 24 is new, table 21 has new actions (a modify), table 23 a new cookie (which an
# OpenFlow 1.5 modify cannot change: it is re-added), table 22 is gone.
grep -q "^added=2 modified=1 deleted=1 full_replace=0$" "$WORK/diff.out" \
  || fail "expected exactly 2 adds, 1 modify, 1 delete"
grep -q "^delete_strict table=22, priority=10,dl_vlan=5 actions=drop$" "$WORK/diff.out" \
  || fail "missing the strict delete"
"$TOOL" expected-changed >"$WORK/expected-changed"
dump >"$WORK/after-diff"
diff -u "$WORK/expected-changed" "$WORK/after-diff" || fail "table after diff is wrong"
# Flows the diff did not touch were not re-added: they are older than the sleep above.
young=$(ofctl dump-flows br0 | grep -v "table=2[34]," | grep -c "duration=0\.[0-9]*s" || true)
[[ "$young" == 0 ]] || fail "$young untouched flows were re-added: $(ofctl dump-flows br0)"

echo "PASS"
