#!/bin/bash
# make demo cannot rot: runs scripts/demo.sh on OVNX_BIN_DIR (the seed scenario through ovnx-ctl,
# ovnx-nbctl and ovnx-sbctl, two namespace hypervisors with real Open vSwitch), expects its
# PASS verdict, and checks that it left no namespace, process or directory behind. Daemons not
# built yet are replaced by the real OVN ones by the demo itself, which says so.
set -u -o pipefail
BIN=${OVNX_BIN_DIR:?}
SRC=${OVNX_SOURCE_DIR:?}
out=$("$SRC/scripts/demo.sh" "$BIN" 2>&1)
rc=$?
echo "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
prefix=$(sed -n 's/.*(namespaces \(ovxd[0-9]*\)-node1,.*/\1/p' <<<"$out" | head -1)
dir=$(grep -o '/tmp/ovnx-demo\.[A-Za-z0-9]*' <<<"$out" | head -1)
[[ -n $prefix ]] || fail "the demo did not say which namespaces it made"
netns=$(ip netns list)
if grep -q "^$prefix-" <<<"$netns"; then
  # Clean up after the failed demo before failing.
  [[ -n $dir && -x $dir/teardown.sh ]] && "$dir/teardown.sh" >/dev/null 2>&1
  fail "the demo left namespaces $prefix-*"
fi
[[ -z $dir || ! -e $dir ]] || fail "the demo left $dir"
[[ $rc == 0 ]] || fail "demo.sh exited with $rc"
grep -q "^VERDICT: PASS" <<<"$out" || fail "no PASS verdict"
grep -q "Chassis node2" <<<"$out" || fail "ovnx-sbctl show lacks the chassis"
echo "PASS: make demo's scenario passes and cleans up"
