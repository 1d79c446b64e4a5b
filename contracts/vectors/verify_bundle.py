#!/usr/bin/env python3
"""Independent verifier of Facet proof bundles, written from contracts/proof-bundle.md and encoding.md.

Usage: verify_bundle.py BUNDLE.json GENESIS.json
       verify_bundle.py --tamper-test BUNDLE.json GENESIS.json

It shares no code with the Swift implementation: Python 3's hashlib for SHA-256 and the `cryptography` package for
Ed25519 (RFC 8032). It prints what the bundle proved and exits 0, or prints the failed check's code and exits 1.
Exit status 64 means the genesis file or the arguments could not be used. With --tamper-test it verifies the
bundle, then many tampered copies of it (a flipped byte in each part, a wrong index, a dropped signature or
validator change...), and checks that each fails with the code proof-bundle.md assigns; it exits 1 if any does not.
"""

import hashlib
import json
import sys
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# Limits (encoding.md, proof-bundle.md).
MAX_TRANSACTION_BYTES = 16 * 1024
MAX_LABEL_BYTES = 64
MAX_VALIDATORS = 64
MAX_PROOF_LENGTH = 64
MAX_TRANSITIONS = 4096
MAX_TIMESTAMP_MILLIS = 253402300799999

PURPOSE_TRANSACTION = 1
PURPOSE_PRECOMMIT = 4

KINDS = {
    1: "register_member", 2: "approve_member", 3: "rotate_key", 4: "suspend_member", 5: "reinstate_member",
    6: "change_validators", 7: "report_evidence", 10: "register_piece", 11: "certify_piece", 12: "inspect_piece", 13: "custody_in",
    14: "custody_out", 15: "stock_audit", 20: "issue_invoice", 21: "confirm_invoice", 22: "pay_invoice",
    23: "raise_dispute", 24: "resolve_dispute", 25: "settle_platform_sales", 30: "publish_price",
    40: "grant_consent", 41: "revoke_consent", 42: "make_offer", 43: "accept_offer", 44: "pledge", 45: "repay",
    46: "declare_default", 47: "release", 48: "guarantee", 49: "register_model", 50: "confirm_repayment",
    51: "rotate_validator_key",
}


