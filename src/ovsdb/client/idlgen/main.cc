// ovnx-idlgen: generates the typed C++ binding of an OVSDB schema (see ovsdb/client/typed.h).
//
//   ovnx-idlgen SCHEMA NAMESPACE HEADER_INCLUDE OUT_HEADER OUT_SOURCE
//
// e.g. ovnx-idlgen schemas/ovn-nb.ovsschema nb ovsdb/client/nb.h nb.h nb.cc emits the classes
// ovnx::nb::LogicalSwitch, ... Runs at build time; nothing per table is written by hand.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "ovsdb/client/idlgen/generator.h"
#include "ovsdb/schema.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: ovnx-idlgen SCHEMA NAMESPACE HEADER_INCLUDE OUT_HEADER OUT_SOURCE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "ovnx-idlgen: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto schema = ovnx::ovsdb::DatabaseSchema::from_text(text.str());
  if (!schema.ok()) {
    std::cerr << "ovnx-idlgen: " << argv[1] << ": " << schema.error().to_string() << "\n";
    return 1;
  }
  ovnx::idlgen::Options options{argv[2], argv[3], argv[1]};
  auto out = ovnx::idlgen::generate(**schema, text.str(), options);
  if (!out.ok()) {
    std::cerr << "ovnx-idlgen: " << out.error().to_string() << "\n";
    return 1;
  }
  for (auto [path, body] : {std::pair{argv[4], &out->header}, std::pair{argv[5], &out->source}}) {
    // Only rewrite a changed file, so dependents are not rebuilt needlessly.
    std::ifstream old(path);
    std::stringstream prev;
    if (old) prev << old.rdbuf();
    if (old && prev.str() == *body) continue;
    std::ofstream f(path, std::ios::trunc);
    f << *body;
    if (!f) {
      std::cerr << "ovnx-idlgen: cannot write " << path << "\n";
      return 1;
    }
  }
  return 0;
}
