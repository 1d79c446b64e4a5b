#!/usr/bin/env python3
"""ops/testnet's body: a consortium of 4 validators and a client, each in its own network namespace, under load and
network faults. Run through ops/testnet, which checks for root and installs what this needs.

The consortium is set up as separate operators would: each operator makes its validator key and a certificate
request; the consortium's CA (openssl) signs one certificate per validator for its own address (the API's HTTPS and
mutual TLS between peers); a coordinator writes the genesis from the public keys and hands each operator a copy of
the file; each operator runs `facet node init` and `facet node start` in its own namespace. The namespaces hang off
one bridge (10.118.0.0/24). Peer links go through a relay in the dialer's namespace that can add 20–80 ms each way
per link (this kernel has no netem).

Phases, each asserted:
 0. mutual TLS on the peer ports: a consortium certificate is accepted, a stranger's or none refused;
 1. load, no added latency: every submitted transaction commits; finality p50/p99 measured;
 2. the same with the relays' latency on;
 3. validator 3's link down while load goes to the others: the other three keep committing, validator 3 does not;
    link up: validator 3 catches up to the others' height (time measured);
 4. the network cut 2+2 (validators 2 and 3 moved to a second bridge): nothing is decided past the highest height
    at the cut but the one block that may have been in flight; healed: all advance again (time to resume measured);
 5. safety: the block id at every height agrees on all four; every piece the load registered is on all four.

Exit status 0 when every assertion held, 1 otherwise (the logs are kept and their folder printed).
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
VALIDATORS = 4
SUBNET = "10.118.0"
API_PORT = 7700
PEER_PORT = 7800
RELAY_PORT = 7900
# One-way delay of each validator pair's link when the relays' latency is on: 20 to 80 ms.
LINK_MILLIS = {(0, 1): 20, (0, 2): 32, (0, 3): 44, (1, 2): 56, (1, 3): 68, (2, 3): 80}
CUT = 3
STARTED = time.time()


class Failure(Exception):
    """An assertion of the run that did not hold."""


def log(message):
    print(f"[testnet {time.time() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def run(command, **options):
    """Runs a command, raising with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return result.stdout


def check(condition, message):
    if not condition:
        raise Failure(message)
    log(f"ok: {message}")


def ip(*arguments):
    return run(["ip", *arguments])


class Settings:
    def __init__(self, short):
        self.load_seconds = 8 if short else 30
        # Load workers, each a firm signing register-piece transactions back to back.
        self.firms = 4 if short else 8
        self.cut_seconds = 8 if short else 20
        self.split_seconds = 6 if short else 15
        self.block_millis = 200
        self.deadline = 120


