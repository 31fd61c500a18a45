// Reads back the IP TOS byte the kernel puts on a test's TCP sockets, through `ss --tos`, to
// check that control connections are marked DSCP CS6 (TOS 0xc0) as OVS marks its own.
#pragma once

#include <cstdio>
#include <string>

namespace ovnx::test {

// How many established TCP sockets with PORT at either end carry TOS 0xc0; OUT gets what `ss`
// printed, for the failure message.
inline size_t sockets_marked_cs6(unsigned port, std::string* out) {
  const std::string p = std::to_string(port);
  const std::string command =
      "ss -tnH --tos state established '( sport = :" + p + " or dport = :" + p + " )' 2>&1";
  out->clear();
  if (FILE* ss = popen(command.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, ss)) *out += buf;
    pclose(ss);
  }
  size_t marked = 0;
  for (size_t at = out->find("tos:0xc0"); at != std::string::npos; at = out->find("tos:0xc0", at + 1)) {
    ++marked;
  }
  return marked;
}

}  // namespace ovnx::test
