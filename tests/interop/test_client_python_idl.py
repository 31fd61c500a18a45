#!/usr/bin/python3
"""Python ovs.db.idl and our client library edit the same NB database concurrently and converge.

For each server (the real ovsdb-server, and ovnx-dbserver when built): two ovnx-client-peer
processes (our library) and this script (python IDL) each run N transactions at the same time,
each one a read-modify-write of NB_Global.nb_cfg guarded by a verify, a map mutation of the
shared switch's external_ids and a new port added to its ports. Conflicts must be detected and
retried on both sides: at the end nb_cfg counts every transaction exactly once, and every
client's replica shows the same keys and ports.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import ovs.db.idl
import ovs.poller

BIN = os.environ["OVNX_BIN_DIR"]
SRC = os.environ["OVNX_SOURCE_DIR"]
SCHEMA = os.path.join(SRC, "schemas", "ovn-nb.ovsschema")
N = 15


def start_server(kind, d):
    db = os.path.join(d, "nb.db")
    subprocess.run(["ovsdb-tool", "create", db, SCHEMA], check=True)
    binary = "ovsdb-server" if kind == "real" else os.path.join(BIN, "ovnx-dbserver")
    subprocess.run([binary, db, "--remote=punix:%s/db.sock" % d, "--unixctl=%s/ctl" % d,
                    "--pidfile=%s/pid" % d, "--detach", "--no-chdir",
                    "--log-file=%s/server.log" % d], check=True, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists(os.path.join(d, "db.sock")):
            break
        time.sleep(0.05)
    return "unix:%s/db.sock" % d, int(open(os.path.join(d, "pid")).read())


def connect(remote):
    helper = ovs.db.idl.SchemaHelper(SCHEMA)
    helper.register_all()
    idl = ovs.db.idl.Idl(remote, helper)
    wait(idl, lambda: idl.has_ever_connected())
    return idl


def wait(idl, pred, timeout=60):
    deadline = time.time() + timeout
    while True:
        idl.run()
        if pred():
            return
        if time.time() > deadline:
            raise RuntimeError("timed out")
        poller = ovs.poller.Poller()
        idl.wait(poller)
        poller.timer_wait(100)
        poller.block()


def shared(idl):
    for ls in idl.tables["Logical_Switch"].rows.values():
        if ls.name == "shared":
            return ls
    return None


def commit(idl, build):
    """Runs BUILD in a transaction until it commits; returns the number of retries."""
    retries = 0
    while True:
        seqno = idl.change_seqno
        txn = ovs.db.idl.Transaction(idl)
        build(txn)
        status = txn.commit_block()
        if status in (ovs.db.idl.Transaction.SUCCESS, ovs.db.idl.Transaction.UNCHANGED):
            return retries
        if status != ovs.db.idl.Transaction.TRY_AGAIN:
            raise RuntimeError("transaction failed: %s %s" % (status, txn.get_error()))
        retries += 1
        wait(idl, lambda: idl.change_seqno != seqno)


def view(idl):
    ls = shared(idl)
    g = next(iter(idl.tables["NB_Global"].rows.values()))
    lines = {"nb_cfg=%d" % g.nb_cfg}
    lines |= {"key %s=%s" % (k, v) for k, v in ls.external_ids.items()}
    lines |= {"port %s" % p.name for p in ls.ports}
    return sorted(lines)


def run(kind, d):
    remote, pid = start_server(kind, d)
    try:
        idl = connect(remote)

        def setup(txn):
            # (A column is set: the python IDL ignores a new row whose columns are all default.)
            txn.insert(idl.tables["NB_Global"]).name = "converge"
        commit(idl, setup)

        total = 3 * N
        peers = [subprocess.Popen([os.path.join(BIN, "ovnx-client-peer"), "--db=" + remote,
                                   "--name=cpp%d" % i, "--count=%d" % N,
                                   "--expect=%d" % total],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in (1, 2)]
        # The peers wait for the shared switch: creating it starts everyone at once.
        time.sleep(1.0)

        def add_switch(txn):
            txn.insert(idl.tables["Logical_Switch"]).name = "shared"
        commit(idl, add_switch)
        wait(idl, lambda: shared(idl) is not None and len(idl.tables["NB_Global"].rows) == 1)
        retries = 0
        for i in range(N):
            def bump(txn, i=i):
                g = next(iter(idl.tables["NB_Global"].rows.values()))
                g.verify("nb_cfg")
                g.nb_cfg = g.nb_cfg + 1
                ls = shared(idl)
                ls.setkey("external_ids", "py-%d" % i, "v")
                port = txn.insert(idl.tables["Logical_Switch_Port"])
                port.name = "py-p%d" % i
                ls.addvalue("ports", port.uuid)
            retries += commit(idl, bump)
        outputs = []
        for p in peers:
            out, err = p.communicate(timeout=120)
            sys.stderr.write(err)
            if p.returncode != 0:
                raise RuntimeError("peer failed with status %d" % p.returncode)
            outputs.append(out.split("\n")[:-1])
        wait(idl, lambda: len(shared(idl).ports) == total and
             next(iter(idl.tables["NB_Global"].rows.values())).nb_cfg == total)
        mine = view(idl)
        expected = sorted(["nb_cfg=%d" % total] +
                          ["key %s-%d=v" % (n, i) for n in ("py", "cpp1", "cpp2") for i in range(N)] +
                          ["port %s-p%d" % (n, i) for n in ("py", "cpp1", "cpp2") for i in range(N)])
        assert mine == expected, "python replica differs:\n%s" % "\n".join(mine)
        for out in outputs:
            assert out == expected, "client-library replica differs:\n%s" % "\n".join(out)
        print("PASS: %s server: python IDL and 2 client-library peers converged "
              "(%d transactions, python retried %d)" % (kind, total, retries))
        idl.close()
    finally:
        os.kill(pid, 15)


def main():
    kinds = ["real"]
    if os.access(os.path.join(BIN, "ovnx-dbserver"), os.X_OK):
        kinds.append("ovnx")
    for kind in kinds:
        d = tempfile.mkdtemp(prefix="ovnx-client-py-")
        try:
            run(kind, d)
        finally:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
