// Helpers for the packets tests: hex literals and byte comparison with readable failures.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "packets/bytes.h"

namespace ovnx::packets::testing {

inline Bytes hex(std::string_view text) {
  auto r = from_hex(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Bytes{};
}

// Compares as hex text so a failure shows both sides byte by byte.
#define EXPECT_BYTES(actual, expected_hex)   \
  EXPECT_EQ(::ovnx::packets::to_hex(actual), \
            ::ovnx::packets::to_hex(::ovnx::packets::testing::hex(expected_hex)))

}  // namespace ovnx::packets::testing
