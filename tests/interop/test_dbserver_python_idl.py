#!/usr/bin/python3
"""The python ovs.db.idl client (monitor_cond_since, _Server, transactions, conditions) against
ovnx-dbserver: two IDLs, one writing and one replicating, plus a conditional replica."""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import ovs.db.idl
import ovs.poller

SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"
BIN = os.environ.get("OVNX_BIN_DIR", "build/check/bin")


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run_until(idls, cond, timeout=10.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for idl in idls:
            idl.run()
        if cond():
            return
        poller = ovs.poller.Poller()
        for idl in idls:
            idl.wait(poller)
        poller.timer_wait(100)
        poller.block()
    fail("timed out waiting for " + what)


def commit(idl, build):
    """Builds a transaction with BUILD(txn) and commits it, blocking."""
    deadline = time.time() + 20
    while True:
        idl.run()
        txn = ovs.db.idl.Transaction(idl)
        result = build(txn)
        status = txn.commit_block()
        if status == ovs.db.idl.Transaction.TRY_AGAIN and time.time() < deadline:
            run_until([idl], lambda: False if time.time() < 0 else True, what="retry")
            continue
        if status not in (ovs.db.idl.Transaction.SUCCESS, ovs.db.idl.Transaction.UNCHANGED):
            fail("transaction failed: %s %s" % (status, txn.get_error()))
        return txn, result


def new_idl(remote, tables=None):
    helper = ovs.db.idl.SchemaHelper(location=SCHEMA)
    if tables:
        for t in tables:
            helper.register_table(t)
    else:
        helper.register_all()
    return ovs.db.idl.Idl(remote, helper)


def names(idl):
    return sorted(r.name for r in idl.tables["Logical_Switch"].rows.values())


def main():
    work = tempfile.mkdtemp(prefix="ovnx-pyidl.")
    pidfile = os.path.join(work, "nb.pid")
    # Sanitizer reports of the detached daemon (whose stderr is gone) land here.
    os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":log_path=" + \
        os.path.join(work, "sanitizer")
    reports = []
    try:
        db = os.path.join(work, "nb.db")
        subprocess.check_call(["ovsdb-tool", "create", db, SCHEMA])
        sock = os.path.join(work, "nb.sock")
        subprocess.check_call([os.path.join(BIN, "ovnx-dbserver"), db, "--remote=punix:" + sock,
                               "--pidfile=" + pidfile, "--unixctl=" + os.path.join(work, "ctl"),
                               "--log-file=" + os.path.join(work, "nb.log"), "--detach",
                               "--no-chdir"])
        remote = "unix:" + sock

        writer = new_idl(remote)
        reader = new_idl(remote)
        cond = new_idl(remote, ["Logical_Switch"])
        cond.cond_change("Logical_Switch", [["name", "==", "b"]])
        run_until([writer, reader, cond], lambda: writer.has_ever_connected() and
                  reader.has_ever_connected() and cond.has_ever_connected(), what="connections")

        def insert(txn):
            rows = []
            for name in ("a", "b"):
                ls = txn.insert(writer.tables["Logical_Switch"])
                ls.name = name
                ls.external_ids = {"owner": "test"}
                rows.append(ls)
            return rows
        txn, rows = commit(writer, insert)
        uuid_a = txn.get_insert_uuid(rows[0].uuid)
        if uuid_a is None:
            fail("no insert uuid")
        run_until([writer, reader, cond], lambda: names(reader) == ["a", "b"], what="reader inserts")
        run_until([reader, cond], lambda: names(cond) == ["b"], what="conditional replica")
        print("PASS: inserts replicate; condition limits the replica")

        def modify(txn):
            row = writer.tables["Logical_Switch"].rows[uuid_a]
            row.verify("name")
            row.name = "a2"
            row.setkey("external_ids", "k", "v")
        commit(writer, modify)
        run_until([reader], lambda: names(reader) == ["a2", "b"], what="reader modify")
        row = reader.tables["Logical_Switch"].rows[uuid_a]
        if dict(row.external_ids) != {"owner": "test", "k": "v"}:
            fail("external_ids %r" % dict(row.external_ids))
        print("PASS: modifications (with verify and setkey) replicate")

        # A port referenced from a switch; deleting the switch collects the port.
        def add_port(txn):
            lsp = txn.insert(writer.tables["Logical_Switch_Port"])
            lsp.name = "p1"
            lsp.addresses = ["00:00:00:00:00:01 10.0.0.1"]
            sw = writer.tables["Logical_Switch"].rows[uuid_a]
            sw.addvalue("ports", lsp.uuid)
        commit(writer, add_port)
        run_until([reader], lambda: len(reader.tables["Logical_Switch_Port"].rows) == 1,
                  what="port replicated")

        def delete(txn):
            writer.tables["Logical_Switch"].rows[uuid_a].delete()
        commit(writer, delete)
        run_until([reader], lambda: names(reader) == ["b"] and
                  len(reader.tables["Logical_Switch_Port"].rows) == 0, what="delete and GC")
        print("PASS: deletes and garbage collection replicate")

        cond.cond_change("Logical_Switch", [["name", "==", "a2"], ["name", "==", "zz"]])
        run_until([cond], lambda: names(cond) == [], what="condition change")
        cond.cond_change("Logical_Switch", [True])
        run_until([cond], lambda: names(cond) == ["b"], what="condition change to all")
        print("PASS: monitor_cond_change")

        # Reconnect after a server restart: the IDL resumes and sees new data.
        with open(pidfile) as f:
            os.kill(int(f.read()), signal.SIGTERM)
        time.sleep(0.5)
        subprocess.check_call([os.path.join(BIN, "ovnx-dbserver"), db, "--remote=punix:" + sock,
                               "--pidfile=" + pidfile, "--unixctl=" + os.path.join(work, "ctl"),
                               "--log-file=" + os.path.join(work, "nb.log"), "--detach",
                               "--no-chdir"])

        def insert_c(txn):
            ls = txn.insert(writer.tables["Logical_Switch"])
            ls.name = "c"
        run_until([writer, reader], lambda: writer._session.is_connected() and
                  reader._session.is_connected(), timeout=20, what="reconnect")
        commit(writer, insert_c)
        run_until([reader], lambda: names(reader) == ["b", "c"], what="replica after restart")
        print("PASS: reconnects after a server restart")
        for idl in (writer, reader, cond):
            idl.close()
    finally:
        try:
            with open(pidfile) as f:
                os.kill(int(f.read()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
        reports = [open(os.path.join(work, f)).read() for f in os.listdir(work)
                   if f.startswith("sanitizer")]
        shutil.rmtree(work, ignore_errors=True)
    if reports:
        fail("sanitizer reports:\n" + "\n".join(reports))


if __name__ == "__main__":
    main()
