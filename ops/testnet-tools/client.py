#!/usr/bin/env python3
"""What ops/testnet runs inside a network namespace to read validators and put load on them.

    client.py watch  --node URL --cacert CA --out FILE     heights as they change, one JSON line each, until killed
    client.py blocks --node URL --cacert CA --to H         the block id at heights 1…H, as a JSON list
    client.py pieces --node URL --cacert CA --ids FILE     how many of the pieces in FILE the node shows
    client.py peer-tls --address HOST:PORT --cacert CA [--cert PEM --key PEM]   whether a peer port takes the certificate
    client.py load   --facet BIN --cacert CA --node URL … --key FILE … --seconds S --out FILE

Everything it reads is public without a signature (contracts/privacy.md): the status, block headers with their
certificates, and a piece's provenance card. Load is `facet tx register-piece` (the real client, signing with a
firm's key) by one worker per key, each waiting for its piece before the next: finality is measured from the
node's 202 (the command returning) to the piece being readable on that same node, polled every 10 ms; end to end
adds the command's own work (start, reading the status, signing, submitting).
"""

import argparse
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse


class Node:
    """One keep-alive HTTPS connection to a node's API, reopened after any failure."""

    def __init__(self, url, cacert, timeout=3.0):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port or 443
        self.context = ssl.create_default_context(cafile=cacert)
        self.timeout = timeout
        self.connection = None

    def get(self, path):
        """(status, parsed JSON or None); raises OSError when the node cannot be reached."""
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    self.host, self.port, context=self.context, timeout=self.timeout)
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
                return response.status, (json.loads(body) if body.startswith((b"{", b"[")) else None)
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def watch(arguments):
    """Appends {"t": unix seconds, "height": h} whenever the node's height changes (and once at start)."""
    node = Node(arguments.node, arguments.cacert, timeout=1.0)
    last = None
    with open(arguments.out, "a", buffering=1) as out:
        while True:
            try:
                status, body = node.get("/v1/status")
                height = body["height"] if status == 200 else None
            except OSError:
                height = None
            if height is not None and height != last:
                out.write(json.dumps({"t": time.time(), "height": height}) + "\n")
                last = height
            time.sleep(0.05)


def blocks(arguments):
    node = Node(arguments.node, arguments.cacert)
    ids = []
    for height in range(1, arguments.to + 1):
        status, body = node.get(f"/v1/blocks/{height}")
        if status != 200:
            sys.exit(f"GET /v1/blocks/{height}: HTTP {status} {body}")
        if body["header"]["height"] != height:
            sys.exit(f"GET /v1/blocks/{height} answered height {body['header']['height']}")
        ids.append(body["id"])
    print(json.dumps(ids))


def pieces(arguments):
    node = Node(arguments.node, arguments.cacert)
    with open(arguments.ids) as file:
        ids = [line.strip() for line in file if line.strip()]
    missing = [piece for piece in ids if node.get(f"/v1/pieces/{piece}")[0] != 200]
    print(json.dumps({"checked": len(ids), "missing": missing}))


