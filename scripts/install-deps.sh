#!/usr/bin/env bash
# Installs the Debian packages ovnx needs to build, test and demo. Idempotent and quiet when
# everything is already present; run as root (CI and the README's commands are).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  libboost1.81-dev libboost-json1.81-dev libssl-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libclang-rt-14-dev clang
  # test peers and tools used by the tests and the demo
  openvswitch-switch ovn-central ovn-host python3-openvswitch
  iproute2 iputils-ping busybox dnsutils procps psmisc strace
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || echo "install-deps: apt-get update failed; trying the cached lists" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian packages may start system OVS/OVN services where an init system runs; the tests
# start their own private instances and never use them.
exit 0
