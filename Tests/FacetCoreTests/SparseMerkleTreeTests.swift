import FacetCore
import FacetTestSupport
import Foundation
import Testing

private let seeds: [UInt64] = [1, 2, 3, 4, 5, 42, 1234, 0xDEAD_BEEF]

// MARK: - Reference implementation, straight from contracts/state-root.md

/// The state root by the definition: naive recursion over the sorted entries, sharing no code with the tree.
private func referenceRoot(_ map: [Hash256: Hash256]) -> Hash256 {
    let entries = map.map { (key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    return referenceHash(entries[...], depth: 0)
}

private func referenceHash(_ entries: ArraySlice<(key: Hash256, value: Hash256)>, depth: Int) -> Hash256 {
    guard let first = entries.first else { return .zero }
    if entries.count == 1 { return SHA256Hash.digest(parts: [0x00], first.key.bytes, first.value.bytes) }
    let left = entries.filter { !$0.key.bit(depth) }
    let right = entries.filter { $0.key.bit(depth) }
    return SHA256Hash.digest(
        parts: [0x01],
        referenceHash(left[...], depth: depth + 1).bytes,
        referenceHash(right[...], depth: depth + 1).bytes
    )
}

// MARK: - Random inputs

private func randomHash(_ rng: inout SeededRandom) -> Hash256 {
    Hash256(w0: rng.next(), w1: rng.next(), w2: rng.next(), w3: rng.next())
}

private func flipping(_ key: Hash256, bit index: Int) -> Hash256 {
    var bytes = key.bytes
    bytes[index / 8] ^= 0x80 >> UInt8(index % 8)
    return Hash256(bytes: bytes)
}

/// Mostly fresh keys, and one in four a near-copy of an earlier key sharing a long prefix with it (up to all 255
/// bits), so the trees get deep chains of one-sided branches as well as the shallow shape of random keys.
private func randomKey(_ rng: inout SeededRandom, near keys: [Hash256]) -> Hash256 {
    guard !keys.isEmpty, Int.random(in: 0..<4, using: &rng) == 0 else { return randomHash(&rng) }
    let base = keys[Int.random(in: 0..<keys.count, using: &rng)]
    return flipping(base, bit: Int.random(in: 128..<256, using: &rng))
}

/// `count` distinct keys with random values; the array fixes the order, never a Set's.
private func randomEntries(_ rng: inout SeededRandom, count: Int) -> [(key: Hash256, value: Hash256)] {
    var keys: [Hash256] = []
    var seen = Set<Hash256>()
    while keys.count < count {
        let key = randomKey(&rng, near: keys)
        if seen.insert(key).inserted { keys.append(key) }
    }
    return keys.map { (key: $0, value: randomHash(&rng)) }
}

/// Inserts, overwrites, deletes (of present and absent keys) and repeated keys within the batch.
private func randomBatch(
    _ rng: inout SeededRandom,
    model: [Hash256: Hash256],
    size: Int
) -> [(key: Hash256, value: Hash256?)] {
    let present = model.keys.sorted()
    var batch: [(key: Hash256, value: Hash256?)] = []
    for _ in 0..<size {
        let roll = Int.random(in: 0..<100, using: &rng)
        if roll < 45 || present.isEmpty {
            batch.append((randomKey(&rng, near: present), randomHash(&rng)))
        } else if roll < 65 {
            batch.append((present[Int.random(in: 0..<present.count, using: &rng)], randomHash(&rng)))
        } else if roll < 85 {
            batch.append((present[Int.random(in: 0..<present.count, using: &rng)], nil))
        } else if roll < 90 {
            batch.append((randomHash(&rng), nil))
        } else if let earlier = batch.randomElement(using: &rng) {
            batch.append((earlier.key, Bool.random(using: &rng) ? randomHash(&rng) : nil))
        }
    }
    return batch
}

/// Applies changes one at a time, which is what last-write-wins must match.
private func applying(_ batch: [(key: Hash256, value: Hash256?)], to model: [Hash256: Hash256]) -> [Hash256: Hash256] {
    var result = model
    for change in batch { result[change.key] = change.value }
    return result
}

// MARK: - Properties

@Test(arguments: seeds)
func incrementalRootMatchesReference(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    var model: [Hash256: Hash256] = [:]
    var tree = SparseMerkleTree()
    for round in 0..<12 {
        let batch = randomBatch(&rng, model: model, size: Int.random(in: 1...60, using: &rng))
        model = applying(batch, to: model)
        tree.update(batch)
        #expect(tree.root == referenceRoot(model), "seed \(seed) round \(round)")
        #expect(tree.count == model.count, "seed \(seed) round \(round)")
        for key in model.keys.sorted() {
            #expect(tree.value(for: key) == model[key], "seed \(seed) round \(round) key \(key)")
        }
        for _ in 0..<20 {
            let key = randomKey(&rng, near: model.keys.sorted())
            #expect(tree.value(for: key) == model[key], "seed \(seed) round \(round) probe \(key)")
        }
    }
}

@Test(arguments: seeds)
func rootIndependentOfOrderBatchingAndBuild(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let entries = randomEntries(&rng, count: 200)
    let expected = referenceRoot(Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) }))

    let built = SparseMerkleTree.build(entries: entries.shuffled(using: &rng))
    #expect(built.root == expected, "seed \(seed): build")
    #expect(built.count == entries.count, "seed \(seed): build count")

    var oneByOne = SparseMerkleTree()
    for entry in entries.shuffled(using: &rng) { oneByOne.update([(entry.key, entry.value)]) }
    #expect(oneByOne.root == expected, "seed \(seed): one at a time")

    var batched = SparseMerkleTree()
    var rest = entries.shuffled(using: &rng)[...]
    while !rest.isEmpty {
        let size = Int.random(in: 1...40, using: &rng)
        batched.update(rest.prefix(size).map { (key: $0.key, value: $0.value) })
        rest = rest.dropFirst(size)
    }
    #expect(batched.root == expected, "seed \(seed): random batches")

    // History leaves no trace: extra keys inserted and then deleted give back the same root.
    let extra = randomEntries(&rng, count: 50).filter { built.value(for: $0.key) == nil }
    let grown = built.updating(extra.map { (key: $0.key, value: $0.value) })
    #expect(grown.root != expected, "seed \(seed): extra keys must change the root")
    #expect(grown.updating(extra.map { (key: $0.key, value: nil) }).root == expected, "seed \(seed): undo")
}

