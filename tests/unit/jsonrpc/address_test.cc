#include "jsonrpc/address.h"

#include <gtest/gtest.h>

namespace ovnx::jsonrpc {
namespace {

TEST(Address, ParsesActiveForms) {
  auto a = parse_address("unix:/tmp/x.sock");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->kind, Address::Kind::unix_socket);
  EXPECT_EQ(a->path, "/tmp/x.sock");
  auto t = parse_address("tcp:127.0.0.1:6641");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 6641);
  auto d = parse_address("tcp:127.0.0.1", 6642);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 6642);
  auto v6 = parse_address("tcp:[::1]:6640");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->to_string(), "tcp:[::1]:6640");
}

TEST(Address, ParsesPassiveForms) {
  auto p = parse_address("ptcp:6641:127.0.0.1");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->passive);
  EXPECT_EQ(p->port, 6641);
  EXPECT_EQ(p->host, "127.0.0.1");
  EXPECT_EQ(p->to_string(), "ptcp:6641:127.0.0.1");
  auto any = parse_address("ptcp:0");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->host, "");
  auto u = parse_address("punix:/run/db.sock");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->passive);
}

TEST(Address, RejectsBadInput) {
  EXPECT_FALSE(parse_address("foo:bar").ok());
  EXPECT_FALSE(parse_address("nocolon").ok());
  EXPECT_FALSE(parse_address("tcp:1.2.3.4:99999").ok());
  EXPECT_FALSE(parse_address("unix:").ok());
  auto list = parse_address_list("tcp:1.1.1.1:1, unix:/x");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_FALSE(parse_address_list("").ok());
}

}  // namespace
}  // namespace ovnx::jsonrpc
