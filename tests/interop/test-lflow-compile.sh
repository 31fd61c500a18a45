#!/bin/bash
# ovnx-lflow-compile: prints the flows of a logical flow in ovs-ofctl notation, groups after
# them, and on bad input the error with its column and a non-zero exit status.
set -euo pipefail
: "${OVNX_BIN_DIR:?OVNX_BIN_DIR must point at the built binaries}"
TOOL="$OVNX_BIN_DIR/ovnx-lflow-compile"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
expect_out() {  # expected-output args...
  local want=$1 got
  shift
  got=$("$TOOL" "$@") || fail "exit status $? for: $*"
  [[ "$got" == "$want" ]] || fail "for: $*
--- expected
$want
--- got
$got"
}
expect_err() {  # expected-stderr-substring args...
  local want=$1 err rc=0
  shift
  err=$("$TOOL" "$@" 2>&1 >/dev/null) || rc=$?
  [[ $rc -ne 0 ]] || fail "exit status 0 for bad input: $*"
  [[ "$err" == *"$want"* ]] || fail "for: $* expected error containing [$want], got [$err]"
}

expect_out "table=8, priority=100,metadata=0x1 actions=resubmit(,9)" 1
expect_out "cookie=0x2a, table=50, priority=7,reg15=0x2,metadata=0x5,dl_dst=00:00:00:00:00:02 actions=resubmit(,64)" \
  --port p2=2 --pipeline egress --table 8 --priority 7 --datapath 5 --cookie 42 \
  'outport == "p2" && eth.dst == 00:00:00:00:00:02' 'output;'
expect_out "table=10, priority=100,ip,metadata=0x3,nw_dst=10.1.0.0/16 actions=dec_ttl,set_field:0x1->reg15,resubmit(,11)
table=10, priority=100,ip,metadata=0x3,nw_dst=10.0.0.0/24 actions=dec_ttl,set_field:0x1->reg15,resubmit(,11)" \
  --router --datapath 3 --table 2 --port lrp=1 --address-set nets=10.0.0.0/24,10.1.0.0/16 \
  'ip4.dst == $nets' 'ip.ttl--; outport = "lrp"; next;'
# Port groups and a conjunctive match: 2 + 3 dimension flows and the conj_id flow.
n=$("$TOOL" --port a=1 --port b=2 --port-group pg=a,b --address-set s=10.0.0.1,10.0.0.3,10.0.0.5 \
      'inport == @pg && ip4.src == $s && tcp' 'next;' | wc -l)
[[ $n -eq 6 ]] || fail "expected 6 flows for the conjunctive match, got $n"
# Groups follow the flows.
out=$("$TOOL" 'ip4 && tcp.dst == 80' 'ct_lb_mark(backends=10.0.0.1:8080,10.0.0.2:8080);')
grep -q "^table=8, priority=100,tcp,metadata=0x1,tp_dst=80 actions=group:1$" <<<"$out" || fail "no group action: $out"
grep -q "^group_id=1,type=select,selection_method=dp_hash,bucket=bucket_id:0,weight:100,actions=ct(commit,table=9" <<<"$out" \
  || fail "no group: $out"
# Ranges merge by default, not with --no-merge (as OVN 23.03 prints them).
[[ $("$TOOL" 'udp.dst >= 1000 && udp.dst <= 1999 && ip4' | wc -l) -eq 7 ]] || fail "merged range"
[[ $("$TOOL" --no-merge 'udp.dst >= 1000 && udp.dst <= 1999 && ip4' | wc -l) -eq 14 ]] || fail "unmerged range (as OVN: 14)"

expect_err "syntax error: match: column 12: expecting field, constant or \`(\`" 'ip4.src == && tcp'
expect_err "syntax error: actions: column 1: unknown action \`nxt\`" 'ip4' 'nxt;'
expect_err "match: column 1: nominal field \`inport\` may only be tested for equality" 'inport != "x"'
expect_err "unknown address set \`\$nope\`" 'ip4.src == $nope'
expect_err "--port wants NAME=KEY" --port p 'ip4'
expect_err "is not a port key" --port p=x 'ip4'
expect_err "--address-set s: invalid address" --address-set s=10.0.0.1,bogus 'ip4.src == $s'
expect_err "table 28 is past the last egress table (21)" --pipeline egress --table 28 1
"$TOOL" --help | grep -q "MATCH\|match" || fail "--help"
echo PASS