@Test(arguments: seeds)
func deletingEverythingReturnsToZero(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let entries = randomEntries(&rng, count: 150)
    let full = SparseMerkleTree.build(entries: entries)

    var tree = full
    var rest = entries.shuffled(using: &rng)[...]
    while !rest.isEmpty {
        let size = Int.random(in: 1...25, using: &rng)
        tree.update(rest.prefix(size).map { (key: $0.key, value: nil) })
        rest = rest.dropFirst(size)
        let left = Dictionary(uniqueKeysWithValues: rest.map { ($0.key, $0.value) })
        #expect(tree.root == referenceRoot(left), "seed \(seed): \(rest.count) left")
    }
    #expect(tree.root == .zero && tree.count == 0, "seed \(seed): piecewise")
    let cleared = full.updating(entries.map { (key: $0.key, value: nil) })
    #expect(cleared.root == .zero && cleared.count == 0, "seed \(seed): one batch")
}

@Test(arguments: seeds)
func updatingLeavesTheOldTreeUnchanged(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let entries = randomEntries(&rng, count: 120)
    let model = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
    let old = SparseMerkleTree.build(entries: entries)
    let oldRoot = old.root
    #expect(oldRoot == referenceRoot(model), "seed \(seed)")

    var newer = old
    for round in 0..<5 {
        let batch = randomBatch(&rng, model: model, size: 30)
        newer = newer.updating(batch)
        var copy = old
        copy.update(batch)
        #expect(copy.root == SparseMerkleTree.build(entries: entries).updating(batch).root, "seed \(seed) \(round)")
        #expect(old.root == oldRoot, "seed \(seed) round \(round)")
        #expect(old.count == model.count, "seed \(seed) round \(round)")
    }
    #expect(newer.root != oldRoot, "seed \(seed): the updates must have changed something")
    for (key, value) in entries {
        #expect(old.value(for: key) == value, "seed \(seed) key \(key)")
    }
}

