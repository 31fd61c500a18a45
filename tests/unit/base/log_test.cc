#include "base/log.h"

#include <gtest/gtest.h>

OVNX_LOG_MODULE(logtest);

namespace ovnx::log {
namespace {

TEST(Log, SetLevelsChangesEnabled) {
  ASSERT_TRUE(set_levels("logtest:console:off").ok());
  ASSERT_TRUE(set_levels("logtest:syslog:off").ok());
  EXPECT_FALSE(ovnx_log_module_.enabled(Level::warn));
  ASSERT_TRUE(set_levels("logtest:console:dbg").ok());
  EXPECT_TRUE(ovnx_log_module_.enabled(Level::dbg));
  EXPECT_NE(list_levels().find("logtest"), std::string::npos);
}

TEST(Log, RejectsUnknownWords) {
  Status s = set_levels("nosuchmodule:console:dbg");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().details.find("nosuchmodule"), std::string::npos);
  EXPECT_FALSE(set_levels("console:file:dbg").ok());
}

}  // namespace
}  // namespace ovnx::log
