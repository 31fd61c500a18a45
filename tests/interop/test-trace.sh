#!/bin/bash
# ovnx-trace on the seed topology, against ovnx-dbserver + ovnx-northd and against the real
# ovsdb-server + ovn-northd: a packet from ls1-node1-ns1 to 192.168.2.30 crosses ls1, lr1 (TTL
# decremented, MACs rewritten) and ls2 and is output to ls2-node2-ns2; a spoofed source MAC is
# dropped by port security; an ACL drop is hit. On both databases the detailed, summary and
# minimal output equal the real ovn-trace's for these and a few more packets (ARP, ping to the
# router, ARP resolution by the router, TTL exceeded, connection tracking, a load balancer).
set -eu -o pipefail
source "$OVNX_SOURCE_DIR/tests/lib/ovsdb.sh"
source "$OVNX_SOURCE_DIR/tests/lib/seed.sh"
export OVN_RUNDIR=$OVSDB_DIR OVS_RUNDIR=$OVSDB_DIR
TRACE=$OVNX_BIN_DIR/ovnx-trace
[[ -x $TRACE ]] || fail "no $TRACE"

seed() {  # NB-REMOTE
  seed_topology ovn-nbctl --db="$1" --timeout=30 || fail "seed topology"
  local nb="ovn-nbctl --db=$1 --timeout=30"
  # The ACL: ls2 drops ICMP from 192.168.1.10 on its way to the port.
  $nb acl-add ls2 to-lport 1001 'ip4.src == 192.168.1.10 && icmp4' drop
}

