// Facet proof-bundle verifier for the browser: contracts/proof-bundle.md, "Verification", ported from the
// independent reference contracts/vectors/verify_bundle.py (same checks, same order, same codes and reasons).
// Plain JavaScript, no libraries: SHA-256 and Ed25519 (RFC 8032) come from the browser's Web Crypto. It trusts
// nothing the node says: only the genesis it is given, whose hash it shows so an auditor can compare.
(function () {
'use strict';

// The tables come from the node's Swift ones: serving this file, the node puts `const FACET_TABLES = {...};` before
// it (ProofPage.tables: FacetCore's Limits and SignaturePurpose, FacetLedger's TransactionKindName and Roles), so
// they cannot drift from the ledger's. An auditor who copies the served file gets them with it.
const TABLES = FACET_TABLES;

// Limits (encoding.md, proof-bundle.md).
const MAX_TRANSACTION_BYTES = TABLES.limits.maxTransactionBytes;
const MAX_LABEL_BYTES = TABLES.limits.maxLabelBytes;
const MAX_VALIDATORS = TABLES.limits.maxValidators;
const MAX_PROOF_LENGTH = TABLES.limits.maxProofLength;
const MAX_TRANSITIONS = TABLES.limits.maxProofTransitions;
const MAX_TIMESTAMP_MILLIS = BigInt(TABLES.limits.maxTimestampMillis);
const MILLIS_PER_DAY = 86400000n;

const PURPOSE_TRANSACTION = TABLES.purposes.transaction;
const PURPOSE_PRECOMMIT = TABLES.purposes.precommit;

// Transaction kinds by their tag.
const KINDS = TABLES.kinds;

// Roles as encoding.md numbers their bits (the genesis hash needs them): the name of bit i at index i.
const ROLES = TABLES.roles;

// The steps of proof-bundle.md, in the order they run, with the code a failure of each reports.
const STEPS = [
    { id: 'parse', code: 'proof.malformed', title: 'Step 1: parse the bundle' },
    { id: 'chain', code: 'proof.wrong_chain', title: 'Step 2: one chain' },
    { id: 'validators', code: 'proof.validator_chain', title: 'Step 3: validator-set chain back to genesis' },
    { id: 'certificate', code: 'proof.certificate', title: 'Step 4: header and its quorum certificate' },
    { id: 'signature', code: 'proof.signature', title: 'Step 5: transaction signature' },
    { id: 'inclusion', code: 'proof.inclusion', title: 'Step 6: inclusion in the log' },
];

class ProofFailure extends Error {
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}

const malformed = (message) => new ProofFailure('proof.malformed', message);

// ---------------------------------------------------------------------------------------------------------
// Bytes.

function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
        out.set(part, at);
        at += part.length;
    }
    return out;
}

function compare(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length - b.length;
}

const equal = (a, b) => compare(a, b) === 0;
const ascii = (text) => new TextEncoder().encode(text);

function u64Bytes(value) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, value));
    return out;
}

function u32Bytes(value) {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value);
    return out;
}

async function sha256(...parts) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(...parts)));
}

// ---------------------------------------------------------------------------------------------------------
// Canonical encoding (encoding.md): only the types a bundle needs.

class Reader {
    constructor(data, what) {
        this.data = data;
        this.pos = 0;
        this.what = what;
    }

    fail(reason) {
        throw malformed(`${this.what} does not decode: ${reason}`);
    }

    raw(count) {
        if (this.pos + count > this.data.length) this.fail('encoding.truncated');
        const out = this.data.slice(this.pos, this.pos + count);
        this.pos += count;
        return out;
    }

    u8() {
        return this.raw(1)[0];
    }

    u32() {
        return new DataView(this.raw(4).buffer).getUint32(0);
    }

    u64() {
        return new DataView(this.raw(8).buffer).getBigUint64(0);
    }

    i64() {
        return new DataView(this.raw(8).buffer).getBigInt64(0);
    }