class ProofFailure(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def malformed(message):
    return ProofFailure("proof.malformed", message)


def sha256(*parts):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.digest()


# ---------------------------------------------------------------------------------------------------------------
# Canonical encoding (encoding.md): only the types a bundle needs.


class Reader:
    def __init__(self, data, what):
        self.data = data
        self.pos = 0
        self.what = what

    def fail(self, reason):
        raise malformed(f"{self.what} does not decode: {reason}")

    def raw(self, count):
        if self.pos + count > len(self.data):
            self.fail("encoding.truncated")
        out = self.data[self.pos:self.pos + count]
        self.pos += count
        return out

    def u8(self):
        return self.raw(1)[0]

    def uint(self, width):
        return int.from_bytes(self.raw(width), "big")

    def i64(self):
        return int.from_bytes(self.raw(8), "big", signed=True)

    def length(self, maximum):
        value, shift, count = 0, 0, 0
        while True:
            byte = self.u8()
            count += 1
            if count > 5:
                self.fail("encoding.out_of_range (a length over 32 bits)")
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0:
                if count > 1 and byte == 0:
                    self.fail("encoding.non_minimal")
                break
        if value > 0xFFFFFFFF:
            self.fail("encoding.out_of_range (a length over 32 bits)")
        if value > maximum:
            self.fail(f"encoding.over_limit ({value} > {maximum})")
        return value

    def label(self):
        data = self.raw(self.length(MAX_LABEL_BYTES))
        if not data or any(b < 0x21 or b > 0x7E for b in data):
            self.fail("encoding.invalid_text (a label is 1 to 64 printable ASCII bytes)")
        return data.decode("ascii")

    def timestamp(self):
        millis = self.i64()
        if millis < 0 or millis > MAX_TIMESTAMP_MILLIS:
            self.fail("encoding.out_of_range (timestamp)")
        return millis

    def sorted_set(self, maximum, element_size):
        """A set of fixed-size elements: strictly ascending by their bytes."""
        count = self.length(maximum)
        elements = [self.raw(element_size) for _ in range(count)]
        for previous, current in zip(elements, elements[1:]):
            if not previous < current:
                self.fail("encoding.not_canonical_order")
        return elements

    def finish(self):
        if self.pos != len(self.data):
            self.fail("encoding.trailing_bytes")


def encode_length(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_label(text):
    data = text.encode("ascii")
    return encode_length(len(data)) + data


def decode_header(data, what):
    r = Reader(data, what)
    header = {
        "chainID": r.label(), "height": r.uint(8), "time": r.timestamp(), "previousBlockID": r.raw(32),
        "transactionRoot": r.raw(32), "transactionCount": r.uint(4), "resultsRoot": r.raw(32),
        "logSize": r.uint(8), "logRoot": r.raw(32), "stateRoot": r.raw(32), "validatorsHash": r.raw(32),
        "nextValidatorsHash": r.raw(32), "proposer": r.raw(32),
    }
    r.finish()
    header["id"] = sha256(data)
    return header


def decode_certificate(data, what):
    r = Reader(data, what)
    certificate = {"height": r.uint(8), "round": r.uint(4), "blockID": r.raw(32)}
    certificate["signatures"] = [(e[:32], e[32:]) for e in r.sorted_set(MAX_VALIDATORS, 96)]
    r.finish()
    return certificate


def decode_validator_set(data, what):
    r = Reader(data, what)
    entries = r.sorted_set(MAX_VALIDATORS, 64)
    r.finish()
    if not entries:
        r.fail("encoding.out_of_range (a validator set is never empty)")
    members = [e[:32] for e in entries]
    if len(set(members)) != len(members):
        r.fail("encoding.not_canonical_order (a member appears twice)")
    return {"validators": {e[:32]: e[32:] for e in entries}, "hash": sha256(data)}


def decode_transaction(data):
    """The envelope: chain id, signer, nonce, the body's kind tag, and the trailing signature. The body's fields
    are not needed for the proof (the log commits to the exact bytes); encoding.md describes them."""
    if len(data) > MAX_TRANSACTION_BYTES:
        raise malformed("the transaction does not decode: encoding.over_limit")
    r = Reader(data, "the transaction")
    chain_id = r.label()
    signer = r.raw(32)
    nonce = r.uint(8)
    tag = r.u8()
    if tag not in KINDS:
        r.fail(f"encoding.unknown_tag (transaction kind {tag})")
    if len(data) - r.pos < 64:
        r.fail("encoding.truncated (no room for the signature)")
    return {
        "chainID": chain_id, "signer": signer, "nonce": nonce, "kind": KINDS[tag],
        "payload": data[:-64], "signature": data[-64:], "id": sha256(data),
    }


def verify_signature(public_key, signature, purpose, chain_id, payload):
    message = b"FACET-SIG\x00" + bytes([purpose]) + encode_label(chain_id) + payload
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


# ---------------------------------------------------------------------------------------------------------------
# The genesis (genesis.md): its chain id and the validator set its validator members form.


def read_genesis(path):
    with open(path, "rb") as handle:
        genesis = json.load(handle)
    chain_id = genesis["chainID"]
    validators = []
    for member in genesis["members"]:
        if "validator" in member["roles"]:
            key = strict_hex(member["publicKey"], "publicKey", 32)
            member_id = sha256(b"facet/member-id", key)
            validators.append(member_id + key)
    validators.sort()
    if not 1 <= len(validators) <= MAX_VALIDATORS:
        raise ValueError("a genesis has 1 to 64 validators")
    encoded = encode_length(len(validators)) + b"".join(validators)
    return chain_id, decode_validator_set(encoded, "the genesis validator set")


# ---------------------------------------------------------------------------------------------------------------
# The bundle file (proof-bundle.md).

BUNDLE_FIELDS = {"version", "transaction", "signerPublicKey", "logIndex", "inclusionProof", "header", "certificate",
                 "validatorChain"}
TRANSITION_FIELDS = {"header", "certificate", "validators"}
HEX_DIGITS = set("0123456789abcdefABCDEF")


def strict_hex(text, field, size=None):
    if not isinstance(text, str) or len(text) % 2 or not set(text) <= HEX_DIGITS:
        raise malformed(f"{field} is not hex")
    data = bytes.fromhex(text)
    if size is not None and len(data) != size:
        raise malformed(f"{field} is {len(data)} bytes, not {size}")
    return data


def parse_bundle(text):
    try:
        bundle = json.loads(text)
    except ValueError:
        raise malformed("the bundle is not JSON")
    if not isinstance(bundle, dict):
        raise malformed("the bundle is not a JSON object")
    if type(bundle.get("version")) is not int or bundle["version"] != 1:
        raise malformed(f"version {bundle.get('version')!r} is not supported (this verifier reads 1)")
    if set(bundle) != BUNDLE_FIELDS:
        raise malformed(f"the bundle's fields are {sorted(bundle)}, expected {sorted(BUNDLE_FIELDS)}")
    index = bundle["logIndex"]
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < 2 ** 64:
        raise malformed("logIndex is not an unsigned 64-bit integer")
    proof, chain = bundle["inclusionProof"], bundle["validatorChain"]
    if not isinstance(proof, list) or len(proof) > MAX_PROOF_LENGTH:
        raise malformed("inclusionProof is not a list of at most 64 hashes")
    if not isinstance(chain, list) or len(chain) > MAX_TRANSITIONS:
        raise malformed("validatorChain is not a list of at most 4096 changes")
    links = []
    for i, link in enumerate(chain):
        if not isinstance(link, dict) or set(link) != TRANSITION_FIELDS:
            raise malformed(f"validatorChain[{i}] does not have exactly the fields {sorted(TRANSITION_FIELDS)}")
        links.append({
            "header": decode_header(strict_hex(link["header"], "header"), f"validatorChain[{i}].header"),
            "certificate": decode_certificate(
                strict_hex(link["certificate"], "certificate"), f"validatorChain[{i}].certificate"),
            "validators": decode_validator_set(
                strict_hex(link["validators"], "validators"), f"validatorChain[{i}].validators"),
        })
    return {
        "transaction": strict_hex(bundle["transaction"], "transaction"),
        "signerPublicKey": strict_hex(bundle["signerPublicKey"], "signerPublicKey", 32),
        "logIndex": index,
        "inclusionProof": [strict_hex(p, f"inclusionProof[{i}]", 32) for i, p in enumerate(proof)],
        "header": decode_header(strict_hex(bundle["header"], "header"), "header"),
        "certificate": decode_certificate(strict_hex(bundle["certificate"], "certificate"), "certificate"),
        "validatorChain": links,
    }


# ---------------------------------------------------------------------------------------------------------------
# Verification, step by step (proof-bundle.md, "Verification").


def check_certificate(certificate, header, validator_set, chain_id):
    """None when valid, else what is wrong."""
    if certificate["height"] != header["height"] or certificate["blockID"] != header["id"]:
        return (f"the certificate is for height {certificate['height']}, block {certificate['blockID'].hex()}, "
                f"but the header is height {header['height']}, block {header['id'].hex()}")
    if header["validatorsHash"] != validator_set["hash"]:
        return f"the header names validator set {header['validatorsHash'].hex()}, not {validator_set['hash'].hex()}"
    payload = (certificate["height"].to_bytes(8, "big") + certificate["round"].to_bytes(4, "big")
               + certificate["blockID"])
    signers = set()
    for member, signature in certificate["signatures"]:
        key = validator_set["validators"].get(member)
        if key is None:
            return f"the certificate holds a precommit from {member.hex()}, which is not in the signing validator set"
        if not verify_signature(key, signature, PURPOSE_PRECOMMIT, chain_id, payload):
            return f"the precommit signature of validator {member.hex()} does not verify for this block"
        signers.add(member)
    count = len(validator_set["validators"])
    quorum = count * 2 // 3 + 1
    if len(signers) < quorum:
        return (f"{len(signers)} distinct validator(s) signed the certificate; a quorum of the {count} validators "
                f"is {quorum}")
    return None


def inclusion_root_matches(leaf, index, size, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size or len(proof) > MAX_PROOF_LENGTH:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = sha256(b"\x01", p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = sha256(b"\x01", r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify(bundle_text, chain_id, genesis_set):
    """Returns (transaction, header, log index, report lines) or raises ProofFailure."""
    # Step 1: parse (the transaction's envelope too).
    bundle = parse_bundle(bundle_text)
    tx = decode_transaction(bundle["transaction"])
    header = bundle["header"]
    report = []

    # Step 2: one chain.
    if header["chainID"] != chain_id:
        raise ProofFailure("proof.wrong_chain",
                           f"the header is for chain {header['chainID']}, the genesis is {chain_id}")
    for i, link in enumerate(bundle["validatorChain"]):
        if link["header"]["chainID"] != chain_id:
            raise ProofFailure("proof.wrong_chain",
                               f"validator change {i + 1} is for chain {link['header']['chainID']}, "
                               f"the genesis is {chain_id}")
    if tx["chainID"] != chain_id:
        raise ProofFailure("proof.wrong_chain",
                           f"the transaction is for chain {tx['chainID']}, the genesis is {chain_id}")

    # Step 3: follow the validator-set chain from the genesis set.
    current, last_height = genesis_set, 0
    report.append(f"genesis validator set {current['hash'].hex()} ({len(current['validators'])} validators)")
    for i, link in enumerate(bundle["validatorChain"]):
        h = link["header"]
        at = f"validator change {i + 1} (announced at height {h['height']})"
        if not last_height < h["height"] < header["height"]:
            raise ProofFailure("proof.validator_chain",
                               f"{at}: changes must be in ascending height order, after height {last_height} "
                               f"and before the header's height {header['height']}")
        if h["validatorsHash"] != current["hash"]:
            raise ProofFailure("proof.validator_chain",
                               f"{at}: the header names validator set {h['validatorsHash'].hex()}, but the set "
                               f"traced from genesis is {current['hash'].hex()}")
        if h["nextValidatorsHash"] == h["validatorsHash"]:
            raise ProofFailure("proof.validator_chain", f"{at}: the header announces no change of validator set")
        problem = check_certificate(link["certificate"], h, current, chain_id)
        if problem:
            raise ProofFailure("proof.validator_chain", f"{at}: {problem}")
        if link["validators"]["hash"] != h["nextValidatorsHash"]:
            raise ProofFailure("proof.validator_chain",
                               f"{at}: the new set hashes to {link['validators']['hash'].hex()}, but the header "
                               f"announced {h['nextValidatorsHash'].hex()}")
        current, last_height = link["validators"], h["height"]
        report.append(f"height {h['height']} (certified by {len(link['certificate']['signatures'])} of the set) "
                      f"announced validator set {current['hash'].hex()} ({len(current['validators'])} validators)")
    if header["validatorsHash"] != current["hash"]:
        raise ProofFailure("proof.validator_chain",
                           f"the header at height {header['height']} names validator set "
                           f"{header['validatorsHash'].hex()}, but the set traced from genesis through "
                           f"{len(bundle['validatorChain'])} change(s) is {current['hash'].hex()}")

    # Step 4: the header's certificate.
    problem = check_certificate(bundle["certificate"], header, current, chain_id)
    if problem:
        raise ProofFailure("proof.certificate", problem)
    count = len(current["validators"])
    report.append(f"block {header['id'].hex()} at height {header['height']} certified by "
                  f"{len(bundle['certificate']['signatures'])} of {count} validators (quorum {count * 2 // 3 + 1})")

    # Step 5: the transaction's signature under the bundle's signer key.
    if not verify_signature(bundle["signerPublicKey"], tx["signature"], PURPOSE_TRANSACTION, tx["chainID"],
                            tx["payload"]):
        raise ProofFailure("proof.signature",
                           f"the transaction's signature does not verify under the signer key "
                           f"{bundle['signerPublicKey'].hex()}")
    report.append(f"signature verifies under {bundle['signerPublicKey'].hex()} (signer {tx['signer'].hex()})")

    # Step 6: inclusion in the log the header commits to.
    index, size = bundle["logIndex"], header["logSize"]
    if index >= size:
        raise ProofFailure("proof.inclusion", f"log index {index} is outside the header's log of {size} transactions")
    leaf = sha256(b"\x00", bundle["transaction"])
    if not inclusion_root_matches(leaf, index, size, bundle["inclusionProof"], header["logRoot"]):
        raise ProofFailure("proof.inclusion",
                           f"the inclusion proof does not lead from the transaction at log index {index} to the "
                           f"header's log root {header['logRoot'].hex()} (size {size})")
    report.append(f"leaf {index} of {size} under log root {header['logRoot'].hex()} "
                  f"({len(bundle['inclusionProof'])} proof hashes)")
    return tx, header, index, report


def flip(hex_text, index, mask=0x01):
    data = bytearray.fromhex(hex_text)
    data[index] ^= mask
    return data.hex()


def drop_last_signature(certificate_hex):
    data = bytearray.fromhex(certificate_hex)
    data[44] -= 1  # the signature count (u64 height, u32 round, 32-byte block id, then the count)
    return data[:-96].hex()


# (name, expected code, edit of the parsed JSON). Header offsets: chain id label 0-10, height 11-18, time 19-26,
# ..., log root 135-166, state root 167-198, validators hash 199-230 (for the 10-character chain id "facet-test").
TAMPERINGS = [
    ("a byte of the transaction's signature", "proof.signature",
     lambda b: b.update(transaction=flip(b["transaction"], len(b["transaction"]) // 2 - 1))),
    ("a byte of the transaction's nonce", "proof.signature",
     lambda b: b.update(transaction=flip(b["transaction"], 50))),
    ("the transaction's first byte", "proof.malformed",
     lambda b: b.update(transaction=flip(b["transaction"], 0, 0x40))),
    ("another signer key", "proof.signature", lambda b: b.update(signerPublicKey="11" * 32)),
    ("the log index + 1", "proof.inclusion", lambda b: b.update(logIndex=b["logIndex"] + 1)),
    ("the log index - 1", "proof.inclusion", lambda b: b.update(logIndex=b["logIndex"] - 1)),
    ("a proof entry", "proof.inclusion",
     lambda b: b["inclusionProof"].__setitem__(0, flip(b["inclusionProof"][0], 5))),
    ("a proof entry dropped", "proof.inclusion", lambda b: b["inclusionProof"].pop()),
    ("the header's log root", "proof.certificate", lambda b: b.update(header=flip(b["header"], 140))),
    ("the header's state root", "proof.certificate", lambda b: b.update(header=flip(b["header"], 170))),
    ("the header's validators hash", "proof.validator_chain", lambda b: b.update(header=flip(b["header"], 200))),
    ("the header's chain id", "proof.wrong_chain", lambda b: b.update(header=flip(b["header"], 3))),
    ("a certificate signature", "proof.certificate", lambda b: b.update(certificate=flip(b["certificate"], 100))),
    ("the certificate's round", "proof.certificate", lambda b: b.update(certificate=flip(b["certificate"], 11))),
    ("a certificate signature dropped", "proof.certificate",
     lambda b: b.update(certificate=drop_last_signature(b["certificate"]))),
    ("the validator changes dropped", "proof.validator_chain", lambda b: b.update(validatorChain=[])),
    ("a byte of a new validator set", "proof.validator_chain",
     lambda b: [link.update(validators=flip(link["validators"], 40)) for link in b["validatorChain"][:1]]),
    ("a byte of an announcing header", "proof.validator_chain",
     lambda b: [link.update(header=flip(link["header"], 170)) for link in b["validatorChain"][:1]]),
    ("a signature of a change's certificate", "proof.validator_chain",
     lambda b: [link.update(certificate=flip(link["certificate"], 100)) for link in b["validatorChain"][:1]]),
    ("version 2", "proof.malformed", lambda b: b.update(version=2)),
    ("an unknown field", "proof.malformed", lambda b: b.update(note="x")),
]


def tamper_test(text, chain_id, genesis_set):
    verify(text, chain_id, genesis_set)
    original = json.loads(text)
    failures = checked = 0
    for name, expected, edit in TAMPERINGS:
        bundle = json.loads(text)
        edit(bundle)
        if bundle == original:
            print(f"skip {name} (this bundle has nothing to tamper with there)")
            continue
        try:
            verify(json.dumps(bundle).encode(), chain_id, genesis_set)
            got = "verified"
        except ProofFailure as failure:
            got = failure.code
        checked += 1
        failures += got != expected
        print(f"{'ok  ' if got == expected else 'BAD '} {name:40} -> {got}")
    print(f"{checked - failures} of {checked} tampered copies failed with the expected code")
    return 1 if failures else 0


def main(argv):
    tamper = len(argv) == 4 and argv[1] == "--tamper-test"
    if tamper:
        argv = argv[:1] + argv[2:]
    if len(argv) != 3:
        print("\n".join(__doc__.strip().splitlines()[2:4]), file=sys.stderr)
        return 64
    try:
        chain_id, genesis_set = read_genesis(argv[2])
    except (OSError, ValueError, KeyError, TypeError, ProofFailure) as error:
        print(f"cannot use the genesis {argv[2]}: {error}", file=sys.stderr)
        return 64
    try:
        with open(argv[1], "rb") as handle:
            text = handle.read()
    except OSError as error:
        print(f"cannot read {argv[1]}: {error}", file=sys.stderr)
        return 64
    try:
        if tamper:
            return tamper_test(text, chain_id, genesis_set)
        tx, header, index, report = verify(text, chain_id, genesis_set)
    except ProofFailure as failure:
        print(f"FAILED {failure.code}: {failure.message}")
        return 1
    time = datetime.fromtimestamp(header["time"] / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    print(f"transaction {tx['id'].hex()} ({tx['kind']}) by member {tx['signer'].hex()} committed at height "
          f"{header['height']}, log index {index}")
    print(f"  chain {chain_id}, block time {time[:-4]}Z, nonce {tx['nonce']}")
    for line in report:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
