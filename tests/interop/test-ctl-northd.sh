#!/bin/bash
# ovnx-ctl on a central node: start_northd creates the NB and SB databases in a private
# OVN_RUNDIR/OVN_DBDIR/OVN_LOGDIR, starts both ovnx-dbserver and the northd; the real ovn-nbctl
# and ovn-sbctl (and ovnx-nbctl when built) talk to them over the default sockets, the db:
# connection remotes and the insecure TCP remote; status_*, restart_northd (data kept) and
# stop_northd (nothing left running).
set -eu -o pipefail
BIN=${OVNX_BIN_DIR:?}
CTL=$BIN/ovnx-ctl
D=$(mktemp -d /tmp/ovnx-ctl.XXXXXX)
export OVN_RUNDIR=$D/run OVN_LOGDIR=$D/log OVN_DBDIR=$D/db
# Sanitizer reports of the detached daemons land here and fail the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$D/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$D/sanitizer:print_stacktrace=1"
[[ -x $BIN/ovnx-northd ]] || { echo "$BIN/ovnx-northd is not built" >&2; exit 1; }

cleanup() {
  local rc=$? f pid
  set +e
  "$CTL" stop_northd >/dev/null 2>&1
  for f in "$D"/run*/*.pid; do
    [[ -f $f ]] && pid=$(<"$f") && kill -9 "$pid" 2>/dev/null
  done
  if [[ $rc != 0 ]]; then
    for f in "$D"/log/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
  fi
  if compgen -G "$D/sanitizer.*" >/dev/null; then
    echo "--- sanitizer reports ---" >&2
    cat "$D"/sanitizer.* >&2
    rc=1
  fi
  rm -rf "$D"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# Bad input: a clear error, nothing started.
out=$("$CTL" --db-nb-cluster-local-addr=1.2.3.4 start_northd 2>&1) && fail "cluster option accepted"
grep -q "clustered databases are not supported" <<<"$out" || fail "unclear error: $out"
out=$("$CTL" frobnicate 2>&1) && fail "unknown command accepted"
grep -q "frobnicate: unknown command" <<<"$out" || fail "unclear error: $out"
out=$("$CTL" --db-nb-create-insecure-remote=maybe status_ovnnb 2>&1) && fail "yes|no not checked"
grep -q "expected yes or no" <<<"$out" || fail "unclear error: $out"
[[ ! -e $D/run ]] || fail "a failed command left files"
pass "bad options and commands are refused with a clear error"

"$CTL" --db-nb-create-insecure-remote=yes --db-nb-addr=127.0.0.1 --db-nb-port="$port" start_northd
for f in db/ovnnb_db.db db/ovnsb_db.db run/ovnnb_db.sock run/ovnsb_db.sock run/ovnnb_db.pid \
  run/ovnsb_db.pid run/ovnx-northd.pid log/ovsdb-server-nb.log log/ovnx-northd.log; do
  [[ -e $D/$f ]] || fail "start_northd did not make $f"
done
[[ $("$CTL" status_ovnnb) == running/active ]] || fail "status_ovnnb"
[[ $("$CTL" status_ovnsb) == running/active ]] || fail "status_ovnsb"
out=$("$CTL" status_northd) || fail "status_northd: $out"
grep -q "is running with pid" <<<"$out" || fail "status_northd: $out"
out=$("$CTL" status_ovsdb) || fail "status_ovsdb: $out"
[[ $(grep -c "is running" <<<"$out") == 2 ]] || fail "status_ovsdb: $out"
pass "start_northd: databases created, both servers and northd running"

# The default sockets are where ovn-nbctl looks with OVN_RUNDIR set, as with ovn-ctl.
ovn-nbctl --timeout=10 ls-add ls1
ovn-nbctl --timeout=10 lsp-add ls1 p1 -- lsp-set-addresses p1 "00:00:00:00:00:01 192.168.1.10"
ovn-nbctl --timeout=10 --db="tcp:127.0.0.1:$port" ls-add ls2
[[ $(ovn-nbctl --timeout=10 ls-list | wc -l) == 2 ]] || fail "ls-list over the default socket"
if [[ -x $BIN/ovnx-nbctl ]]; then
  out=$("$BIN/ovnx-nbctl" --timeout=10 show)
  grep -q "switch .* (ls1)" <<<"$out" || fail "ovnx-nbctl show: $out"
fi
pass "ovn-nbctl on unix:\$OVN_RUNDIR/ovnnb_db.sock and on the insecure TCP remote"

# northd computes SB content; --wait=sb works because start_northd initialized NB_Global.
ovn-nbctl --timeout=30 --wait=sb sync || fail "--wait=sb"
[[ $(ovn-sbctl --timeout=10 --bare --columns=_uuid list Datapath_Binding | grep -c .) == 2 ]] ||
  fail "northd did not make two datapaths"
[[ $(ovn-sbctl --timeout=10 lflow-list | grep -c 'table=') -gt 20 ]] || fail "no logical flows"
pass "northd wrote datapaths and logical flows to SB"

# The db: connection remote: set-connection makes the SB server listen on TCP.
sport=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ovn-sbctl --timeout=10 set-connection "ptcp:$sport:127.0.0.1"
for _ in $(seq 150); do
  ovn-sbctl --timeout=2 --db="tcp:127.0.0.1:$sport" show >/dev/null 2>&1 && break
  sleep 0.1
done
ovn-sbctl --timeout=5 --db="tcp:127.0.0.1:$sport" show >/dev/null || fail "SB set-connection"
pass "SB listens where its Connection row says (db:OVN_Southbound,SB_Global,connections)"

# A second instance in other directories coexists with the first.
second() { OVN_RUNDIR=$D/run2 OVN_DBDIR=$D/db2 OVN_LOGDIR=$D/log2 "$CTL" "$@"; }
second --no-monitor start_ovsdb >/dev/null
[[ $(second status_ovnnb) == running/active ]] || fail "second instance status"
[[ -z $(ovn-nbctl --timeout=10 --db="unix:$D/run2/ovnnb_db.sock" ls-list) ]] ||
  fail "the second instance shares the first one's database"
[[ $(ovn-nbctl --timeout=10 ls-list | wc -l) == 2 ]] || fail "the first instance was disturbed"
second stop_ovsdb >/dev/null
[[ $("$CTL" status_ovnnb) == running/active ]] || fail "stopping the second instance stopped the first"
pass "a second instance (other OVN_RUNDIR/OVN_DBDIR/OVN_LOGDIR) runs beside the first"

# start_northd again is a no-op; restart_northd keeps the data.
nb_pid=$(<"$D/run/ovnnb_db.pid")
out=$("$CTL" start_northd)
grep -q "already running" <<<"$out" || fail "second start_northd: $out"
[[ $(<"$D/run/ovnnb_db.pid") == "$nb_pid" ]] || fail "second start_northd restarted the NB server"
"$CTL" --db-nb-create-insecure-remote=yes --db-nb-addr=127.0.0.1 --db-nb-port="$port" \
  restart_northd >/dev/null
[[ $(<"$D/run/ovnnb_db.pid") != "$nb_pid" ]] || fail "restart_northd kept the old NB server"
[[ $(ovn-nbctl --timeout=10 --db="tcp:127.0.0.1:$port" ls-list | wc -l) == 2 ]] ||
  fail "data lost across restart_northd"
ovn-nbctl --timeout=30 --wait=sb sync || fail "--wait=sb after restart"
pass "start_northd is idempotent; restart_northd keeps the databases"

# stop_northd: nothing left running, status says so.
pids=$(cat "$D"/run/*.pid)
"$CTL" stop_northd
for pid in $pids; do kill -0 "$pid" 2>/dev/null && fail "pid $pid still running after stop_northd"; done
[[ $("$CTL" status_ovnnb) == not-running ]] || fail "status_ovnnb after stop"
"$CTL" status_northd >/dev/null && fail "status_northd succeeds after stop"
out=$("$CTL" stop_northd)
grep -q "not running" <<<"$out" || fail "second stop_northd: $out"
pass "stop_northd stops northd and both servers"

# --ovn-manage-ovsdb=no: start_ovsdb and start_northd are separate, as systemd units use them.
"$CTL" start_ovsdb >/dev/null
"$CTL" --ovn-manage-ovsdb=no --no-monitor start_northd >/dev/null
"$CTL" --ovn-manage-ovsdb=no stop_northd >/dev/null
[[ $("$CTL" status_ovnsb) == running/active ]] || fail "--ovn-manage-ovsdb=no stopped the SB"
"$CTL" stop_ovsdb >/dev/null
[[ $("$CTL" status_ovnsb) == not-running ]] || fail "stop_ovsdb"
pass "--ovn-manage-ovsdb=no leaves the servers to start_ovsdb/stop_ovsdb"