    // A minimal unsigned LEB128 of at most 32 bits, within `maximum`.
    length(maximum) {
        let value = 0;
        let shift = 0;
        let count = 0;
        for (;;) {
            const byte = this.u8();
            count += 1;
            if (count > 5) this.fail('encoding.out_of_range (a length over 32 bits)');
            value += (byte & 0x7f) * 2 ** shift;
            shift += 7;
            if ((byte & 0x80) === 0) {
                if (count > 1 && byte === 0) this.fail('encoding.non_minimal');
                break;
            }
        }
        if (value > 0xffffffff) this.fail('encoding.out_of_range (a length over 32 bits)');
        if (value > maximum) this.fail(`encoding.over_limit (${value} > ${maximum})`);
        return value;
    }

    label() {
        const data = this.raw(this.length(MAX_LABEL_BYTES));
        if (data.length === 0 || data.some((b) => b < 0x21 || b > 0x7e)) {
            this.fail('encoding.invalid_text (a label is 1 to 64 printable ASCII bytes)');
        }
        return String.fromCharCode(...data);
    }

    timestamp() {
        const millis = this.i64();
        if (millis < 0n || millis > MAX_TIMESTAMP_MILLIS) this.fail('encoding.out_of_range (timestamp)');
        return millis;
    }

    // A set of fixed-size elements: strictly ascending by their bytes.
    sortedSet(maximum, elementSize) {
        const count = this.length(maximum);
        const elements = [];
        for (let i = 0; i < count; i++) elements.push(this.raw(elementSize));
        for (let i = 1; i < elements.length; i++) {
            if (!(compare(elements[i - 1], elements[i]) < 0)) this.fail('encoding.not_canonical_order');
        }
        return elements;
    }

    finish() {
        if (this.pos !== this.data.length) this.fail('encoding.trailing_bytes');
    }
}

function encodeLength(value) {
    const out = [];
    for (;;) {
        const byte = value % 128;
        value = Math.floor(value / 128);
        if (value) {
            out.push(byte | 0x80);
        } else {
            out.push(byte);
            return new Uint8Array(out);
        }
    }
}

function encodeLabel(text) {
    const data = ascii(text);
    return concat(encodeLength(data.length), data);
}

// BlockHeader (encoding.md, "Blocks and commit certificates"); its id is the SHA-256 of its bytes.
async function decodeHeader(data, what) {
    const r = new Reader(data, what);
    const header = {
        chainID: r.label(), height: r.u64(), time: r.timestamp(), previousBlockID: r.raw(32),
        transactionRoot: r.raw(32), transactionCount: r.u32(), resultsRoot: r.raw(32), logSize: r.u64(),
        logRoot: r.raw(32), stateRoot: r.raw(32), validatorsHash: r.raw(32), nextValidatorsHash: r.raw(32),
        proposer: r.raw(32),
    };
    r.finish();
    header.id = await sha256(data);
    return header;
}

function decodeCertificate(data, what) {
    const r = new Reader(data, what);
    const certificate = { height: r.u64(), round: r.u32(), blockID: r.raw(32) };
    certificate.signatures = r.sortedSet(MAX_VALIDATORS, 96).map((e) => [e.slice(0, 32), e.slice(32)]);
    r.finish();
    return certificate;
}

async function decodeValidatorSet(data, what) {
    const r = new Reader(data, what);
    const entries = r.sortedSet(MAX_VALIDATORS, 64);
    r.finish();
    if (entries.length === 0) r.fail('encoding.out_of_range (a validator set is never empty)');
    const validators = new Map();
    for (const entry of entries) {
        const member = hex(entry.slice(0, 32));
        if (validators.has(member)) r.fail('encoding.not_canonical_order (a member appears twice)');
        validators.set(member, entry.slice(32));
    }
    return { validators, hash: await sha256(data) };
}