@Test(arguments: seeds)
func proofsVerifyAndRejectTampering(seed: UInt64) {
    var rng = SeededRandom(seed: seed)
    let entries = randomEntries(&rng, count: 150)
    let tree = SparseMerkleTree.build(entries: entries)
    let root = tree.root
    let otherRoot = tree.updating([(entries[0].key, randomHash(&rng))]).root

    for (key, value) in entries {
        let proof = tree.proof(for: key)
        #expect(proof.verify(key: key, value: value, root: root), "seed \(seed) member \(key)")
        #expect(!proof.verify(key: key, value: randomHash(&rng), root: root), "seed \(seed) wrong value \(key)")
        #expect(!proof.verify(key: key, value: nil, root: root), "seed \(seed) member as absent \(key)")
        #expect(!proof.verify(key: key, value: value, root: otherRoot), "seed \(seed) other root \(key)")
        let flippedKey = flipping(key, bit: Int.random(in: 0..<256, using: &rng))
        #expect(!proof.verify(key: flippedKey, value: value, root: root), "seed \(seed) flipped key \(key)")
        #expect(!tampered(proof, &rng).verify(key: key, value: value, root: root), "seed \(seed) tampered \(key)")
    }

    for _ in 0..<100 {
        let key = randomKey(&rng, near: entries.map(\.key))
        guard tree.value(for: key) == nil else { continue }
        let proof = tree.proof(for: key)
        #expect(proof.verify(key: key, value: nil, root: root), "seed \(seed) absent \(key)")
        #expect(!proof.verify(key: key, value: randomHash(&rng), root: root), "seed \(seed) absent as member \(key)")
        #expect(!tampered(proof, &rng).verify(key: key, value: nil, root: root), "seed \(seed) tampered \(key)")
        if let leaf = proof.leaf {
            #expect(!proof.verify(key: leaf.key, value: nil, root: root), "seed \(seed) present leaf as absent")
        }
    }
}

/// The proof with one bit flipped in a sibling or, when there are none, in the leaf's value (an empty tree gets a
/// made-up leaf).
private func tampered(_ proof: SparseMerkleProof, _ rng: inout SeededRandom) -> SparseMerkleProof {
    let bit = Int.random(in: 0..<256, using: &rng)
    var siblings = proof.siblings
    if !siblings.isEmpty {
        let index = Int.random(in: 0..<siblings.count, using: &rng)
        siblings[index] = flipping(siblings[index], bit: bit)
        return SparseMerkleProof(siblings: siblings, leaf: proof.leaf)
    }
    guard let leaf = proof.leaf else {
        return SparseMerkleProof(siblings: [], leaf: .init(key: Hash256.zero, value: Hash256.zero))
    }
    return SparseMerkleProof(siblings: [], leaf: .init(key: leaf.key, value: flipping(leaf.value, bit: bit)))
}

// MARK: - Fixed cases

@Test func lastWriteWinsWithinABatch() {
    let key = SHA256Hash.digest(Array("k".utf8))
    let first = SHA256Hash.digest(Array("1".utf8))
    let second = SHA256Hash.digest(Array("2".utf8))
    let empty = SparseMerkleTree()
    #expect(empty.updating([(key, first), (key, second)]).value(for: key) == second)
    #expect(empty.updating([(key, first), (key, nil)]).value(for: key) == nil)
    #expect(empty.updating([(key, nil), (key, first)]).value(for: key) == first)
    #expect(empty.updating([(key, first), (key, nil)]).root == .zero)
    let present = empty.updating([(key, first)])
    #expect(present.updating([]).root == present.root)
    #expect(present.updating([(key, second), (key, first)]).root == present.root)
}