def peer_tls(arguments):
    """Prints "accepted" when a validator's peer port completes mutual TLS with the given client certificate (it
    then waits for the signed peer handshake, or sends its own), "refused" when it ends the connection."""
    host, port = arguments.address.rsplit(":", 1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # peers are known by their signed handshake, not by a name
    context.load_verify_locations(arguments.cacert)
    if arguments.cert:
        context.load_cert_chain(arguments.cert, arguments.key)
    outcome = "refused"
    try:
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            with context.wrap_socket(raw) as tls:
                tls.settimeout(2)
                try:
                    outcome = "accepted" if tls.recv(1) else "refused"
                except socket.timeout:
                    outcome = "accepted"
    except (ssl.SSLError, ConnectionError, socket.timeout) as error:
        outcome = f"refused ({type(error).__name__}: {error})"
    print(outcome)


class LoadWorker(threading.Thread):
    """Submits register-piece transactions one after another with one key to one node."""

    def __init__(self, arguments, index, deadline, samples, lock):
        super().__init__(daemon=True)
        self.arguments = arguments
        self.url = arguments.node[index % len(arguments.node)]
        self.key = arguments.key[index]
        self.index = index
        self.deadline = deadline
        self.samples = samples
        self.lock = lock
        self.failures = []

    def run(self):
        node = Node(self.url, self.arguments.cacert)
        serial = 0
        while time.time() < self.deadline:
            serial += 1
            command = [
                self.arguments.facet, "tx", "register-piece", "--node", self.url, "--cacert", self.arguments.cacert,
                "--key", self.key, "--category", "gold", "--grams", f"{10 + serial % 90}.5", "--fineness", "999",
                "--description", f"testnet bar {self.index}-{serial}", "--no-wait", "--json"]
            started = time.time()
            result = subprocess.run(command, capture_output=True, text=True)
            acknowledged = time.time()
            try:
                report = json.loads(result.stdout)
            except ValueError:
                report = {"outcome": "unparsed", "message": (result.stdout + result.stderr).strip()[-300:]}
            if report.get("outcome") != "pending":
                self.failures.append(report)
                time.sleep(0.2)
                continue
            piece = report["id"]
            seen = self.await_piece(node, piece)
            with self.lock:
                self.samples.append({
                    "node": self.url, "piece": piece, "started": started, "acknowledged": acknowledged,
                    "seen": seen})

    def await_piece(self, node, piece):
        """When the piece became readable on the node (None if not by the end of the grace period)."""
        give_up = max(self.deadline, time.time()) + self.arguments.grace
        while time.time() < give_up:
            try:
                if node.get(f"/v1/pieces/{piece}")[0] == 200:
                    return time.time()
            except OSError:
                pass
            time.sleep(0.01)
        return None


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    rank = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[rank]


def load(arguments):
    if len(arguments.key) < 1:
        sys.exit("give at least one --key")
    samples, lock = [], threading.Lock()
    deadline = time.time() + arguments.seconds
    workers = [LoadWorker(arguments, index, deadline, samples, lock) for index in range(len(arguments.key))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    finality = [(s["seen"] - s["acknowledged"]) * 1000 for s in samples if s["seen"] is not None]
    submit = [(s["acknowledged"] - s["started"]) * 1000 for s in samples]
    end_to_end = [(s["seen"] - s["started"]) * 1000 for s in samples if s["seen"] is not None]
    failures = [failure for worker in workers for failure in worker.failures]
    summary = {
        "submitted": len(samples), "committed": len(finality),
        "uncommitted": [s["piece"] for s in samples if s["seen"] is None],
        "refused": len(failures), "refusals": failures[:5],
        "seconds": arguments.seconds, "committedPerSecond": round(len(finality) / arguments.seconds, 2),
        "finalityMillis": {"p50": percentile(finality, 0.5), "p99": percentile(finality, 0.99),
                           "max": max(finality) if finality else None},
        "submitMillis": {"p50": percentile(submit, 0.5), "p99": percentile(submit, 0.99)},
        "endToEndMillis": {"p50": percentile(end_to_end, 0.5), "p99": percentile(end_to_end, 0.99)},
    }
    with open(arguments.out, "w") as out:
        json.dump({"summary": summary, "samples": samples}, out)
    print(json.dumps(summary))


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("watch", "blocks", "pieces"):
        command = commands.add_parser(name)
        command.add_argument("--node", required=True)
        command.add_argument("--cacert", required=True)
    commands.choices["watch"].add_argument("--out", required=True)
    commands.choices["blocks"].add_argument("--to", type=int, required=True)
    commands.choices["pieces"].add_argument("--ids", required=True)
    command = commands.add_parser("peer-tls")
    command.add_argument("--address", required=True)
    command.add_argument("--cacert", required=True)
    command.add_argument("--cert")
    command.add_argument("--key")
    command = commands.add_parser("load")
    command.add_argument("--facet", required=True)
    command.add_argument("--cacert", required=True)
    command.add_argument("--node", action="append", required=True, help="a node's URL (workers spread over them)")
    command.add_argument("--key", action="append", required=True, help="a firm's key file: one worker each")
    command.add_argument("--seconds", type=float, required=True)
    command.add_argument("--grace", type=float, default=60.0, help="seconds to wait for the last pieces")
    command.add_argument("--out", required=True)
    arguments = parser.parse_args()
    {"watch": watch, "blocks": blocks, "pieces": pieces, "peer-tls": peer_tls, "load": load}[arguments.command](arguments)


if __name__ == "__main__":
    main()
