#!/bin/bash
# Side-by-side benchmark of ovnx-controller and the real ovn-controller (OVN 23.03), one run:
#
#   topology   SWITCHES logical switches of PORTS ports each, all attached to one router (real
#              ovn-northd computes the Southbound content, ~ SWITCHES*PORTS ports in total);
#              TOPOLOGY=large: bench/northd/gen-topology.py's instead (GEN_ARGS: its options;
#              by default 500 switches x 40 ports, routers joined to a gateway router, port
#              groups with stateful ACLs, address sets, DHCP: ~186k logical flows), SWITCHES
#              and PORTS then unused; every datapath is local once one port is bound. It
#              runs without inactivity probes (SB connection, both controllers' SB and
#              OpenFlow connections), as one does at that scale
#   bind       one hypervisor (its own netns + ovs-vswitchd, netdev) adds BIND interfaces at
#              once (spread over every switch); we time until all are ovn-installed and
#              `ovn-nbctl --wait=hv sync` returned
#   one more   `ovn-nbctl --wait=hv lsp-add` of one more port whose interface already exists,
#              EXTRA times (one port after the other); the median and the range are reported
#   flows      OpenFlow flows on br-int afterwards
#   memory     the controller's peak RSS (VmHWM)
#   CPU        the controller's CPU time over the whole run, and ovs-vswitchd's during the bind
#   (ping RTT through the flows: not measured yet — internal ports of the userspace datapath
#   cannot move into a workload namespace; veth workloads as in tests/e2e would be needed)
#
# Each controller gets a fresh OVS; the central (NB, SB, northd) is shared and the hypervisor's
# chassis is removed between the two runs. Prints a table with the ratios real/ovnx.
#
#   sudo OVNX_BIN_DIR=build/release/bin bench/controller/bench-controller.sh \
#       [SWITCHES PORTS BIND EXTRA]
#
# BENCH_PROFILE=DIR records `perf record -g` of ovnx-controller into DIR/bind.data (the bind
# phase) and DIR/one.data (the one-more-port phase), of ovs-vswitchd into DIR/vswitchd-*.data,
# the flows per table of both controllers (DIR/real-tables.txt, DIR/ovnx-tables.txt) and the
# flows themselves (DIR/real-flows.txt, DIR/ovnx-flows.txt, input of flow-apply.sh);
# BENCH_PERF_OPTS replaces the sampling options of the controller's perf (default "-F 1999 -g");
# BENCH_ONLY=ovnx|real runs one flavour. MONITOR_ALL=1 sets ovn-monitor-all=true for both
# (ovnx-controller always replicates the whole Southbound database).
#
# ROUNDS=N (default 1) repeats the bind N times per flavour in the same run, alternating which
# flavour goes first, and reports the median bind of each and the ratio of every round (the
# other rows are the last round's). Each round also prints when, counted from the bind's start,
# ovs-vswitchd had created the last of the ports (its log) and, for ovnx-controller (its
# debug timeline, on by default here), when the bundle of the bind's flows was committed and
# ovn-installed written: what lies between is the switch taking in the flows, what follows is
# ovs-vsctl, ovn-nbctl and northd.
#
# BENCH_FLOOR=1 adds a third flavour, "floor": no controller at all. The bind's ports are
# added while ovs-ofctl loads, as one bundle, the very flows ovnx-controller installed for
# them (dumped after its bind of the same round; the ovnx flavour must run), then one ovs-vsctl
# sets ovn-installed on all of them and `ovn-nbctl --wait=hv sync` returns at once (no chassis):
# what the switch, ovs-vsctl and northd alone cost a controller that needs no time to compute
# or encode. REAL bind / FLOOR bind is the best ratio any controller could reach.
set -u
SWITCHES=${1:-20}
PORTS=${2:-50}
BIND=${3:-200}
EXTRA=${4:-10}
ROUNDS=${ROUNDS:-1}
TOPOLOGY=${TOPOLOGY:-small}
[[ $TOPOLOGY == small || $TOPOLOGY == large ]] || { echo "TOPOLOGY must be small or large (got $TOPOLOGY)" >&2; exit 1; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive number (got $ROUNDS)" >&2; exit 1; }
case ${BENCH_ONLY:-} in
  "" | real | ovnx) ;;
  *) echo "BENCH_ONLY must be real or ovnx (got $BENCH_ONLY)" >&2; exit 1 ;;