// The envelope: chain id, signer, nonce, the body's kind tag, and the trailing signature. The body's fields are
// not needed for the proof (the log commits to the exact bytes); encoding.md describes them.
async function decodeTransaction(data) {
    if (data.length > MAX_TRANSACTION_BYTES) {
        throw malformed('the transaction does not decode: encoding.over_limit');
    }
    const r = new Reader(data, 'the transaction');
    const chainID = r.label();
    const signer = r.raw(32);
    const nonce = r.u64();
    const tag = r.u8();
    if (!(tag in KINDS)) r.fail(`encoding.unknown_tag (transaction kind ${tag})`);
    if (data.length - r.pos < 64) r.fail('encoding.truncated (no room for the signature)');
    return {
        chainID, signer, nonce, kind: KINDS[tag], payload: data.slice(0, data.length - 64),
        signature: data.slice(data.length - 64), id: await sha256(data),
    };
}

// Ed25519 over the domain-separated message (encoding.md, "Signatures").
async function verifySignature(publicKey, signature, purpose, chainID, payload) {
    const message = concat(ascii('FACET-SIG'), [0, purpose], encodeLabel(chainID), payload);
    try {
        const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
        return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
    } catch (error) {
        return false;
    }
}

// ---------------------------------------------------------------------------------------------------------
// The genesis (genesis.md): its chain id, the validator set its validator members form, and its hash.

class GenesisError extends Error {}

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

function strictHex(text, field, size) {
    if (typeof text !== 'string' || text.length % 2 || !HEX_DIGITS.test(text)) {
        throw malformed(`${field} is not hex`);
    }
    const data = new Uint8Array(text.length / 2);
    for (let i = 0; i < data.length; i++) data[i] = parseInt(text.substr(2 * i, 2), 16);
    if (size !== undefined && data.length !== size) {
        throw malformed(`${field} is ${data.length} bytes, not ${size}`);
    }
    return data;
}

function genesisField(condition, message) {
    if (!condition) throw new GenesisError(message);
}

// The canonical Genesis (encoding.md): LedgerParams ‖ Timestamp(time) ‖ list<MemberProfile>.
function encodeGenesis(genesis, members) {
    const params = genesis.params || {};
    genesisField(Number.isInteger(params.memberApprovals) && params.memberApprovals >= 1
        && params.memberApprovals <= 255, 'params.memberApprovals is 1 to 255');
    genesisField(Number.isInteger(params.validatorChangeDelay) && params.validatorChangeDelay >= 0,
        'params.validatorChangeDelay is a number of blocks');
    genesisField(Number.isInteger(params.priceValidityDays) && params.priceValidityDays >= 1,
        'params.priceValidityDays is a number of days');
    genesisField(typeof genesis.time === 'string'
        && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(genesis.time)
        && !Number.isNaN(Date.parse(genesis.time)), 'time is RFC 3339 in UTC');
    const parts = [
        encodeLabel(genesis.chainID), new Uint8Array([params.memberApprovals]),
        u64Bytes(BigInt(params.validatorChangeDelay)),
        u64Bytes(BigInt(params.priceValidityDays) * MILLIS_PER_DAY),
        u64Bytes(BigInt(Date.parse(genesis.time))), encodeLength(members.length),
    ];
    for (const member of members) {
        const name = new TextEncoder().encode(member.name);
        const roles = new Uint8Array(2);
        new DataView(roles.buffer).setUint16(0, member.roles);
        parts.push(encodeLength(name.length), name, roles, member.key);
    }
    return concat(...parts);
}

