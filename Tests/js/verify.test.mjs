// verify.js under node: every proof bundle in contracts/vectors verifies against its genesis, and tampered copies of
// it fail with the code contracts/proof-bundle.md assigns (the tamperings of contracts/vectors/verify_bundle.py, the
// independent reference, with the same expected codes), at the step of that code, with a reason.
//
// Usage: node Tests/js/verify.test.mjs SERVED_VERIFY_JS VECTORS_FOLDER
// SERVED_VERIFY_JS is the script as the node serves it at /dash/verify.js (the tables first, then the file);
// FacetNodeTests' VerifyScriptNodeTests writes it and runs this. Exits 0 when every check passed, 1 otherwise.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';

const [scriptPath, vectors] = process.argv.slice(2);
if (!scriptPath || !vectors) {
    console.error('usage: node verify.test.mjs SERVED_VERIFY_JS VECTORS_FOLDER');
    process.exit(64);
}
vm.runInThisContext(readFileSync(scriptPath, 'utf8'), { filename: 'verify.js' });
const { verifyBundle, STEPS } = globalThis.FacetVerify;

let checked = 0;
const failures = [];
function check(name, condition, detail) {
    checked += 1;
    if (!condition) failures.push(`${name}: ${detail}`);
    console.log(`${condition ? 'ok  ' : 'BAD '} ${name}${condition ? '' : `: ${detail}`}`);
}

function flip(hexText, index, mask = 0x01) {
    const data = Buffer.from(hexText, 'hex');
    data[index] ^= mask;
    return data.toString('hex');
}

// The certificate's signature count is at byte 44 (u64 height, u32 round, 32-byte block id); each entry is 96 bytes.
function dropLastSignature(certificateHex) {
    const data = Buffer.from(certificateHex, 'hex');
    data[44] -= 1;
    return data.subarray(0, data.length - 96).toString('hex');
}

const firstLink = (b, edit) => b.validatorChain.slice(0, 1).forEach(edit);

// [name, expected code, edit of the parsed bundle]: verify_bundle.py's TAMPERINGS. Header offsets are for the
// 10-character chain id of the vectors: log root 135-166, state root 167-198, validators hash 199-230.
const TAMPERINGS = [
    ["a byte of the transaction's signature", 'proof.signature',
        (b) => { b.transaction = flip(b.transaction, b.transaction.length / 2 - 1); }],
    ["a byte of the transaction's nonce", 'proof.signature', (b) => { b.transaction = flip(b.transaction, 50); }],
    ["the transaction's first byte", 'proof.malformed', (b) => { b.transaction = flip(b.transaction, 0, 0x40); }],
    ['another signer key', 'proof.signature', (b) => { b.signerPublicKey = '11'.repeat(32); }],
    ['the log index + 1', 'proof.inclusion', (b) => { b.logIndex += 1; }],
    ['the log index - 1', 'proof.inclusion', (b) => { b.logIndex -= 1; }],
    ['a proof entry', 'proof.inclusion', (b) => { b.inclusionProof[0] = flip(b.inclusionProof[0], 5); }],
    ['a proof entry dropped', 'proof.inclusion', (b) => { b.inclusionProof.pop(); }],
    ["the header's log root", 'proof.certificate', (b) => { b.header = flip(b.header, 140); }],
    ["the header's state root", 'proof.certificate', (b) => { b.header = flip(b.header, 170); }],
    ["the header's validators hash", 'proof.validator_chain', (b) => { b.header = flip(b.header, 200); }],
    ["the header's chain id", 'proof.wrong_chain', (b) => { b.header = flip(b.header, 3); }],
    ['a certificate signature', 'proof.certificate', (b) => { b.certificate = flip(b.certificate, 100); }],
    ["the certificate's round", 'proof.certificate', (b) => { b.certificate = flip(b.certificate, 11); }],
    ['a certificate signature dropped', 'proof.certificate',
        (b) => { b.certificate = dropLastSignature(b.certificate); }],
    ['the validator changes dropped', 'proof.validator_chain', (b) => { b.validatorChain = []; }],
    ['a byte of a new validator set', 'proof.validator_chain',
        (b) => firstLink(b, (link) => { link.validators = flip(link.validators, 40); })],
    ['a byte of an announcing header', 'proof.validator_chain',
        (b) => firstLink(b, (link) => { link.header = flip(link.header, 170); })],
    ["a signature of a change's certificate", 'proof.validator_chain',
        (b) => firstLink(b, (link) => { link.certificate = flip(link.certificate, 100); })],
    ['version 2', 'proof.malformed', (b) => { b.version = 2; }],
    ['an unknown field', 'proof.malformed', (b) => { b.note = 'x'; }],
    ['not JSON', 'proof.malformed', null],
];

