// The data model: U128, the field table, Match canonicalization, action values.
#include <unordered_set>

#include <gtest/gtest.h>

#include "openflow/actions.h"
#include "openflow/fields.h"
#include "openflow/match.h"
#include "openflow/value.h"

namespace ovnx::openflow {
namespace {

TEST(U128, ShiftsAndMasks) {
  EXPECT_EQ(U128::low_bits(0), U128());
  EXPECT_EQ(U128::low_bits(4), U128(0xf));
  EXPECT_EQ(U128::low_bits(64), U128(0, ~uint64_t{0}));
  EXPECT_EQ(U128::low_bits(65), U128(1, ~uint64_t{0}));
  EXPECT_EQ(U128::low_bits(128), ~U128());
  EXPECT_EQ(U128(1) << 64, U128(1, 0));
  EXPECT_EQ(U128(1, 0) >> 64, U128(1));
  EXPECT_EQ(U128(0x8000000000000000ULL) << 1, U128(1, 0));
  EXPECT_EQ(U128::bit_range(8, 8), U128(0xff00));
  EXPECT_EQ(U128(0xff00).lowest_bit(), 8);
  EXPECT_EQ(U128(0xff00).bit_width(), 16);
  EXPECT_TRUE(U128(0xff00).is_contiguous());
  EXPECT_FALSE(U128(0xf0f).is_contiguous());
  EXPECT_TRUE((~U128()).is_contiguous());
  EXPECT_TRUE(U128(~uint64_t{0}).is_contiguous());
}

TEST(U128, BigEndianBytes) {
  const uint8_t bytes[] = {0x01, 0x02, 0x03};
  U128 v = U128::from_be_bytes(bytes);
  EXPECT_EQ(v, U128(0x010203));
  uint8_t out[4];
  v.to_be_bytes(out);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 1);
  EXPECT_EQ(out[3], 3);
}

TEST(Fields, TableFacts) {
  EXPECT_EQ(field_name(Field::eth_src), "eth_src");
  EXPECT_EQ(field_info(Field::eth_src).match_name, "dl_src");
  EXPECT_EQ(field_info(Field::eth_src).wire, (OxmCode{0x8000, 4, 6, 0}));
  EXPECT_EQ(field_info(reg(14)).nxm_name, "NXM_NX_REG14");
  EXPECT_EQ(field_info(reg(14)).wire, (OxmCode{0x0001, 14, 4, 0}));
  EXPECT_EQ(field_info(xreg(7)).wire, (OxmCode{0x8001, 7, 8, 0}));
  EXPECT_EQ(field_info(xxreg(3)).wire, (OxmCode{0x0001, 114, 16, 0}));
  EXPECT_EQ(field_info(tun_metadata(0)).wire, (OxmCode{0x0001, 40, 124, 0}));
  EXPECT_EQ(field_info(tun_metadata(63)).wire, (OxmCode{0x0001, 103, 124, 0}));
  EXPECT_EQ(field_info(Field::ct_label).wire, (OxmCode{0x0001, 108, 16, 0}));
  EXPECT_EQ(field_info(Field::tun_id).wire, (OxmCode{0x8000, 38, 8, 0}));
  EXPECT_EQ(field_info(Field::tcp_flags).wire, (OxmCode{0x8000, 42, 2, 0}));
  EXPECT_EQ(field_info(Field::nd_reserved).wire, (OxmCode{0x1000, 1, 4, 0}));
  EXPECT_EQ(field_bits(Field::ipv6_src), 128);
  EXPECT_EQ(static_cast<int>(Field::tun_metadata63) - static_cast<int>(Field::tun_metadata0), 63);
  for (int i = 0; i < kNumFields; i++) {
    const FieldInfo& fi = field_info(static_cast<Field>(i));
    EXPECT_EQ(static_cast<int>(fi.id), i) << "table entry missing for field " << i;
    EXPECT_FALSE(fi.name.empty());
    EXPECT_TRUE(fi.wire.valid()) << fi.name;
  }
}

TEST(Fields, LookupByNameAndCode) {
  EXPECT_EQ(field_from_name("dl_src"), Field::eth_src);
  EXPECT_EQ(field_from_name("NXM_NX_REG15"), reg(15));
  EXPECT_EQ(field_from_name("reg15"), reg(15));
  EXPECT_EQ(field_from_name("tun_ipv4_src"), Field::tun_src);
  EXPECT_EQ(field_from_name("OXM_OF_METADATA"), Field::metadata);
  EXPECT_EQ(field_from_name("NXM_NX_TUN_METADATA0"), tun_metadata(0));
  EXPECT_EQ(field_from_name("tp_src"), std::nullopt);  // ambiguous
  EXPECT_EQ(field_from_name("nonsense"), std::nullopt);
  EXPECT_EQ(field_from_code(0x8000, 4, 0), Field::eth_src);
  EXPECT_EQ(field_from_code(0x0000, 2, 0), Field::eth_src);  // NXM_OF_ETH_SRC
  EXPECT_EQ(field_from_code(0x0001, 105, 0), Field::ct_state);
  EXPECT_EQ(field_from_code(0x8000, 0, 0), Field::in_port);
  EXPECT_EQ(field_from_code(0x8000, 127, 0), std::nullopt);
}

TEST(Subfield, FormatsAsOvsOfctl) {
  EXPECT_EQ(format_subfield(Subfield{reg(13), 0, 16}), "NXM_NX_REG13[0..15]");
  EXPECT_EQ(format_subfield(Subfield{reg(10), 3, 1}), "NXM_NX_REG10[3]");
  EXPECT_EQ(format_subfield(Subfield::whole(reg(14))), "NXM_NX_REG14[]");
  EXPECT_EQ(format_subfield(Subfield::whole(Field::metadata)), "OXM_OF_METADATA[]");
  EXPECT_EQ(format_subfield(Subfield::whole(Field::in_port)), "NXM_OF_IN_PORT[]");
  EXPECT_TRUE((Subfield{reg(0), 30, 2}).valid());
  EXPECT_FALSE((Subfield{reg(0), 31, 2}).valid());
  EXPECT_FALSE((Subfield{reg(0), 0, 0}).valid());
}

TEST(Match, NormalizesValueUnderMask) {
  Match m;
  m.set_masked(reg(0), 0x1234, 0xff);
  ASSERT_NE(m.find(reg(0)), nullptr);
  EXPECT_EQ(m.find(reg(0))->value, U128(0x34));
  EXPECT_EQ(m.find(reg(0))->mask, U128(0xff));
  m.set_masked(reg(0), 0x1234, 0);
  EXPECT_TRUE(m.empty());
  m.set(Field::eth_type, 0x10800);  // bits beyond the width are dropped
  EXPECT_EQ(m.find(Field::eth_type)->value, U128(0x0800));
}

TEST(Match, SortedAndOrderIndependent) {
  Match a, b;
  a.set(Field::metadata, 1);
  a.set(reg(14), 2);
  a.set(Field::eth_type, 0x800);
  b.set(Field::eth_type, 0x800);
  b.set(reg(14), 2);
  b.set(Field::metadata, 1);
  EXPECT_EQ(a, b);
  EXPECT_EQ(hash_value(a), hash_value(b));
  EXPECT_EQ(a.fields().front().field, Field::eth_type);
  b.set(reg(14), 3);
  EXPECT_NE(a, b);
  EXPECT_NE(a <=> b, std::strong_ordering::equal);
}

TEST(Match, SubfieldsMerge) {
  Match m;
  m.set_subfield(Subfield{reg(0), 0, 8}, 1);
  m.set_subfield(Subfield{reg(0), 8, 8}, 2);
  EXPECT_EQ(m.find(reg(0))->value, U128(0x201));
  EXPECT_EQ(m.find(reg(0))->mask, U128(0xffff));
  m.set_subfield(Subfield{reg(0), 0, 8}, 7);  // replaces only its own bits
  EXPECT_EQ(m.find(reg(0))->value, U128(0x207));
  m.set_masked(reg(0), 5, 0xf);  // set_masked replaces the whole field
  EXPECT_EQ(m.find(reg(0))->value, U128(5));
  EXPECT_EQ(m.find(reg(0))->mask, U128(0xf));
}

TEST(Match, ExtendedRegistersFoldOntoRegisters) {
  Match m;
  m.set(xreg(3), U128(0x0000000500000006));
  // xreg3 = reg6 (high 32 bits) : reg7 (low 32 bits).
  EXPECT_EQ(m.find(xreg(3)), nullptr);
  EXPECT_EQ(m.find(reg(6))->value, U128(5));
  EXPECT_EQ(m.find(reg(7))->value, U128(6));

  Match x;
  x.set(xxreg(1), U128(1));  // reg4..reg7, reg4 most significant
  EXPECT_EQ(x.size(), 4u);
  EXPECT_EQ(x.find(reg(4))->value, U128(0));
  EXPECT_EQ(x.find(reg(4))->mask, U128(0xffffffff));
  EXPECT_EQ(x.find(reg(7))->value, U128(1));

  Match y;
  y.set_subfield(Subfield{xxreg(0), 96, 32}, 0x0a000001);  // = reg0
  EXPECT_EQ(y.size(), 1u);
  EXPECT_EQ(y.find(reg(0))->value, U128(0x0a000001));

  Match z;  // the same constraint written on reg and on xreg compares equal
  z.set(reg(0), 0x0a000001);
  EXPECT_EQ(y, z);
  z.clear(xxreg(0));
  EXPECT_TRUE(z.empty());
}

TEST(Match, OtherAliasesFold) {
  Match m;
  m.set(Field::ip_dscp, 0x0f);
  EXPECT_EQ(m.find(Field::nw_tos)->value, U128(0x3c));
  EXPECT_EQ(m.find(Field::nw_tos)->mask, U128(0xfc));
  m.set(Field::vlan_vid, 0x1005);
  m.set(Field::vlan_pcp, 3);
  EXPECT_EQ(m.find(Field::vlan_tci)->value, U128(0x7005));
  EXPECT_EQ(m.find(Field::vlan_tci)->mask, U128(0xffff));
}

TEST(Actions, ValueSemantics) {
  ActionList a = {Resubmit{kPortInPort, 9}, SetField::load(Subfield{reg(10), 3, 1}, 1),
                  Ct{.commit = true,
                     .zone_src = Subfield{reg(13), 0, 16},
                     .recirc_table = 10,
                     .actions = {Nat{.kind = Nat::Kind::kSrc,
                                     .family = Nat::Family::kIpv4,
                                     .addr_min = U128(0x0a000001)}}},
                  Clone{{DecTtl{}, CtClear{}}}};
  ActionList b = a;
  EXPECT_EQ(a, b);
  EXPECT_EQ(hash_value(a), hash_value(b));
  std::get<Ct>(b[2]).actions.push_back(SetField::exact(Field::ct_mark, 1));
  EXPECT_NE(a, b);
  EXPECT_NE(hash_value(a), hash_value(b));
  EXPECT_TRUE((a <=> b) != std::strong_ordering::equal);
  const auto* sf = std::get_if<SetField>(&a[1]);
  ASSERT_NE(sf, nullptr);
  EXPECT_EQ(sf->value, U128(8));
  EXPECT_EQ(sf->mask, U128(8));
  EXPECT_STREQ(action_name(a[2]), "ct");
  std::unordered_set<Action> set(a.begin(), a.end());
  EXPECT_EQ(set.size(), 4u);
}

TEST(Flow, KeyAndHash) {
  Flow f;
  f.table_id = 8;
  f.priority = 100;
  f.match.set(reg(14), 1);
  f.actions = {Resubmit{kPortInPort, 9}};
  Flow g = f;
  g.actions = {};
  EXPECT_NE(f, g);
  EXPECT_EQ(FlowKey::of(f), FlowKey::of(g));
  EXPECT_EQ(std::hash<FlowKey>()(FlowKey::of(f)), std::hash<FlowKey>()(FlowKey::of(g)));
  EXPECT_NE(std::hash<Flow>()(f), std::hash<Flow>()(g));
}

}  // namespace
}  // namespace ovnx::openflow
