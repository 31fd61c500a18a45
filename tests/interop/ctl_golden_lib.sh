# shellcheck shell=bash
# Helpers for golden tests of the ctl tools: a private server per run, a transcript of
# commands (stdout, stderr, exit status), masking of what legitimately differs between two
# runs (UUIDs, log timestamps, the program's name) and order-insensitive comparison where the
# real tool prints rows in hash order. Source it; it installs an EXIT trap for cleanup.
#
#   golden_start_server KIND DIR SCHEMA...   KIND: real | ovnx; sets REMOTE
#   t [-s MODE] CMD ARGS...                  run CTL with ARGS, append to the transcript
#        MODE: lines (sort lines), records (sort blank-separated records), table (keep two
#        heading lines, sort the rest), tree (sort indented children recursively)
#   golden_mask                              filter: mask what differs between runs

GOLDEN_TMP=$(mktemp -d /tmp/ovnx-golden-XXXXXX)
_golden_pids=()
_golden_cleanup() {
  local p
  for p in "${_golden_pids[@]}"; do kill "$p" 2>/dev/null; done
  if [[ -n "${OVNX_KEEP:-}" ]]; then echo "kept $GOLDEN_TMP" >&2; else rm -rf "$GOLDEN_TMP"; fi
}
trap _golden_cleanup EXIT
trap 'exit 130' INT TERM

golden_server_kinds() {
  echo real
  [[ -x "${OVNX_BIN_DIR:-}/ovnx-dbserver" ]] && echo ovnx
  return 0
}

golden_start_server() {
  local kind=$1 dir=$2; shift 2
  mkdir -p "$dir"
  local dbs=() s n=0
  for s in "$@"; do
    n=$((n + 1))
    ovsdb-tool create "$dir/db$n" "$s" || return 1
    dbs+=("$dir/db$n")
  done
  local bin=ovsdb-server
  [[ $kind == ovnx ]] && bin=$OVNX_BIN_DIR/ovnx-dbserver
  "$bin" "${dbs[@]}" --remote="punix:$dir/db.sock" --unixctl="$dir/ctl" --pidfile="$dir/pid" \
    --detach --no-chdir --log-file="$dir/server.log" 2>>"$dir/server.stderr" || return 1
  _golden_pids+=("$(cat "$dir/pid")")
  local i
  for i in $(seq 100); do [[ -S $dir/db.sock ]] && break; sleep 0.05; done
  REMOTE="unix:$dir/db.sock"
}

_golden_normalize() {
  /usr/bin/python3 -c '
import sys
mode, text = sys.argv[1], sys.stdin.read()
if mode == "lines":
    out = sorted(text.splitlines())
elif mode == "records":
    recs = [r for r in text.strip("\n").split("\n\n") if r]
    out = sorted(recs)
elif mode == "table":
    lines = text.splitlines()
    out = lines[:2] + sorted(lines[2:])
elif mode == "tree":
    def parse(lines, depth):
        nodes = []
        while lines and (len(lines[0]) - len(lines[0].lstrip(" "))) >= depth:
            line = lines.pop(0)
            d = len(line) - len(line.lstrip(" "))
            kids = parse(lines, d + 1)
            nodes.append(line + "".join("\n" + k for k in kids))
        return sorted(nodes)
    out = parse(text.splitlines(), 0)
else:
    out = [text.rstrip("\n")]
print("\n".join(out))
' "$1"
}

TRANSCRIPT=/dev/null
# tq LABEL ARGS...: like t, but the transcript shows LABEL instead of the arguments (for
# arguments that differ between runs, e.g. UUID prefixes).
tq() {
  _golden_label=$1
  shift
  t "$@"
  _golden_label=
}
_golden_label=
t() {
  local mode=none
  if [[ ${1:-} == -s ]]; then mode=$2; shift 2; fi
  local o=$GOLDEN_TMP/out e=$GOLDEN_TMP/err rc
  "$CTL" "$@" >"$o" 2>"$e"
  rc=$?
  {
    if [[ -n $_golden_label ]]; then
      echo "\$ $_golden_label"
    else
      { printf '$'; printf ' %q' "$@"; printf '\n'; } | golden_mask
    fi
    if [[ $mode == none ]]; then golden_mask <"$o"; else golden_mask <"$o" | _golden_normalize "$mode"; fi
    sed 's/^/! /' "$e" | golden_mask
    echo "rc=$rc"
  } >>"$TRANSCRIPT"
}

# (An index violation names the two rows in the server's hash order: put them in one order.)
golden_mask() {
  sed -E -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' \
    -e 's/0x[0-9a-f]{8}/0x<uuid>/g' -e 's/"[0-9a-f]{3}"/"<hex>"/g' \
    -e 's/\b[0-9a-f]{8,}\b/<hex>/g' \
    -e 's/^! [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z\|[0-9]{5}\|/! <time>|/' \
    -e 's/ovnx-(sb|nb)ctl/ovn-\1ctl/g' \
    -e 's/First row, with UUID <uuid>, (existed in the database before this transaction and was not modified by the transaction)\.  Second row, with UUID <uuid>, (was inserted by this transaction)\./First row, with UUID <uuid>, \2.  Second row, with UUID <uuid>, \1./'
}