esac
export OVNX_SOURCE_DIR=${OVNX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$OVNX_SOURCE_DIR/tests/e2e/lib.sh"

ms() { date +%s%3N; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# log_times FILE T0 T1 PATTERN...: for each PATTERN (an ERE), the wall clock of the last line of
# FILE logged in [T0, T1] (epoch ms) that matches it, in ms since T0, or "-"; a PATTERN that
# starts with "after:" names the first matching line at or after the previous PATTERN's.
log_times() {
  python3 - "$@" <<'PY'
import datetime, re, sys
path, t0, t1, pats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
lines = []
try:
    for line in open(path, errors="replace"):
        try:
            ts = datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f")
        except ValueError:
            continue
        t = int(ts.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
        if t0 <= t <= t1:
            lines.append((t, line))
except OSError:
    pass
out, prev = [], None
for pat in pats:
    if pat.startswith("after:"):
        hits = [t for t, l in lines if prev is not None and t >= prev and re.search(pat[6:], l)]
        t = hits[0] if hits else None
    else:
        hits = [t for t, l in lines if re.search(pat, l)]
        t = hits[-1] if hits else None
    prev = t
    out.append("-" if t is None else str(t - t0))
print(" ".join(out))
PY
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# prof_start FLAVOUR PID NAME / prof_stop: perf around a phase (BENCH_PROFILE, ovnx only).
# ovs-vswitchd of the phase goes to DIR/vswitchd-NAME.data.
PERF_PIDS=()
prof_start() {
  [[ -n ${BENCH_PROFILE:-} && $1 == ovnx ]] || return 0
  mkdir -p "$BENCH_PROFILE"
  # shellcheck disable=SC2086  # BENCH_PERF_OPTS: e.g. "-F 4999 --call-graph dwarf"
  perf record -q ${BENCH_PERF_OPTS:--F 1999 -g} -p "$2" -o "$BENCH_PROFILE/$3.data" >/dev/null 2>&1 &
  PERF_PIDS+=($!)
  perf record -q -F 499 -g -p "$(e2e_pid hv/vswitchd.pid)" \
    -o "$BENCH_PROFILE/vswitchd-$3.data" >/dev/null 2>&1 &
  PERF_PIDS+=($!)
  sleep 0.5
}
prof_stop() {
  local p
  for p in "${PERF_PIDS[@]}"; do kill -INT "$p" 2>/dev/null; done
  for p in "${PERF_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  PERF_PIDS=()
}

e2e_host hv 10.0.99.2
e2e_host central 10.0.99.1
e2e_central central

if [[ $TOPOLOGY == large ]]; then
  # bench/northd's generated topology (500 switches x 40 ports, routers to a join switch and a
  # gateway router, port groups with stateful ACLs, address sets, DHCP), one transaction.
  read -r -a gen_args <<<"${GEN_ARGS:-}"
  e2e_log "creating the generated topology (gen-topology.py ${gen_args[*]})"
  python3 "$OVNX_SOURCE_DIR/bench/northd/gen-topology.py" "${gen_args[@]}" >"$E2E_DIR/nb-txn.json"
  python3 "$OVNX_SOURCE_DIR/bench/northd/ovsdb-transact.py" "unix:$E2E_DIR/central/nb.sock" \
    "$E2E_DIR/nb-txn.json" >/dev/null || fail "loading the generated topology"
  SWITCHES=$(nb --bare --columns=name list Logical_Switch | grep -c '^sw[0-9]')
  lport() { echo "sw$1-p$2"; }  # SWITCH INDEX
  lswitch() { echo "sw$1"; }
  subnet() { echo "10.$(($1 / 250)).$(($1 % 250))"; }
else
  e2e_log "creating $SWITCHES switches x $PORTS ports"
  lport() { echo "p$1-$2"; }
  lswitch() { echo "ls$1"; }
  subnet() { echo "10.$(($1 / 250 + 1)).$(($1 % 250))"; }
  {
    echo "lr-add lr0"
    for ((s = 0; s < SWITCHES; s++)); do
      printf -- "-- ls-add ls%d -- lrp-add lr0 lr0-ls%d 00:00:00:%02x:00:01 10.%d.%d.1/24 " \
        "$s" "$s" "$s" $((s / 250 + 1)) $((s % 250))
      printf -- "-- lsp-add ls%d ls%d-lr0 -- lsp-set-type ls%d-lr0 router " "$s" "$s" "$s"
      printf -- "-- lsp-set-addresses ls%d-lr0 router -- lsp-set-options ls%d-lr0 router-port=lr0-ls%d\n" \
        "$s" "$s" "$s"
    done
  } | tr '\n' ' ' | xargs ovn-nbctl --db="unix:$E2E_DIR/central/nb.sock" >/dev/null
  for ((s = 0; s < SWITCHES; s++)); do
    args=()
    for ((p = 0; p < PORTS; p++)); do
      mac=$(printf '0a:%02x:%02x:00:%02x:%02x' $((s / 256)) $((s % 256)) $((p / 256)) $((p % 256)))
      ip="10.$((s / 250 + 1)).$((s % 250)).$((p + 10))"
      args+=(-- lsp-add "ls$s" "p$s-$p" -- lsp-set-addresses "p$s-$p" "$mac $ip"
        -- lsp-set-port-security "p$s-$p" "$mac $ip")
    done
    nb "${args[@]}" >/dev/null
  done
fi
nb --timeout=900 --wait=sb sync
if [[ $TOPOLOGY == large ]]; then
  # As at scale: no inactivity probes (a controller computing for many seconds would be cut
  # off by the Southbound server's 5 s probe, recompute after reconnecting, and never catch
  # up; the real ovn-controller does exactly that here without this).
  sb set connection . inactivity_probe=0
fi
e2e_log "SB: $(sb --bare --columns=_uuid list Logical_Flow | grep -c .) logical flows, $(sb --bare --columns=_uuid list Port_Binding | grep -c .) ports"

# The BIND ports of the hypervisor: round-robin over the switches.
bound=()
for ((i = 0; i < BIND; i++)); do bound+=("$(lport $((i % SWITCHES)) $((i / SWITCHES)))"); done

declare -A R
run_one() {  # FLAVOUR
  local f=$1 t0 t1 pid
  e2e_hv_config hv
  # The debug timeline of ofctrl and the main loop: a few lines per engine run and bundle.
  # MONITOR_ALL=1: ovn-monitor-all=true (the real ovn-controller then monitors the whole
  # Southbound database from the start, as ovnx-controller always does).
  [[ -n ${MONITOR_ALL:-} ]] && vs hv set Open_vSwitch . external-ids:ovn-monitor-all=true
  [[ $TOPOLOGY == large ]] && vs hv set Open_vSwitch . external-ids:ovn-remote-probe-interval=0 \
    external-ids:ovn-openflow-probe-interval=0
  [[ $f == ovnx ]] && E2E_CONTROLLER_OPTS=${E2E_CONTROLLER_OPTS:-"-vcontroller:file:dbg -vofctrl:file:dbg"}
  e2e_controller hv "$f"
  e2e_wait_for "$f chassis" 30 bash -c "[[ -n \$(ovn-sbctl --db=unix:$E2E_DIR/central/sb.sock --bare --columns=name find Chassis name=hv) ]]"
  e2e_wait_for "br-int" 30 test -S "$E2E_DIR/hv/br-int.mgmt"
  nb --wait=hv sync
  pid=$(e2e_pid hv/controller.pid)

  local args=() waits=()
  for lp in "${bound[@]}"; do
    args+=(-- add-port br-int "$lp" -- set interface "$lp" type=internal external_ids:iface-id="$lp")
    waits+=(-- wait-until interface "$lp" external_ids:ovn-installed='"true"')
  done
  prof_start "$f" "$pid" bind
  local vsw vsw0
  vsw=$(e2e_pid hv/vswitchd.pid)
  vsw0=$(ticks "$vsw")
  t0=$(ms)
  vs hv "${args[@]}"
  # One ovs-vsctl waits for all of them (it retries until every condition holds).
  vs hv --timeout=300 "${waits[@]}"
  nb --wait=hv --timeout=300 sync
  t1=$(ms)
  R[$f.bind]=$((t1 - t0))
  BINDS[$f]+=" ${R[$f.bind]}"
  # The wall clock of the start, to line the controller's debug timeline up with it.
  e2e_log "$f bind: ${R[$f.bind]} ms from $(date -u -d @$((t0 / 1000)) +%H:%M:%S).$(printf %03d $((t0 % 1000)))"
  local ports flows installed
  ports=$(log_times "$E2E_DIR/hv/vswitchd.log" "$t0" "$t1" "added interface [a-z]+[0-9]+-p?[0-9]")
  if [[ $f == ovnx ]]; then
    read -r flows installed < <(log_times "$E2E_DIR/hv/controller.log" "$t0" "$t1" \
      "ofctrl\|DBG\|bundle [0-9]+ done: ok" "after:Open vSwitch transaction: success")
    e2e_log "$f bind timeline (ms): ports created by ovs-vswitchd $ports, flows committed $flows, ovn-installed written $installed, --wait=hv returned ${R[$f.bind]}"
  else
    e2e_log "$f bind timeline (ms): ports created by ovs-vswitchd $ports, --wait=hv returned ${R[$f.bind]}"
  fi
  R[$f.vsw]=$(($(ticks "$vsw") - vsw0))
  prof_stop
  # The bind's flows, for the floor flavour.
  [[ $f == ovnx && -n ${BENCH_FLOOR:-} ]] &&
    ofctl hv --no-stats --no-names dump-flows br-int | grep -v '^OFPST' >"$E2E_DIR/bind-flows.txt"

  # One more port, EXTRA times: its interface exists first, then the logical port appears.
  local k lats=()
  args=()
  for ((k = 0; k < EXTRA; k++)); do
    args+=(-- add-port br-int "extra$k" -- set interface "extra$k" type=internal
      external_ids:iface-id="extra$k")
  done
  vs hv "${args[@]}"
  nb --wait=hv sync
  prof_start "$f" "$pid" one
  for ((k = 0; k < EXTRA; k++)); do
    t0=$(ms)
    nb --wait=hv --timeout=60 lsp-add "$(lswitch $((k % SWITCHES)))" "extra$k" -- lsp-set-addresses "extra$k" \
      "$(printf '0a:ff:00:00:%02x:%02x' $((k / 256)) $((k % 256))) $(subnet $((k % SWITCHES))).$((250 - k / SWITCHES))"
    t1=$(ms)
    lats+=($((t1 - t0)))
  done
  prof_stop
  read -r R[$f.one] R[$f.one_min] R[$f.one_max] < <(printf '%s\n' "${lats[@]}" | sort -n |
    awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "%d %d %d\n", m, v[1], v[NR] }')
  e2e_log "$f one more port (ms): ${lats[*]}"
  R[$f.flows]=$(ofctl hv --no-stats dump-flows br-int | grep -vc '^OFPST')
  if [[ -n ${BENCH_PROFILE:-} ]]; then  # flows per table, to compare the two
    mkdir -p "$BENCH_PROFILE"
    ofctl hv --no-stats dump-flows br-int | grep -o 'table=[0-9]*' | sort | uniq -c |
      sort -k2 -t= -n >"$BENCH_PROFILE/$f-tables.txt"
    ofctl hv --no-stats --no-names dump-flows br-int >"$BENCH_PROFILE/$f-flows.txt"
  fi
  R[$f.mem]=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  R[$f.cpu]=$(awk '{print $14 + $15}' "/proc/$pid/stat")

  # Leave a clean hypervisor: the chassis goes, the ports and br-int too.
  ctl hv exit
  # Gone before the next controller starts: a controller removes its pidfile on the way out,
  # which is the next one's by then if that started first.
  local k=0
  while kill -0 "$pid" 2>/dev/null && ((k++ < 300)); do sleep 0.1; done
  args=()
  for ((k = 0; k < EXTRA; k++)); do args+=(-- lsp-del "extra$k"); done
  nb "${args[@]}"
  vs hv -- --if-exists del-br br-int
  vs hv remove Open_vSwitch . external_ids system-id
  vs hv remove Open_vSwitch . external_ids ovn-monitor-all
  nb --wait=sb sync
}

# The floor: the switch's and the tools' share of the bind, without a controller (see above).
run_floor() {
  [[ -s $E2E_DIR/bind-flows.txt ]] || { e2e_log "floor: no flows of an ovnx bind yet"; return 0; }
  local args=() lp t0 t1 ofpid
  vs hv -- add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure
  e2e_wait_for "br-int" 30 test -S "$E2E_DIR/hv/br-int.mgmt"
  ofctl hv add-tlv-map br-int "{class=0x102,type=0x80,len=4}->tun_metadata0"
  for lp in "${bound[@]}"; do
    args+=(-- add-port br-int "$lp" -- set interface "$lp" type=internal external_ids:iface-id="$lp")
  done
  t0=$(ms)
  ofctl hv --bundle add-flows br-int "$E2E_DIR/bind-flows.txt" &
  ofpid=$!
  vs hv "${args[@]}"
  wait "$ofpid" || e2e_log "floor: ovs-ofctl failed"
  args=()
  for lp in "${bound[@]}"; do args+=(-- set interface "$lp" external_ids:ovn-installed='"true"'); done
  vs hv "${args[@]}"
  nb --wait=hv --timeout=300 sync
  t1=$(ms)
  R[floor.bind]=$((t1 - t0))
  BINDS[floor]+=" ${R[floor.bind]}"
  e2e_log "floor bind: ${R[floor.bind]} ms (ports created by ovs-vswitchd $(log_times \
    "$E2E_DIR/hv/vswitchd.log" "$t0" "$t1" "added interface [a-z]+[0-9]+-p?[0-9]"))"
  vs hv -- --if-exists del-br br-int
}

declare -A BINDS=([real]="" [ovnx]="" [floor]="")
for ((round = 1; round <= ROUNDS; round++)); do
  order=(real ovnx)
  ((round % 2 == 0)) && order=(ovnx real)
  for f in "${order[@]}"; do
    [[ ${BENCH_ONLY:-$f} == "$f" ]] && run_one "$f"
  done
  [[ -n ${BENCH_FLOOR:-} ]] && run_floor
done
if ((ROUNDS > 1)); then
  for f in real ovnx floor; do
    # shellcheck disable=SC2086  # a list of numbers
    [[ -n ${BINDS[$f]} ]] && R[$f.bind]=$(median ${BINDS[$f]})
  done
fi

for f in real ovnx; do
  for k in bind one one_min one_max flows mem cpu vsw; do [[ -n ${R[$f.$k]:-} ]] || R[$f.$k]=-; done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
label="$SWITCHES switches x $PORTS ports, $BIND bound"
[[ $TOPOLOGY == large ]] && label="generated ($SWITCHES switches), $BIND bound"
printf '\n%-36s %12s %12s %10s\n' "$label" ovn-controller ovnx-controller real/ovnx
printf '%-36s %12s %12s %10s\n' "bind $BIND ports (ms)" "${R[real.bind]}" "${R[ovnx.bind]}" "$(ratio "${R[real.bind]}" "${R[ovnx.bind]}")"
if ((ROUNDS > 1)); then
  # shellcheck disable=SC2086  # lists of numbers
  printf '%-36s %12s %12s\n' "  each round (ms)" "$(echo ${BINDS[real]} | tr ' ' ,)" "$(echo ${BINDS[ovnx]} | tr ' ' ,)"
  if [[ -n ${BINDS[real]} && -n ${BINDS[ovnx]} ]]; then
    read -ra rb <<<"${BINDS[real]}"
    read -ra ob <<<"${BINDS[ovnx]}"
    ratios=()
    for ((k = 0; k < ${#rb[@]}; k++)); do ratios+=("$(ratio "${rb[k]}" "${ob[k]}")"); done
    printf '%-36s %25s %10s\n' "  ratio of each round; median" "$(echo "${ratios[*]}" | tr ' ' ,)" \
      "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : sprintf("%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
  fi
fi
if [[ -n ${R[floor.bind]:-} ]]; then
  # shellcheck disable=SC2086  # a list of numbers
  printf '%-36s %12s %12s %10s\n' "  floor: no controller (ms)" "" "${R[floor.bind]}" \
    "$(ratio "${R[real.bind]}" "${R[floor.bind]}")"
  ((ROUNDS > 1)) && printf '%-36s %25s\n' "  floor of each round (ms)" "$(echo ${BINDS[floor]} | tr ' ' ,)"
fi
printf '%-36s %12s %12s %10s\n' "--wait=hv one more port, median (ms)" "${R[real.one]}" "${R[ovnx.one]}" "$(ratio "${R[real.one]}" "${R[ovnx.one]}")"
printf '%-36s %12s %12s\n' "  range of $EXTRA (ms)" "${R[real.one_min]}-${R[real.one_max]}" "${R[ovnx.one_min]}-${R[ovnx.one_max]}"
printf '%-36s %12s %12s %10s\n' "OpenFlow flows" "${R[real.flows]}" "${R[ovnx.flows]}" "$(ratio "${R[real.flows]}" "${R[ovnx.flows]}")"
printf '%-36s %12s %12s %10s\n' "peak RSS (kB)" "${R[real.mem]}" "${R[ovnx.mem]}" "$(ratio "${R[real.mem]}" "${R[ovnx.mem]}")"
printf '%-36s %12s %12s %10s\n' "CPU (ticks)" "${R[real.cpu]}" "${R[ovnx.cpu]}" "$(ratio "${R[real.cpu]}" "${R[ovnx.cpu]}")"
printf '%-36s %12s %12s %10s\n' "  ovs-vswitchd CPU during bind" "${R[real.vsw]}" "${R[ovnx.vsw]}" "$(ratio "${R[real.vsw]}" "${R[ovnx.vsw]}")"
exit 0
