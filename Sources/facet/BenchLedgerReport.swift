import Foundation

/// `facet bench ledger`'s result: the run's settings, the machine, and one entry per phase. Printed as tables, or as
/// one JSON object with `--json` (for `ops/bench`).
struct BenchLedgerReport: Codable, Sendable {
    struct Usage: Codable, Sendable {
        let validator: Int
        /// CPU time (user + system) over the phase's submitting time; 100 is one core.
        let cpuPercent: Double
        /// The process's peak resident memory during the phase (`VmHWM`, reset at the phase's start).
        let peakRSSMiB: Double
    }

    struct Phase: Codable, Sendable {
        let name: String
        /// Nil for the saturation run (clients submit back to back).
        let offeredPerSecond: Double?
        let submitted: Int
        let refused: [String: Int]
        /// Committed as refusals (the ledger's contracts said no): a valid stream has none.
        let rejected: Int
        /// Accepted but not seen committed on its validator within 60 s of the phase's end.
        let uncommitted: Int
        let poolExhausted: Bool
        let seconds: Double
        let committedPerSecond: Double
        let latencyP50Millis: Double?
        let latencyP95Millis: Double?
        let latencyP99Millis: Double?
        let latencyMaxMillis: Double?
        let blockIntervalMillis: Double?
        let transactionsPerBlock: Double?
        let blocks: Int
        /// This benchmark's own CPU (clients, block watchers) over the phase: it shares the validators' cores.
        let loadCPUPercent: Double
        let validators: [Usage]
    }

    struct Machine: Codable, Sendable {
        let cores: Int
        let cpu: String
        let os: String
    }

    let command: String
    let machine: Machine
    let validators: Int
    let store: String
    let clients: Int
    /// Transactions per HTTP request.
    let batch: Int
    let blockMillis: Int
    let maxBlock: Int
    let latencyMethod: String
    let phases: [Phase]

    static func machine() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model,
            os: ProcessInfo.processInfo.operatingSystemVersionString)
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { preconditionFailure("the report encodes") }
        return String(decoding: data, as: UTF8.self)
    }

    func table() -> String {
        var lines = [
            "",
            "facet bench ledger: \(validators) validator process(es), \(store) stores, \(clients) HTTP clients "
                + "(\(batch == 1 ? "one transaction" : "\(batch) transactions") a request), blocks every \(blockMillis) ms (at most \(maxBlock) transactions)",
            "machine: \(machine.cores) cores, \(machine.cpu), \(machine.os)",
            "command: \(command)",
            "latency: \(latencyMethod)",
            "",
        ]
        let header = [
            "phase", "offered/s", "committed/s", "p50 ms", "p95 ms", "p99 ms", "block ms", "tx/block", "submitted",
            "refused", "rejected", "uncommitted",
        ]
        var rows = [header]
        for phase in phases {
            rows.append([
                phase.name, phase.offeredPerSecond.map { Self.number($0, 0) } ?? "max",
                Self.number(phase.committedPerSecond, 0), Self.optional(phase.latencyP50Millis),
                Self.optional(phase.latencyP95Millis), Self.optional(phase.latencyP99Millis),
                Self.optional(phase.blockIntervalMillis), Self.optional(phase.transactionsPerBlock),
                "\(phase.submitted)" + (phase.poolExhausted ? "*" : ""), "\(phase.refused.values.reduce(0, +))",
                "\(phase.rejected)", "\(phase.uncommitted)",
            ])
        }
        lines += Self.align(rows)
        if phases.contains(where: \.poolExhausted) {
            lines.append("* a client ran out of pre-signed transactions (raise --saturate-transactions)")
        }
        for phase in phases where !phase.refused.isEmpty {
            lines.append(
                "\(phase.name) refusals: "
                    + phase.refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("")
        var usage = [["phase", "validator", "CPU %", "peak RSS MiB"]]
        for phase in phases {
            for entry in phase.validators {
                usage.append([
                    phase.name, "\(entry.validator)", Self.number(entry.cpuPercent, 0),
                    Self.number(entry.peakRSSMiB, 1),
                ])
            }
        }
        lines += Self.align(usage)
        lines.append("")
        lines.append(
            "  the load generator itself (clients and block watchers, same cores): "
                + phases.map { "\($0.name) \(Self.number($0.loadCPUPercent, 0))% CPU" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double, _ digits: Int) -> String { BenchFormat.fixed(value, digits) }
    private static func optional(_ value: Double?) -> String { value.map { number($0, 1) } ?? "-" }

    private static func align(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            "  "
                + row.enumerated().map {
                    $0.element.padding(toLength: widths[$0.offset] + 2, withPad: " ", startingAt: 0)
                }
                .joined()
        }
    }
}
