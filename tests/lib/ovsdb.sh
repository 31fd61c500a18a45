# shellcheck shell=bash
# ovsdb.sh — run OVSDB servers for tests: ovnx-dbserver, or the real ovsdb-server side by side.
# Source it from a bash test script:
#
#   source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
#   ovsdb_start nb /usr/share/ovn/ovn-nb.ovsschema        # ovnx-dbserver serving nb.db
#   ovsdb_start ref /usr/share/ovn/ovn-nb.ovsschema --real  # the real ovsdb-server
#   ovn-nbctl --db="$(ovsdb_remote nb)" ls-add ls1
#   ovs-appctl -t "$(ovsdb_ctl nb)" ovsdb-server/compact
#
# Everything lives in one temp dir ($OVSDB_DIR) removed at exit, with every server stopped,
# even on failure (an EXIT trap; add your own cleanup with ovsdb_on_exit). On failure the tail
# of each server's log is printed. OVSDB_KEEP=1 keeps the directory.
#
# Functions:
#   ovsdb_start NAME SCHEMA|DBFILE [--real] [SERVER-ARGS...]
#                                 create NAME.db from SCHEMA (or use an existing DBFILE) and
#                                 serve it on unix:$OVSDB_DIR/NAME.sock
#   ovsdb_restart NAME            start NAME again on its existing file
#   ovsdb_stop NAME               orderly stop (ovs-appctl exit)
#   ovsdb_kill9 NAME              SIGKILL (crash)
#   ovsdb_remote NAME             print unix:$OVSDB_DIR/NAME.sock
#   ovsdb_ctl NAME / ovsdb_db NAME / ovsdb_pid NAME / ovsdb_log NAME
#   ovsdb_free_port               print a free TCP port on 127.0.0.1
#   ovsdb_wait_for DESC SECONDS CMD...   poll CMD every 0.1 s until it succeeds (or fail)
#   ovsdb_on_exit CMD...          run CMD at exit (before servers are stopped)
#   fail MESSAGE / pass MESSAGE   report (fail exits 1)

if [[ -n "${OVSDB_LIB_LOADED:-}" ]]; then return 0; fi
OVSDB_LIB_LOADED=1

OVNX_BIN_DIR=${OVNX_BIN_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/check/bin}
OVSDB_DIR=$(mktemp -d /tmp/ovnx-ovsdb.XXXXXX)
# Sanitizer reports of detached daemons (whose stderr is gone) land here and fail the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$OVSDB_DIR/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$OVSDB_DIR/sanitizer:print_stacktrace=1"
declare -A _ovsdb_args _ovsdb_real
_ovsdb_names=()
_ovsdb_exit_cmds=()

ovsdb_on_exit() { _ovsdb_exit_cmds+=("$*"); }

_ovsdb_cleanup() {
  local rc=$? i name
  set +e
  for ((i = ${#_ovsdb_exit_cmds[@]} - 1; i >= 0; i--)); do eval "${_ovsdb_exit_cmds[i]}"; done
  for name in "${_ovsdb_names[@]}"; do
    if [[ $rc != 0 && -f $OVSDB_DIR/$name.log ]]; then
      echo "--- tail of $name.log ---" >&2
      tail -n 20 "$OVSDB_DIR/$name.log" >&2
    fi
    ovsdb_stop "$name"
  done
  if compgen -G "$OVSDB_DIR/sanitizer.*" >/dev/null; then
    echo "--- sanitizer reports ---" >&2
    cat "$OVSDB_DIR"/sanitizer.* >&2
    rc=1
  fi
  if [[ "${OVSDB_KEEP:-0}" == 1 ]]; then echo "kept $OVSDB_DIR" >&2; else rm -rf "$OVSDB_DIR"; fi
  exit "$rc"
}
trap _ovsdb_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

ovsdb_remote() { echo "unix:$OVSDB_DIR/$1.sock"; }
ovsdb_ctl() { echo "$OVSDB_DIR/$1.ctl"; }
ovsdb_db() { echo "$OVSDB_DIR/$1.db"; }
ovsdb_log() { echo "$OVSDB_DIR/$1.log"; }
ovsdb_pid() { cat "$OVSDB_DIR/$1.pid" 2>/dev/null; }

ovsdb_wait_for() {
  local desc=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for $desc"
}

ovsdb_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

_ovsdb_launch() {
  local name=$1 bin=ovsdb-server
  [[ ${_ovsdb_real[$name]} == 1 ]] || bin=$OVNX_BIN_DIR/ovnx-dbserver
  # shellcheck disable=SC2086
  "$bin" "$OVSDB_DIR/$name.db" --remote="punix:$OVSDB_DIR/$name.sock" \
    --pidfile="$OVSDB_DIR/$name.pid" --unixctl="$OVSDB_DIR/$name.ctl" \
    --log-file="$OVSDB_DIR/$name.log" --detach --no-chdir ${_ovsdb_args[$name]} ||
    fail "cannot start $name ($bin)"
  ovsdb_wait_for "$name socket" 10 test -S "$OVSDB_DIR/$name.sock"
}

ovsdb_start() {
  local name=$1 source=$2
  shift 2
  _ovsdb_real[$name]=0
  if [[ "${1:-}" == --real ]]; then
    _ovsdb_real[$name]=1
    shift
  fi
  _ovsdb_args[$name]="$*"
  _ovsdb_names+=("$name")
  if [[ $source == *.ovsschema ]]; then
    ovsdb-tool create "$OVSDB_DIR/$name.db" "$source" || fail "ovsdb-tool create $source"
  elif [[ "$source" != "$OVSDB_DIR/$name.db" ]]; then
    cp "$source" "$OVSDB_DIR/$name.db"
  fi
  _ovsdb_launch "$name"
}

ovsdb_restart() { _ovsdb_launch "$1"; }

ovsdb_stop() {
  local name=$1 pid
  pid=$(ovsdb_pid "$name")
  [[ -n $pid ]] || return 0
  ovs-appctl -t "$OVSDB_DIR/$name.ctl" exit >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$OVSDB_DIR/$name.pid"
}

ovsdb_kill9() {
  local pid
  pid=$(ovsdb_pid "$1")
  [[ -n $pid ]] || return 0
  kill -9 "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  rm -f "$OVSDB_DIR/$1.pid"
}
