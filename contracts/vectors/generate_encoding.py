#!/usr/bin/env python3
"""Independent reference encoder for contracts/encoding.md.

Writes contracts/vectors/encoding.json and contracts/vectors/signatures.json. Written from the
specification, not from the Swift code, so the Swift tests that compare against these files check
that the specification and the implementation agree. Needs Python 3 and the `cryptography` package.
"""
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))


def u8(v): return bytes([v])
def u16(v): return struct.pack(">H", v)
def u32(v): return struct.pack(">I", v)
def u64(v): return struct.pack(">Q", v)
def i64(v): return struct.pack(">q", v)
def boolean(v): return b"\x01" if v else b"\x00"


def length(n):
    out = bytearray()
    while True:
        group = n & 0x7F
        n >>= 7
        if n:
            out.append(group | 0x80)
        else:
            out.append(group)
            return bytes(out)


def text(s):
    b = s.encode("utf-8")
    return length(len(b)) + b


label = text


def optional(v, enc):
    return b"\x00" if v is None else b"\x01" + enc(v)


def sorted_set(items):
    unique = sorted(set(items))
    return length(len(unique)) + b"".join(unique)


def money(units, currency):
    return i64(units) + currency.encode("ascii")


def timestamp(ms): return i64(ms)


def sha256(b): return hashlib.sha256(b).digest()


def pubkey(seed):
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def member_id(public_key): return sha256(b"facet/member-id" + public_key)


PURPOSES = {"transaction": 1, "proposal": 2, "prevote": 3, "precommit": 4, "keyRotation": 5,
            "validatorSetChange": 6, "offer": 7, "peerHandshake": 8, "signIn": 9, "blockHeader": 10,
            "validatorKeyRotation": 11}


def signing_message(purpose, chain_id, payload):
    return b"FACET-SIG\x00" + u8(PURPOSES[purpose]) + label(chain_id) + payload


def sign(seed, message):
    return Ed25519PrivateKey.from_private_bytes(seed).sign(message)


def identity_card(category, weight, color=None, clarity=None, cut=None, fineness=None, description=""):
    return (u8(category) + u64(weight) + optional(color, label) + optional(clarity, label)
            + optional(cut, label) + optional(fineness, u16) + text(description))


def leaf_hash(b): return sha256(b"\x00" + b)


