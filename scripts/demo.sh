#!/bin/bash
# Interim demo: ovnx-dbserver serving OVN's NB and SB databases to the real OVN tools.
#   scripts/demo.sh [BIN_DIR]      (make demo passes build/release/bin)
# Starts an NB and an SB ovnx-dbserver in a temp dir, builds the seed scenario's logical
# topology with ovn-nbctl, lets the real ovn-northd compute the logical flows, shows what
# ovsdb-client sees, and cleans up.
set -eu -o pipefail
BIN=$(cd "${1:-build/release/bin}" && pwd)
W=$(mktemp -d /tmp/ovnx-demo.XXXXXX)
cleanup() {
  for f in "$W"/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; done
  sleep 0.3
  rm -rf "$W"
}
trap cleanup EXIT
export OVN_RUNDIR=$W OVS_RUNDIR=$W
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Creating NB and SB databases and starting two ovnx-dbserver daemons"
for db in nb:ovn-nb:OVN_Northbound:NB_Global sb:ovn-sb:OVN_Southbound:SB_Global; do
  IFS=: read -r f schema name glob <<<"$db"
  "$BIN/ovnx-dbtool" create "$W/$f.db" "/usr/share/ovn/$schema.ovsschema"
  "$BIN/ovnx-dbserver" "$W/$f.db" --remote="punix:$W/$f.sock" --remote="db:$name,$glob,connections" \
    --pidfile="$W/$f.pid" --unixctl="$W/$f.ctl" --log-file="$W/$f.log" --detach --no-chdir
  echo "$name: unix:$W/$f.sock (pid $(cat "$W/$f.pid"))"
done
nb() { echo "\$ ovn-nbctl $*" >&2; ovn-nbctl --db="unix:$W/nb.sock" "$@"; }
sb() { ovn-sbctl --db="unix:$W/sb.sock" "$@"; }
nb init
sb init

step "The real ovn-northd, connected to both"
ovn-northd --ovnnb-db="unix:$W/nb.sock" --ovnsb-db="unix:$W/sb.sock" --pidfile="$W/northd.pid" \
  --unixctl="$W/northd.ctl" --log-file="$W/northd.log" --detach --no-chdir
echo "ovn-northd pid $(cat "$W/northd.pid")"

step "The seed scenario's logical topology, with the real ovn-nbctl"
nb ls-add ls1
nb lsp-add ls1 ls1-node1-ns1 -- lsp-set-addresses ls1-node1-ns1 "00:00:00:00:00:01 192.168.1.10" \
   -- lsp-set-port-security ls1-node1-ns1 00:00:00:00:00:01
nb lsp-add ls1 ls1-node2-ns1 -- lsp-set-addresses ls1-node2-ns1 "00:00:00:00:00:02 192.168.1.20" \
   -- lsp-set-port-security ls1-node2-ns1 00:00:00:00:00:02
nb ls-add ls2
nb lsp-add ls2 ls2-node2-ns2 -- lsp-set-addresses ls2-node2-ns2 "00:00:00:00:00:03 192.168.2.30" \
   -- lsp-set-port-security ls2-node2-ns2 00:00:00:00:00:03
nb lr-add lr1
nb lrp-add lr1 lr1-ls1 00:00:00:00:11:00 192.168.1.1/24
nb lrp-add lr1 lr1-ls2 12:00:00:00:12:00 192.168.2.1/24
nb lsp-add ls1 ls1-lr1 -- lsp-set-type ls1-lr1 router -- lsp-set-addresses ls1-lr1 router \
   -- lsp-set-options ls1-lr1 router-port=lr1-ls1
nb lsp-add ls2 ls2-lr1 -- lsp-set-type ls2-lr1 router -- lsp-set-addresses ls2-lr1 router \
   -- lsp-set-options ls2-lr1 router-port=lr1-ls2
nb --wait=sb sync

step "ovn-nbctl show"
ovn-nbctl --db="unix:$W/nb.sock" show

step "What northd wrote to SB"
echo "logical flows: $(sb lflow-list | grep -c 'table=')"
sb --columns=logical_port,type,tunnel_key list port_binding | grep -E 'logical_port|type' | paste - - | head -8
sb lflow-list ls1 | sed -n '1,6p'

step "ovsdb-client against ovnx-dbserver"
echo "\$ ovsdb-client list-dbs"
ovsdb-client list-dbs "unix:$W/nb.sock"
echo "\$ ovsdb-client dump OVN_Northbound Logical_Switch name ports"
ovsdb-client dump "unix:$W/nb.sock" OVN_Northbound Logical_Switch name ports
echo "\$ ovsdb-client dump _Server Database name model connected leader"
ovsdb-client dump "unix:$W/nb.sock" _Server Database name model connected leader

step "set-connection: the server listens where the Connection row says"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nb set-connection "ptcp:$port:127.0.0.1"
for _ in $(seq 30); do ovn-nbctl --db="tcp:127.0.0.1:$port" --timeout=1 ls-list >/dev/null 2>&1 && break; sleep 0.1; done
echo "\$ ovn-nbctl --db=tcp:127.0.0.1:$port ls-list"
ovn-nbctl --db="tcp:127.0.0.1:$port" ls-list

step "Control socket"
echo "\$ ovs-appctl -t nb.ctl memory/show"; ovs-appctl -t "$W/nb.ctl" memory/show
echo "\$ ovs-appctl -t nb.ctl ovsdb-server/compact"; ovs-appctl -t "$W/nb.ctl" ovsdb-server/compact
echo "\$ ovsdb-tool show-log nb.db (the real tool reads our file)"; ovsdb-tool show-log "$W/nb.db"
echo
echo "demo done"
