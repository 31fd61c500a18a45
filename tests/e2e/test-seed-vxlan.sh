#!/bin/bash
# The seed scenario over vxlan tunnels instead of geneve (ovn-encap-type=vxlan on both hosts;
# the VNI carries the datapath and output port keys), see test-seed.sh for what is checked.
export E2E_ENCAP=vxlan
exec "$(dirname "$0")/test-seed.sh"
