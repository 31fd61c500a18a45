#!/bin/bash
# Packet-in services and ACLs end to end on one hypervisor running ovnx-controller
# (E2E_CONTROLLER=real runs the same checks against the real ovn-controller):
#   - a workload without an address gets one from the switch's native DHCP (put_dhcp_opts),
#     with a real client (busybox udhcpc): address, mask and router as configured;
#   - names resolve through the switch's DNS records (dns_lookup) with a real resolver (dig):
#     A, AAAA and PTR, case-insensitively; an unknown name gets no answer from OVN;
#   - an ACL drop blocks one flow (TCP to port 8080) while others pass (TCP to 8081, ping);
#   - allow-related lets the replies of connections a workload opened come back through a
#     to-lport drop of everything else;
#   - the router resolves a next hop it has no binding for (arp { } / nd_ns { }), and learns it
#     from the reply into the Southbound MAC_Binding table (put_arp / put_nd); the switch
#     answers neighbor solicitations for known addresses (nd_na).
source "$(dirname "$0")/lib.sh"

command -v busybox >/dev/null || { echo "SKIP: busybox not installed"; exit 77; }
command -v dig >/dev/null || { echo "SKIP: dig not installed"; exit 77; }

# Processes started inside the workload namespaces (TCP servers, clients) die with the test.
_dda_cleanup() {
  local ns
  for ns in "$E2E_P-vm1" "$E2E_P-vm2" "$E2E_P-vm3" "$E2E_P-vm4"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
  done
}
trap '_dda_rc=$?; _dda_cleanup; (exit $_dda_rc); _e2e_cleanup' EXIT

e2e_host node1 10.0.12.7
e2e_central node1
e2e_hv_config node1
e2e_controller node1

# ls1: vm1 gets its address by DHCP; vm2 is configured statically; a router port so DNS
# queries to 192.168.1.1 have somewhere to go.
nb ls-add ls1
nb lsp-add ls1 vm1 -- lsp-set-addresses vm1 "00:00:00:00:00:01 192.168.1.10 fd00::10"
nb lsp-add ls1 vm2 -- lsp-set-addresses vm2 "00:00:00:00:00:02 192.168.1.20 fd00::20"
nb lr-add lr1
nb lrp-add lr1 lr1-ls1 00:00:00:00:11:00 192.168.1.1/24 fd00::1/64
nb lsp-add ls1 ls1-lr1 -- lsp-set-type ls1-lr1 router -- lsp-set-addresses ls1-lr1 router \
  -- lsp-set-options ls1-lr1 router-port=lr1-ls1
# ls2 behind lr1 (vm3); vm4 on ls1 with addresses unknown to OVN, so lr1 must ARP for it.
nb ls-add ls2
nb lsp-add ls2 vm3 -- lsp-set-addresses vm3 "00:00:00:00:00:03 192.168.2.30 fd00:2::30"
nb lrp-add lr1 lr1-ls2 00:00:00:00:12:00 192.168.2.1/24 fd00:2::1/64
nb lsp-add ls2 ls2-lr1 -- lsp-set-type ls2-lr1 router -- lsp-set-addresses ls2-lr1 router \
  -- lsp-set-options ls2-lr1 router-port=lr1-ls2
nb lsp-add ls1 vm4 -- lsp-set-addresses vm4 unknown
dhcp=$(nb create DHCP_Options cidr=192.168.1.0/24 \
  options='"server_id"="192.168.1.1" "server_mac"="00:00:00:00:11:00" "lease_time"="3600" "router"="192.168.1.1" "dns_server"="192.168.1.1"')
nb lsp-set-dhcpv4-options vm1 "$dhcp"
dns=$(nb create DNS \
  records='"vm1.ovn.test"="192.168.1.10 fd00::10" "vm2.ovn.test"="192.168.1.20" "20.1.168.192.in-addr.arpa"="vm2.ovn.test"')
nb add Logical_Switch ls1 dns_records "$dns"

