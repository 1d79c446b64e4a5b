import FacetCore
import FacetSimulation

/// The state root's cost per block: a batch of changes applied to sparse Merkle trees of growing size.
/// The figure should grow with the logarithm of the state, not with its size.
package struct BenchStateRootRun: Sendable {
    package var entries: [Int] = [10_000, 1_000_000]
    package var changes: Int = 100
    package var repetitions: Int = 50
    package var seed: UInt64 = 1

    package init() {}
    package func run() throws {
        var rng = SeededRandom(seed: seed)
        print("state-root update: \(changes) changed keys per block, median of \(repetitions) blocks")
        print(
            pad("entries", 12) + pad("build (s)", 12) + pad("median (µs)", 14) + pad("p90 (µs)", 12)
                + "µs per change")
        for size in entries {
            let clock = ContinuousClock()
            var keys = [Hash256]()
            keys.reserveCapacity(size)
            var lastReport = clock.now
            var entries = [(key: Hash256, value: Hash256)]()
            entries.reserveCapacity(size)
            for index in 0..<size {
                let key = rng.hash()
                keys.append(key)
                entries.append((key: key, value: rng.hash()))
                if clock.now - lastReport > .seconds(2) {
                    print("  generating \(index)/\(size) entries…")
                    lastReport = clock.now
                }
            }
            let buildStart = clock.now
            print("  building a tree of \(size) entries…")
            let tree = SparseMerkleTree.build(entries: entries)
            let build = clock.now - buildStart
            var samples = [Duration]()
            for _ in 0..<repetitions {
                var batch = [(key: Hash256, value: Hash256?)]()
                for index in 0..<changes {
                    let key = index % 2 == 0 ? keys[Int(rng.next() % UInt64(keys.count))] : rng.hash()
                    batch.append((key: key, value: rng.hash()))
                }
                let start = clock.now
                let updated = tree.updating(batch)
                precondition(updated.root != tree.root, "a changed tree must have a new root")
                samples.append(clock.now - start)
            }
            samples.sort()
            let median = micros(Percentile.of(samples, 50))
            let p90 = micros(Percentile.of(samples, 90))
            print(
                pad("\(size)", 12) + pad(format2(seconds(build)), 12) + pad(format2(median), 14)
                    + pad(format2(p90), 12) + format2(median / Double(changes)))
        }
    }

    private func micros(_ duration: Duration) -> Double { seconds(duration) * 1_000_000 }
    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
    private func format2(_ value: Double) -> String {
        let scaled = (value * 100).rounded() / 100
        return "\(scaled)"
    }
}
