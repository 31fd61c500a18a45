#!/bin/bash
# make bench: every side-by-side benchmark against the real OVN/OVS component, then the
# micro-benchmarks, on a release build. Each part prints its own table with ratios; this
# script runs them one after another (they are CPU-bound: nothing else should run meanwhile),
# keeps going when one fails, and ends with a summary.
#
#   scripts/bench.sh [BUILD_DIR] [PART...]     (default build/release; all parts)
#
# Parts: dbserver (ovnx-dbserver vs ovsdb-server), client (our IDL and ctl tools vs the python
# IDL, ovn-nbctl, ovn-sbctl), northd (ovnx-northd's compiler vs ovn-northd), northd-daemon
# (the daemons end to end: initial sync, --wait=sb latency of one port and one ACL), controller
# (ovnx-controller vs ovn-controller, a bind on a small topology and on the generated one of
# bench/northd; needs root), dataplane (ping RTT and TCP throughput through
# each flavour's flows; needs root), micro (Google Benchmark binaries in BUILD_DIR/bench). The
# logs stay in a directory printed at the end.
set -u -o pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build/release}
[[ $# -gt 0 ]] && shift
BUILD=$(cd "$BUILD" 2>/dev/null && pwd) || { echo "bench.sh: no build at ${BUILD} (make release)" >&2; exit 1; }
PARTS=("$@")
((${#PARTS[@]})) || PARTS=(dbserver client northd northd-daemon controller dataplane micro)
for part in "${PARTS[@]}"; do
  case $part in
    dbserver | client | northd | northd-daemon | controller | dataplane | micro) ;;
    *)
      echo "bench.sh: $part: unknown part (dbserver client northd northd-daemon controller" \
        "dataplane micro)" >&2
      exit 1
      ;;
  esac
done
LOGS=$(mktemp -d /tmp/ovnx-bench.XXXXXX)
declare -A RESULT

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run_part() {  # NAME CMD...: runs CMD, teeing into LOGS/NAME.log, and records the outcome
  local name=$1 t0=$SECONDS rc
  shift
  bold "$name: $*"
  "$@" 2>&1 | tee "$LOGS/$name.log"
  rc=${PIPESTATUS[0]}
  RESULT[$name]="$([[ $rc == 0 ]] && echo ok || echo "FAILED (exit $rc)") in $((SECONDS - t0)) s"
}
skip() { RESULT[$1]="skipped: $2"; echo "bench.sh: $1 skipped: $2" >&2; }

for part in "${PARTS[@]}"; do
  case $part in
    dbserver) run_part dbserver "$SRC/scripts/bench-dbserver.sh" "$BUILD" ;;
    client) run_part client "$SRC/bench/client/run.sh" "$BUILD" ;;
    northd)
      if [[ -x $BUILD/bench/northd_compile_bench ]]; then
        run_part northd "$SRC/bench/northd/side-by-side.sh" "$BUILD/bench/northd_compile_bench"
      else
        skip northd "$BUILD/bench/northd_compile_bench not built"
      fi
      ;;
    northd-daemon)
      if [[ -x $BUILD/bin/ovnx-northd ]]; then
        run_part northd-daemon "$SRC/bench/northd/daemon-side-by-side.sh" "$BUILD/bin"
      else
        skip northd-daemon "ovnx-northd not built"
      fi
      ;;
    dataplane)
      if [[ $(id -u) != 0 ]]; then
        skip dataplane "needs root (network namespaces)"
      else
        run_part dataplane "$SRC/bench/dataplane/side-by-side.sh" "$BUILD/bin"
      fi
      ;;
    controller)
      if [[ $(id -u) != 0 ]]; then
        skip controller "needs root (network namespaces)"
      elif [[ ! -x $BUILD/bin/ovnx-controller ]]; then
        skip controller "ovnx-controller not built"
      else
        # Three alternating rounds (the bind varies by ±15% from one to the next) and the floor.
        run_part controller env OVNX_BIN_DIR="$BUILD/bin" ROUNDS="${ROUNDS:-3}" BENCH_FLOOR=1 \
          "$SRC/bench/controller/bench-controller.sh"
        # The issue's bench: 200 ports of the generated topology (~186k logical flows).
        run_part controller-large env OVNX_BIN_DIR="$BUILD/bin" TOPOLOGY=large \
          "$SRC/bench/controller/bench-controller.sh" 20 50 200 3
      fi
      ;;
    micro)
      found=0
      for b in "$BUILD"/bench/*; do
        [[ -x $b && -f $b ]] || continue
        # Google Benchmark binaries answer --benchmark_list_tests; the others are load drivers.
        "$b" --benchmark_list_tests >/dev/null 2>&1 || continue
        found=1
        run_part "micro-$(basename "$b")" "$b" --benchmark_min_time=0.2
      done
      ((found)) || skip micro "no benchmark binaries in $BUILD/bench"
      ;;
  esac
done

bold "Summary (logs in $LOGS)"
failed=0
for name in "${!RESULT[@]}"; do
  printf '  %-28s %s\n' "$name" "${RESULT[$name]}"
done | sort
for name in "${!RESULT[@]}"; do [[ ${RESULT[$name]} == FAILED* ]] && failed=1; done
exit $failed
