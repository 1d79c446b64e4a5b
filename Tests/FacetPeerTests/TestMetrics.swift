import CoreMetrics
import Synchronization

/// A swift-metrics factory that keeps every counter and gauge in memory, keyed by label and sorted dimensions, so a
/// test can read what one transport recorded.
final class TestMetrics: MetricsFactory, Sendable {
    private let values = Mutex<[String: Int64]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        let sorted = dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }
        return sorted.isEmpty ? label : "\(label){\(sorted.joined(separator: ","))}"
    }

    func value(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        values.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    func dropped(_ reason: String) -> Int64 {
        value("facet_peer_dropped_total", [("reason", reason)])
    }

    fileprivate func add(_ key: String, _ amount: Int64) {
        values.withLock { $0[key, default: 0] += amount }
    }

    fileprivate func set(_ key: String, _ value: Int64) {
        values.withLock { $0[key] = value }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        TestCounter(metrics: self, key: Self.key(label, dimensions))
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        TestRecorder(metrics: self, key: Self.key(label, dimensions))
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        TestRecorder(metrics: self, key: Self.key(label, dimensions))
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

private final class TestCounter: CounterHandler, Sendable {
    let metrics: TestMetrics
    let key: String

    init(metrics: TestMetrics, key: String) {
        self.metrics = metrics
        self.key = key
    }

    func increment(by amount: Int64) { metrics.add(key, amount) }
    func reset() { metrics.set(key, 0) }
}

private final class TestRecorder: RecorderHandler, TimerHandler, Sendable {
    let metrics: TestMetrics
    let key: String

    init(metrics: TestMetrics, key: String) {
        self.metrics = metrics
        self.key = key
    }

    func record(_ value: Int64) { metrics.set(key, value) }
    func record(_ value: Double) { metrics.set(key, Int64(value)) }
    func recordNanoseconds(_ duration: Int64) { metrics.set(key, duration) }
}
