#!/usr/bin/python3
"""Sends one OVSDB transaction read from a file (too big for a command-line argument).

    ovsdb-transact.py unix:/path/db.sock TXN.json

Prints the reply's "result"; exits 1 if the reply has an error or an operation failed.
"""
import json
import socket
import sys


def main():
    remote, path = sys.argv[1:3]
    if not remote.startswith("unix:"):
        sys.exit("only unix: remotes")
    params = json.load(open(path))
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(remote[len("unix:"):])
    s.sendall(json.dumps({"method": "transact", "params": params, "id": 1}).encode())
    dec = json.JSONDecoder()
    buf = ""
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            sys.exit("connection closed")
        buf += chunk.decode()
        try:
            msg, _ = dec.raw_decode(buf.lstrip())
        except ValueError:
            continue
        if msg.get("id") != 1:  # e.g. an echo request
            buf = ""
            continue
        break
    if msg.get("error") or any("error" in r for r in msg["result"] if r):
        print(json.dumps(msg)[:2000], file=sys.stderr)
        sys.exit(1)
    print(len(msg["result"]), "operations")


if __name__ == "__main__":
    main()