async function readGenesis(text) {
    let genesis;
    try {
        genesis = JSON.parse(text);
    } catch (error) {
        throw new GenesisError('the genesis is not JSON');
    }
    genesisField(genesis && typeof genesis === 'object', 'the genesis is not a JSON object');
    genesisField(typeof genesis.chainID === 'string' && /^[\x21-\x7e]{1,64}$/.test(genesis.chainID),
        'chainID is 1 to 64 printable ASCII characters');
    genesisField(Array.isArray(genesis.members), 'members is not a list');
    const members = [];
    const validators = [];
    for (const [i, member] of genesis.members.entries()) {
        genesisField(member && typeof member.name === 'string' && Array.isArray(member.roles),
            `members[${i}] has no name or roles`);
        let roles = 0;
        for (const role of member.roles) {
            genesisField(ROLES.includes(role), `members[${i}].roles names an unknown role`);
            roles |= 1 << ROLES.indexOf(role);
        }
        let key;
        try {
            key = strictHex(member.publicKey, 'publicKey', 32);
        } catch (error) {
            throw new GenesisError(`members[${i}].publicKey is not 64 hex digits`);
        }
        members.push({ name: member.name, roles, key });
        if (member.roles.includes('validator')) {
            validators.push(concat(await sha256(ascii('facet/member-id'), key), key));
        }
    }
    validators.sort(compare);
    genesisField(validators.length >= 1 && validators.length <= MAX_VALIDATORS,
        'a genesis has 1 to 64 validators');
    const encoded = concat(encodeLength(validators.length), ...validators);
    const set = await decodeValidatorSet(encoded, 'the genesis validator set');
    return { chainID: genesis.chainID, set, hash: await sha256(encodeGenesis(genesis, members)) };
}

// ---------------------------------------------------------------------------------------------------------
// The bundle file (proof-bundle.md, "File format").

const BUNDLE_FIELDS = ['certificate', 'header', 'inclusionProof', 'logIndex', 'signerPublicKey', 'transaction',
    'validatorChain', 'version'];
const TRANSITION_FIELDS = ['certificate', 'header', 'validators'];

const sameFields = (object, fields) => JSON.stringify(Object.keys(object).sort()) === JSON.stringify(fields);
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

async function parseBundle(text) {
    let bundle;
    try {
        bundle = JSON.parse(text);
    } catch (error) {
        throw malformed('the bundle is not JSON');
    }
    if (!isObject(bundle)) throw malformed('the bundle is not a JSON object');
    if (bundle.version !== 1) {
        throw malformed(`version ${JSON.stringify(bundle.version)} is not supported (this verifier reads 1)`);
    }
    if (!sameFields(bundle, BUNDLE_FIELDS)) {
        throw malformed(`the bundle's fields are ${Object.keys(bundle).sort()}, expected ${BUNDLE_FIELDS}`);
    }
    const index = bundle.logIndex;
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** 64) {
        throw malformed('logIndex is not an unsigned 64-bit integer');
    }
    const proof = bundle.inclusionProof;
    const chain = bundle.validatorChain;
    if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) {
        throw malformed('inclusionProof is not a list of at most 64 hashes');
    }
    if (!Array.isArray(chain) || chain.length > MAX_TRANSITIONS) {
        throw malformed('validatorChain is not a list of at most 4096 changes');
    }
    const links = [];
    for (const [i, link] of chain.entries()) {
        if (!isObject(link) || !sameFields(link, TRANSITION_FIELDS)) {
            throw malformed(`validatorChain[${i}] does not have exactly the fields ${TRANSITION_FIELDS}`);
        }
        links.push({
            header: await decodeHeader(strictHex(link.header, 'header'), `validatorChain[${i}].header`),
            certificate: decodeCertificate(
                strictHex(link.certificate, 'certificate'), `validatorChain[${i}].certificate`),
            validators: await decodeValidatorSet(
                strictHex(link.validators, 'validators'), `validatorChain[${i}].validators`),
        });
    }
    return {
        transaction: strictHex(bundle.transaction, 'transaction'),
        signerPublicKey: strictHex(bundle.signerPublicKey, 'signerPublicKey', 32),
        logIndex: BigInt(index),
        inclusionProof: proof.map((p, i) => strictHex(p, `inclusionProof[${i}]`, 32)),
        header: await decodeHeader(strictHex(bundle.header, 'header'), 'header'),
        certificate: decodeCertificate(strictHex(bundle.certificate, 'certificate'), 'certificate'),
        validatorChain: links,
    };
}

// ---------------------------------------------------------------------------------------------------------
// Verification, step by step (proof-bundle.md, "Verification").

