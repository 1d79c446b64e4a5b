#!/usr/bin/env python3
"""Writes merkle.json: RFC 9162 section 2.1 Merkle tree known answers for the Swift tests.

Deliberately the plainest transcription of the RFC's recursive definitions (MTH, PATH, PROOF/SUBPROOF), sharing
no code or structure with the Swift implementation, so the two can check each other.
Run from anywhere: python3 contracts/vectors/generate_merkle.py
"""

import hashlib
import json
import pathlib


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf_hash(data: bytes) -> bytes:
    return sha256(b"\x00" + data)


def largest_power_of_two_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: list) -> bytes:
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaf_hash(leaves[0])
    k = largest_power_of_two_below(n)
    return sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list) -> list:
    n = len(leaves)
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list, b: bool) -> list:
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def proof(m: int, leaves: list) -> list:
    return subproof(m, leaves, True)


def hexes(hashes: list) -> list:
    return [h.hex() for h in hashes]


def case(name: str, leaves: list, inclusions: list, consistencies: list) -> dict:
    return {
        "name": name,
        "leaves": [leaf.hex() for leaf in leaves],
        "leafHashes": [leaf_hash(leaf).hex() for leaf in leaves],
        "roots": [mth(leaves[:size]).hex() for size in range(len(leaves) + 1)],
        "inclusion": [
            {"index": index, "size": size, "proof": hexes(path(index, leaves[:size]))}
            for index, size in inclusions
        ],
        "consistency": [
            {"oldSize": old, "newSize": new, "proof": hexes(proof(old, leaves[:new]))}
            for old, new in consistencies
        ],
    }


def main() -> None:
    # The eight leaves of the certificate-transparency test data; the root of all eight is published.
    classic = [
        bytes.fromhex(h)
        for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    ]
    assert mth(classic).hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    n = len(classic)
    classic_case = case(
        "ct-classic-8",
        classic,
        [(index, size) for size in range(1, n + 1) for index in range(size)],
        [(old, new) for new in range(1, n + 1) for old in range(1, new + 1)],
    )

    # A larger, unbalanced tree: leaf i is the ASCII decimal of i.
    decimal = [str(i).encode("ascii") for i in range(100)]
    decimal_case = case(
        "decimal-100",
        decimal,
        [(0, 100), (1, 100), (31, 100), (32, 100), (63, 100), (64, 100), (96, 100), (99, 100), (5, 37), (36, 37),
         (64, 65), (0, 1)],
        [(1, 100), (2, 100), (3, 100), (31, 100), (32, 100), (33, 100), (63, 100), (64, 100), (65, 100), (99, 100),
         (100, 100), (7, 37), (37, 64), (64, 65), (1, 2)],
    )

    out = pathlib.Path(__file__).resolve().parent / "merkle.json"
    document = {
        "source": "contracts/vectors/generate_merkle.py (RFC 9162 section 2.1, independent recursive reference)",
        "cases": [classic_case, decimal_case],
    }
    out.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {out}: root of 8 classic leaves {classic_case['roots'][8]}")


if __name__ == "__main__":
    main()
