#!/usr/bin/env bash
# Golden test of ovnx-sbctl: one scripted session run with the real ovn-sbctl and with
# ovnx-sbctl, each against a fresh OVN_Southbound server (the real ovsdb-server, and
# ovnx-dbserver when it is built). The transcripts (stdout, stderr, exit status of every
# command; UUIDs, log timestamps and the program name masked; rows that the real tool prints
# in hash order compared as sets) must be identical, error cases included.
set -u
: "${OVNX_BIN_DIR:?}" "${OVNX_SOURCE_DIR:?}"
source "$OVNX_SOURCE_DIR/tests/interop/ctl_golden_lib.sh"
SCHEMA=$OVNX_SOURCE_DIR/schemas/ovn-sb.ovsschema

session() {
  # Setup and show.
  t show
  t init
  t init
  t chassis-add hv1 geneve 192.168.0.1
  t show
  t chassis-add hv1 geneve 192.168.0.9
  t --may-exist chassis-add hv1 geneve 192.168.0.9
  t chassis-add hv2 geneve,vxlan 192.168.0.2
  t -s tree show
  t chassis-del hv9
  t --if-exists chassis-del hv9
  t set Chassis hv1 hostname=host-1.example other_config:a=b
  dp=$("$CTL" create Datapath_Binding tunnel_key=1 external_ids:name=ls1)
  dp2=$("$CTL" create Datapath_Binding tunnel_key=2 external_ids:name=lr1 external_ids:name2=router)
  "$CTL" create Datapath_Binding tunnel_key=3 >/dev/null
  t create Port_Binding logical_port=lp1 tunnel_key=1 datapath="$dp"
  t create Port_Binding logical_port=lp2 tunnel_key=2 datapath="$dp"
  t create Port_Binding logical_port='"10"' tunnel_key=3 datapath="$dp2"
  t lsp-bind lp1 hv1
  t lsp-bind lp1 hv2
  t --may-exist lsp-bind lp1 hv2
  t lsp-bind nope hv1
  t lsp-bind lp2 nope
  t lsp-bind 10 hv1
  t -s tree show
  t lsp-unbind lp1
  t lsp-unbind nope
  t --if-exists lsp-unbind nope
  t -s tree show

  # Logical flows.
  for spec in "$dp ingress 0 100 eth.src[40] drop; ls_in_port_sec_l2" \
              "$dp ingress 0 50 1 next; ls_in_port_sec_l2" \
              "$dp ingress 0 50 0 next; ls_in_port_sec_l2" \
              "$dp egress 1 0 1 output; ls_out_pre_lb" \
              "$dp2 ingress 3 10 ip4 next; lr_in_ip_input" \
              "$dp2 ingress 12 10 ip6 drop; a_long_name_of_a_stage_too"; do
    read -r d p tbl prio m a st <<<"$spec"
    "$CTL" create Logical_Flow logical_datapath="$d" pipeline="$p" table_id="$tbl" \
      priority="$prio" "match=\"$m\"" "actions=\"$a\"" "external_ids:stage-name=$st" >/dev/null
  done
  "$CTL" --id=@g create Logical_DP_Group datapaths="$dp,$dp2" -- create Logical_Flow \
    logical_dp_group=@g pipeline=egress table_id=4 priority=7 'match="grp"' 'actions="next;"' \
    >/dev/null
  t lflow-list
  t dump-flows ls1
  t lflow-list lr1
  t lflow-list router
  t lflow-list "$dp"
  t lflow-list "${dp:0:8}"
  lf=$("$CTL" --bare --columns=_uuid find Logical_Flow 'match="ip4"')
  t --uuid lflow-list "${lf:0:8}"
  t lflow-list ls1 "0x${lf:0:8}"
  t lflow-list "${lf:0:9}"
  t lflow-list nope
  t lflow-list ls1 zz
  t count-flows
  t count-flows lr1

  # Connections and SSL.
  t get-connection
  t set-connection ptcp:6642 pssl:6643:127.0.0.1
  t get-connection
  t --inactivity-probe=3000 set-connection read-only ptcp:6644 role=ovn-controller ptcp:6645
  t get-connection
  t -s records --columns=target,read_only,role,inactivity_probe list Connection
  t list Connection ptcp:6645
  t del-connection
  t get-connection
  t set-connection bogus:1
  t get-ssl
  t set-ssl key cert ca
  t get-ssl
  t --bootstrap set-ssl key2 cert2 ca2 TLSv1.2 HIGH
  t get-ssl
  t del-ssl
  t get-ssl

  # Database commands: list, find, get.
  t list Chassis hv1
  t --columns=name,hostname list Chassis hv1
  t -s records list Encap
  t list chas hv1
  t list c hv1
  t list Nope
  t list Chassis hvX
  t --if-exists list Chassis hvX
  t list chassis_private
  t list SB_Global .
  t list SSL .
  t -s records --columns=name find Chassis
  t find Chassis name=hv1
  t --columns=name find Chassis 'name!=hv1'
  t --columns=name find Chassis 'name>hv1'
  t --columns=name find Chassis 'name{in}hv1,hv2'
  t --columns=name find Chassis 'other_config:a=b'
  t --columns=name find Chassis 'other_config:a!=b'
  t -s records --columns=name find Chassis 'other_config:a{!=}b'
  t --columns=name find Chassis 'nb_cfg<1' 'hostname{=}"host-1.example"'
  t find Chassis name
  t find Chassis '=x'
  t find Chassis 'name:x=1'
  t get Chassis hv1 name hostname other_config other_config:a _uuid
  t get Chassis hv1 n
  t get Chassis hv1 nope
  t get Chassis hv1 other_config:zz
  t --if-exists get Chassis hv1 other_config:zz
  t get Chassis hv1 name:foo
  t get Chassis hvX name
  t --if-exists get Chassis hvX name
  t --id=@c get Chassis hv1
  t --id=c get Chassis hv1
  t --id=@c --if-exists get Chassis hv1
  enc=$("$CTL" --bare --columns=_uuid find Encap type=vxlan)
  tq 'get Encap <4 hex digits> ip' get Encap "${enc:0:4}" ip
  tq 'get Encap <3 hex digits> ip' get Encap "${enc:0:3}" ip
  tq 'list Datapath_Binding <4 hex digits>' --columns=tunnel_key list Datapath_Binding "${dp:0:4}"
  t get SB_Global . nb_cfg ipsec options

  # set, add, remove, clear.
  t set Chassis hv1 external_ids:x=1 'external_ids:"a b"="c d"' nb_cfg=5
  t get Chassis hv1 external_ids nb_cfg
  t set Chassis hv1 nb_cfg=abc
  t set Chassis hv1 nb_cfg
  t set Chassis hv1 nb_cfg=1-3
  t set Chassis hv1 nb_cfg=
  t set Chassis hv1 _uuid=x
  t set Chassis hv1 name:k=v
  t set Chassis hv1 'external_ids=a=1,a=2'
  t set Chassis hv1 'external_ids={a=1'
  t set Chassis hv1 'external_ids=a b=1'
  t set Chassis hv1 'external_ids=a'
  t set Chassis hv1 'encaps=[]'
  t set Chassis hv1 'encaps=x'
  t set Chassis hv1 'hostname=!'
  t set Chassis hv1 'transport_zones=a,,b'
  t set Chassis hv1 'transport_zones=a,a'
  t set Chassis hv1 'transport_zones=[a'
  t set Chassis hv1 'transport_zones="a'
  t set Chassis hv1 'transport_zones=a]'
  t set Chassis hv1 'transport_zones=[a] b'
  t set Chassis hv1 'transport_zones=tz1 tz2,tz3'
  t get Chassis hv1 transport_zones
  t set SB_Global . ipsec=yes
  t get SB_Global . ipsec
  t set SB_Global . ipsec=TRUE
  t set Port_Binding lp1 tag=5000
  t set Port_Binding lp1 tunnel_key=0
  t set Encap "$("$CTL" --bare --columns=_uuid find Encap type=vxlan)" type=foo
  t set Port_Binding lp1 type=@foo
  t set Port_Binding lp1 chassis=@foo
  t --if-exists set Chassis hvX hostname=x
  t add Chassis hv1 external_ids y=2 x=3
  t get Chassis hv1 external_ids
  t add Chassis hv1 transport_zones tz4 tz5
  t get Chassis hv1 transport_zones
  t add Chassis hv1 name x
  t add SB_Global . ipsec false
  t remove Chassis hv1 external_ids x y=9 '"a b"'
  t get Chassis hv1 external_ids
  t remove Chassis hv1 transport_zones tz1 tz9
  t get Chassis hv1 transport_zones
  t remove Chassis hv1 encaps "$("$CTL" get Chassis hv1 encaps)"
  t clear Chassis hv1 external_ids transport_zones
  t get Chassis hv1 external_ids transport_zones
  t clear Chassis hv1 name
  t --if-exists clear Chassis hvX name

  # create, destroy, --id, wait-until, comment, several commands.
  t create Address_Set name=as1 'addresses="10.0.0.1","10.0.0.2"'
  t list Address_Set as1
  t create Address_Set name=as1
  t create Address_Set
  t --id=@e create Encap type=geneve ip=10.1.1.1 chassis_name=hv3 -- create Chassis name=hv3 encaps=@e
  t -s tree show
  t --id=@x create Encap type=geneve ip=10.1.1.2 chassis_name=hv4
  t create Encap type=geneve ip=10.1.1.3 chassis_name=hv4
  t --id=x create Address_Set name=as2
  t --id=@a create Address_Set name=as2 -- --id=@a create Address_Set name=as3
  t set Chassis hv3 encaps=@nope
  t destroy Address_Set as1
  t destroy Address_Set as1
  t --if-exists destroy Address_Set as1
  t destroy Address_Set
  t --all destroy Address_Set as2
  t --all destroy Address_Set
  t list Address_Set
  t wait-until Chassis hv1 name=hv1
  # wait-until waits for a record that appears later.
  (sleep 1; "$CTL" create Address_Set name=later >/dev/null) &
  t wait-until Address_Set later 'addresses=[]'
  wait
  t -t 1 wait-until Chassis hv1 name=never
  t --db=unix:/nonexistent/db.sock show
  t --db=x show
  t wait-until Chassis hv1 'nb_cfg>=5' 'external_ids:q{=}[]'
  t comment hello world
  t --dry-run set Chassis hv1 hostname=dry
  t get Chassis hv1 hostname
  t get Chassis hv1 name -- set Chassis hv1 hostname=h2 -- get Chassis hv1 hostname
  t --oneline get Chassis hv1 name encaps -- get Chassis hv2 name -- comment
  t --oneline --columns=name list Chassis hv1
  t create Chassis_Private name=hv1
  t set Port_Binding lp1 datapath=12345678-1234-1234-1234-123456789012

  # Output formats.
  t -s table -f table --columns=type,ip list Encap
  t -f table --columns=name,hostname list Chassis hv1
  t -f table --no-headings --columns=name list Chassis hv1
  t -f csv --columns=name,hostname,other_config list Chassis hv1
  t -f json --columns=name,encaps,other_config list Chassis hv1
  t -f json --pretty --columns=name,external_ids list Chassis hv1
  t -f html --columns=name,hostname list Chassis hv1
  t -d json --columns=name,other_config,nb_cfg list Chassis hv1
  t -d bare --columns=name,other_config,transport_zones list Chassis hv1
  t --bare --columns=name,other_config list Chassis hv1
  t -f table list Address_Set
  t -f csv list Address_Set
  t -f json list Address_Set
  t --columns=name list Chassis hv1 -- get Chassis hv1 name -- --columns=name list Chassis hv2
  t -f table --columns=name list Chassis hv1 -- --columns=name list Chassis hv2
  t -f foo list Chassis
  t --data=x list Chassis

  # Command-line errors.
  t
  t --
  t nosuchcmd
  t show extra
  t list
  t --foo=1 show
  t -- --foo list Chassis
  t --if-exists --if-exists list Chassis hv1
  t --if-exists show
  t -t x show
  t --timeout=-1 show
  t list Chassis hv1 --
  t -- -- --columns=name list Chassis hv1 -- --
}