def main():
    vectors = []

    def add(name, kind, value, encoded, note=""):
        vectors.append({"name": name, "type": kind, "value": value, "hex": encoded.hex(), "note": note})

    for v in [0, 1, 127, 128, 300, 16383, 16384, 2**32 - 1]:
        add(f"length {v}", "length", v, length(v), "unsigned LEB128, minimal")
    for v in [0, 1, 2**63, 2**64 - 1]:
        add(f"u64 {v}", "u64", str(v), u64(v))
    for v in [0, -1, 2**63 - 1, -(2**63)]:
        add(f"i64 {v}", "i64", str(v), i64(v))
    add("bool false", "bool", False, boolean(False))
    add("bool true", "bool", True, boolean(True))
    for s in ["", "Panyu Diamond Co.", "番禺钻石", "翡翠 jadeite ✓"]:
        add(f"text {s!r}", "text", s, text(s))
    for s in ["facet-devnet", "GIA-2141438167"]:
        add(f"label {s}", "label", s, label(s))
    add("money 1234.56 CNY", "money", {"minorUnits": "123456", "currency": "CNY"}, money(123456, "CNY"))
    add("money -5 USD", "money", {"minorUnits": "-5", "currency": "USD"}, money(-5, "USD"))
    add("money max", "money", {"minorUnits": str(10**15), "currency": "HKD"}, money(10**15, "HKD"))
    add("timestamp 2026-01-01", "timestamp", "1767225600000", timestamp(1767225600000))
    add("roles firm+lender", "roles", ["firm", "lender"], u16((1 << 1) | (1 << 9)))
    card = identity_card(1, 1010, "D", "VS1", "EX", None, "圆钻 round brilliant")
    add("identity card: 1.010 ct natural diamond", "identityCard",
        {"category": "naturalDiamond", "weight": 1010, "color": "D", "clarity": "VS1", "cut": "EX",
         "description": "圆钻 round brilliant"}, card)
    gold = identity_card(3, 50_000, fineness=999, description="足金 bar")
    add("identity card: 50 g fine gold", "identityCard",
        {"category": "gold", "weight": 50000, "fineness": 999, "description": "足金 bar"}, gold)

    # A complete signed transaction: a firm registers a certified diamond.
    firm_seed = bytes([0x01] * 32)
    lab_seed = bytes([0x02] * 32)
    firm_key = pubkey(firm_seed)
    lab_id = member_id(pubkey(lab_seed))
    signer = member_id(firm_key)
    chain = "facet-test"
    body = u8(10) + card + optional(lab_id + label("GIA-2141438167"), lambda x: x)
    payload = label(chain) + signer + u64(7) + body
    signature = sign(firm_seed, signing_message("transaction", chain, payload))
    tx = payload + signature
    transaction = {
        "name": "register_piece transaction",
        "firmSeed": firm_seed.hex(), "firmPublicKey": firm_key.hex(), "signer": signer.hex(),
        "labSeed": lab_seed.hex(), "lab": lab_id.hex(), "chainID": chain, "nonce": 7,
        "signingPayload": payload.hex(),
        "signedMessage": signing_message("transaction", chain, payload).hex(),
        "signature": signature.hex(), "hex": tx.hex(), "id": sha256(tx).hex(), "leafHash": leaf_hash(tx).hex(),
    }

    # A confirm_repayment (tag 50, issue 15): the lender confirms the claim that is the transaction above.
    lender_seed = bytes([0x03] * 32)
    lender = member_id(pubkey(lender_seed))
    confirm_payload = label(chain) + lender + u64(3) + u8(50) + sha256(tx)
    confirm = confirm_payload + sign(lender_seed, signing_message("transaction", chain, confirm_payload))
    add("confirm_repayment transaction", "transaction", {"claim": sha256(tx).hex()}, confirm,
        "tag 50, the claim's transaction id")

    # A rotate_validator_key (tag 51, issue 16): a validator, signing with its member key, names a new consensus key
    # and the new key's proof (purpose validatorKeyRotation over member id ‖ new key).
    validator_seed = bytes([0x04] * 32)
    validator = member_id(pubkey(validator_seed))
    consensus_seed = bytes([0x05] * 32)
    consensus_key = pubkey(consensus_seed)
    proof = sign(consensus_seed, signing_message("validatorKeyRotation", chain, validator + consensus_key))
    rotate_payload = label(chain) + validator + u64(9) + u8(51) + consensus_key + proof
    rotate = rotate_payload + sign(validator_seed, signing_message("transaction", chain, rotate_payload))
    add("rotate_validator_key transaction", "transaction",
        {"validatorSeed": validator_seed.hex(), "consensusSeed": consensus_seed.hex(),
         "newKey": consensus_key.hex(), "proof": proof.hex()}, rotate,
        "tag 51, the new consensus key and its proof (purpose validatorKeyRotation = 11)")

    invalid = [
        {"name": "length with redundant zero group", "type": "length", "hex": "8000",
         "code": "encoding.non_minimal"},
        {"name": "length 1 encoded in two bytes", "type": "length", "hex": "8100",
         "code": "encoding.non_minimal"},
        {"name": "length over 32 bits", "type": "length", "hex": "8080808010", "code": "encoding.out_of_range"},
        {"name": "truncated u64", "type": "u64", "hex": "00000000000000", "code": "encoding.truncated"},
        {"name": "u64 with trailing byte", "type": "u64", "hex": "000000000000000100",
         "code": "encoding.trailing_bytes"},
        {"name": "bool 2", "type": "bool", "hex": "02", "code": "encoding.out_of_range"},
        {"name": "text with invalid UTF-8", "type": "text", "hex": "02c328", "code": "encoding.invalid_text"},
        {"name": "text with a control character", "type": "text", "hex": "0107",
         "code": "encoding.invalid_text"},
        {"name": "text over the limit", "type": "text", "hex": length(257).hex() + "61" * 257,
         "code": "encoding.over_limit"},
        {"name": "label with a space", "type": "label", "hex": text("GIA 1").hex(), "code": "encoding.invalid_text"},
        {"name": "empty label", "type": "label", "hex": "00", "code": "encoding.invalid_text"},
        {"name": "unknown currency", "type": "money", "hex": (i64(1) + b"XXX").hex(),
         "code": "money.unknown_currency"},
        {"name": "amount over the limit", "type": "money", "hex": (i64(10**15 + 1) + b"CNY").hex(),
         "code": "money.overflow"},
        {"name": "timestamp before 1970", "type": "timestamp", "hex": i64(-1).hex(), "code": "encoding.out_of_range"},
        {"name": "unknown role bit", "type": "roles", "hex": u16(1 << 15).hex(), "code": "encoding.out_of_range"},
        {"name": "unknown piece category", "type": "identityCard", "hex": "09" + card.hex()[2:],
         "code": "encoding.unknown_tag"},
        {"name": "zero weight", "type": "identityCard", "hex": (u8(1) + u64(0)).hex() + card.hex()[18:],
         "code": "encoding.out_of_range"},
        {"name": "unknown transaction kind", "type": "transaction",
         "hex": (label(chain) + signer + u64(7) + u8(99)).hex(), "code": "encoding.unknown_tag"},
        {"name": "transaction with trailing byte", "type": "transaction", "hex": tx.hex() + "00",
         "code": "encoding.trailing_bytes"},
        {"name": "truncated transaction", "type": "transaction", "hex": tx[:-1].hex(), "code": "encoding.truncated"},
    ]
    # Sets: strictly ascending by encoding, no duplicates.
    a, b = sha256(b"a"), sha256(b"b")
    lo, hi = min(a, b), max(a, b)
    add("piece set of two", "pieceSet", [lo.hex(), hi.hex()], sorted_set([a, b]), "ascending by bytes")
    invalid.append({"name": "set out of order", "type": "pieceSet", "hex": (length(2) + hi + lo).hex(),
                    "code": "encoding.not_canonical_order"})
    invalid.append({"name": "set with a duplicate", "type": "pieceSet", "hex": (length(2) + lo + lo).hex(),
                    "code": "encoding.not_canonical_order"})

    with open(os.path.join(HERE, "encoding.json"), "w") as f:
        json.dump({"valid": vectors, "invalid": invalid, "transaction": transaction}, f, indent=2, ensure_ascii=False)
        f.write("\n")

    # RFC 8032 section 7.1 tests 1-3 (raw Ed25519), then domain-separated signatures.
    rfc = [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", ""),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72"),
        ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "af82"),
    ]
    rfc_out = []
    for seed_hex, msg_hex in rfc:
        seed = bytes.fromhex(seed_hex)
        rfc_out.append({"seed": seed_hex, "publicKey": pubkey(seed).hex(), "message": msg_hex,
                        "signature": sign(seed, bytes.fromhex(msg_hex)).hex()})
    domain = []
    seed = bytes(range(32))
    for purpose in ["transaction", "precommit", "offer"]:
        for chain in ["facet-devnet", "facet-test"]:
            payload = b"facet vector payload"
            message = signing_message(purpose, chain, payload)
            domain.append({"seed": seed.hex(), "publicKey": pubkey(seed).hex(), "purpose": purpose,
                           "chainID": chain, "payload": payload.hex(), "message": message.hex(),
                           "signature": sign(seed, message).hex()})
    with open(os.path.join(HERE, "signatures.json"), "w") as f:
        json.dump({"rfc8032": rfc_out, "domainSeparated": domain}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
