#include "jsonrpc/framer.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace ovnx::jsonrpc {
namespace {

TEST(Framer, SplitsConcatenatedMessagesAcrossChunks) {
  Framer f;
  std::vector<boost::json::value> out;
  std::string text = R"({"a":1} {"b":[1,2]}{"c":"x}"})";
  for (char c : text) ASSERT_TRUE(f.feed(std::string_view(&c, 1), &out).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(boost::json::serialize(out[1]), R"({"b":[1,2]})");
  EXPECT_EQ(out[2].at("c").as_string(), "x}");
}

TEST(Framer, ReportsInvalidJson) {
  Framer f;
  std::vector<boost::json::value> out;
  EXPECT_FALSE(f.feed("{\"a\":]", &out).ok());
}

TEST(Framer, LimitsMessageSize) {
  Framer f(16);
  std::vector<boost::json::value> out;
  Status s = f.feed(R"({"a":"0123456789012345678901234567890123456789")", &out);
  EXPECT_FALSE(s.ok());
}

TEST(Framer, RejectsExcessiveNesting) {
  Framer f;
  std::vector<boost::json::value> out;
  EXPECT_FALSE(f.feed(std::string(1000, '['), &out).ok());
}

}  // namespace
}  // namespace ovnx::jsonrpc
