// ovnx-sbctl: see src/sbctl.
#include "ctl/runner.h"
#include "sbctl/sbctl.h"

int main(int argc, char** argv) {
  return ovnx::ctl::run_program(ovnx::sbctl::program(), argc, argv);
}
