#!/usr/bin/env python3
"""Writes state-root.json: known answers for the state root defined in contracts/state-root.md.

An independent implementation, straight from the definition (plain Python 3 and hashlib only), so the Swift
tree is checked against something that shares none of its code. Run from anywhere:
    python3 contracts/vectors/generate_state_root.py
"""
import hashlib
import json
import os

ZERO = bytes(32)


def sha256(data):
    return hashlib.sha256(data).digest()


def bit(key, index):
    """Bit `index` of a 32-byte key, bit 0 being the most significant bit of byte 0."""
    return (key[index // 8] >> (7 - index % 8)) & 1


def subtree_hash(entries, depth):
    """Hash of the subtree at `depth` holding `entries`, a list of (key, value) pairs sharing `depth` bits."""
    if not entries:
        return ZERO
    if len(entries) == 1:
        key, value = entries[0]
        return sha256(b"\x00" + key + value)
    left = [e for e in entries if bit(e[0], depth) == 0]
    right = [e for e in entries if bit(e[0], depth) == 1]
    return sha256(b"\x01" + subtree_hash(left, depth + 1) + subtree_hash(right, depth + 1))


def proof(entries, key):
    """Siblings (root first) along key's path, and the leaf where the path ends (None for an empty subtree)."""
    siblings = []
    depth = 0
    while len(entries) >= 2:
        left = [e for e in entries if bit(e[0], depth) == 0]
        right = [e for e in entries if bit(e[0], depth) == 1]
        inside, beside = (right, left) if bit(key, depth) else (left, right)
        siblings.append(subtree_hash(beside, depth + 1))
        entries = inside
        depth += 1
    return siblings, (entries[0] if entries else None)


def named(count):
    return [(sha256(b"key-%d" % i), sha256(b"value-%d" % i)) for i in range(count)]


def raw_key(hex_text):
    return bytes.fromhex(hex_text)


def case(name, entries):
    by_key = dict(entries)
    assert len(by_key) == len(entries), "duplicate key in " + name
    root = subtree_hash(entries, 0)
    probes = [entries[0][0]] if entries else []
    probes.append(sha256(b"absent"))
    proofs = []
    for key in probes:
        siblings, leaf = proof(entries, key)
        value = by_key.get(key)
        proofs.append({
            "key": key.hex(),
            "value": value.hex() if value is not None else None,
            "siblings": [s.hex() for s in siblings],
            "leaf": {"key": leaf[0].hex(), "value": leaf[1].hex()} if leaf is not None else None,
        })
    return {
        "name": name,
        "entries": [{"key": k.hex(), "value": v.hex()} for k, v in entries],
        "root": root.hex(),
        "proofs": proofs,
    }


def main():
    zeros, last_one, first_one = "00" * 32, "00" * 31 + "01", "80" + "00" * 31
    cases = [case("key-i/value-i, %d entries" % n, named(n)) for n in (0, 1, 2, 3, 5, 20)]
    cases.append(case("keys differing only in the last bit", [
        (raw_key(zeros), sha256(b"value-0")),
        (raw_key(last_one), sha256(b"value-1")),
    ]))
    cases.append(case("last-bit pair plus a key differing in the first bit", [
        (raw_key(last_one), sha256(b"value-1")),
        (raw_key(first_one), sha256(b"value-2")),
        (raw_key(zeros), sha256(b"value-0")),
    ]))
    document = {
        "description": "Known answers for the Facet state root (contracts/state-root.md); written by "
                       "generate_state_root.py. Proof siblings are root first; leaf is null for an empty subtree.",
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "state-root.json")
    with open(path, "w") as out:
        json.dump(document, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
