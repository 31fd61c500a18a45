#include "ctl/row_ids.h"
#include "ovsdb/client/sb.h"
#include "sbctl/sbctl.h"

namespace ovnx::sbctl {

const ctl::ProgramSpec& program() {
  static const ctl::ProgramSpec spec = [] {
    ctl::ProgramSpec s;
    s.name = "ovnx-sbctl";
    s.description = "OVN southbound database management utility";
    s.db_env = "OVN_SB_DB";
    s.db_socket = "ovnsb_db.sock";
    s.options_env = "OVN_SBCTL_OPTIONS";
    s.binding = sb::binding_ptr();
    s.row_ids = ctl::southbound_row_ids();
    for (auto family : {general_commands, chassis_commands, lflow_commands, connection_commands}) {
      for (ctl::CommandSpec& c : family()) s.commands.push_back(std::move(c));
    }
    s.help_commands =
        "General commands:\n"
        "  init                        create the SB_Global record if there is none\n"
        "  show                        chassis with their encapsulations and port bindings\n"
        "\nChassis commands:\n"
        "  chassis-add CHASSIS ENCAP-TYPE ENCAP-IP\n"
        "                              add a chassis with one encap per (comma-separated)\n"
        "                              ENCAP-TYPE at ENCAP-IP (--may-exist)\n"
        "  chassis-del CHASSIS         delete a chassis and its encaps (--if-exists)\n"
        "\nPort binding commands:\n"
        "  lsp-bind PORT CHASSIS       bind logical port PORT to CHASSIS (--may-exist)\n"
        "  lsp-unbind PORT             unbind logical port PORT (--if-exists)\n"
        "\nLogical flow commands:\n"
        "  lflow-list [DATAPATH] [LFLOW...]  list logical flows, of DATAPATH or all (--uuid)\n"
        "  dump-flows [DATAPATH] [LFLOW...]  the same\n"
        "  count-flows [DATAPATH]      number of logical flows per table\n"
        "\nConnection commands:\n"
        "  get-connection              print the connections\n"
        "  del-connection              delete the connections\n"
        "  set-connection TARGET...    set the connections (--inactivity-probe=MSECS)\n"
        "\nSSL commands:\n"
        "  get-ssl                     print the SSL configuration\n"
        "  del-ssl                     delete the SSL configuration\n"
        "  set-ssl PRIV-KEY CERT CA-CERT [SSL-PROTOS [SSL-CIPHERS]]  set it (--bootstrap)\n";
    return s;
  }();
  return spec;
}

}  // namespace ovnx::sbctl