# vm1: no address yet. vm2: static.
ns1=$E2E_P-vm1
e2e_netns_add "$ns1"
vif1=${E2E_P}v1
ip link add "$vif1" type veth peer name eth0 netns "$ns1" || fail "veth $vif1"
ip link set "$vif1" netns "$E2E_P-node1"
ip -n "$E2E_P-node1" link set "$vif1" up
ip -n "$ns1" link set eth0 address 00:00:00:00:00:01 mtu 1400 up
vs node1 add-port br-int "$vif1" -- set interface "$vif1" external-ids:iface-id=vm1
e2e_workload node1 vm2 00:00:00:00:00:02 192.168.1.20/24 192.168.1.1 vm2
e2e_workload node1 vm3 00:00:00:00:00:03 192.168.2.30/24 192.168.2.1 vm3
e2e_workload node1 vm4 00:00:00:00:00:04 192.168.1.40/24 192.168.1.1 vm4
v6() {  # NS ADDRESS/LEN GATEWAY
  ip -n "$E2E_P-$1" addr add "$2" dev eth0 nodad || fail "IPv6 address on $1"
  ip -n "$E2E_P-$1" -6 route add default via "$3" || fail "IPv6 route on $1"
}
v6 vm1 fd00::10/64 fd00::1
v6 vm2 fd00::20/64 fd00::1
v6 vm3 fd00:2::30/64 fd00:2::1
v6 vm4 fd00::40/64 fd00::1
# The userspace datapath does not complete checksums a veth left to offload: TCP needs the
# workloads to compute them (ethtool -K eth0 tx off, done with the ioctl: no ethtool here).
tx_csum_off() {
  ip netns exec "$1" python3 -c '
import ctypes, fcntl, socket, struct
value = ctypes.create_string_buffer(struct.pack("II", 0x17, 0))  # ETHTOOL_STXCSUM, off
ifreq = struct.pack("16sP16x", b"eth0", ctypes.addressof(value))
sock = socket.socket()
fcntl.ioctl(sock.fileno(), 0x8946, ifreq)  # SIOCETHTOOL
' || fail "cannot turn checksum offload off in $1"
}
tx_csum_off "$ns1"
tx_csum_off "$E2E_P-vm2"
nb --wait=hv --timeout=60 sync || fail "nbctl --wait=hv did not complete"
e2e_log "converged (--wait=hv)"

# ---- DHCP: busybox udhcpc applies the lease through a script of ours.
lease=$E2E_DIR/vm1.lease
script=$E2E_DIR/udhcpc.sh
cat >"$script" <<EOF
#!/bin/sh
[ "\$1" = bound ] || exit 0
echo "ip=\$ip subnet=\$subnet router=\$router dns=\$dns lease=\$lease serverid=\$serverid" >"$lease"
ip addr add "\$ip/\$mask" dev "\$interface"
ip route add default via "\$router"
EOF
chmod +x "$script"
ip netns exec "$ns1" timeout 30 busybox udhcpc -i eth0 -f -q -n -t 10 -T 1 -s "$script" \
  >"$E2E_DIR/udhcpc.log" 2>&1 || { cat "$E2E_DIR/udhcpc.log" >&2; fail "udhcpc got no lease"; }
cat "$lease"
grep -q "ip=192.168.1.10 subnet=255.255.255.0 router=192.168.1.1 dns=192.168.1.1 lease=3600 serverid=192.168.1.1" \
  "$lease" || fail "unexpected lease: $(cat "$lease")"
pass "DHCP: udhcpc leased 192.168.1.10/24, router and DNS 192.168.1.1, 3600 s"
e2e_ping vm1 192.168.1.20 || fail "ping with the leased address"
pass "the leased address works (ping vm1 -> vm2)"

# ---- DNS: dig against the router address; dns_lookup answers in the switch. Without EDNS:
# OVN 23.03 leaves queries carrying an OPT record unanswered (ovnx answers them).
q() { ip netns exec "$ns1" dig +time=2 +tries=2 +short +noedns "$@" @192.168.1.1 2>/dev/null; }
[[ $(q vm2.ovn.test A) == 192.168.1.20 ]] || fail "A vm2.ovn.test: '$(q vm2.ovn.test A)'"
[[ $(q VM1.Ovn.Test A) == 192.168.1.10 ]] || fail "A VM1.Ovn.Test (case-insensitive)"
[[ $(q vm1.ovn.test AAAA) == fd00::10 ]] || fail "AAAA vm1.ovn.test: '$(q vm1.ovn.test AAAA)'"
[[ $(q -x 192.168.1.20) == vm2.ovn.test. ]] || fail "PTR 192.168.1.20: '$(q -x 192.168.1.20)'"
# No answer from the switch: the query goes on to 192.168.1.1, which refuses it.
q nothere.ovn.test A | grep -Eq '^[0-9]+\.[0-9]+' && fail "an unknown name was answered"
pass "DNS: A, AAAA, PTR answered by the switch to dig; unknown names not answered"

