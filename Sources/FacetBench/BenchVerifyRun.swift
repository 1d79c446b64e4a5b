import FacetCore
import FacetFiles
import FacetLedger
import FacetSimulation
import Foundation

/// What an auditor's offline check costs: a proof bundle read from its JSON and verified against the genesis
/// (the transaction's signature, its inclusion in the log, the quorum's signatures on the header and any change
/// of validator set since genesis), for logs of growing size, beside this machine's Ed25519 verification rate
/// measured in the same run, the limit a bundle's handful of signatures is bound by.
package struct BenchVerifyRun: Sendable {
    package var logSizes: [Int] = [1_000, 10_000, 100_000]
    package var repetitions: Int = 2_000
    package var signatureSeconds: Double = 2.0
    package var json: Bool = false

    package init() {}
    package func run() throws {
        let rate = Self.signatureRate(seconds: signatureSeconds)
        var rows = [Row]()
        // The audit trail: a bundle that also crosses a change of validator set.
        let trail = ChainFixture.auditTrail()
        rows.append(try measure(trail.chain.bundle(for: trail.invoice), genesis: trail.chain.genesis, changes: 1))
        for size in logSizes {
            let (chain, last) = Self.chain(accepted: size)
            rows.append(try measure(chain.bundle(for: last), genesis: chain.genesis, changes: 0))
        }
        let report = Report(
            cores: ProcessInfo.processInfo.activeProcessorCount, ed25519VerifiesPerSecond: rate, rows: rows)
        if json {
            print(LocalFiles.json(report))
            return
        }
        print("proof-bundle verification, \(report.cores) cores; median and p99 of \(repetitions) verifications")
        print(
            "Ed25519 on this machine, one core, same run: \(Int(rate)) verifications/s (\(Self.f(1e6 / rate)) µs each)"
        )
        print(
            "log size   set changes  signatures  bundle bytes  p50 (µs)  p99 (µs)  p50 in signature verifications")
        for row in rows {
            print(
                [
                    Self.pad("\(row.logSize)", 10), Self.pad("\(row.validatorChanges)", 12),
                    Self.pad("\(row.signatures)", 11), Self.pad("\(row.bundleBytes)", 13),
                    Self.pad(Self.f(row.p50Micros), 9), Self.pad(Self.f(row.p99Micros), 9),
                    Self.f(row.p50Micros / (1e6 / rate)),
                ].joined(separator: " "))
        }
    }

    /// Decodes the bundle's JSON and verifies it, `repetitions` times.
    private func measure(_ bundle: ProofBundle, genesis: Genesis, changes: Int) throws -> Row {
        let data = bundle.jsonData()
        guard case .success = try ProofBundle(json: data).verify(genesis: genesis) else {
            throw BenchFailure("the benchmark's own bundle does not verify")
        }
        let clock = ContinuousClock()
        var samples = [Double]()
        samples.reserveCapacity(repetitions)
        for _ in 0..<repetitions {
            let start = clock.now
            let decoded = try ProofBundle(json: data)
            guard case .success = decoded.verify(genesis: genesis) else {
                throw BenchFailure("a bundle stopped verifying")
            }
            samples.append(Self.micros(clock.now - start))
        }
        samples.sort()
        let signatures =
            1 + bundle.certificate.signatures.count
            + bundle.validatorChain.reduce(0) { $0 + $1.certificate.signatures.count }
        return Row(
            logSize: Int(bundle.header.logSize), validatorChanges: changes, signatures: signatures,
            bundleBytes: data.count, p50Micros: samples[samples.count / 2],
            p99Micros: samples[min(samples.count - 1, samples.count * 99 / 100)])
    }

    /// A four-validator chain whose log holds `accepted` transactions (firms registering pieces, 1,000 a block),
    /// and the last one's id. Progress on standard error: a large chain takes seconds to sign and execute.
    package static func chain(accepted: Int) -> (ChainFixture, TransactionID) {
        var chain = ChainFixture()
        let card = IdentityCard(category: .gold, weight: 1_000, fineness: 999)
        var last = TransactionID(.zero)
        var done = 0
        let clock = ContinuousClock()
        var reported = clock.now
        let firms = ["firmA", "firmB", "firmC"]
        while done < accepted {
            let count = min(1_000, accepted - done)
            let block = (0..<count).map { index in
                chain.sign(firms[(done + index) % firms.count], .registerPiece(.init(card: card, certificate: nil)))
            }
            chain.commit(block)
            last = block[block.count - 1].id
            done += count
            if clock.now - reported > .seconds(2) {
                reported = clock.now
                FileHandle.standardError.write(Data("  building a log of \(accepted): \(done) so far…\n".utf8))
            }
        }
        return (chain, last)
    }

    /// Ed25519 verifications per second on one core: one signature verified over and over for `seconds`.
    package static func signatureRate(seconds: Double) -> Double {
        guard let key = try? SigningKey(seed: Array(repeating: 7, count: 32)) else {
            preconditionFailure("32 bytes are a seed")
        }
        let message = Array("facet bench verify".utf8)
        let signature = key.signRaw(message)
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        while micros(clock.now - start) < seconds * 1e6 {
            for _ in 0..<100 {
                guard key.publicKey.verifyRaw(signature, message: message) else {
                    preconditionFailure("a fresh signature verifies")
                }
            }
            count += 100
        }
        return Double(count) / (micros(clock.now - start) / 1e6)
    }

    package static func micros(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    package static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    package static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    package struct Row: Encodable {
        package var logSize: Int
        package var validatorChanges: Int
        package var signatures: Int
        package var bundleBytes: Int
        package var p50Micros: Double
        package var p99Micros: Double
    }

    package struct Report: Encodable {
        package var cores: Int
        package var ed25519VerifiesPerSecond: Double
        package var rows: [Row]
    }
}