// certificateValid(K, H, S) of step 4: null when valid, else what is wrong.
async function checkCertificate(certificate, header, validatorSet, chainID) {
    if (certificate.height !== header.height || !equal(certificate.blockID, header.id)) {
        return `the certificate is for height ${certificate.height}, block ${hex(certificate.blockID)}, `
            + `but the header is height ${header.height}, block ${hex(header.id)}`;
    }
    if (!equal(header.validatorsHash, validatorSet.hash)) {
        return `the header names validator set ${hex(header.validatorsHash)}, not ${hex(validatorSet.hash)}`;
    }
    const payload = concat(u64Bytes(certificate.height), u32Bytes(certificate.round), certificate.blockID);
    const signers = new Set();
    for (const [member, signature] of certificate.signatures) {
        const key = validatorSet.validators.get(hex(member));
        if (key === undefined) {
            return `the certificate holds a precommit from ${hex(member)}, `
                + 'which is not in the signing validator set';
        }
        if (!(await verifySignature(key, signature, PURPOSE_PRECOMMIT, chainID, payload))) {
            return `the precommit signature of validator ${hex(member)} does not verify for this block`;
        }
        signers.add(hex(member));
    }
    const count = validatorSet.validators.size;
    const quorum = Math.floor((count * 2) / 3) + 1;
    if (signers.size < quorum) {
        return `${signers.size} distinct validator(s) signed the certificate; `
            + `a quorum of the ${count} validators is ${quorum}`;
    }
    return null;
}

// RFC 9162 section 2.1.3.2.
async function inclusionRootMatches(leaf, index, size, proof, root) {
    if (index >= size || proof.length > MAX_PROOF_LENGTH) return false;
    let fn = index;
    let sn = size - 1n;
    let r = leaf;
    for (const p of proof) {
        if (sn === 0n) return false;
        if ((fn & 1n) === 1n || fn === sn) {
            r = await sha256([1], p, r);
            while ((fn & 1n) === 0n && fn !== 0n) {
                fn >>= 1n;
                sn >>= 1n;
            }
        } else {
            r = await sha256([1], r, p);
        }
        fn >>= 1n;
        sn >>= 1n;
    }
    return sn === 0n && equal(r, root);
}

// Step 1: parse (the transaction's envelope too).
async function stepParse(text) {
    const bundle = await parseBundle(text);
    const tx = await decodeTransaction(bundle.transaction);
    const detail = `${tx.kind} transaction ${hex(tx.id)}, header at height ${bundle.header.height}`;
    return { bundle, tx, detail };
}

// Step 2: one chain.
function stepChain(bundle, tx, chainID) {
    const header = bundle.header;
    if (header.chainID !== chainID) {
        throw new ProofFailure('proof.wrong_chain',
            `the header is for chain ${header.chainID}, the genesis is ${chainID}`);
    }
    for (const [i, link] of bundle.validatorChain.entries()) {
        if (link.header.chainID !== chainID) {
            throw new ProofFailure('proof.wrong_chain',
                `validator change ${i + 1} is for chain ${link.header.chainID}, the genesis is ${chainID}`);
        }
    }
    if (tx.chainID !== chainID) {
        throw new ProofFailure('proof.wrong_chain',
            `the transaction is for chain ${tx.chainID}, the genesis is ${chainID}`);
    }
    return `header, transaction and every validator change are for chain ${chainID}`;
}