class Testnet:
    def __init__(self, arguments):
        self.facet = os.path.abspath(arguments.facet)
        self.settings = Settings(arguments.short)
        self.folder = arguments.folder
        tag = f"{os.getpid() % 100000:05d}"
        self.validator_ns = [f"ftn{tag}-v{index}" for index in range(VALIDATORS)]
        self.client_ns = f"ftn{tag}-c"
        self.host_links = [f"ftn{tag}v{index}" for index in range(VALIDATORS)] + [f"ftn{tag}c"]
        self.bridges = [f"ftn{tag}a", f"ftn{tag}b"]
        self.processes = []
        self.services = []
        self.relays = []
        self.namespaces = []
        self.made_bridges = []
        self.member_ids = []
        self.pieces = []
        self.results = {}

    # Addresses and files.

    def address(self, index):
        return f"{SUBNET}.{11 + index}"

    def url(self, index):
        return f"https://{self.address(index)}:{API_PORT}"

    def path(self, *parts):
        return os.path.join(self.folder, *parts)

    def operator(self, index, *parts):
        return self.path(f"operator-{index}", *parts)

    # The consortium: CA, keys, certificates, genesis, node configurations.

    def make_consortium(self):
        os.makedirs(self.path("ca"))
        log("consortium CA (openssl, P-256)")
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", self.path("ca", "ca.key.pem"), "-out", self.path("ca", "ca.pem"), "-days", "30",
             "-subj", "/O=Facet testnet consortium/CN=Facet testnet consortium CA",
             "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        public_keys = []
        for index in range(VALIDATORS):
            os.makedirs(self.operator(index, "tls"))
            run([self.facet, "keys", "new", "--out", self.operator(index, "validator.key")])
            shown = run([self.facet, "keys", "show", self.operator(index, "validator.key")])
            fields = dict(line.split(":", 1) for line in shown.strip().splitlines())
            public_keys.append(fields["public key"].strip())
            self.member_ids.append(fields["member id"].strip())
            self.certify(index)
        os.makedirs(self.path("coordinator"))
        os.makedirs(self.path("client"))
        run([self.facet, "keys", "new", "--out", self.path("coordinator", "admin.key")])
        members = [f"Testnet consortium secretariat:admin:{self.path('coordinator', 'admin.key')}"]
        members += [f"Validator {index} exchange:exchange,validator:{key}" for index, key in enumerate(public_keys)]
        for firm in range(self.settings.firms):
            run([self.facet, "keys", "new", "--out", self.path("client", f"firm-{firm}.key")])
            members.append(f"Testnet firm {firm}:firm:{self.path('client', f'firm-{firm}.key')}")
        genesis = self.path("coordinator", "genesis.json")
        command = [self.facet, "genesis", "new", "--chain-id", "facet-testnet-1", "--out", genesis]
        for member in members:
            command += ["--member", member]
        log(run(command).strip())
        digest = hashlib.sha256(open(genesis, "rb").read()).hexdigest()
        for index in range(VALIDATORS):
            shutil.copy(genesis, self.operator(index, "genesis.json"))
            shutil.copy(self.path("ca", "ca.pem"), self.operator(index, "tls", "consortium-ca.pem"))
            self.init_node(index)
        shutil.copy(self.path("ca", "ca.pem"), self.path("client", "consortium-ca.pem"))
        os.makedirs(self.path("stranger"))
        run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", self.path("stranger", "node.key.pem"), "-out", self.path("stranger", "node.pem"),
             "-days", "30", "-subj", "/O=Not the consortium/CN=stranger",
             "-addext", "extendedKeyUsage=serverAuth,clientAuth"])
        log(f"genesis {digest[:16]}… handed to {VALIDATORS} operators as a file; each ran facet node init")

    def certify(self, index):
        """The operator's key and request; the CA's certificate for the validator's own address."""
        tls = self.operator(index, "tls")
        run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", os.path.join(tls, "node.key.pem"), "-out", os.path.join(tls, "node.csr"),
             "-subj", f"/O=Facet testnet consortium/CN=validator-{index}"])
        extensions = os.path.join(tls, "extensions.cnf")
        with open(extensions, "w") as file:
            file.write(
                "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyAgreement\n"
                "extendedKeyUsage=serverAuth,clientAuth\n"
                f"subjectAltName=IP:{self.address(index)},IP:127.0.0.1\n")
        run(["openssl", "x509", "-req", "-in", os.path.join(tls, "node.csr"), "-CA", self.path("ca", "ca.pem"),
             "-CAkey", self.path("ca", "ca.key.pem"), "-CAcreateserial", "-days", "30", "-sha256",
             "-extfile", extensions, "-out", os.path.join(tls, "node.pem")])

    def init_node(self, index):
        tls = self.operator(index, "tls")
        command = [
            self.facet, "node", "init", "--data", self.operator(index, "data"),
            "--genesis", self.operator(index, "genesis.json"), "--key", self.operator(index, "validator.key"),
            "--listen", f"{self.address(index)}:{API_PORT}",
            "--tls-cert", os.path.join(tls, "node.pem"), "--tls-key", os.path.join(tls, "node.key.pem"),
            "--peer-listen", f"{self.address(index)}:{PEER_PORT}",
            "--peer-tls-cert", os.path.join(tls, "node.pem"), "--peer-tls-key", os.path.join(tls, "node.key.pem"),
            "--peer-ca", os.path.join(tls, "consortium-ca.pem")]
        for other in range(VALIDATORS):
            if other != index:
                # The relay in this validator's namespace that forwards to the other's peer port.
                command += ["--peer", f"{self.member_ids[other]}@{self.address(index)}:{RELAY_PORT + other}"]
        run(command)
        config_path = self.operator(index, "data", "node.json")
        with open(config_path) as file:
            config = json.load(file)
        config.setdefault("block", {})["intervalMillis"] = self.settings.block_millis
        config["consensus"]["timeouts"] = {
            "proposeMillis": 1500, "prevoteMillis": 500, "precommitMillis": 500, "incrementMillis": 250}
        config["logLevel"] = "notice"
        with open(config_path, "w") as file:
            json.dump(config, file, indent=2)

    # The network.

    def make_network(self):
        for bridge in self.bridges:
            ip("link", "add", bridge, "type", "bridge")
            self.made_bridges.append(bridge)
            ip("link", "set", bridge, "up")
        names = self.validator_ns + [self.client_ns]
        addresses = [self.address(index) for index in range(VALIDATORS)] + [f"{SUBNET}.20"]
        for namespace, link, address in zip(names, self.host_links, addresses):
            ip("netns", "add", namespace)
            self.namespaces.append(namespace)
            ip("link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", namespace)
            ip("link", "set", link, "master", self.bridges[0], "up")
            ip("-n", namespace, "link", "set", "lo", "up")
            ip("-n", namespace, "address", "add", f"{address}/24", "dev", "eth0")
            ip("-n", namespace, "link", "set", "eth0", "up")
        log(f"namespaces {', '.join(names)} on bridge {self.bridges[0]} ({SUBNET}.0/24)")

    def spawn(self, namespace, command, output, service=False):
        """Starts a command in a namespace; a service (node, relay, watcher) must run until the end."""
        process = subprocess.Popen(
            ["ip", "netns", "exec", namespace, *command], stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL)
        self.processes.append(process)
        if service:
            self.services.append(process)
        return process

    def start(self):
        for index, namespace in enumerate(self.validator_ns):
            links = []
            for other in range(VALIDATORS):
                if other != index:
                    millis = LINK_MILLIS[(min(index, other), max(index, other))]
                    links += ["--link", f"{self.address(index)}:{RELAY_PORT + other}="
                                        f"{self.address(other)}:{PEER_PORT}@{millis}"]
            relay_log = open(self.operator(index, "relay.log"), "w")
            self.relays.append(self.spawn(namespace, [sys.executable, os.path.join(TOOLS, "relay.py"), "--off", *links],
                                          relay_log, service=True))
            node_log = open(self.operator(index, "node.log"), "w")
            self.spawn(namespace, [self.facet, "node", "start", "--config", self.operator(index, "data", "node.json")],
                       node_log, service=True)
            self.spawn(namespace, [sys.executable, os.path.join(TOOLS, "client.py"), "watch", "--node",
                                   self.url(index), "--cacert", self.operator(index, "tls", "consortium-ca.pem"),
                                   "--out", self.operator(index, "heights.jsonl")], subprocess.DEVNULL, service=True)
        log(f"started {VALIDATORS} validators ({os.path.basename(self.facet)} node start), their relays and watchers")

    # Reading the watchers' logs.

    def history(self, index):
        path = self.operator(index, "heights.jsonl")
        if not os.path.exists(path):
            return []
        with open(path) as file:
            return [json.loads(line) for line in file if line.endswith("\n")]

    def heights(self):
        return [(self.history(index) or [{"height": 0}])[-1]["height"] for index in range(VALIDATORS)]

    def wait_until(self, what, predicate):
        """Waits for a liveness condition, failing after the deadline (a bound against hanging, not a timing)."""
        limit = time.time() + self.settings.deadline
        while time.time() < limit:
            self.check_nodes_running()
            heights = self.heights()
            if predicate(heights):
                return heights
            time.sleep(0.1)
        raise Failure(f"{what}: not within {self.settings.deadline} s (heights {self.heights()})")

    def check_nodes_running(self):
        for process in self.services:
            if process.poll() is not None:
                raise Failure(f"{' '.join(process.args[4:7])} in {process.args[3]} exited {process.returncode}")

    # Load.

    def load(self, name, validators, seconds, background=False):
        keys = [self.path("client", f"firm-{firm}.key") for firm in range(self.settings.firms)]
        command = [sys.executable, os.path.join(TOOLS, "client.py"), "load", "--facet", self.facet,
                   "--cacert", self.path("client", "consortium-ca.pem"), "--seconds", str(seconds),
                   "--out", self.path(f"load-{name}.json")]
        for index in validators:
            command += ["--node", self.url(index)]
        for key in keys:
            command += ["--key", key]
        output = open(self.path(f"load-{name}.log"), "w")
        process = self.spawn(self.client_ns, command, output)
        if background:
            return process
        return self.finish_load(name, process)

    def finish_load(self, name, process):
        if process.wait() != 0:
            raise Failure(f"load {name} exited {process.returncode}: {open(self.path(f'load-{name}.log')).read()}")
        with open(self.path(f"load-{name}.json")) as file:
            result = json.load(file)
        summary = result["summary"]
        self.pieces += [sample["piece"] for sample in result["samples"]]
        self.results[f"load-{name}"] = summary
        log(f"load {name}: {summary['committed']} committed of {summary['submitted']} "
            f"({summary['committedPerSecond']} tx/s), finality p50 {fmt(summary['finalityMillis']['p50'])} "
            f"p99 {fmt(summary['finalityMillis']['p99'])} max {fmt(summary['finalityMillis']['max'])}, "
            f"{summary['refused']} refused")
        check(summary["submitted"] > 0, f"load {name}: transactions were submitted")
        check(not summary["uncommitted"], f"load {name}: every submitted transaction committed")
        check(summary["refused"] == 0, f"load {name}: no submission refused ({summary['refusals']})")
        return summary

    def set_latency(self, on):
        for relay in self.relays:
            relay.send_signal(signal.SIGUSR1 if on else signal.SIGUSR2)
        log(f"relays' latency {'on: 20–80 ms each way per link' if on else 'off'}")

    # The phases.

    def phase_start(self):
        heights = self.wait_until("every validator at height 3", lambda h: min(h) >= 3)
        log(f"consortium live, heights {heights}")

    def phase_peer_tls(self):
        """Mutual TLS on the peer ports: a consortium certificate gets through, a stranger's does not."""
        tool = [sys.executable, os.path.join(TOOLS, "client.py"), "peer-tls", "--address",
                f"{self.address(1)}:{PEER_PORT}", "--cacert", self.operator(0, "tls", "consortium-ca.pem")]
        member = run(["ip", "netns", "exec", self.validator_ns[0], *tool, "--cert", self.operator(0, "tls", "node.pem"),
                      "--key", self.operator(0, "tls", "node.key.pem")]).strip()
        check(member == "accepted", f"validator 1's peer port accepts validator 0's consortium certificate ({member})")
        for name, extra in (("a stranger's certificate", ["--cert", self.path("stranger", "node.pem"), "--key",
                                                           self.path("stranger", "node.key.pem")]),
                            ("no certificate", [])):
            outcome = run(["ip", "netns", "exec", self.client_ns, *tool, *extra]).strip()
            check(outcome.startswith("refused"), f"validator 1's peer port refuses {name} ({outcome})")

    def phase_load(self):
        self.set_latency(False)
        self.load("no-latency", range(VALIDATORS), self.settings.load_seconds)
        self.set_latency(True)
        self.load("latency", range(VALIDATORS), self.settings.load_seconds)

    def phase_cut(self):
        ip("link", "set", self.host_links[CUT], "down")
        at_cut = self.heights()
        log(f"validator {CUT}'s link down at heights {at_cut}; load on the other three")
        load = self.load("cut", [i for i in range(VALIDATORS) if i != CUT], self.settings.cut_seconds, True)
        others = [i for i in range(VALIDATORS) if i != CUT]
        self.wait_until("the other three commit while one is cut off",
                        lambda h: all(h[i] >= at_cut[i] + 3 for i in others))
        self.finish_load("cut", load)
        before_heal = self.heights()
        check(before_heal[CUT] <= at_cut[CUT] + 1,
              f"validator {CUT}, cut off, stayed put ({at_cut[CUT]} → {before_heal[CUT]})")
        check(all(before_heal[i] >= at_cut[i] + 3 for i in others),
              f"the other three kept committing ({[at_cut[i] for i in others]} → {[before_heal[i] for i in others]})")
        healed_at = time.time()
        ip("link", "set", self.host_links[CUT], "up")
        target = max(before_heal[i] for i in others)
        log(f"link up; validator {CUT} at {before_heal[CUT]}, {target - before_heal[CUT]} blocks behind {target}")
        self.wait_until(f"validator {CUT} catches up to {target}", lambda h: h[CUT] >= target)
        reached = next(entry["t"] for entry in self.history(CUT) if entry["height"] >= target)
        catch_up = max(0.0, reached - healed_at)
        self.results["catchUp"] = {"blocksBehind": target - before_heal[CUT], "seconds": round(catch_up, 2)}
        log(f"ok: validator {CUT} caught up {target - before_heal[CUT]} blocks in {catch_up:.2f} s after the heal")

    def phase_split(self):
        for index in (2, 3):
            ip("link", "set", self.host_links[index], "master", self.bridges[1])
        at_split = self.heights()
        log(f"network cut 2+2 (validators 2, 3 on {self.bridges[1]}) at heights {at_split}; waiting "
            f"{self.settings.split_seconds} s")
        time.sleep(self.settings.split_seconds)
        self.check_nodes_running()
        at_end = self.heights()
        # A block already decided when the cut came may still reach a validator, and one that lagged may fetch the
        # blocks its own side holds; nothing beyond the highest height at the cut plus that one block is decided.
        check(max(at_end) <= max(at_split) + 1,
              f"no progress during the 2+2 split (heights {at_split} → {at_end})")
        healed_at = time.time()
        for index in (2, 3):
            ip("link", "set", self.host_links[index], "master", self.bridges[0])
        top = max(at_end)
        log(f"healed; waiting for every validator past {top + 2}")
        self.wait_until("progress after the split heals", lambda h: min(h) >= top + 2)
        resumed = min(entry["t"] for index in range(VALIDATORS) for entry in self.history(index)
                      if entry["height"] > top)
        self.results["splitResume"] = {"seconds": round(max(0.0, resumed - healed_at), 2)}
        log(f"ok: every validator past {top + 2}; first new block {resumed - healed_at:.2f} s after the heal")

    def phase_safety(self):
        height = min(self.heights())
        chains = []
        for index in range(VALIDATORS):
            output = run(["ip", "netns", "exec", self.validator_ns[index], sys.executable,
                          os.path.join(TOOLS, "client.py"), "blocks", "--node", self.url(index), "--cacert",
                          self.operator(index, "tls", "consortium-ca.pem"), "--to", str(height)])
            chains.append(json.loads(output))
        for index in range(1, VALIDATORS):
            differ = [h + 1 for h, (a, b) in enumerate(zip(chains[0], chains[index])) if a != b]
            check(not differ and len(chains[index]) == height,
                  f"validator {index}'s blocks 1…{height} are validator 0's" +
                  (f" (differ at {differ[:5]})" if differ else ""))
        with open(self.path("pieces.txt"), "w") as file:
            file.write("\n".join(self.pieces) + "\n")
        for index in range(VALIDATORS):
            output = run(["ip", "netns", "exec", self.validator_ns[index], sys.executable,
                          os.path.join(TOOLS, "client.py"), "pieces", "--node", self.url(index), "--cacert",
                          self.operator(index, "tls", "consortium-ca.pem"), "--ids", self.path("pieces.txt")])
            found = json.loads(output)
            check(not found["missing"],
                  f"validator {index} holds all {found['checked']} pieces the load registered")
        self.results["height"] = height

    # Clean-up.

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        limit = time.time() + 15
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, limit - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for namespace in self.namespaces:
            # Anything still running in a namespace this run made was started by this run.
            pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        for bridge in self.made_bridges:
            subprocess.run(["ip", "link", "del", bridge], capture_output=True)
        log("stopped every process; namespaces and bridges removed")


