import Foundation

/// `facet bench ledger`'s result: the run's settings, the machine, and one entry per phase. Printed as tables, or as
/// one JSON object with `--json` (for `ops/bench`).
package struct BenchLedgerReport: Codable, Sendable {
    package struct Usage: Codable, Sendable {
        package let validator: Int
        /// CPU time (user + system) over the phase's submitting time; 100 is one core.
        package let cpuPercent: Double
        /// The process's peak resident memory during the phase (`VmHWM`, reset at the phase's start).
        package let peakRSSMiB: Double
    }

    package struct Phase: Codable, Sendable {
        package let name: String
        /// Nil for the saturation run (clients submit back to back).
        package let offeredPerSecond: Double?
        package let submitted: Int
        package let refused: [String: Int]
        /// Committed as refusals (the ledger's contracts said no): a valid stream has none.
        package let rejected: Int
        /// Accepted but not seen committed on its validator within 60 s of the phase's end.
        package let uncommitted: Int
        package let poolExhausted: Bool
        package let seconds: Double
        package let committedPerSecond: Double
        package let latencyP50Millis: Double?
        package let latencyP95Millis: Double?
        package let latencyP99Millis: Double?
        package let latencyMaxMillis: Double?
        package let blockIntervalMillis: Double?
        package let transactionsPerBlock: Double?
        package let blocks: Int
        /// This benchmark's own CPU (clients, block watchers) over the phase: it shares the validators' cores.
        package let loadCPUPercent: Double
        package let validators: [Usage]
    }

    package struct Machine: Codable, Sendable {
        package let cores: Int
        package let cpu: String
        package let os: String
    }

    package let command: String
    package let machine: Machine
    package let validators: Int
    package let store: String
    package let clients: Int
    /// Transactions per HTTP request.
    package let batch: Int
    package let blockMillis: Int
    package let maxBlock: Int
    package let latencyMethod: String
    package let phases: [Phase]

    package static func machine() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        return Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model,
            os: ProcessInfo.processInfo.operatingSystemVersionString)
    }

    package func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { preconditionFailure("the report encodes") }
        return String(decoding: data, as: UTF8.self)
    }

    package func table() -> String {
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
