// The text of `ovn-nbctl show`: one block per logical switch (its ports with parent, tag, type,
// addresses and router-port) and per logical router (its ports with MAC, networks and gateway
// chassis, then its NAT rules), formatted exactly as the real tool does.
#pragma once

#include <string>

#include "nbctl/nb.h"

namespace ovnx::nbctl {

// Appends the block of one switch / router to OUT.
void show_switch(Nb& nb, const nb::LogicalSwitch* ls, std::string* out);
void show_router(Nb& nb, const nb::LogicalRouter* lr, std::string* out);

}  // namespace ovnx::nbctl
