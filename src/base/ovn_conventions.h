// OVN's logical-to-physical conventions (ovn-architecture(7)), as OVN 23.03 puts them on the wire.
//
// One low-level header, no dependencies, shared by logical (flow compilation), controller
// (physical flows, packet-in handling) and trace. Every number here was checked against a real
// OVN 23.03 ovn-controller (`ovs-ofctl dump-flows br-int` of the seed scenario); keep it that way,
// because a chassis talking to real OVN chassis over geneve must agree on them.
#pragma once

#include <cstdint>

namespace ovnx::ovn {

// ---------------------------------------------------------------------------------------------
// OpenFlow tables of the physical pipeline on br-int.
// ---------------------------------------------------------------------------------------------
inline constexpr uint8_t kTablePhyToLog = 0;              // physical port/tunnel -> logical
inline constexpr uint8_t kTableLogIngressPipeline = 8;    // logical ingress table 0
inline constexpr uint8_t kTableOutputLargePktDetect = 37;  // `output` in ingress resubmits here
inline constexpr uint8_t kTableOutputLargePktProcess = 38;
inline constexpr uint8_t kTableRemoteOutput = 39;  // tunnel to the chassis holding outport
inline constexpr uint8_t kTableLocalOutput = 40;   // local delivery; tunnels from table 0 land here
inline constexpr uint8_t kTableCheckLoopback = 41;  // drop inport == outport unless loopback flag
inline constexpr uint8_t kTableLogEgressPipeline = 42;  // logical egress table 0
inline constexpr uint8_t kTableSaveInport = 64;         // `output` in egress resubmits here
inline constexpr uint8_t kTableLogToPhy = 65;           // logical outport -> physical port
inline constexpr uint8_t kTableMacBinding = 66;         // get_arp / get_nd
inline constexpr uint8_t kTableMacLookup = 67;          // lookup_arp / lookup_nd
inline constexpr uint8_t kTableChkLbHairpin = 68;       // chk_lb_hairpin
inline constexpr uint8_t kTableChkLbHairpinReply = 69;  // chk_lb_hairpin_reply
inline constexpr uint8_t kTableCtSnatHairpin = 70;      // ct_snat_to_vip
inline constexpr uint8_t kTableGetFdb = 71;             // get_fdb
inline constexpr uint8_t kTableLookupFdb = 72;          // lookup_fdb
inline constexpr uint8_t kTableChkInPortSec = 73;       // check_in_port_sec
inline constexpr uint8_t kTableChkInPortSecNd = 74;
inline constexpr uint8_t kTableChkOutPortSec = 75;  // check_out_port_sec
inline constexpr uint8_t kTableEcmpNhMac = 76;      // chk_ecmp_nh_mac
inline constexpr uint8_t kTableEcmpNh = 77;         // chk_ecmp_nh
inline constexpr uint8_t kTableChkLbAffinity = 78;  // chk_lb_aff

// Logical tables available to each pipeline: ingress 0..28 map to OpenFlow 8..36, egress 0..21
// map to 42..63.
inline constexpr uint8_t kLogicalIngressTables = kTableOutputLargePktDetect - kTableLogIngressPipeline;
inline constexpr uint8_t kLogicalEgressTables = kTableSaveInport - kTableLogEgressPipeline;

// ---------------------------------------------------------------------------------------------
// Register assignments. Registers reg0..reg9 (xxreg0, xxreg1, xreg4) belong to logical flows;
// the rest carry OVN's own metadata.
// ---------------------------------------------------------------------------------------------
// The logical datapath tunnel key lives in OpenFlow `metadata` (and in the geneve VNI).
inline constexpr int kRegLogFlags = 10;     // reg10: MLF_* flag bits below
inline constexpr int kRegDnatZone = 11;     // reg11: conntrack zone for router DNAT
inline constexpr int kRegSnatZone = 12;     // reg12: conntrack zone for router SNAT
inline constexpr int kRegCtZone = 13;       // reg13[0..15]: conntrack zone of the logical port
inline constexpr int kRegLogInport = 14;    // reg14: logical input port key
inline constexpr int kRegLogOutport = 15;   // reg15: logical output port key
inline constexpr int kNumLogicalRegs = 10;  // reg0..reg9 are usable by logical flows

// ---------------------------------------------------------------------------------------------
// Logical flag bits in reg10 (the MLF_* flags of OVN).
// ---------------------------------------------------------------------------------------------
inline constexpr int kFlagAllowLoopbackBit = 0;    // flags.loopback
inline constexpr int kFlagRcvFromRampBit = 1;
inline constexpr int kFlagForceSnatForDnatBit = 2;  // flags.force_snat_for_dnat
inline constexpr int kFlagForceSnatForLbBit = 3;    // flags.force_snat_for_lb
inline constexpr int kFlagLocalOnlyBit = 4;
inline constexpr int kFlagNestedContainerBit = 5;
inline constexpr int kFlagLookupMacBit = 6;          // result of lookup_arp / lookup_nd
inline constexpr int kFlagLookupLbHairpinBit = 7;    // result of chk_lb_hairpin*
inline constexpr int kFlagLookupFdbBit = 8;          // result of lookup_fdb
inline constexpr int kFlagSkipSnatForLbBit = 9;      // flags.skip_snat_for_lb
inline constexpr int kFlagLocalportBit = 10;
inline constexpr int kFlagUseSnatZoneBit = 11;       // flags.use_snat_zone
inline constexpr int kFlagCheckPortSecBit = 12;      // result of check_{in,out}_port_sec
inline constexpr int kFlagLookupCommitEcmpNhBit = 13;  // result of chk_ecmp_nh*
inline constexpr int kFlagUseLbAffSessionBit = 14;     // result of chk_lb_aff

// ---------------------------------------------------------------------------------------------
// Connection-tracking mark and label bits OVN assigns (ct_mark.* / ct_label.* symbols).
// ---------------------------------------------------------------------------------------------
inline constexpr int kCtBlockedBit = 0;     // ct_mark.blocked, ct_label.blocked
inline constexpr int kCtNattedBit = 1;      // ct_mark.natted, ct_label.natted
inline constexpr int kCtLbSkipSnatBit = 2;  // ct_mark.skip_snat, ct_label.skip_snat
inline constexpr int kCtLbForceSnatBit = 3;  // ct_mark.force_snat, ct_label.force_snat
inline constexpr int kCtMarkEcmpReplyPortLsb = 16;  // ct_mark.ecmp_reply_port = ct_mark[16..31]
inline constexpr int kCtLabelEcmpReplyEthLsb = 32;  // ct_label.ecmp_reply_eth = ct_label[32..79]
inline constexpr int kCtLabelEcmpReplyPortLsb = 80;  // ct_label.ecmp_reply_port = [80..95]
inline constexpr int kCtLabelLabelLsb = 96;          // ct_label.label = ct_label[96..127]

// ---------------------------------------------------------------------------------------------
// Geneve encapsulation: the VNI carries the 24-bit datapath key; one option carries the ports.
// ---------------------------------------------------------------------------------------------
inline constexpr uint16_t kGeneveOptClass = 0x0102;  // OVN's option class
inline constexpr uint8_t kGeneveOptType = 0x80;      // critical bit set
inline constexpr uint8_t kGeneveOptLen = 4;          // bytes of option data
// In the 32-bit option value (tun_metadata0): bit 31 zero, bits 16..30 the logical inport key
// (15 bits), bits 0..15 the logical outport key.
inline constexpr int kGeneveInportShift = 16;
inline constexpr int kGeneveInportBits = 15;
inline constexpr int kGeneveOutportBits = 16;
inline constexpr int kGeneveDatapathBits = 24;

// ---------------------------------------------------------------------------------------------
// Tunnel keys.
// ---------------------------------------------------------------------------------------------
inline constexpr uint32_t kMaxDatapathKey = (1u << kGeneveDatapathBits) - 1;
inline constexpr uint32_t kMinPortKey = 1;
inline constexpr uint32_t kMaxPortKey = (1u << kGeneveInportBits) - 1;  // logical ports: 1..32767
inline constexpr uint32_t kMinMulticastKey = 32768;  // Multicast_Group keys: 32768..65535
inline constexpr uint32_t kMaxMulticastKey = 65535;
// Well-known multicast groups northd creates (checked against a real northd's SB).
inline constexpr uint32_t kMcFloodKey = 32768;         // _MC_flood
inline constexpr uint32_t kMcUnknownKey = 32769;       // _MC_unknown
inline constexpr uint32_t kMcMrouterFloodKey = 32770;  // _MC_mrouter_flood
inline constexpr uint32_t kMcStaticKey = 32771;        // _MC_static
inline constexpr uint32_t kMcFloodL2Key = 32772;       // _MC_flood_l2
inline constexpr uint32_t kMcIpMulticastMinKey = 32773;  // first dynamic IGMP/MLD group

}  // namespace ovnx::ovn
