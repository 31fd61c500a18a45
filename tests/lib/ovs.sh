# shellcheck shell=bash
# ovs.sh — start and stop private Open vSwitch instances (ovsdb-server + ovs-vswitchd, userspace
# datapath) for tests. Source it from a bash test script:
#
#   source "$OVNX_SOURCE_DIR/tests/lib/ovs.sh"
#   ovs_start hv1                    # private ovsdb-server + ovs-vswitchd named "hv1"
#   ovs_add_bridge hv1 br-int        # netdev bridge; waits for <rundir>/br-int.mgmt
#   ovs_run hv1 ovs-ofctl -O OpenFlow15 dump-flows br-int
#   mgmt=$(ovs_mgmt_socket hv1 br-int)
#   (ovs_use hv1; ovs-vsctl show)    # or export the instance's environment into a subshell
#
# Isolation. Every instance has its own temp dir holding OVS_RUNDIR / OVS_DBDIR / OVS_LOGDIR /
# OVS_SYSCONFDIR (sockets, database, logs), and by default its own network namespace: the
# userspace datapath creates tap devices ("ovs-netdev" and one per bridge/internal port) in the
# namespace ovs-vswitchd runs in, so two instances sharing a namespace collide. The daemons run
# in that namespace; clients (ovs-vsctl, ovs-ofctl, ovs-appctl, our programs) reach them through
# the unix sockets from anywhere. Use `ovs_netns NAME` / `ovs_exec NAME CMD` to act inside it
# (e.g. to plug veths into a bridge), or pass `--netns NS` to run in a namespace you created
# (an e2e "host"), or `--no-netns` to run in the caller's namespace.
#
# Cleanup. Everything started is stopped, namespaces created here are deleted and the temp dirs
# removed when the script exits, even on failure or Ctrl-C (an EXIT trap installed on first use;
# register your own cleanup with ovs_on_exit rather than replacing the trap). OVS_KEEP=1 keeps
# the temp dirs for debugging; on failure the tail of each daemon's log goes to stderr.
#
# Functions:
#   ovs_start NAME [--netns NS | --no-netns]   start an instance
#   ovs_stop NAME                       stop one instance (also done automatically at exit)
#   ovs_use NAME                        export the instance's OVS_* variables into this shell
#   ovs_run NAME CMD...                 run CMD with the instance's environment (this namespace);
#                                       e.g. ovs_run hv1 ovs-appctl ofproto/trace br-int ...
#                                       (the daemons use the default control sockets in
#                                       OVS_RUNDIR, so plain ovs-appctl [-t ovsdb-server] works)
#   ovs_exec NAME CMD...                run CMD with the instance's environment in its namespace
#   ovs_netns NAME                      print the instance's namespace ("" if none)
#   ovs_add_bridge NAME BRIDGE [ovs-vsctl args...]  add a netdev bridge (extra args appended
#                                       after "--", e.g. "set bridge br0 protocols=OpenFlow15")
#   ovs_mgmt_socket NAME BRIDGE         print the path of the bridge's OpenFlow management socket
#   ovs_dir NAME                        print the instance's directory (logs are NAME/*.log)
#   ovs_on_exit CMD...                  run CMD at exit (LIFO, before instances are stopped)
#   ovs_wait_for DESCRIPTION TIMEOUT_S CMD...  poll CMD (a command or shell function) every
#                                       0.1 s until it succeeds
#
# Requires bash, root (for namespaces), and the OVS binaries on PATH (or in OVS_BINDIR).

if [[ -n "${OVS_LIB_LOADED:-}" ]]; then return 0; fi
OVS_LIB_LOADED=1

OVS_BINDIR=${OVS_BINDIR:-}
OVS_SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
_ovs_instances=()      # names, in start order
declare -A _ovs_dirs   # name -> directory
declare -A _ovs_netns  # name -> network namespace ("" = caller's)
declare -A _ovs_own_ns # name -> 1 if ovs_start created the namespace
_ovs_exit_cmds=()
_ovs_trap_installed=

_ovs_bin() { if [[ -n "$OVS_BINDIR" ]]; then echo "$OVS_BINDIR/$1"; else echo "$1"; fi; }

_ovs_log() { echo "ovs.sh: $*" >&2; }

ovs_on_exit() {
  _ovs_install_trap
  _ovs_exit_cmds+=("$*")
}

