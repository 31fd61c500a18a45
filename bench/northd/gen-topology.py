#!/usr/bin/python3
"""Generates a large OVN northbound topology as one OVSDB transaction (RFC 7047 JSON).

    gen-topology.py [--switches 500] [--ports 40] [--switches-per-router 10]
                    [--port-groups 100] [--address-sets 100] > nb-txn.json
    ovsdb-client transact unix:nb.sock "$(cat nb-txn.json)"

Topology: S switches with P VIF ports each (MAC + IPv4 address, port security, DHCPv4
options of the switch's subnet); one distributed router per R switches, attached to them and to
a join switch, with a default route to a gateway router on the join switch; port groups with
stateful ACLs (allow-related from an address set, a port group address set, drops) spread over
the ports; address sets of 50 addresses each.
"""
import argparse
import json


def named(kind, *idx):
    return "%s_%s" % (kind, "_".join(str(i) for i in idx))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--switches", type=int, default=500)
    ap.add_argument("--ports", type=int, default=40)
    ap.add_argument("--switches-per-router", type=int, default=10)
    ap.add_argument("--port-groups", type=int, default=100)
    ap.add_argument("--address-sets", type=int, default=100)
    a = ap.parse_args()

    ops = []

    def insert(table, row, uuid_name):
        ops.append({"op": "insert", "table": table, "row": row, "uuid-name": uuid_name})

    def ref(name):
        return ["named-uuid", name]

    def uset(names):
        return ["set", [ref(n) for n in names]]

    def smap(d):
        return ["map", [[k, v] for k, v in sorted(d.items())]]

    n_routers = (a.switches + a.switches_per_router - 1) // a.switches_per_router
    all_vifs = []
    join_ports = []
    router_ports = {r: [] for r in range(n_routers)}

    for s in range(a.switches):
        # 10.<s/250>.<s%250>.0/24 style subnets, unique per switch.
        net = "10.%d.%d" % (s // 250, s % 250)
        dhcp = named("dhcp", s)
        insert("DHCP_Options", {
            "cidr": net + ".0/24",
            "options": smap({"lease_time": "3600", "router": net + ".1",
                             "server_id": net + ".1", "server_mac": "0a:00:00:ff:00:01",
                             "dns_server": "{8.8.8.8}", "mtu": "1400"})}, dhcp)
        ports = []
        for p in range(a.ports):
            mac = "0a:00:%02x:%02x:%02x:%02x" % (s >> 8, s & 0xff, p >> 8, p & 0xff)
            ip = "%s.%d" % (net, p + 10)
            lsp = named("lsp", s, p)
            insert("Logical_Switch_Port", {
                "name": "sw%d-p%d" % (s, p),
                "addresses": mac + " " + ip,
                "port_security": mac + " " + ip,
                "dhcpv4_options": ref(dhcp)}, lsp)
            ports.append(lsp)
            all_vifs.append(lsp)
        # Router port on this switch.
        r = s // a.switches_per_router
        lrp = named("lrp", s)
        rmac = "0a:01:%02x:%02x:00:01" % (s >> 8, s & 0xff)
        insert("Logical_Router_Port", {"name": "lr%d-sw%d" % (r, s), "mac": rmac,
                                       "networks": net + ".1/24"}, lrp)
        router_ports[r].append(lrp)
        rsp = named("rsp", s)
        insert("Logical_Switch_Port", {
            "name": "sw%d-lr%d" % (s, r), "type": "router", "addresses": "router",
            "options": smap({"router-port": "lr%d-sw%d" % (r, s)})}, rsp)
        ports.append(rsp)
        insert("Logical_Switch", {"name": "sw%d" % s, "ports": uset(ports)}, named("ls", s))

    # Join switch with the routers' uplinks and a gateway router.
    gw_lrp = "gw_lrp"
    insert("Logical_Router_Port", {"name": "gw-join", "mac": "0a:02:00:00:00:01",
                                   "networks": "100.64.0.1/16"}, gw_lrp)
    gw_ext = "gw_ext"
    insert("Logical_Router_Port", {"name": "gw-ext", "mac": "0a:02:00:00:00:02",
                                   "networks": "172.16.0.2/24"}, gw_ext)
    insert("NAT", {"type": "snat", "external_ip": "172.16.0.2",
                   "logical_ip": "10.0.0.0/8"}, "gw_snat")
    insert("Logical_Router_Static_Route", {"ip_prefix": "0.0.0.0/0",
                                           "nexthop": "172.16.0.1"}, "gw_default")
    gw_routes = []
    for r in range(n_routers):
        up = named("uplink", r)
        insert("Logical_Router_Port", {"name": "lr%d-join" % r,
                                       "mac": "0a:03:00:00:%02x:%02x" % (r >> 8, r & 0xff),
                                       "networks": "100.64.%d.%d/16" % ((r + 2) // 250,
                                                                        (r + 2) % 250)},
               up)
        router_ports[r].append(up)
        jp = named("joinp", r)
        insert("Logical_Switch_Port", {
            "name": "join-lr%d" % r, "type": "router", "addresses": "router",
            "options": smap({"router-port": "lr%d-join" % r})}, jp)
        join_ports.append(jp)
        dflt = named("route", r)
        insert("Logical_Router_Static_Route", {"ip_prefix": "0.0.0.0/0",
                                               "nexthop": "100.64.0.1"}, dflt)
        insert("Logical_Router", {"name": "lr%d" % r, "ports": uset(router_ports[r]),
                                  "static_routes": uset([dflt])}, named("lr", r))
        # The gateway router routes each router's switches back to it.
        for s in range(r * a.switches_per_router,
                       min(a.switches, (r + 1) * a.switches_per_router)):
            gr = named("gwroute", s)
            insert("Logical_Router_Static_Route", {
                "ip_prefix": "10.%d.%d.0/24" % (s // 250, s % 250),
                "nexthop": "100.64.%d.%d" % ((r + 2) // 250, (r + 2) % 250)}, gr)
            gw_routes.append(gr)
    insert("Logical_Router", {"name": "gw", "ports": uset([gw_lrp, gw_ext]),
                              "nat": uset(["gw_snat"]),
                              "static_routes": uset(gw_routes + ["gw_default"]),
                              "options": smap({"chassis": "gw-chassis"})}, "gw_router")
    insert("Logical_Switch_Port", {
        "name": "join-gw", "type": "router", "addresses": "router",
        "options": smap({"router-port": "gw-join"})}, "join_gw")
    join_ports.append("join_gw")
    insert("Logical_Switch", {"name": "join", "ports": uset(join_ports)}, "join_ls")

    # Address sets.
    for i in range(a.address_sets):
        addrs = ["192.168.%d.%d" % (i, j) for j in range(1, 51)]
        insert("Address_Set", {"name": "as%d" % i, "addresses": ["set", addrs]}, named("as", i))

    # Port groups: group g holds every port_groups-th VIF (spread over all switches), with
    # four ACLs each.
    for g in range(a.port_groups):
        members = all_vifs[g::a.port_groups]
        acls = []
        specs = [
            ("to-lport", 1003, "outport == @pg%d && ip4.src == $as%d && tcp.dst == 22" %
             (g, g % max(a.address_sets, 1)), "allow-related"),
            ("to-lport", 1002, "outport == @pg%d && ip4.src == $pg%d_ip4 && tcp.dst == 80" %
             (g, (g + 1) % a.port_groups), "allow-related"),
            ("to-lport", 1001, "outport == @pg%d && ip4" % g, "drop"),
            ("from-lport", 1001, "inport == @pg%d && ip4" % g, "allow-related"),
        ]
        for k, (direction, prio, match, action) in enumerate(specs):
            acl = named("acl", g, k)
            insert("ACL", {"direction": direction, "priority": prio, "match": match,
                           "action": action}, acl)
            acls.append(acl)
        insert("Port_Group", {"name": "pg%d" % g, "ports": uset(members),
                              "acls": uset(acls)}, named("pg", g))

    print(json.dumps(["OVN_Northbound"] + ops))


if __name__ == "__main__":
    main()
