#!/bin/bash
# Side-by-side benchmark of ovnx-controller and the real ovn-controller (OVN 23.03), one run:
#
#   topology   SWITCHES logical switches of PORTS ports each, all attached to one router (real
#              ovn-northd computes the Southbound content, ~ SWITCHES*PORTS ports in total)
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
# BENCH_ONLY=ovnx|real runs one flavour.
set -u
SWITCHES=${1:-20}
PORTS=${2:-50}
BIND=${3:-200}
EXTRA=${4:-10}
case ${BENCH_ONLY:-} in
  "" | real | ovnx) ;;
  *) echo "BENCH_ONLY must be real or ovnx (got $BENCH_ONLY)" >&2; exit 1 ;;
esac
export OVNX_SOURCE_DIR=${OVNX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$OVNX_SOURCE_DIR/tests/e2e/lib.sh"

ms() { date +%s%3N; }
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

e2e_log "creating $SWITCHES switches x $PORTS ports"
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
nb --wait=sb sync
e2e_log "SB: $(sb --bare --columns=_uuid list Logical_Flow | grep -c .) logical flows, $(sb --bare --columns=_uuid list Port_Binding | grep -c .) ports"

# The BIND ports of the hypervisor: round-robin over the switches.
bound=()
for ((i = 0; i < BIND; i++)); do bound+=("p$((i % SWITCHES))-$((i / SWITCHES))"); done

declare -A R
run_one() {  # FLAVOUR
  local f=$1 t0 t1 pid
  e2e_hv_config hv
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
  # The wall clock of the start, to line the controller's debug timeline up with it.
  e2e_log "$f bind: ${R[$f.bind]} ms from $(date -u -d @$((t0 / 1000)) +%H:%M:%S).$(printf %03d $((t0 % 1000)))"
  R[$f.vsw]=$(($(ticks "$vsw") - vsw0))
  prof_stop

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
    nb --wait=hv --timeout=60 lsp-add "ls$((k % SWITCHES))" "extra$k" -- lsp-set-addresses "extra$k" \
      "$(printf '0a:ff:00:00:%02x:%02x' $((k / 256)) $((k % 256))) 10.$((k % SWITCHES / 250 + 1)).$((k % SWITCHES % 250)).$((250 - k / SWITCHES))"
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
  sleep 0.5
  args=()
  for ((k = 0; k < EXTRA; k++)); do args+=(-- lsp-del "extra$k"); done
  nb "${args[@]}"
  vs hv -- --if-exists del-br br-int
  vs hv remove Open_vSwitch . external_ids system-id
  nb --wait=sb sync
}

[[ ${BENCH_ONLY:-real} == real ]] && run_one real
[[ ${BENCH_ONLY:-ovnx} == ovnx ]] && run_one ovnx

for f in real ovnx; do
  for k in bind one one_min one_max flows mem cpu vsw; do [[ -n ${R[$f.$k]:-} ]] || R[$f.$k]=-; done
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b > 0) printf "%.2f", a / b; else print "-" }'; }
printf '\n%-36s %12s %12s %10s\n' "$SWITCHES switches x $PORTS ports, $BIND bound" ovn-controller ovnx-controller real/ovnx
printf '%-36s %12s %12s %10s\n' "bind $BIND ports (ms)" "${R[real.bind]}" "${R[ovnx.bind]}" "$(ratio "${R[real.bind]}" "${R[ovnx.bind]}")"
printf '%-36s %12s %12s %10s\n' "--wait=hv one more port, median (ms)" "${R[real.one]}" "${R[ovnx.one]}" "$(ratio "${R[real.one]}" "${R[ovnx.one]}")"
printf '%-36s %12s %12s\n' "  range of $EXTRA (ms)" "${R[real.one_min]}-${R[real.one_max]}" "${R[ovnx.one_min]}-${R[ovnx.one_max]}"
printf '%-36s %12s %12s %10s\n' "OpenFlow flows" "${R[real.flows]}" "${R[ovnx.flows]}" "$(ratio "${R[real.flows]}" "${R[ovnx.flows]}")"
printf '%-36s %12s %12s %10s\n' "peak RSS (kB)" "${R[real.mem]}" "${R[ovnx.mem]}" "$(ratio "${R[real.mem]}" "${R[ovnx.mem]}")"
printf '%-36s %12s %12s %10s\n' "CPU (ticks)" "${R[real.cpu]}" "${R[ovnx.cpu]}" "$(ratio "${R[real.cpu]}" "${R[ovnx.cpu]}")"
printf '%-36s %12s %12s %10s\n' "  ovs-vswitchd CPU during bind" "${R[real.vsw]}" "${R[ovnx.vsw]}" "$(ratio "${R[real.vsw]}" "${R[ovnx.vsw]}")"
exit 0
