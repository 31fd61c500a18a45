# shellcheck shell=bash
# The seed scenario's logical topology (as ../shared/reference/real-ovn-seed-demo.sh makes it),
# with nbctl commands only: ls1 with two workload ports, ls2 with one, router lr1 joining them.
#
#   seed_topology NBCTL [ARG...]     runs every command as "NBCTL ARG... COMMAND..."
#   (e.g. seed_topology nb, or seed_topology ovn-nbctl --db=unix:nb.sock --timeout=30)
seed_topology() {
  "$@" ls-add ls1 || return
  "$@" lsp-add ls1 ls1-node1-ns1 -- lsp-set-addresses ls1-node1-ns1 "00:00:00:00:00:01 192.168.1.10" \
    -- lsp-set-port-security ls1-node1-ns1 00:00:00:00:00:01 || return
  "$@" lsp-add ls1 ls1-node2-ns1 -- lsp-set-addresses ls1-node2-ns1 "00:00:00:00:00:02 192.168.1.20" \
    -- lsp-set-port-security ls1-node2-ns1 00:00:00:00:00:02 || return
  "$@" ls-add ls2 || return
  "$@" lsp-add ls2 ls2-node2-ns2 -- lsp-set-addresses ls2-node2-ns2 "00:00:00:00:00:03 192.168.2.30" \
    -- lsp-set-port-security ls2-node2-ns2 00:00:00:00:00:03 || return
  "$@" lr-add lr1 || return
  "$@" lrp-add lr1 lr1-ls1 00:00:00:00:11:00 192.168.1.1/24 || return
  "$@" lrp-add lr1 lr1-ls2 12:00:00:00:12:00 192.168.2.1/24 || return
  "$@" lsp-add ls1 ls1-lr1 -- lsp-set-type ls1-lr1 router -- lsp-set-addresses ls1-lr1 router \
    -- lsp-set-options ls1-lr1 router-port=lr1-ls1 || return
  "$@" lsp-add ls2 ls2-lr1 -- lsp-set-type ls2-lr1 router -- lsp-set-addresses ls2-lr1 router \
    -- lsp-set-options ls2-lr1 router-port=lr1-ls2
}