// Step 3: follow the validator-set chain from the genesis set; returns the set that signed the header.
async function stepValidatorChain(bundle, genesisSet, chainID) {
    const header = bundle.header;
    let current = genesisSet;
    let lastHeight = 0n;
    const lines = [`genesis validator set ${hex(current.hash)} (${current.validators.size} validators)`];
    for (const [i, link] of bundle.validatorChain.entries()) {
        const h = link.header;
        const at = `validator change ${i + 1} (announced at height ${h.height})`;
        if (!(lastHeight < h.height && h.height < header.height)) {
            throw new ProofFailure('proof.validator_chain', `${at}: changes must be in ascending height order, `
                + `after height ${lastHeight} and before the header's height ${header.height}`);
        }
        if (!equal(h.validatorsHash, current.hash)) {
            throw new ProofFailure('proof.validator_chain', `${at}: the header names validator set `
                + `${hex(h.validatorsHash)}, but the set traced from genesis is ${hex(current.hash)}`);
        }
        if (equal(h.nextValidatorsHash, h.validatorsHash)) {
            throw new ProofFailure('proof.validator_chain',
                `${at}: the header announces no change of validator set`);
        }
        const problem = await checkCertificate(link.certificate, h, current, chainID);
        if (problem) throw new ProofFailure('proof.validator_chain', `${at}: ${problem}`);
        if (!equal(link.validators.hash, h.nextValidatorsHash)) {
            throw new ProofFailure('proof.validator_chain', `${at}: the new set hashes to `
                + `${hex(link.validators.hash)}, but the header announced ${hex(h.nextValidatorsHash)}`);
        }
        current = link.validators;
        lastHeight = h.height;
        lines.push(`height ${h.height} (certified by ${link.certificate.signatures.length} of the set) `
            + `announced validator set ${hex(current.hash)} (${current.validators.size} validators)`);
    }
    if (!equal(header.validatorsHash, current.hash)) {
        throw new ProofFailure('proof.validator_chain', `the header at height ${header.height} names `
            + `validator set ${hex(header.validatorsHash)}, but the set traced from genesis through `
            + `${bundle.validatorChain.length} change(s) is ${hex(current.hash)}`);
    }
    return { current, detail: lines.join('; ') };
}

// Step 4: the header's certificate.
async function stepCertificate(bundle, current, chainID) {
    const header = bundle.header;
    const problem = await checkCertificate(bundle.certificate, header, current, chainID);
    if (problem) throw new ProofFailure('proof.certificate', problem);
    const count = current.validators.size;
    const quorum = Math.floor((count * 2) / 3) + 1;
    return `block ${hex(header.id)} at height ${header.height} certified by `
        + `${bundle.certificate.signatures.length} of ${count} validators (quorum ${quorum})`;
}

// Step 5: the transaction's signature under the bundle's signer key (a consistency check).
async function stepSignature(bundle, tx) {
    const key = bundle.signerPublicKey;
    if (!(await verifySignature(key, tx.signature, PURPOSE_TRANSACTION, tx.chainID, tx.payload))) {
        throw new ProofFailure('proof.signature',
            `the transaction's signature does not verify under the signer key ${hex(key)}`);
    }
    return `signature verifies under ${hex(bundle.signerPublicKey)} (signer ${hex(tx.signer)})`;
}

// Step 6: inclusion in the log the header commits to.
async function stepInclusion(bundle) {
    const index = bundle.logIndex;
    const size = bundle.header.logSize;
    if (index >= size) {
        throw new ProofFailure('proof.inclusion',
            `log index ${index} is outside the header's log of ${size} transactions`);
    }
    const leaf = await sha256([0], bundle.transaction);
    if (!(await inclusionRootMatches(leaf, index, size, bundle.inclusionProof, bundle.header.logRoot))) {
        throw new ProofFailure('proof.inclusion', 'the inclusion proof does not lead from the transaction at '
            + `log index ${index} to the header's log root ${hex(bundle.header.logRoot)} (size ${size})`);
    }
    return `leaf ${index} of ${size} under log root ${hex(bundle.header.logRoot)} `
        + `(${bundle.inclusionProof.length} proof hashes)`;
}

