#!/bin/bash
# make install's layout: installs the build tree OVNX_BIN_DIR belongs to into a temp DESTDIR
# (cmake --install, as make install does) and checks binaries, ovnx-ctl, schemas, systemd units
# (pointing at the installed ovnx-ctl), /etc/default files, man pages and docs; then runs the
# installed ovnx-ctl, which must find the installed binaries and schemas by itself, to create
# and serve both databases in a private run directory.
set -eu -o pipefail
BIN=${OVNX_BIN_DIR:?}
SRC=${OVNX_SOURCE_DIR:?}
BUILD=$(cd "$BIN/.." && pwd)
T=$(mktemp -d /tmp/ovnx-install.XXXXXX)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$T/sanitizer:print_stacktrace=1"
cleanup() {
  local rc=$? f
  set +e
  for f in "$T"/run/*.pid; do [[ -f $f ]] && kill -9 "$(<"$f")" 2>/dev/null; done
  if compgen -G "$T/sanitizer.*" >/dev/null; then cat "$T"/sanitizer.* >&2; rc=1; fi
  rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
[[ -n $prefix ]] || fail "no CMAKE_INSTALL_PREFIX in $BUILD/CMakeCache.txt"
DESTDIR=$T/root cmake --install "$BUILD" >"$T/install.log" 2>&1 ||
  { cat "$T/install.log" >&2; fail "cmake --install"; }
R=$T/root$prefix

for b in ovnx-ctl ovnx-dbserver ovnx-dbtool ovnx-nbctl ovnx-sbctl ovnx-northd ovnx-controller \
  ovnx-lflow-compile; do
  [[ -x $BIN/$b ]] || { echo "SKIP: $b not built"; continue; }
  [[ -x $R/bin/$b ]] || fail "bin/$b not installed"
done
for s in ovn-nb ovn-sb vswitch _server; do
  [[ -f $R/share/ovnx/$s.ovsschema ]] || fail "share/ovnx/$s.ovsschema not installed"
done
pass "binaries in $prefix/bin, schemas in $prefix/share/ovnx"

units=(ovnx-nb-ovsdb ovnx-sb-ovsdb ovnx-northd ovnx-controller ovnx-central ovnx-host)
for u in "${units[@]}"; do
  f=$R/lib/systemd/system/$u.service
  [[ -f $f ]] || fail "unit $u.service not installed"
  grep -q '@[A-Z]*@' "$f" && fail "$u.service has an unsubstituted @VARIABLE@"
  while read -r exe; do
    [[ $exe == /bin/true || -x $T/root$exe ]] || fail "$u.service runs $exe, which is not installed"
  done < <(sed -n 's/^Exec\(Start\|Stop\)=\([^ ]*\).*/\2/p' "$f")
done
grep -q "^ExecStart=$prefix/bin/ovnx-ctl start_northd" "$R/lib/systemd/system/ovnx-northd.service" ||
  fail "ovnx-northd.service does not start ovnx-ctl start_northd from $prefix/bin"
sysconf=$(sed -n 's/^EnvironmentFile=-\(.*\)\/default\/ovnx-central$/\1/p' \
  "$R/lib/systemd/system/ovnx-northd.service")
for d in ovnx-central ovnx-host; do
  [[ -f $T/root$sysconf/default/$d ]] || fail "$sysconf/default/$d not installed"
done
if command -v systemd-analyze >/dev/null; then
  # Syntax and semantics of the units, with their paths pointed into the staging tree.
  mkdir -p "$T/units"
  for u in "${units[@]}"; do
    sed "s|$prefix/bin/|$R/bin/|g" "$R/lib/systemd/system/$u.service" >"$T/units/$u.service"
  done
  out=$(systemd-analyze verify "$T"/units/*.service 2>&1) || fail "systemd-analyze verify: $out"
  [[ -z $out ]] || fail "systemd-analyze verify: $out"
fi
pass "systemd units for every daemon, their ExecStart/ExecStop installed, /etc/default files"

n=0
for page in "$SRC"/docs/man/*.md; do
  name=$(basename "$page" .md)
  f=$R/share/man/man8/$name.8
  [[ -f $f ]] || fail "man page $name.8 not installed"
  head -1 "$f" | grep -q '^\.TH' || fail "$name.8 is not a man page"
  if command -v man >/dev/null; then
    MANWIDTH=80 man -l "$f" 2>/dev/null | grep -q NAME || fail "man cannot render $name.8"
  fi
  n=$((n + 1))
done
[[ -f $R/share/doc/ovnx/getting-started.md ]] || fail "docs not installed"
pass "$n man pages in share/man/man8, docs in share/doc/ovnx"

# The installed ovnx-ctl finds its binaries and schemas from where it is.
export OVN_RUNDIR=$T/run OVN_DBDIR=$T/db OVN_LOGDIR=$T/log
unset OVNX_BIN_DIR OVNX_PKGDATADIR
[[ $("$R/bin/ovnx-ctl" --help) == *"$R/share/ovnx/ovn-nb.ovsschema"* ]] ||
  fail "installed ovnx-ctl does not default to the installed schemas"
"$R/bin/ovnx-ctl" --no-monitor start_ovsdb >/dev/null || fail "installed ovnx-ctl start_ovsdb"
[[ $("$R/bin/ovnx-ctl" status_ovnsb) == running/active ]] || fail "status_ovnsb"
ovn-nbctl --timeout=10 ls-add sw0 || fail "ovn-nbctl against the installed server"
[[ $(ovn-nbctl --timeout=10 ls-list) == *sw0* ]] || fail "ovn-nbctl ls-list"
"$R/bin/ovnx-ctl" stop_ovsdb >/dev/null
[[ $("$R/bin/ovnx-ctl" status_ovnnb) == not-running ]] || fail "stop_ovsdb"
pass "the installed ovnx-ctl serves both databases from the installed schemas"