def fmt(millis):
    return "-" if millis is None else f"{millis:.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facet", required=True, help="the facet executable")
    parser.add_argument("--short", action="store_true", help="the short form ops/test runs")
    parser.add_argument("--keep", help="keep the consortium's files and logs in this (new) folder")
    arguments = parser.parse_args()
    arguments.folder = os.path.abspath(arguments.keep) if arguments.keep else tempfile.mkdtemp(prefix="facet-testnet.")
    os.makedirs(arguments.folder, exist_ok=True)

    def interrupted(number, _frame):
        raise SystemExit(128 + number)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    testnet = Testnet(arguments)
    log(f"{'short' if arguments.short else 'long'} form; files and logs in {arguments.folder}")
    passed = False
    interrupted_by = None
    try:
        testnet.make_consortium()
        testnet.make_network()
        testnet.start()
        testnet.phase_start()
        testnet.phase_peer_tls()
        testnet.phase_load()
        testnet.phase_cut()
        testnet.phase_split()
        testnet.phase_safety()
        passed = True
    except (Failure, RuntimeError, OSError, ValueError, KeyError) as failure:
        log(f"FAILED: {type(failure).__name__}: {failure}")
        for index in range(VALIDATORS):
            node_log = testnet.operator(index, "node.log")
            if os.path.exists(node_log):
                tail = open(node_log, errors="replace").read().splitlines()[-8:]
                log(f"validator {index}'s last log lines:\n  " + "\n  ".join(tail))
    except SystemExit as interruption:
        interrupted_by = interruption
    finally:
        testnet.stop()
    if interrupted_by is not None:
        log(f"interrupted; files and logs kept in {arguments.folder}")
        raise interrupted_by
    testnet.results["seconds"] = round(time.time() - STARTED, 1)
    print(json.dumps(testnet.results, indent=2))
    for name in ("no-latency", "latency", "cut"):
        figures = testnet.results.get(f"load-{name}")
        if figures:
            log(f"finality ({name}): p50 {fmt(figures['finalityMillis']['p50'])}, p99 "
                f"{fmt(figures['finalityMillis']['p99'])} from the node's 202; end to end p50 "
                f"{fmt(figures['endToEndMillis']['p50'])}, p99 {fmt(figures['endToEndMillis']['p99'])}; "
                f"{figures['committed']} transactions")
    if "catchUp" in testnet.results:
        log(f"catch-up after the cut: {testnet.results['catchUp']['blocksBehind']} blocks in "
            f"{testnet.results['catchUp']['seconds']} s")
    if passed:
        log(f"passed in {time.time() - STARTED:.0f} s")
        if not arguments.keep:
            shutil.rmtree(arguments.folder, ignore_errors=True)
        return 0
    log(f"logs kept in {arguments.folder}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
