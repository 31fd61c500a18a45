#include "jsonrpc/message.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace ovnx::jsonrpc {
namespace {

Result<Message> parse(const char* text) { return message_from_json(boost::json::parse(text)); }

TEST(Message, ClassifiesMessages) {
  auto r = parse(R"({"method":"echo","params":[],"id":1})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type, Message::Type::request);
  auto n = parse(R"({"method":"update","params":[1,2],"id":null})");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->type, Message::Type::notify);
  auto rep = parse(R"({"result":[],"error":null,"id":1})");
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->type, Message::Type::reply);
  auto err = parse(R"({"result":null,"error":"unknown method","id":1})");
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(err->type, Message::Type::error);
}

TEST(Message, RejectsMalformedMessages) {
  EXPECT_FALSE(parse("[1]").ok());
  EXPECT_FALSE(parse(R"({"method":1,"params":[],"id":1})").ok());
  EXPECT_FALSE(parse(R"({"method":"x","params":{},"id":1})").ok());
  EXPECT_FALSE(parse(R"({"method":"x","params":[],"id":1,"bogus":2})").ok());
  EXPECT_FALSE(parse(R"({"result":1})").ok());
}

TEST(Message, SerializesReplies) {
  EXPECT_EQ(Message::reply(boost::json::value(5), 7).serialize(),
            R"({"result":5,"error":null,"id":7})");
  EXPECT_EQ(Message::notify("update", boost::json::array{1}).serialize(),
            R"({"method":"update","params":[1],"id":null})");
}

// serialize() writes the members itself; it must print exactly what to_json() holds.
TEST(Message, SerializeMatchesToJson) {
  boost::json::value params = boost::json::parse(R"(["OVN_Southbound",{"op":"insert","row":{"a":["set",[1,"x\"y"]]}}])");
  const Message messages[] = {
      Message::request("transact", params, 12),
      Message::request("list_dbs", nullptr, "id-1"),
      Message::notify("update", params),
      Message::reply(params, 3),
      Message::error_reply("unknown method", 4),
  };
  for (const Message& m : messages)
    EXPECT_EQ(m.serialize(), boost::json::serialize(m.to_json())) << m.summary();
}

}  // namespace
}  // namespace ovnx::jsonrpc
