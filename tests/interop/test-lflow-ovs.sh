#!/bin/bash
# The logical flows a real OVN 23.03 northd produced for the seed scenario plus an ACL with an
# address set and a port group, a reject ACL with a port range, a logged ACL, a load balancer,
# DHCP and DNS (tests/fixtures/logical/seed-lflows.txt, `ovn-sbctl lflow-list` output), compiled
# by ovnx-lflow-compile and installed into a real ovs-vswitchd with ovs-ofctl -O OpenFlow15:
#   1. every logical flow compiles;
#   2. ovs-vswitchd accepts every flow and group (add-groups / add-flows succeed);
#   3. dump-flows prints every flow exactly as the compiler printed it, so the text the compiler
#      shows is what OpenFlow carries;
#   4. a few packets traced through the installed tables take the logical path (ARP reply,
#      L2 lookup to a port, a router hop).
set -euo pipefail

: "${OVNX_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${OVNX_BIN_DIR:?OVNX_BIN_DIR must point at the built binaries}"
TOOL="$OVNX_BIN_DIR/ovnx-lflow-compile"
LFLOWS="$OVNX_SOURCE_DIR/tests/fixtures/logical/seed-lflows.txt"
source "$OVNX_SOURCE_DIR/tests/lib/ovs.sh"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-lflow-ovs.XXXXXX")
ovs_on_exit "rm -rf '$WORK'"

echo "== 1. compile every logical flow"
# The Southbound state the flows refer to (port keys as the real northd assigned them).
python3 - "$LFLOWS" "$TOOL" "$WORK" <<'EOF'
import re, subprocess, sys
lflows, tool, work = sys.argv[1:]
dps = {"ls1": 1, "ls2": 2, "lr1": 3}
ports = {
    "ls1": {"ls1-node1-ns1": 1, "ls1-node2-ns1": 2, "ls1-lr1": 3, "ls1-unk": 4,
            "_MC_flood": 32768, "_MC_unknown": 32769, "_MC_flood_l2": 32772},
    "ls2": {"ls2-node2-ns2": 1, "ls2-lr1": 2, "_MC_flood": 32768, "_MC_flood_l2": 32772},
    "lr1": {"lr1-ls1": 1, "lr1-ls2": 2},
}
common = ["--address-set", "svc_monitor_mac=be:7d:18:15:e8:8d",
          "--address-set", "as1=10.0.0.1,10.0.0.2,10.0.0.3,10.1.0.0/16",
          "--address-set", "pg1_ip4=192.168.1.10,192.168.1.20",
          "--address-set", "pg1_ip6=",
          "--address-set", "_rtr_lb_3_ip4=192.168.1.100",
          "--port-group", "pg1=ls1-node1-ns1,ls1-node2-ns1",
          "--chassis-resident", "ls1-node1-ns1"]