status=0
for kind in $(golden_server_kinds); do
  for tool in real ovnx; do
    dir=$GOLDEN_TMP/$kind-$tool
    golden_start_server "$kind" "$dir" "$SCHEMA" || { echo "cannot start $kind server" >&2; exit 1; }
    export OVN_SB_DB=$REMOTE
    CTL=ovn-sbctl
    [[ $tool == ovnx ]] && CTL=$OVNX_BIN_DIR/ovnx-sbctl
    TRANSCRIPT=$dir.transcript
    : >"$TRANSCRIPT"
    session
  done
  if diff -u "$GOLDEN_TMP/$kind-real.transcript" "$GOLDEN_TMP/$kind-ovnx.transcript"; then
    echo "PASS: ovn-sbctl and ovnx-sbctl agree against the $kind server" \
      "($(grep -c '^rc=' "$GOLDEN_TMP/$kind-real.transcript") commands)"
  else
    echo "FAIL: transcripts differ against the $kind server" >&2
    status=1
  fi
done
# Both tools against both servers agree with each other too.
if [[ -f $GOLDEN_TMP/ovnx-ovnx.transcript ]] &&
   ! diff -u "$GOLDEN_TMP/real-real.transcript" "$GOLDEN_TMP/ovnx-ovnx.transcript" >/dev/null; then
  echo "NOTE: the two servers answer some commands differently (server behaviour, not the tools)" >&2
fi
exit $status
