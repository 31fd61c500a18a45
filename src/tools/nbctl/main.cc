// ovnx-nbctl: manages the OVN northbound database like ovn-nbctl (see nbctl/program.h).
#include "nbctl/program.h"

int main(int argc, char** argv) { return ovnx::nbctl::run(argc, argv); }