@Test func keysDifferingOnlyInTheLastBit() {
    let low = Hash256.zero
    let high = flipping(low, bit: 255)
    let value = SHA256Hash.digest(Array("v".utf8))
    let pair = SparseMerkleTree().updating([(low, value), (high, value)])
    #expect(pair.root == referenceRoot([low: value, high: value]))
    #expect(pair.proof(for: high).siblings.count == 256)
    #expect(pair.proof(for: high).verify(key: high, value: value, root: pair.root))
    // Deleting one key collapses the 255-branch chain back into a single leaf at the root.
    let single = pair.updating([(high, nil)])
    #expect(single.root == referenceRoot([low: value]))
    #expect(single.proof(for: low).siblings.isEmpty)
    #expect(single.proof(for: high).verify(key: high, value: nil, root: single.root))
}

@Test func nonMembershipNeedsTheLeafOnTheKeysPath() {
    // A root built by hand with a leaf placed off its own path: folding along `key` reaches it, but a leaf whose
    // key differs from `key` within the path's prefix is not evidence about `key`.
    let key = Hash256.zero
    let stranger = SparseMerkleProof.Leaf(key: flipping(.zero, bit: 0), value: SHA256Hash.digest(Array("v".utf8)))
    let strangerHash = SHA256Hash.digest(parts: [0x00], stranger.key.bytes, stranger.value.bytes)
    let root = SHA256Hash.digest(parts: [0x01], strangerHash.bytes, Hash256.zero.bytes)
    #expect(!SparseMerkleProof(siblings: [.zero], leaf: stranger).verify(key: key, value: nil, root: root))
    #expect(SparseMerkleProof(siblings: [], leaf: stranger).verify(key: key, value: nil, root: strangerHash))
}

// MARK: - Known answers from contracts/vectors/generate_state_root.py

private struct VectorFile: Decodable {
    struct Entry: Decodable {
        let key: String
        let value: String
    }

    struct Proof: Decodable {
        let key: String
        let value: String?
        let siblings: [String]
        let leaf: Entry?
    }

    struct Case: Decodable {
        let name: String
        let entries: [Entry]
        let root: String
        let proofs: [Proof]
    }

    let cases: [Case]
}

private func hash(_ hex: String) throws -> Hash256 {
    try #require(Hash256(hex: hex), "bad hex \(hex)")
}

private func loadVectors() throws -> VectorFile {
    var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
        let parent = directory.deletingLastPathComponent()
        try #require(parent.path != directory.path, "no Package.swift above \(#filePath)")
        directory = parent
    }
    let url = directory.appendingPathComponent("contracts/vectors/state-root.json")
    return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
}

@Test func knownAnswers() throws {
    let vectors = try loadVectors()
    #expect(vectors.cases.count >= 8)
    for vector in vectors.cases {
        let entries = try vector.entries.map { (key: try hash($0.key), value: try hash($0.value)) }
        let built = SparseMerkleTree.build(entries: entries)
        let incremental = SparseMerkleTree().updating(entries.map { (key: $0.key, value: $0.value) })
        #expect(built.root.hex == vector.root, "\(vector.name): build")
        #expect(incremental.root.hex == vector.root, "\(vector.name): incremental")
        for expected in vector.proofs {
            let key = try hash(expected.key)
            let value = try expected.value.map(hash)
            let leaf = try expected.leaf.map {
                SparseMerkleProof.Leaf(key: try hash($0.key), value: try hash($0.value))
            }
            let proof = built.proof(for: key)
            #expect(proof == SparseMerkleProof(siblings: try expected.siblings.map(hash), leaf: leaf), "\(vector.name)")
            #expect(proof.verify(key: key, value: value, root: try hash(vector.root)), "\(vector.name) \(key)")
        }
    }
}