# ---- Neighbor resolution: lr1 knows no MAC for 192.168.1.40 until it asks.
[[ -z $(sb --bare --columns=mac find MAC_Binding ip=192.168.1.40) ]] || fail "binding before ARP"
e2e_wait_for "ping vm3 -> vm4 (192.168.1.40) through lr1" 20 e2e_ping vm3 192.168.1.40 1
[[ $(sb --bare --columns=mac,logical_port find MAC_Binding ip=192.168.1.40 | xargs) == \
  "00:00:00:00:00:04 lr1-ls1" ]] || fail "MAC_Binding: $(sb find MAC_Binding ip=192.168.1.40)"
pass "lr1 resolved 192.168.1.40 by ARP and learned it into MAC_Binding (lr1-ls1)"
ping6() { ip netns exec "$E2E_P-$1" ping -6 -c 1 -W 2 -q "$2" >/dev/null 2>&1; }
e2e_wait_for "ping6 vm1 -> vm2 (fd00::20)" 20 ping6 vm1 fd00::20
pass "IPv6 across ls1: the switch answers the solicitation for fd00::20 (nd_na)"
e2e_wait_for "ping6 vm3 -> vm4 (fd00::40) through lr1" 20 ping6 vm3 fd00::40
[[ $(sb --bare --columns=mac,logical_port find MAC_Binding ip='"fd00::40"' | xargs) == \
  "00:00:00:00:00:04 lr1-ls1" ]] || fail "MAC_Binding: $(sb find MAC_Binding ip='"fd00::40"')"
pass "lr1 resolved fd00::40 by neighbor solicitation and learned it (put_nd)"

# ---- ACLs. TCP servers on vm2, probed from vm1.
serve() {  # PORT: a TCP server on vm2 answering "hello" to every connection
  ip netns exec "$E2E_P-vm2" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(16)
while True:
    c, _ = s.accept()
    c.sendall(b"hello\n")
    c.close()
' "$1" >/dev/null 2>&1 &
  disown
}
probe() {  # NS PORT: succeeds if the server on vm2 answers
  ip netns exec "$1" python3 -c '
import socket, sys
try:
    c = socket.create_connection(("192.168.1.20", int(sys.argv[1])), timeout=2)
    c.settimeout(2)
    sys.exit(0 if c.recv(16).startswith(b"hello") else 1)
except OSError:
    sys.exit(1)
' "$2"
}
serve 8080
serve 8081
e2e_wait_for "TCP 8080 before any ACL" 10 probe "$ns1" 8080
probe "$ns1" 8081 || fail "TCP 8081 before any ACL"

nb --wait=hv acl-add ls1 to-lport 1000 'ip4.dst == 192.168.1.20 && tcp.dst == 8080' drop
probe "$ns1" 8080 && fail "TCP 8080 passed the drop ACL"
probe "$ns1" 8081 || fail "TCP 8081 blocked by an ACL on 8080"
e2e_ping vm1 192.168.1.20 || fail "ping blocked by an ACL on TCP 8080"
pass "ACL drop blocks TCP 8080 while TCP 8081 and ping pass"

# Nothing may reach vm1 unless it is the reply of a connection vm1 opened.
nb --wait=hv acl-add ls1 from-lport 1001 'inport == "vm1" && ip4' allow-related
nb --wait=hv acl-add ls1 to-lport 900 'outport == "vm1" && ip4' drop
e2e_ping vm1 192.168.1.20 || fail "vm1's ping got no reply through allow-related"
probe "$ns1" 8081 || fail "vm1's TCP 8081 got no reply through allow-related"
e2e_ping vm2 192.168.1.10 && fail "vm2 reached vm1 through the to-lport drop"
pass "allow-related lets replies back to vm1; new traffic to vm1 is dropped"
exit 0
