#!/bin/bash
# Side-by-side benchmark of ovnx-dbserver and the real ovsdb-server on the same machine and the
# same workloads (bench/dbserver/loadgen.cc):
#   (a) 10,000 small insert transactions over one connection, each waiting for its reply
#   (b) bulk load of a 20,000-port NB topology (200 switches x 100 ports with addresses,
#       100 port groups with 2 ACLs each)
#   (c) one client's initial monitor_cond_since of that database
#   (d) commit-to-last-update latency with 100 clients monitoring
#   peak memory (VmHWM) of the server that held the topology
# usage: scripts/bench-dbserver.sh [BUILD_DIR]     (default build/release; needs a release build)
set -eu -o pipefail
BUILD=$(cd "${1:-build/release}" && pwd)
SERVER=$BUILD/bin/ovnx-dbserver
LOADGEN=$BUILD/bench/ovnx-dbserver-bench
SCHEMA=/usr/share/ovn/ovn-nb.ovsschema
SMALL=${SMALL:-10000} SWITCHES=${SWITCHES:-200} PORTS=${PORTS:-100} PGROUPS=${PGROUPS:-100}
CLIENTS=${CLIENTS:-100} ROUNDS=${ROUNDS:-50}
[[ -x $SERVER && -x $LOADGEN ]] || { echo "build $BUILD first (make release)" >&2; exit 1; }

W=$(mktemp -d /tmp/ovnx-bench-dbserver.XXXXXX)
cleanup() {
  for f in "$W"/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; done
  rm -rf "$W"
}
trap cleanup EXIT

start() {  # KIND NAME
  local kind=$1 name=$2 bin=ovsdb-server
  [[ $kind == ovnx ]] && bin=$SERVER
  ovsdb-tool create "$W/$name.db" $SCHEMA
  "$bin" "$W/$name.db" --remote="punix:$W/$name.sock" --pidfile="$W/$name.pid" \
    --unixctl="$W/$name.ctl" --log-file="$W/$name.log" --detach --no-chdir 2>/dev/null
}
stop() { kill "$(cat "$W/$1.pid")"; rm -f "$W/$1.pid"; sleep 0.2; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$(cat "$W/$1.pid")/status"; }
# CPU seconds (user + system) the server has used so far.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$(cat "$W/$1.pid")/stat"; }
# run NAME SCENARIO ARGS...: runs the load generator; leaves its JSON in $out, server CPU in $used.
run() {
  local name=$1 before after
  shift
  before=$(cpu "$name")
  out=$("$LOADGEN" "unix:$W/$name.sock" "$@")
  after=$(cpu "$name")
  used=$(/usr/bin/python3 -c "print('%.2f' % ($after - $before))")
  echo "$out server_cpu_s=$used" >&2
}
field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

declare -A R C
for kind in real ovnx; do
  echo "== $kind" >&2
  start $kind $kind-small
  run $kind-small small "$SMALL"
  R[$kind,small]=$(field "$out" per_second) C[$kind,small]=$used
  stop $kind-small
  start $kind $kind-nb
  run $kind-nb bulk "$SWITCHES" "$PORTS" "$PGROUPS"
  R[$kind,bulk]=$(field "$out" seconds) C[$kind,bulk]=$used
  run $kind-nb initial
  R[$kind,initial]=$(field "$out" seconds) C[$kind,initial]=$used
  run $kind-nb latency "$CLIENTS" "$ROUNDS"
  R[$kind,latency]=$(field "$out" median_ms) C[$kind,latency]=$used
  R[$kind,rss]=$(hwm $kind-nb)
  stop $kind-nb
done

/usr/bin/python3 - "${R[real,small]}" "${R[ovnx,small]}" "${R[real,bulk]}" "${R[ovnx,bulk]}" \
  "${R[real,initial]}" "${R[ovnx,initial]}" "${R[real,latency]}" "${R[ovnx,latency]}" \
  "${R[real,rss]}" "${R[ovnx,rss]}" "$SMALL" "$((SWITCHES * PORTS))" "$CLIENTS" \
  "${C[real,small]}" "${C[ovnx,small]}" "${C[real,bulk]}" "${C[ovnx,bulk]}" \
  "${C[real,initial]}" "${C[ovnx,initial]}" "${C[real,latency]}" "${C[ovnx,latency]}" <<'PY'
import sys
a = [float(x) for x in sys.argv[1:11]]
small, ports, clients = sys.argv[11], sys.argv[12], sys.argv[13]
c = [float(x) for x in sys.argv[14:22]]
def cpu_ratio(i):
    return c[2 * i] / c[2 * i + 1] if c[2 * i + 1] > 0 else float("nan")
rows = [
    ("(a) %s small transactions, txn/s" % small, a[0], a[1], a[1] / a[0], cpu_ratio(0)),
    ("(b) bulk load %s ports, s" % ports, a[2], a[3], a[2] / a[3], cpu_ratio(1)),
    ("(c) initial monitor of that DB, s", a[4], a[5], a[4] / a[5], cpu_ratio(2)),
    ("(d) commit->last update, %s clients, ms (median)" % clients, a[6], a[7], a[6] / a[7],
     cpu_ratio(3)),
    ("peak RSS with the topology, MiB", a[8] / 1024, a[9] / 1024, a[8] / a[9], None),
]
print("%-50s %12s %13s %8s %11s" % ("", "ovsdb-server", "ovnx-dbserver", "ratio", "CPU ratio"))
for name, r, o, ratio, cr in rows:
    print("%-50s %12.3f %13.3f %7.2fx %10s" % (name, r, o, ratio,
                                               "" if cr is None else "%.2fx" % cr))
print("ratio: ovnx's advantage (throughput, or time/memory of the real server over ours);")
print("CPU ratio: server CPU seconds for the scenario, real over ovnx.")
PY
