import FacetCore
import FacetSimulation
import Foundation
import Synchronization

/// When each invoice was submitted, by position in the stream; written by the submitting tasks.
package final class SubmitInstants: Sendable {
    private let instants: Mutex<[ContinuousClock.Instant]>

    package init(count: Int) {
        instants = Mutex(Array(repeating: ContinuousClock.now, count: count))
    }

    package func set(_ position: Int, _ instant: ContinuousClock.Instant) {
        instants.withLock { $0[position] = instant }
    }
    package func get(_ position: Int) -> ContinuousClock.Instant { instants.withLock { $0[position] } }
}

/// A benchmark run that could not finish (the validators never connected, or stopped committing).
package struct BenchFailure: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}

/// Number formatting shared by the benchmarks' reports.
package enum BenchFormat {
    package static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    package static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

    package static func millis(_ duration: Duration) -> String { fixed(seconds(duration) * 1000, 1) + " ms" }

    /// "p50 …, p99 …, max …" of a non-empty sample.
    package static func percentiles(_ samples: [Duration]) -> String {
        let sorted = samples.sorted()
        return "p50 \(millis(Percentile.of(sorted, 50))), p99 \(millis(Percentile.of(sorted, 99))), "
            + "max \(millis(Percentile.of(sorted, 100)))"
    }
}

/// Submission instants in submission order, shared between the submitting and the producing task.
package final class SubmitTimes: Sendable {
    package init() {}

    private let times = Mutex<[ContinuousClock.Instant]>([])

    package func append(_ instant: ContinuousClock.Instant) {
        times.withLock { $0.append(instant) }
    }

    package func range(_ start: Int, count: Int) -> [ContinuousClock.Instant] {
        times.withLock { Array($0[start..<min(start + count, $0.count)]) }
    }
}

/// Progress lines, on stderr when stdout carries the JSON report.
package struct BenchLedgerProgress: Sendable {
    package init(toStandardError: Bool) {
        self.toStandardError = toStandardError
    }

    package let toStandardError: Bool

    package func line(_ text: String) {
        if toStandardError {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            print(text)
            fflush(nil)
        }
    }
}

extension SeededRandom {
    package mutating func hash() -> Hash256 { Hash256(w0: next(), w1: next(), w2: next(), w3: next()) }
}