_ovs_install_trap() {
  [[ -n "$_ovs_trap_installed" ]] && return 0
  _ovs_trap_installed=1
  trap '_ovs_exit_handler $?' EXIT
  # A signal should still clean up: exit makes the EXIT trap run.
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

_ovs_exit_handler() {
  local rc=$1 i name
  set +e
  for ((i = ${#_ovs_exit_cmds[@]} - 1; i >= 0; i--)); do
    eval "${_ovs_exit_cmds[i]}"
  done
  if [[ "$rc" != 0 ]]; then
    for name in "${_ovs_instances[@]}"; do
      _ovs_dump_logs "$name"
    done
  fi
  for ((i = ${#_ovs_instances[@]} - 1; i >= 0; i--)); do
    ovs_stop "${_ovs_instances[i]}"
  done
  exit "$rc"
}

_ovs_dump_logs() {
  local dir=${_ovs_dirs[$1]:-} f
  [[ -n "$dir" && -d "$dir" ]] || return 0
  for f in "$dir"/*.log; do
    [[ -f "$f" ]] || continue
    echo "---- tail of $f ----" >&2
    tail -n 30 "$f" >&2
  done
}

ovs_dir() { echo "${_ovs_dirs[$1]:?unknown OVS instance $1}"; }

# Prints "VAR=value" lines for the instance's environment.
_ovs_env() {
  local dir
  dir=$(ovs_dir "$1") || return 1
  echo "OVS_RUNDIR=$dir"
  echo "OVS_DBDIR=$dir"
  echo "OVS_LOGDIR=$dir"
  echo "OVS_SYSCONFDIR=$dir"
  echo "OVS_PKGDATADIR=${OVS_PKGDATADIR:-/usr/share/openvswitch}"
}

ovs_use() {
  local line
  while IFS= read -r line; do export "${line?}"; done < <(_ovs_env "$1")
}

ovs_run() {
  local name=$1
  shift
  local -a env
  mapfile -t env < <(_ovs_env "$name") || return 1
  env "${env[@]}" "$@"
}

ovs_netns() { echo "${_ovs_netns[$1]:-}"; }

ovs_exec() {
  local name=$1
  shift
  local ns=${_ovs_netns[$name]:-}
  if [[ -n "$ns" ]]; then
    ovs_run "$name" ip netns exec "$ns" "$@"
  else
    ovs_run "$name" "$@"
  fi
}

ovs_wait_for() {
  local what=$1 timeout=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      _ovs_log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.1
  done
}

ovs_start() {
  local name=$1
  shift
  local ns=auto
  while [[ $# -gt 0 ]]; do
    case $1 in
      --netns) ns=$2; shift 2 ;;
      --no-netns) ns=; shift ;;
      *) _ovs_log "ovs_start: unknown option $1"; return 1 ;;
    esac
  done
  if [[ -n "${_ovs_dirs[$name]:-}" ]]; then
    _ovs_log "instance $name already started"
    return 1
  fi
  _ovs_install_trap
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ovs-$name.XXXXXX") || return 1
  _ovs_dirs[$name]=$dir
  _ovs_instances+=("$name")
  if [[ "$ns" == auto ]]; then
    ns="ovs-$name-${dir##*.}"
    ip netns add "$ns" || { _ovs_log "cannot create network namespace $ns"; return 1; }
    _ovs_own_ns[$name]=1
    ip netns exec "$ns" ip link set lo up
  fi
  _ovs_netns[$name]=$ns

  ovs_run "$name" "$(_ovs_bin ovsdb-tool)" create "$dir/conf.db" "$OVS_SCHEMA" || return 1
  ovs_exec "$name" "$(_ovs_bin ovsdb-server)" "$dir/conf.db" \
    --remote="punix:$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
    --log-file="$dir/ovsdb-server.log" \
    --detach --no-chdir -vconsole:off 2>>"$dir/start.err" \
    || { _ovs_log "ovsdb-server failed to start"; cat "$dir/start.err" >&2; return 1; }
  ovs_run "$name" "$(_ovs_bin ovs-vsctl)" --no-wait init || return 1
  ovs_exec "$name" "$(_ovs_bin ovs-vswitchd)" "unix:$dir/db.sock" \
    --pidfile="$dir/ovs-vswitchd.pid" --log-file="$dir/ovs-vswitchd.log" --detach --no-chdir -vconsole:off 2>>"$dir/start.err" \
    || { _ovs_log "ovs-vswitchd failed to start"; cat "$dir/start.err" >&2; return 1; }
  # --detach returns once the daemon is up; make sure its control socket answers.
  ovs_wait_for "ovs-vswitchd of $name" 20 \
    ovs_run "$name" "$(_ovs_bin ovs-appctl)" -t ovs-vswitchd version
}

ovs_add_bridge() {
  local name=$1 bridge=$2
  shift 2
  local -a extra=()
  if [[ $# -gt 0 ]]; then extra=(-- "$@"); fi
  ovs_run "$name" "$(_ovs_bin ovs-vsctl)" --timeout=10 add-br "$bridge" \
    -- set bridge "$bridge" datapath_type=netdev "${extra[@]}" || return 1
  ovs_wait_for "$bridge.mgmt of $name" 20 test -S "$(ovs_mgmt_socket "$name" "$bridge")"
}

ovs_mgmt_socket() { echo "$(ovs_dir "$1")/$2.mgmt"; }

# Stops ovs-vswitchd (removing its datapaths) then ovsdb-server via their control sockets,
# falling back to killing the pids; deletes the namespace if ovs_start created it.
ovs_stop() {
  local name=$1 dir daemon pid
  dir=${_ovs_dirs[$name]:-}
  [[ -n "$dir" ]] || return 0
  for daemon in ovs-vswitchd ovsdb-server; do
    [[ -f "$dir/$daemon.pid" ]] || continue
    pid=$(cat "$dir/$daemon.pid" 2>/dev/null)
    local -a how=(exit)
    [[ $daemon == ovs-vswitchd ]] && how=(exit --cleanup)
    ovs_run "$name" "$(_ovs_bin ovs-appctl)" -t "$daemon" --timeout=5 "${how[@]}" \
      >/dev/null 2>&1
    if [[ -n "$pid" ]]; then
      local i
      for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
  done
  if [[ -n "${_ovs_own_ns[$name]:-}" ]]; then
    ip netns delete "${_ovs_netns[$name]}" 2>/dev/null
  fi
  if [[ -n "${OVS_KEEP:-}" ]]; then
    _ovs_log "kept $dir"
  else
    rm -rf "$dir"
  fi
  unset "_ovs_dirs[$name]" "_ovs_netns[$name]" "_ovs_own_ns[$name]"
  local -a rest=()
  local n
  for n in "${_ovs_instances[@]}"; do [[ "$n" != "$name" ]] && rest+=("$n"); done
  _ovs_instances=("${rest[@]}")
}