// Verifies `bundleText` from the genesis in `genesisText`. Never throws: the result says `verified`, or the
// failed step's `code` and `message`, with every step's status and what it checked.
async function verifyBundle(bundleText, genesisText) {
    const steps = STEPS.map((s) => ({ id: s.id, title: s.title, status: 'not run', detail: '' }));
    const result = { verified: false, steps, genesis: null, proved: null };
    try {
        const genesis = await readGenesis(genesisText);
        const validators = genesis.set.validators.size;
        result.genesis = { chainID: genesis.chainID, hash: hex(genesis.hash), validators };
        const chainID = genesis.chainID;
        let at = 0;
        const pass = (detail) => {
            steps[at].status = 'passed';
            steps[at].detail = detail;
            at += 1;
        };
        try {
            const { bundle, tx, detail } = await stepParse(bundleText);
            pass(detail);
            pass(stepChain(bundle, tx, chainID));
            const { current, detail: chainDetail } = await stepValidatorChain(bundle, genesis.set, chainID);
            pass(chainDetail);
            pass(await stepCertificate(bundle, current, chainID));
            pass(await stepSignature(bundle, tx));
            pass(await stepInclusion(bundle));
            const header = bundle.header;
            result.proved = {
                transactionID: hex(tx.id), kind: tx.kind, signer: hex(tx.signer), chainID,
                height: header.height.toString(), time: new Date(Number(header.time)).toISOString(),
                blockID: hex(header.id), logIndex: bundle.logIndex.toString(), nonce: tx.nonce.toString(),
            };
            result.verified = true;
        } catch (error) {
            if (!(error instanceof ProofFailure)) throw error;
            steps[at].status = 'failed';
            steps[at].detail = error.message;
            result.code = error.code;
            result.message = error.message;
            result.step = steps[at].id;
        }
    } catch (error) {
        result.code = error instanceof GenesisError ? 'genesis.invalid' : 'proof.verifier';
        result.message = error instanceof GenesisError
            ? `cannot use the genesis: ${error.message}` : String(error);
        result.step = 'genesis';
    }
    return result;
}

// ---------------------------------------------------------------------------------------------------------
// The proof page (/dash/proof/{id}): fetch the bundle and the genesis, verify, show each step.

function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
}

// Writes `result` into the page: the verdict, the steps in order, and the genesis that was trusted.
function show(result, source) {
    const verdict = document.getElementById('verdict');
    verdict.dataset.verdict = result.verified ? 'verified' : 'failed';
    if (result.code) verdict.dataset.code = result.code; else delete verdict.dataset.code;
    const p = result.proved;
    verdict.textContent = result.verified
        ? `Verified: transaction ${p.transactionID} (${p.kind}) by member ${p.signer} committed at height `
            + `${p.height}, log index ${p.logIndex}, block time ${p.time}.`
        : `Failed: ${result.code}: ${result.message}`;
    const list = document.getElementById('steps');
    list.replaceChildren(...result.steps.map((step) => {
        const item = element('li', { 'data-step': step.id, 'data-status': step.status });
        item.append(element('strong', {}, `${step.title}: ${step.status}`));
        if (step.detail) item.append(element('div', { class: 'mono' }, step.detail));
        return item;
    }));
    const hash = document.getElementById('genesis-hash');
    hash.textContent = result.genesis ? result.genesis.hash : 'none (the genesis could not be used)';
    document.getElementById('genesis-source').textContent = source;
}

async function fetchText(url) {
    const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    const text = await response.text();
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
    return text;
}

async function runPage(page, genesisText, bundleText) {
    const verdict = document.getElementById('verdict');
    verdict.dataset.verdict = 'pending';
    verdict.textContent = 'Verifying…';
    let source = 'your pasted genesis';
    try {
        if (!genesisText) {
            genesisText = await fetchText(page.dataset.genesis);
            source = `this node's ${page.dataset.genesis}; compare the hash with your own copy`;
        }
        if (!bundleText) bundleText = await fetchText(page.dataset.bundle);
    } catch (error) {
        const steps = STEPS.map((s) => ({ id: s.id, title: s.title, status: 'not run', detail: '' }));
        const message = String(error.message || error);
        show({ verified: false, code: 'proof.unavailable', message, steps }, source);
        return;
    }
    show(await verifyBundle(bundleText, genesisText), source);
}

function startPage() {
    const page = document.getElementById('proof-page');
    if (!page) return;
    const form = document.getElementById('reverify');
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        runPage(page, form.elements.genesis.value.trim(), form.elements.bundle.value.trim());
    });
    runPage(page, '', '');
}

globalThis.FacetVerify = { verifyBundle, STEPS, TABLES };
if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startPage);
    else startPage();
}
})();
