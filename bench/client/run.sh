#!/usr/bin/env bash
# Side-by-side: initial load of a 20,000-port NB database by our client library vs the python
# IDL and the real ovn-nbctl; and ovnx-sbctl vs ovn-sbctl lflow-list on 20,000 logical flows.
# Same server (the real ovsdb-server, or ovnx-dbserver with SERVER=ovnx), one run each;
# prints times, memory and ratios.
#
#   bench/client/run.sh BUILD_DIR        (a release build: make release)
set -eu
BUILD=${1:-build/release}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
PORTS=${PORTS:-20000}
FLOWS=${FLOWS:-20000}
SERVER=${SERVER:-real}
tmp=$(mktemp -d /tmp/ovnx-bench-client-XXXXXX)
trap 'kill $(cat "$tmp"/*.pid 2>/dev/null) 2>/dev/null; rm -rf "$tmp"' EXIT

start() {  # start NAME SCHEMA
  ovsdb-tool create "$tmp/$1.db" "$2"
  local bin=ovsdb-server
  [[ $SERVER == ovnx ]] && bin=$BUILD/bin/ovnx-dbserver
  "$bin" "$tmp/$1.db" --remote="punix:$tmp/$1.sock" --unixctl="$tmp/$1.ctl" \
    --pidfile="$tmp/$1.pid" --detach --no-chdir --log-file="$tmp/$1.log" 2>/dev/null
  for _ in $(seq 100); do [[ -S $tmp/$1.sock ]] && break; sleep 0.05; done
}

# Sends the transaction in file $2 to the unix socket $1 (too big for a command line).
transact() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(json.dumps({"method": "transact", "params": json.load(open(sys.argv[2])), "id": 1}).encode())
dec, buf = json.JSONDecoder(), ""
while True:
    buf += s.recv(1 << 20).decode()
    try:
        msg, _ = dec.raw_decode(buf)
    except ValueError:
        continue
    if msg.get("id") == 1:
        errors = [r for r in msg["result"] if isinstance(r, dict) and "error" in r]
        if errors:
            sys.exit("transaction failed: %s" % errors[0])
        break
PY
}

# "wall_seconds max_rss_kib cpu_seconds" of a command (its output discarded).
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$@" >/dev/null
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$tmp/time"
}

