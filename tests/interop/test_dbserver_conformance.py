#!/usr/bin/python3
"""Conformance: the same requests to the real ovsdb-server and to ovnx-dbserver must get the
same answers (results, error tags, most error details, monitor updates). Rows are inserted
with explicit UUIDs so both servers hold identical data; _version UUIDs are masked."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.environ.get("OVNX_BIN_DIR", "build/check/bin")

SCHEMA = {
    "name": "Conf", "version": "1.0.0",
    "tables": {
        "Parent": {"columns": {
            "name": {"type": "string"},
            "count": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 100}}},
            "ratio": {"type": "real"},
            "color": {"type": {"key": {"type": "string", "enum": ["set", ["red", "green"]]}}},
            "tags": {"type": {"key": {"type": "string", "maxLength": 4}, "min": 0, "max": 3}},
            "nums": {"type": {"key": "integer", "min": 0, "max": "unlimited"}},
            "opts": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
            "children": {"type": {"key": {"type": "uuid", "refTable": "Child"}, "min": 0,
                                  "max": "unlimited"}},
            "weak": {"type": {"key": {"type": "uuid", "refTable": "Child", "refType": "weak"},
                              "min": 0, "max": 1}},
            "opt": {"type": {"key": "integer", "min": 0, "max": 1}},
            "fixed": {"type": "integer", "mutable": False},
            "temp": {"type": "integer", "ephemeral": True}},
            "isRoot": True, "indexes": [["name"]]},
        "Child": {"columns": {"n": {"type": "integer"},
                              "grand": {"type": {"key": {"type": "uuid", "refTable": "Grand"},
                                                 "min": 0, "max": 1}}}},
        "Grand": {"columns": {"g": {"type": "string"}}},
        "Other": {"columns": {"o": {"type": "integer"}}, "isRoot": True, "maxRows": 2},
    }}

U = ["%08d-0000-4000-8000-%012d" % (i, i) for i in range(1, 40)]

# (ops or raw message, exact): exact also compares error details.
CASES = [
    ([{"op": "insert", "table": "Parent", "uuid": U[0],
       "row": {"name": "a", "color": "red", "nums": ["set", [3, 1, 2]],
               "opts": ["map", [["k", "v"]]], "fixed": 4}}], True),
    ([{"op": "select", "table": "Parent", "where": [], "columns": ["name", "nums", "opts", "fixed"]}], True),
    ([{"op": "select", "table": "Parent", "where": []}], True),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "a", "color": "green"}}], False),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "b"}}], False),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "b", "color": "red", "count": 101}}], True),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "b", "color": "red", "tags": ["set", ["a", "b", "c", "d"]]}}], True),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "b", "color": "red", "tags": ["set", ["toolong"]]}}], False),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "b", "color": "red", "count": "x"}}], False),
    ([{"op": "insert", "table": "Parent", "uuid": U[1], "row": {"name": "b", "color": "red", "nope": 1}}], True),
    ([{"op": "insert", "table": "Parent", "uuid": U[0], "row": {"name": "c", "color": "red"}}], False),
    ([{"op": "insert", "table": "Nope", "row": {}}], True),
    ([{"op": "frob"}], True),
    ([{"op": "insert"}], True),
    ([{"op": "insert", "table": "Other", "row": {}, "frob": 1}], True),
    ([{"op": "select", "table": "Other"}], True),
    ([5], True),
    ([{"op": "select", "table": "Parent", "where": [["zz", "==", 1]]}], True),
    ([{"op": "select", "table": "Parent", "where": [], "columns": ["zz"]}], True),
    ([{"op": "select", "table": "Parent", "where": [["name", "<", "a"]]}], False),
    ([{"op": "select", "table": "Parent", "where": [["nums", "includes", ["set", [1, 3]]]], "columns": ["name"]}], True),
    ([{"op": "select", "table": "Parent", "where": [["nums", "excludes", 1]], "columns": ["name"]}], True),
    ([{"op": "select", "table": "Parent", "where": [["opts", "includes", ["map", [["k", "v"]]]]], "columns": ["name"]}], True),
    ([{"op": "select", "table": "Parent", "where": [["_uuid", "==", ["uuid", U[0]]]], "columns": ["name"]}], True),
    ([{"op": "update", "table": "Parent", "where": [], "row": {"fixed": 3}}], True),
    ([{"op": "update", "table": "Parent", "where": [], "row": {"_uuid": ["uuid", U[5]]}}], True),
    ([{"op": "update", "table": "Parent", "where": [["name", "==", "a"]], "row": {"count": 5, "ratio": 1.5}}], True),
    ([{"op": "update", "table": "Parent", "where": [["name", "==", "zz"]], "row": {"count": 5}}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["count", "+=", 10], ["count", "*=", 2], ["ratio", "/=", 2]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["count", "-=", 100]]}], False),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["count", "/=", 0]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["count", "%=", 7]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["fixed", "+=", 1]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["name", "insert", "x"]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["nums", "insert", ["set", [9]]], ["nums", "delete", 1]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["opts", "insert", ["map", [["k", "new"], ["k2", "v2"]]]]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["opts", "delete", ["set", ["k"]]]]}], True),
    ([{"op": "mutate", "table": "Parent", "where": [], "mutations": [["nums", "*=", 9223372036854775807]]}], False),
    ([{"op": "select", "table": "Parent", "where": [], "columns": ["count", "ratio", "nums", "opts"]}], True),
    ([{"op": "insert", "table": "Grand", "uuid": U[10], "row": {"g": "x"}, "uuid-name": "g"},
      {"op": "insert", "table": "Child", "uuid": U[11], "row": {"n": 1, "grand": ["named-uuid", "g"]}, "uuid-name": "c"},
      {"op": "update", "table": "Parent", "where": [], "row": {"children": ["named-uuid", "c"], "weak": ["named-uuid", "c"]}}], True),
    ([{"op": "delete", "table": "Child", "where": []}], True),
    ([{"op": "insert", "table": "Parent", "uuid": U[2], "row": {"name": "r", "color": "red", "children": ["uuid", U[30]]}}], True),
    ([{"op": "update", "table": "Parent", "where": [], "row": {"children": ["set", []]}}], True),
    ([{"op": "select", "table": "Grand", "where": []}, {"op": "select", "table": "Child", "where": []},
      {"op": "select", "table": "Parent", "where": [], "columns": ["weak", "children"]}], True),
    ([{"op": "insert", "table": "Child", "uuid": U[12], "row": {"n": 5}}], True),
    ([{"op": "select", "table": "Child", "where": []}], True),
    ([{"op": "insert", "table": "Other", "uuid": U[20], "row": {"o": 1}},
      {"op": "insert", "table": "Other", "uuid": U[21], "row": {"o": 2}},
      {"op": "insert", "table": "Other", "uuid": U[22], "row": {"o": 3}}], True),
    ([{"op": "insert", "table": "Other", "uuid": U[20], "row": {"o": 1}}], True),
    ([{"op": "delete", "table": "Other", "where": [["o", ">", 0]]}], True),
    ([{"op": "insert", "table": "Other", "row": {}, "uuid-name": "x"},
      {"op": "insert", "table": "Other", "row": {}, "uuid-name": "x"}], False),
    ([{"op": "wait", "timeout": 0, "table": "Parent", "where": [], "columns": ["name"], "until": "==", "rows": [{"name": "a"}]}], True),
    ([{"op": "wait", "timeout": 0, "table": "Parent", "where": [], "columns": ["name"], "until": "!=", "rows": [{"name": "a"}]}], True),
    ([{"op": "wait", "timeout": 0, "table": "Parent", "where": [], "columns": ["name"], "until": "==", "rows": []}], True),
    ([{"op": "comment", "comment": "hello"}, {"op": "commit", "durable": True}], True),
    ([{"op": "commit"}], True),
    ([{"op": "insert", "table": "Other", "row": {}}, {"op": "abort"}, {"op": "comment", "comment": "x"}], False),
    ([{"op": "assert", "lock": "L"}], True),
    ([{"op": "update", "table": "Parent", "where": [], "row": {"opt": 3, "temp": 7}}], True),
    ([{"op": "select", "table": "Parent", "where": [["opt", "==", 3]], "columns": ["opt", "temp"]}], True),
    ([{"op": "select", "table": "Parent", "where": [["opt", ">", 2], ["opt", "<=", 3]], "columns": ["name"]}], True),
    ([{"op": "select", "table": "Parent", "where": [["opt", "<", 3]], "columns": ["name"]}], True),
    ([{"op": "update", "table": "Parent", "where": [["name", "==", "a"]], "row": {"opt": ["set", []]}},
      {"op": "select", "table": "Parent", "where": [["opt", "<", 100]], "columns": ["name"]},
      {"op": "update", "table": "Parent", "where": [["name", "==", "a"]], "row": {"opt": 3}}], True),
    # Weak references: deleting the target empties the column; a GC'd insert still succeeds.
    ([{"op": "insert", "table": "Child", "uuid": U[14], "row": {"n": 2}, "uuid-name": "c"},
      {"op": "update", "table": "Parent", "where": [], "row": {"children": ["named-uuid", "c"], "weak": ["named-uuid", "c"]}}], True),
    ([{"op": "update", "table": "Parent", "where": [], "row": {"children": ["set", []]}},
      {"op": "select", "table": "Parent", "where": [], "columns": ["weak"]}], True),
    ([{"op": "select", "table": "Parent", "where": [], "columns": ["weak", "children"]}], True),
    ([{"op": "insert", "table": "Parent", "uuid": U[3], "row": {"name": "a", "color": "green"}},
      {"op": "insert", "table": "Parent", "uuid": U[4], "row": {"name": "z", "color": "green"}}], False),
    ({"method": "list_dbs", "params": []}, True),
    ({"method": "get_schema", "params": ["Nope"]}, True),
    ({"method": "transact", "params": []}, True),
    ({"method": "transact", "params": ["Nope", {"op": "select", "table": "x", "where": []}]}, False),
    ({"method": "transact", "params": ["_Server", {"op": "select", "table": "Database", "where": [["name", "==", "Conf"]], "columns": ["name", "model", "connected", "leader", "cid", "sid", "index"]}]}, True),
    ({"method": "transact", "params": ["_Server", {"op": "delete", "table": "Database", "where": []}]}, True),
    ({"method": "frob", "params": []}, True),
    ({"method": "echo", "params": ["x", 1]}, True),
    ({"method": "monitor_cancel", "params": ["zz"]}, True),
    ({"method": "lock", "params": ["L"]}, True),
    ({"method": "lock", "params": ["L"]}, True),
    ({"method": "unlock", "params": ["Q"]}, True),
    ({"method": "unlock", "params": ["L"]}, True),
    ({"method": "lock", "params": []}, True),
    ({"method": "monitor", "params": ["Conf", "m", {"Zed": {}}]}, True),
    ({"method": "monitor", "params": ["Conf", "m", {"Parent": {"columns": ["zz"]}}]}, True),
    ({"method": "monitor_cond", "params": ["Conf", "m", {"Parent": [{"columns": ["name", "name"]}]}]}, True),
    ({"method": "monitor", "params": ["Conf", "m1", {"Parent": {"columns": ["name", "nums"]}}]}, True),
    ({"method": "monitor", "params": ["Conf", "m1", {"Parent": {}}]}, True),
    ({"method": "monitor_cond", "params": ["Conf", "m2", {"Parent": [{"columns": ["name", "opts", "opt"], "where": [["name", "==", "a"]]}]}]}, True),
    ({"method": "monitor_cancel", "params": ["m1"]}, True),
    ({"method": "set_db_change_aware", "params": [True]}, True),
]

# Monitors, then changes made by a second client: the notifications must match.
MONITOR = {"method": "monitor_cond", "id": 1, "params": ["Conf", "mon", {
    "Parent": [{"columns": ["name", "count", "nums", "opts", "opt", "weak"]}],
    "Child": [{"where": [["n", ">", 2]]}],
    "Other": [{"columns": ["o"], "select": {"initial": False, "delete": False}}]}]}
MONITOR_V1 = {"method": "monitor", "id": 2, "params": ["Conf", "mon1", {
    "Parent": {"columns": ["name", "nums", "opt"]}}]}
MONITOR_V3 = {"method": "monitor_cond_since", "id": 3, "params": ["Conf", "mon3", {
    "Parent": [{"columns": ["name", "nums", "children"]}], "Child": [{}]},
    "00000000-0000-0000-0000-000000000000"]}
CHANGES = [
    [{"op": "update", "table": "Parent", "where": [], "row": {"nums": ["set", [2, 4]], "opt": ["set", []]}}],
    [{"op": "mutate", "table": "Parent", "where": [], "mutations": [["opts", "insert", ["map", [["z", "1"]]]], ["count", "+=", 1]]}],
    [{"op": "insert", "table": "Child", "uuid": U[13], "row": {"n": 3}, "uuid-name": "c"},
     {"op": "update", "table": "Parent", "where": [], "row": {"children": ["named-uuid", "c"], "weak": ["named-uuid", "c"]}}],
    [{"op": "update", "table": "Child", "where": [], "row": {"n": 1}}],
    [{"op": "update", "table": "Child", "where": [], "row": {"n": 9}}],
    [{"op": "insert", "table": "Other", "uuid": U[23], "row": {"o": 7}}],
    [{"op": "update", "table": "Other", "where": [], "row": {"o": 8}}],
    [{"op": "update", "table": "Parent", "where": [], "row": {"children": ["set", []]}}],
    [{"op": "delete", "table": "Other", "where": []}],
    [{"op": "update", "table": "Parent", "where": [], "row": {"temp": 5}}],
]


class Conn:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.s.settimeout(0.05)
        self.buf = ""
        self.dec = json.JSONDecoder()

    def send(self, msg):
        self.s.sendall(json.dumps(msg).encode())

    def messages(self, want_id=None, quiet=0.3):
        """Reads messages until one with id WANT_ID arrived (and then QUIET s of silence)."""
        out = []
        deadline = time.time() + 5
        last = time.time()
        while time.time() < deadline:
            while True:
                self.buf = self.buf.lstrip()
                try:
                    m, end = self.dec.raw_decode(self.buf)
                except ValueError:
                    break
                self.buf = self.buf[end:]
                out.append(m)
                last = time.time()
            got = want_id is None or any(m.get("id") == want_id for m in out)
            if got and time.time() - last >= quiet:
                return out
            try:
                data = self.s.recv(1 << 20)
                if not data:
                    return out + [{"closed": True}]
                self.buf += data.decode()
            except socket.timeout:
                pass
        return out


def normalize(value):
    text = json.dumps(value, sort_keys=True)
    known = {u: "U%d" % i for i, u in enumerate(U)}
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                  lambda m: known.get(m.group(0), "UUID"), text)
    v = json.loads(text)

    def canon(x):
        if isinstance(x, dict):
            # "syntax" (the offending JSON) is informational; "result": null next to an
            # "error" is the same reply either way.
            y = {k: canon(v) for k, v in x.items() if k != "syntax"}
            if y.get("error") is not None and "result" in y and y["result"] is None:
                del y["result"]
            if "rows" in y and isinstance(y["rows"], list):
                y["rows"] = sorted(y["rows"], key=lambda r: json.dumps(r, sort_keys=True))
            return y
        if isinstance(x, list):
            return [canon(i) for i in x]
        if isinstance(x, float) and x == int(x):
            return int(x)
        return x
    return canon(v)


def strip_details(value):
    if isinstance(value, dict):
        return {k: strip_details(v) for k, v in value.items() if k not in ("details", "syntax")}
    if isinstance(value, list):
        return [strip_details(v) for v in value]
    return value


def run_server(real, work, name):
    db = os.path.join(work, name + ".db")
    schema = os.path.join(work, "conf.ovsschema")
    subprocess.check_call(["ovsdb-tool", "create", db, schema])
    sock = os.path.join(work, name + ".sock")
    binary = "ovsdb-server" if real else os.path.join(BIN, "ovnx-dbserver")
    subprocess.check_call([binary, db, "--remote=punix:" + sock,
                           "--pidfile=" + os.path.join(work, name + ".pid"),
                           "--unixctl=" + os.path.join(work, name + ".ctl"),
                           "--log-file=" + os.path.join(work, name + ".log"),
                           "--detach", "--no-chdir"], stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(sock):
            break
        time.sleep(0.05)
    return sock


def session(sock):
    """Runs every case and the monitor scenario; returns the list of (case, answer)."""
    answers = []
    c = Conn(sock)
    for i, (case, exact) in enumerate(CASES):
        msg = dict(case) if isinstance(case, dict) else {"method": "transact", "params": ["Conf"] + case}
        msg["id"] = 1000 + i
        c.send(msg)
        got = [m for m in c.messages(1000 + i, quiet=0.02) if m.get("id") == 1000 + i]
        answers.append((json.dumps(case)[:150], exact, got))
    mon = Conn(sock)
    mon.send(MONITOR)
    answers.append(("monitor_cond initial", True, mon.messages(1)))
    mon1 = Conn(sock)
    mon1.send(MONITOR_V1)
    answers.append(("monitor initial", True, mon1.messages(2)))
    mon3 = Conn(sock)
    mon3.send(MONITOR_V3)
    answers.append(("monitor_cond_since initial", True, mon3.messages(3)))
    w = Conn(sock)
    for i, ops in enumerate(CHANGES):
        w.send({"method": "transact", "params": ["Conf"] + ops, "id": 500 + i})
        answers.append(("change %d" % i, True, w.messages(500 + i, quiet=0.02)))
        answers.append(("update2 after change %d" % i, True, mon.messages(None, quiet=0.15)))
        answers.append(("update after change %d" % i, True, mon1.messages(None, quiet=0.05)))
        answers.append(("update3 after change %d" % i, True, mon3.messages(None, quiet=0.05)))
    return answers


def main():
    work = tempfile.mkdtemp(prefix="ovnx-conformance.")
    # Sanitizer reports of the detached daemon (whose stderr is gone) land here.
    os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":log_path=" + \
        os.path.join(work, "sanitizer")
    failed = False
    try:
        with open(os.path.join(work, "conf.ovsschema"), "w") as f:
            json.dump(SCHEMA, f)
        real = session(run_server(True, work, "real"))
        ours = session(run_server(False, work, "ovnx"))
        failures = 0
        for (what, exact, a), (_, _, b) in zip(real, ours):
            na, nb = normalize(a), normalize(b)
            if not exact:
                na, nb = strip_details(na), strip_details(nb)
            if na != nb:
                failures += 1
                print("MISMATCH %s\n  real: %s\n  ovnx: %s" % (what, json.dumps(na)[:600],
                                                             json.dumps(nb)[:600]))
        print("%d requests compared, %d mismatches" % (len(real), failures))
        failed = failures > 0
        if not failed:
            print("PASS: ovnx-dbserver answers like the real ovsdb-server")
    finally:
        for name in ("real", "ovnx"):
            try:
                with open(os.path.join(work, name + ".pid")) as f:
                    os.kill(int(f.read()), signal.SIGTERM)
            except (OSError, ValueError):
                pass
        time.sleep(0.5)
        for f in os.listdir(work):
            if f.startswith("sanitizer"):
                print(open(os.path.join(work, f)).read(), file=sys.stderr)
                failed = True
        shutil.rmtree(work, ignore_errors=True)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