flows, groups, n, cookie = [], [], 0, 0x100
dp = pipeline = None
line_re = re.compile(r"\s*table=(\d+)\s*\(.*?\), priority=(\d+)\s*, match=\((.*)\), action=\((.*)\)$")
for line in open(lflows):
    m = re.match(r'Datapath: "(\w+)".*Pipeline: (\w+)', line)
    if m:
        dp, pipeline = m.group(1), m.group(2)
        continue
    m = line_re.match(line.rstrip("\n"))
    if not m:
        continue
    table, prio, match, actions = m.groups()
    cookie += 1
    args = [tool, "--datapath", str(dps[dp]), "--pipeline", pipeline, "--table", table,
            "--priority", prio, "--cookie", str(cookie)] + common
    if dp.startswith("lr"):
        args.append("--router")
    for name, key in ports[dp].items():
        args += ["--port", "%s=%d" % (name, key)]
    # Distinct group ids across logical flows: the tool numbers from 1 each run.
    res = subprocess.run(args + [match, actions or "drop;"], capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("cannot compile %s %s table %s: %s | %s\n%s" % (dp, pipeline, table, match,
                                                                actions, res.stderr))
    n += 1
    # Each run numbers its groups from 1: renumber them uniquely for the whole table.
    renumber = {}
    lines = res.stdout.splitlines()
    for out in lines:
        m = re.match(r"group_id=(\d+),", out)
        if m:
            renumber[m.group(1)] = str(1000 + len(groups) + len(renumber))
    for out in lines:
        out = re.sub(r"(group_id=|group:)(\d+)", lambda g: g.group(1) + renumber[g.group(2)], out)
        (groups if out.startswith("group_id=") else flows).append(out)
open(work + "/flows", "w").write("\n".join(flows) + "\n")
open(work + "/groups", "w").write("\n".join(groups) + "\n")
print("compiled %d logical flows into %d OpenFlow flows and %d groups" % (n, len(flows), len(groups)))
if n < 300:
    sys.exit("expected more than 300 logical flows, found %d" % n)
EOF

echo "== 2. install into a real ovs-vswitchd"
ovs_start lflow
ovs_add_bridge lflow br-int set bridge br-int protocols=OpenFlow15
ofctl() { ovs_run lflow ovs-ofctl -O OpenFlow15 "$@"; }
ofctl del-flows br-int
ofctl add-groups br-int "$WORK/groups" || fail "ovs-vswitchd rejected a group"
ofctl add-flows br-int "$WORK/flows" || fail "ovs-vswitchd rejected a flow"

echo "== 3. dump-flows prints the flows as the compiler printed them"
# Our flows have duplicates only where OVS merges nothing (identical conjunction dimensions of
# different logical flows never occur here), so the sets must be equal.
sort -u "$WORK/flows" >"$WORK/expected"
ofctl --no-stats dump-flows br-int | sed 's/^ //' | grep -v '^OFPST_FLOW' | sort -u >"$WORK/actual"
if ! diff -u "$WORK/expected" "$WORK/actual" >"$WORK/diff"; then
  grep "^[-+]" "$WORK/diff" | head -60 >&2
  fail "installed flows differ from the compiler's output"
fi
echo "$(wc -l <"$WORK/actual") flows installed and dumped back identically"

echo "== 4. packets take the logical path"
# Only the logical pipeline is installed: enter it at table 8 with metadata and inport already
# set in the traced flow, as the physical flows of table 0 would.
ofctl add-flow br-int "table=0,priority=0,actions=resubmit(,8)"
trace() { ovs_run lflow ovs-appctl ofproto/trace br-int "$1"; }
# An ARP request for the router port's address on ls1 is answered by ls_in_arp_rsp (OpenFlow
# table 27): output back to the input port with the loopback flag set.
out=$(trace "in_port=LOCAL,arp,metadata=1,reg14=1,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=192.168.1.10,arp_tpa=192.168.1.1,arp_sha=00:00:00:00:00:01")
grep -q "set_field:2->arp_op" <<<"$out" || fail "ARP request not answered: $out"
grep -q "move:NXM_NX_REG14\[\]->NXM_NX_REG15\[\]" <<<"$out" || fail "ARP reply not sent back"
# L2 lookup (table 33) sends a unicast frame to the port owning the destination MAC.
out=$(trace "in_port=LOCAL,ip,metadata=1,reg14=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:00:02,nw_src=192.168.1.10,nw_dst=192.168.1.20,nw_ttl=64")
grep -q "set_field:0x2->reg15" <<<"$out" || fail "L2 lookup did not pick ls1-node2-ns1: $out"
# The router routes 192.168.2.0/24 out of lr1-ls2, decrementing the TTL.
out=$(trace "in_port=LOCAL,ip,metadata=3,reg14=1,dl_src=00:00:00:00:00:01,dl_dst=00:00:00:00:11:00,nw_src=192.168.1.10,nw_dst=192.168.2.30,nw_ttl=64")
grep -q "dec_ttl" <<<"$out" || fail "router did not decrement the TTL: $out"
grep -q "set_field:0x2->reg15" <<<"$out" || fail "router did not route to lr1-ls2: $out"
echo "PASS"