start nb "$SRC/schemas/ovn-nb.ovsschema"
NB=unix:$tmp/nb.sock
/usr/bin/python3 - "$PORTS" >"$tmp/nb.json" <<'PY'
import json, sys
ports = int(sys.argv[1]); per = 100
ops = ["OVN_Northbound"]
for s in range(ports // per):
    names = []
    for p in range(per):
        i = s * per + p
        n = "p%d" % i
        ops.append({"op": "insert", "table": "Logical_Switch_Port", "uuid-name": n,
                    "row": {"name": "lsp%d" % i,
                            "addresses": "00:00:00:%02x:%02x:%02x 10.%d.%d.%d" % (
                                i >> 16 & 255, i >> 8 & 255, i & 255, i >> 16 & 255, i >> 8 & 255, i & 255),
                            "external_ids": ["map", [["owner", "bench"]]]}})
        names.append(["named-uuid", n])
    ops.append({"op": "insert", "table": "Logical_Switch",
                "row": {"name": "ls%d" % s, "ports": ["set", names]}})
print(json.dumps(ops))
PY
transact "$tmp/nb.sock" "$tmp/nb.json"
echo "NB database: $PORTS logical switch ports in $((PORTS / 100)) switches ($SERVER server)"

read -r ours_line < <("$BUILD/bench/ovnx-bench-client-load" "$NB" nb)
eval "${ours_line}"  # rows= seconds= rss_kib_before= rss_kib_after=
ours_s=$seconds
ours_rows=$rows
ours_kib=$((rss_kib_after - rss_kib_before))
read -r ours_wall ours_max ours_cpu < <(measure "$BUILD/bench/ovnx-bench-client-load" "$NB" nb)

cat >"$tmp/pyload.py" <<'PY'
import sys, time
import ovs.db.idl, ovs.poller
def rss():
    for l in open("/proc/self/status"):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
before = rss()
start = time.time()
helper = ovs.db.idl.SchemaHelper(sys.argv[2]); helper.register_all()
idl = ovs.db.idl.Idl(sys.argv[1], helper)
while True:
    idl.run()
    if idl.has_ever_connected() and len(idl.tables["Logical_Switch_Port"].rows) > 0:
        break
    p = ovs.poller.Poller(); idl.wait(p); p.block()
rows = sum(len(t.rows) for t in idl.tables.values())
print("rows=%d seconds=%.3f rss_kib_before=%d rss_kib_after=%d" % (rows, time.time() - start, before, rss()))
PY
read -r py_line < <(/usr/bin/python3 "$tmp/pyload.py" "$NB" "$SRC/schemas/ovn-nb.ovsschema")
eval "${py_line}"
py_s=$seconds
py_kib=$((rss_kib_after - rss_kib_before))
read -r py_wall py_max py_cpu < <(measure /usr/bin/python3 "$tmp/pyload.py" "$NB" "$SRC/schemas/ovn-nb.ovsschema")

read -r nbctl_list _ nbctl_list_cpu < <(measure ovn-nbctl --db="$NB" list Logical_Switch_Port)
read -r nbctl_show nbctl_max nbctl_cpu < <(measure ovn-nbctl --db="$NB" show)

ratio() { /usr/bin/python3 -c "print('%.1fx' % ($1 / $2))"; }
echo
echo "Replica initial load ($ours_rows rows):"
printf '  %-40s %8.3f s  %8d KiB  (%d bytes/row)\n' "ovnx client library (sync)" "$ours_s" "$ours_kib" \
  $((ours_kib * 1024 / ours_rows))
printf '  %-40s %8.3f s  %8d KiB  (%d bytes/row)\n' "python ovs.db.idl (sync)" "$py_s" "$py_kib" \
  $((py_kib * 1024 / ours_rows))
echo "  whole processes (wall, CPU of the client itself, max RSS):"
printf '  %-40s %8.3f s  %6.2f s CPU  %8d KiB\n' "ovnx loader" "$ours_wall" "$ours_cpu" "$ours_max"
printf '  %-40s %8.3f s  %6.2f s CPU  %8d KiB\n' "python loader" "$py_wall" "$py_cpu" "$py_max"
printf '  %-40s %8.3f s  %6.2f s CPU\n' "ovn-nbctl list Logical_Switch_Port" "$nbctl_list" "$nbctl_list_cpu"
printf '  %-40s %8.3f s  %6.2f s CPU  %8d KiB\n' "ovn-nbctl show" "$nbctl_show" "$nbctl_cpu" "$nbctl_max"
echo "  ratios: python IDL / ovnx = $(ratio "$py_s" "$ours_s") wall, $(ratio "$py_cpu" "$ours_cpu") CPU," \
  "$(ratio "$py_kib" "$ours_kib") memory; ovn-nbctl show / ovnx loader = $(ratio "$nbctl_show" "$ours_wall") wall," \
  "$(ratio "$nbctl_cpu" "$ours_cpu") CPU"

# SB: lflow-list with both tools.
start sb "$SRC/schemas/ovn-sb.ovsschema"
SB=unix:$tmp/sb.sock
/usr/bin/python3 - "$FLOWS" >"$tmp/sb.json" <<'PY'
import json, sys
flows = int(sys.argv[1]); dps = 50
ops = ["OVN_Southbound"]
for d in range(dps):
    ops.append({"op": "insert", "table": "Datapath_Binding", "uuid-name": "dp%d" % d,
                "row": {"tunnel_key": d + 1, "external_ids": ["map", [["name", "ls%d" % d]]]}})
for i in range(flows):
    ops.append({"op": "insert", "table": "Logical_Flow",
                "row": {"logical_datapath": ["named-uuid", "dp%d" % (i % dps)],
                        "pipeline": "ingress" if i % 3 else "egress", "table_id": i % 30,
                        "priority": i % 1000, "match": "inport == \"lsp%d\" && ip4" % i,
                        "actions": "next;", "external_ids": ["map", [["stage-name", "ls_in_stage%d" % (i % 30)]]]}})
print(json.dumps(ops))
PY
transact "$tmp/sb.sock" "$tmp/sb.json"
read -r real_lf real_max real_cpu < <(measure ovn-sbctl --db="$SB" lflow-list)
read -r ours_lf ours_lfmax ours_lfcpu < <(measure "$BUILD/bin/ovnx-sbctl" --db="$SB" lflow-list)
cmp <(ovn-sbctl --db="$SB" lflow-list) <("$BUILD/bin/ovnx-sbctl" --db="$SB" lflow-list) &&
  same="identical output" || same="OUTPUT DIFFERS"
echo
echo "SB lflow-list of $FLOWS logical flows ($same):"
printf '  %-40s %8.3f s  %6.2f s CPU  %8d KiB\n' "ovn-sbctl lflow-list" "$real_lf" "$real_cpu" "$real_max"
printf '  %-40s %8.3f s  %6.2f s CPU  %8d KiB\n' "ovnx-sbctl lflow-list" "$ours_lf" "$ours_lfcpu" "$ours_lfmax"
echo "  ratio: ovn-sbctl / ovnx-sbctl = $(ratio "$real_lf" "$ours_lf") wall, $(ratio "$real_cpu" "$ours_lfcpu") CPU"
