#!/bin/bash
# Side-by-side benchmark of ovnx-controller and the real ovn-controller (OVN 23.03), one run:
#
#   topology   SWITCHES logical switches of PORTS ports each, all attached to one router (real
#              ovn-northd computes the Southbound content, ~ SWITCHES*PORTS ports in total)
#   bind       one hypervisor (its own netns + ovs-vswitchd, netdev) adds BIND interfaces at
#              once (spread over every switch); we time until all are ovn-installed and
#              `ovn-nbctl --wait=hv sync` returned
#   one more   `ovn-nbctl --wait=hv lsp-add` of one more port whose interface already exists
#   flows      OpenFlow flows on br-int afterwards
#   memory     the controller's peak RSS (VmHWM)
#   (ping RTT through the flows: not measured yet — internal ports of the userspace datapath
#   cannot move into a workload namespace; veth workloads as in tests/e2e would be needed)
#
# Each controller gets a fresh OVS; the central (NB, SB, northd) is shared and the hypervisor's
# chassis is removed between the two runs. Prints a table with the ratios real/ovnx.
#
#   sudo OVNX_BIN_DIR=build/release/bin bench/controller/bench-controller.sh [SWITCHES PORTS BIND]
set -u
SWITCHES=${1:-20}
PORTS=${2:-50}
BIND=${3:-200}
export OVNX_SOURCE_DIR=${OVNX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$OVNX_SOURCE_DIR/tests/e2e/lib.sh"

ms() { date +%s%3N; }

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

  local args=()
  for lp in "${bound[@]}"; do
    args+=(-- add-port br-int "$lp" -- set interface "$lp" type=internal external_ids:iface-id="$lp")
  done
  t0=$(ms)
  vs hv "${args[@]}"
  for lp in "${bound[@]}"; do
    vs hv --timeout=300 wait-until interface "$lp" external_ids:ovn-installed='"true"'
  done
  nb --wait=hv --timeout=300 sync
  t1=$(ms)
  R[$f.bind]=$((t1 - t0))

  vs hv add-port br-int extra -- set interface extra type=internal external_ids:iface-id=extra
  t0=$(ms)
  nb --wait=hv --timeout=60 lsp-add ls0 extra -- lsp-set-addresses extra "0a:ff:00:00:00:01 10.1.0.250"
  t1=$(ms)
  R[$f.one]=$((t1 - t0))
  R[$f.flows]=$(ofctl hv --no-stats dump-flows br-int | grep -vc '^OFPST')
  R[$f.mem]=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  R[$f.cpu]=$(awk '{print $14 + $15}' "/proc/$pid/stat")

  # Leave a clean hypervisor: the chassis goes, the ports and br-int too.
  ctl hv exit
  sleep 0.5
  nb lsp-del extra
  vs hv -- --if-exists del-br br-int
  vs hv remove Open_vSwitch . external_ids system-id
  nb --wait=sb sync
}

run_one real
run_one ovnx

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
printf '\n%-32s %12s %12s %10s\n' "$SWITCHES switches x $PORTS ports, $BIND bound" ovn-controller ovnx-controller real/ovnx
printf '%-32s %12s %12s %10s\n' "bind $BIND ports (ms)" "${R[real.bind]}" "${R[ovnx.bind]}" "$(ratio "${R[real.bind]}" "${R[ovnx.bind]}")"
printf '%-32s %12s %12s %10s\n' "--wait=hv one more port (ms)" "${R[real.one]}" "${R[ovnx.one]}" "$(ratio "${R[real.one]}" "${R[ovnx.one]}")"
printf '%-32s %12s %12s %10s\n' "OpenFlow flows" "${R[real.flows]}" "${R[ovnx.flows]}" "$(ratio "${R[real.flows]}" "${R[ovnx.flows]}")"
printf '%-32s %12s %12s %10s\n' "peak RSS (kB)" "${R[real.mem]}" "${R[ovnx.mem]}" "$(ratio "${R[real.mem]}" "${R[ovnx.mem]}")"
printf '%-32s %12s %12s %10s\n' "CPU (ticks)" "${R[real.cpu]}" "${R[ovnx.cpu]}" "$(ratio "${R[real.cpu]}" "${R[ovnx.cpu]}")"
exit 0