northd_stop() {  # TAG
  local pid
  pid=$(cat "$OVSDB_DIR/$1-northd.pid" 2>/dev/null) || return 0
  ovs-appctl -t "$OVSDB_DIR/$1-northd.ctl" exit >/dev/null 2>&1 || kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# central TAG NORTHD-BIN [--real]: NB + SB servers, NORTHD on them, the seed topology.
central() {
  local tag=$1 bin=$2 real=${3:-}
  ovsdb_start "$tag-nb" /usr/share/ovn/ovn-nb.ovsschema $real
  ovsdb_start "$tag-sb" /usr/share/ovn/ovn-sb.ovsschema $real
  local nb
  nb=$(ovsdb_remote "$tag-nb")
  ovn-nbctl --db="$nb" init
  "$bin" --ovnnb-db="$nb" --ovnsb-db="$(ovsdb_remote "$tag-sb")" \
    --pidfile="$OVSDB_DIR/$tag-northd.pid" --unixctl="$OVSDB_DIR/$tag-northd.ctl" \
    --log-file="$OVSDB_DIR/$tag-northd.log" --detach --no-chdir || fail "$tag: $bin did not start"
  ovsdb_on_exit "northd_stop $tag"
  seed "$nb"
  timeout 40 ovn-nbctl --db="$nb" --wait=sb --timeout=30 sync || fail "$tag: --wait=sb sync"
}

TO_LS2='inport == "ls1-node1-ns1" && eth.src == 00:00:00:00:00:01 && eth.dst == 00:00:00:00:11:00 && ip4.src == 192.168.1.10 && ip4.dst == 192.168.2.30 && ip.ttl == 64'
SPOOFED='inport == "ls1-node1-ns1" && eth.src == 00:00:00:00:00:99 && eth.dst == 00:00:00:00:11:00 && ip4.src == 192.168.1.10 && ip4.dst == 192.168.2.30 && ip.ttl == 64'
ICMP="$TO_LS2 && icmp4 && icmp4.type == 8"
ARP='inport == "ls1-node1-ns1" && eth.src == 00:00:00:00:00:01 && eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && arp.sha == 00:00:00:00:00:01 && arp.spa == 192.168.1.10 && arp.tpa == 192.168.1.20'
ARP_ROUTER=${ARP/192.168.1.20/192.168.1.1}
PING_ROUTER='inport == "ls1-node1-ns1" && eth.src == 00:00:00:00:00:01 && eth.dst == 00:00:00:00:11:00 && ip4.src == 192.168.1.10 && ip4.dst == 192.168.1.1 && ip.ttl == 64 && icmp4 && icmp4.type == 8'
UNKNOWN=${TO_LS2/192.168.2.30/192.168.2.99}  # the router ARPs for it
TTL1=${TO_LS2/ip.ttl == 64/ip.ttl == 1}       # the router answers time exceeded
UDP="$TO_LS2 && udp && udp.dst == 53"
TO_VIP=${TO_LS2/192.168.2.30 \&\& ip.ttl == 64/192.168.1.100 \&\& ip.ttl == 64 \&\& tcp \&\& tcp.dst == 80}
DHCP='inport == "ls1-node1-ns1" && eth.src == 00:00:00:00:00:01 && eth.dst == ff:ff:ff:ff:ff:ff && ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255 && ip.ttl == 64 && udp.src == 68 && udp.dst == 67'

central ovnx "$OVNX_BIN_DIR/ovnx-northd"
central real ovn-northd --real

for tag in ovnx real; do
  sb=$(ovsdb_remote "$tag-sb")
  T="$TRACE --db=$sb"

  # Across the router.
  out=$($T ls1 "$TO_LS2") || fail "$tag: ovnx-trace failed"
  for want in 'ingress(dp="ls1", inport="ls1-node1-ns1")' \
              'egress(dp="ls1", inport="ls1-node1-ns1", outport="ls1-lr1")' \
              '/* output to "ls1-lr1", type "patch" */' \
              'ingress(dp="lr1", inport="lr1-ls1")' 'ip.ttl--;' 'eth.src = 12:00:00:00:12:00;' \
              'eth.dst = 00:00:00:00:00:03;' 'ingress(dp="ls2", inport="ls2-lr1")' \
              'egress(dp="ls2", inport="ls2-lr1", outport="ls2-node2-ns2")' \
              '/* output to "ls2-node2-ns2", type "" */'; do
    grep -qF -- "$want" <<<"$out" || { echo "$out"; fail "$tag: no '$want' in the trace"; }
  done
  min=$($T --minimal ls1 "$TO_LS2")
  want=$'ip.ttl--;\neth.src = 12:00:00:00:12:00;\neth.dst = 00:00:00:00:00:03;\noutput("ls2-node2-ns2");'
  [[ $(tail -n +2 <<<"$min") == "$want" ]] || { echo "$min"; fail "$tag: --minimal"; }
  pass "$tag: ls1-node1-ns1 -> 192.168.2.30 crosses ls1, lr1 (ttl--, MACs rewritten), ls2 to ls2-node2-ns2"

  # Port security.
  out=$($T ls1 "$SPOOFED")
  grep -qE '^ *1\. ls_in_apply_port_sec.*reg0\[15\] == 1' <<<"$out" || { echo "$out"; fail "$tag: port security not hit"; }
  grep -q '^    drop;$' <<<"$out" || { echo "$out"; fail "$tag: spoofed packet not dropped"; }
  if grep -q 'egress(' <<<"$out"; then echo "$out"; fail "$tag: spoofed packet left the ingress pipeline"; fi
  [[ $($T --minimal ls1 "$SPOOFED" | wc -l) == 1 ]] || fail "$tag: --minimal of a dropped packet"
  pass "$tag: a spoofed source MAC is dropped by port security"

  # The ACL.
  out=$(OVN_SB_DB=$sb $TRACE ls1 "$ICMP")  # the database from the environment
  grep -qF 'ls_out_acl' <<<"$out" && grep -qF 'ip4.src == 192.168.1.10 && icmp4' <<<"$out" ||
    { echo "$out"; fail "$tag: the ACL flow was not hit"; }
  if grep -qF 'output to "ls2-node2-ns2"' <<<"$out"; then echo "$out"; fail "$tag: ACL drop not applied"; fi
  sum=$($T --summary ls1 "$ICMP")
  grep -qE '^ {24}drop;$' <<<"$sum" || { echo "$sum"; fail "$tag: --summary does not nest the drop in ls2's egress"; }
  pass "$tag: the ACL drop is hit"

  # The same output as the real ovn-trace, in all three forms (but the "#" line, which
  # ovn-trace writes in ovs-ofctl syntax), for these packets and, with a stateful ACL on ls1,
  # through the connection tracker.
  compare() {  # [--ct=FLAGS...]
    local flow form
    for flow in "$TO_LS2" "$SPOOFED" "$ICMP" "$ARP" "$ARP_ROUTER" "$PING_ROUTER" "$UNKNOWN" \
                "$TTL1" "$UDP" "$TO_VIP"; do
      for form in --detailed --summary --minimal; do
        diff <($T "$@" $form ls1 "$flow" | tail -n +2) \
             <(ovn-trace --db="$sb" "$@" $form ls1 "$flow" | tail -n +2) \
          >"$OVSDB_DIR/trace.diff" ||
          { head -30 "$OVSDB_DIR/trace.diff"; fail "$tag: $form output differs from ovn-trace's for $flow"; }
      done
    done
  }
  compare
  timeout 40 ovn-nbctl --db="$(ovsdb_remote "$tag-nb")" --wait=sb --timeout=30 \
    acl-add ls1 from-lport 1002 'ip4.dst == 192.168.2.30' allow-related
  out=$($T ls1 "$UDP")
  grep -qF 'ct_next(ct_state=est|trk /* default (use --ct to customize) */)' <<<"$out" ||
    { echo "$out"; fail "$tag: no ct_next after a stateful ACL"; }
  out=$($T --ct=new ls1 "$UDP")
  grep -qF 'ct_next(ct_state=new|trk)' <<<"$out" || { echo "$out"; fail "$tag: --ct=new"; }
  compare
  compare --ct=new
  # A load balancer on ls1 (its backend is ls1-node2-ns1) and DHCP for ls1-node1-ns1.
  nb="ovn-nbctl --db=$(ovsdb_remote "$tag-nb") --timeout=30"
  $nb lb-add lb1 192.168.1.100:80 192.168.1.20:8080 tcp -- ls-lb-add ls1 lb1
  dhcp=$($nb create DHCP_Options cidr=192.168.1.0/24 \
    options='"lease_time"="3600" "router"="192.168.1.1" "server_id"="192.168.1.1" "server_mac"="00:00:00:00:11:00"')
  timeout 40 $nb --wait=sb lsp-set-dhcpv4-options ls1-node1-ns1 "$dhcp"
  compare
  compare --ct=new
  compare --ct=new --ct=new --ct=est,rpl
  out=$($T --minimal ls1 "$DHCP")
  grep -qF 'put_dhcp_opts(offerip = 192.168.1.10, ' <<<"$out" || { echo "$out"; fail "$tag: DHCP"; }
  pass "$tag: detailed, summary and minimal output equal the real ovn-trace's (10 packets; stateful ACL, load balancer, --ct)"
done

# Errors.
sb=$(ovsdb_remote ovnx-sb)
if $TRACE --db="$sb" nosuch 'inport == "x"' 2>"$OVSDB_DIR/err"; then fail "unknown datapath accepted"; fi
grep -q 'unknown datapath' "$OVSDB_DIR/err" || fail "unknown datapath: $(cat "$OVSDB_DIR/err")"
if $TRACE --db="$sb" ls1 'inport == "nosuch"' 2>"$OVSDB_DIR/err"; then fail "unknown port accepted"; fi
if $TRACE --db="$sb" ls1 'eth.src == 00:00:00:00:00:01' 2>"$OVSDB_DIR/err"; then fail "no inport accepted"; fi
grep -q 'ingress port' "$OVSDB_DIR/err" || fail "no inport: $(cat "$OVSDB_DIR/err")"
if $TRACE --db="unix:$OVSDB_DIR/none.sock" -t 5 ls1 "$TO_LS2" 2>/dev/null; then fail "no database, no error"; fi
pass "errors: unknown datapath, unknown port, no inport, no database"