// The failed step is the one whose code the result carries; those before it passed, those after it did not run.
function checkFailure(name, result, expected) {
    const at = STEPS.findIndex((step) => step.code === expected);
    const statuses = result.steps.map((step) => step.status);
    const wanted = STEPS.map((_, i) => (i < at ? 'passed' : i === at ? 'failed' : 'not run'));
    check(name, !result.verified && result.code === expected && result.step === STEPS[at].id
        && JSON.stringify(statuses) === JSON.stringify(wanted) && result.message.length > 0
        && result.steps[at].detail === result.message,
    `expected ${expected} at step ${STEPS[at].id}, got ${result.verified ? 'verified' : result.code} at `
        + `${result.step} (${statuses}): ${result.message}`);
}

const bundles = readdirSync(vectors).filter((f) => /^bundle.*\.json$/.test(f) && !f.endsWith('-genesis.json')).sort();
check('the vectors hold a bundle', bundles.length > 0, `no bundle*.json in ${vectors}`);
for (const file of bundles) {
    const text = readFileSync(join(vectors, file), 'utf8');
    const genesis = readFileSync(join(vectors, file.replace(/\.json$/, '-genesis.json')), 'utf8');
    const original = JSON.parse(text);
    const result = await verifyBundle(text, genesis);
    const id = createHash('sha256').update(Buffer.from(original.transaction, 'hex')).digest('hex');
    check(`${file} verifies`, result.verified && result.steps.every((step) => step.status === 'passed')
        && result.proved.transactionID === id && result.proved.logIndex === String(original.logIndex)
        && /^[0-9a-f]{64}$/.test(result.genesis.hash),
    JSON.stringify(result));
    for (const [name, expected, edit] of TAMPERINGS) {
        let tampered = 'not JSON {';
        if (edit) {
            const bundle = JSON.parse(text);
            edit(bundle);
            if (JSON.stringify(bundle) === JSON.stringify(original)) {
                console.log(`skip ${file}: ${name} (this bundle has nothing to tamper with there)`);
                continue;
            }
            tampered = JSON.stringify(bundle);
        }
        checkFailure(`${file}: ${name}`, await verifyBundle(tampered, genesis), expected);
    }
    // The genesis is the one thing trusted: another chain id, or one validator's key changed, fails the bundle.
    const otherChain = JSON.parse(genesis);
    otherChain.chainID = `${otherChain.chainID}-2`;
    checkFailure(`${file}: a genesis of another chain`, await verifyBundle(text, JSON.stringify(otherChain)),
        'proof.wrong_chain');
    const otherKey = JSON.parse(genesis);
    const validator = otherKey.members.find((member) => member.roles.includes('validator'));
    validator.publicKey = flip(validator.publicKey, 0);
    checkFailure(`${file}: a genesis validator's key changed`, await verifyBundle(text, JSON.stringify(otherKey)),
        'proof.validator_chain');
    const unusable = await verifyBundle(text, '{');
    check(`${file}: a genesis that is not JSON`, !unusable.verified && unusable.code === 'genesis.invalid'
        && unusable.step === 'genesis', JSON.stringify(unusable));
}

console.log(failures.length === 0 ? `PASS ${checked} checks` : `FAIL ${failures.length} of ${checked} checks`);
process.exit(failures.length === 0 ? 0 : 1);
