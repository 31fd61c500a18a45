#!/usr/bin/python3
"""The project's own schema files (schemas/) are wire-compatible with the ones OVN 23.03 and
OVS 3.1 ship: parsed by the python ovs library, every table, column, type, constraint and the
version are the same. The _Server schema ovnx-dbserver serves equals the real server's."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import ovs.db.schema  # noqa: E402

SRC = os.environ.get("OVNX_SOURCE_DIR", ".")
BIN = os.environ.get("OVNX_BIN_DIR", "build/check/bin")
PAIRS = [("ovn-nb", "/usr/share/ovn/ovn-nb.ovsschema"),
         ("ovn-sb", "/usr/share/ovn/ovn-sb.ovsschema"),
         ("vswitch", "/usr/share/openvswitch/vswitch.ovsschema")]


def normalized(schema_json):
    return ovs.db.schema.DbSchema.from_json(schema_json).to_json()


def differences(ours, real):
    out = []
    for key in ("name", "version"):
        if ours.get(key) != real.get(key):
            out.append("%s: %r != %r" % (key, ours.get(key), real.get(key)))
    for t in sorted(set(ours["tables"]) | set(real["tables"])):
        a, b = ours["tables"].get(t), real["tables"].get(t)
        if a == b:
            continue
        if a is None or b is None:
            out.append("table %s only in %s" % (t, "the real schema" if a is None else "ours"))
            continue
        for c in sorted(set(a["columns"]) | set(b["columns"])):
            if a["columns"].get(c) != b["columns"].get(c):
                out.append("%s.%s: %s != %s" % (t, c, json.dumps(a["columns"].get(c)),
                                                json.dumps(b["columns"].get(c))))
        for k in sorted((set(a) | set(b)) - {"columns"}):
            if a.get(k) != b.get(k):
                out.append("%s %s: %r != %r" % (t, k, a.get(k), b.get(k)))
    return out


def server_schema(binary, work, name):
    db = os.path.join(work, name + ".db")
    sock = os.path.join(work, name + ".sock")
    subprocess.check_call(["ovsdb-tool", "create", db, PAIRS[0][1]])
    proc = subprocess.Popen([binary, db, "--remote=punix:" + sock, "--unixctl=" +
                             os.path.join(work, name + ".ctl"), "--no-chdir"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        text = subprocess.check_output(["ovsdb-client", "get-schema", "unix:" + sock, "_Server"],
                                       timeout=20)
        return normalized(json.loads(text))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main():
    failed = False
    for ours_name, real_path in PAIRS:
        if not os.path.exists(real_path):
            print("SKIP: %s is not installed" % real_path)
            continue
        with open(os.path.join(SRC, "schemas", ours_name + ".ovsschema")) as f:
            ours = normalized(json.load(f))
        with open(real_path) as f:
            real = normalized(json.load(f))
        diff = differences(ours, real)
        if diff:
            failed = True
            print("FAIL: schemas/%s.ovsschema differs from %s:\n  %s" %
                  (ours_name, real_path, "\n  ".join(diff[:20])))
        else:
            print("PASS: schemas/%s.ovsschema matches %s (version %s)" %
                  (ours_name, real_path, ours["version"]))

    work = tempfile.mkdtemp(prefix="ovnx-schemas.")
    try:
        ours = server_schema(os.path.join(BIN, "ovnx-dbserver"), work, "ours")
        real = server_schema(shutil.which("ovsdb-server"), work, "real")
        diff = differences(ours, real)
        if diff:
            failed = True
            print("FAIL: _Server schema differs:\n  " + "\n  ".join(diff))
        else:
            print("PASS: the _Server schema equals the real server's")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
