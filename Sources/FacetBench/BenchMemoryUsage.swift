import Foundation

/// A process's memory from `/proc/PID/status`, in bytes.
package struct BenchMemoryUsage: Codable, Sendable {
    package let rss: Int64
    package let peak: Int64
    package let anonymous: Int64
    package let file: Int64

    package static func read(pid: Int32) -> BenchMemoryUsage {
        let fields = kilobyteFields(path: "/proc/\(pid)/status")
        return BenchMemoryUsage(
            rss: fields["VmRSS"] ?? 0, peak: fields["VmHWM"] ?? 0, anonymous: fields["RssAnon"] ?? 0,
            file: fields["RssFile"] ?? 0)
    }

    /// `/proc/PID/smaps_rollup`'s Rss and Pss lines, in bytes.
    package static func smapsRollup(pid: Int32) -> [String: Int64] {
        kilobyteFields(path: "/proc/\(pid)/smaps_rollup").filter { $0.key.hasPrefix("Rss") || $0.key.hasPrefix("Pss") }
    }

    private static func kilobyteFields(path: String) -> [String: Int64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var fields = [String: Int64]()
        for line in text.split(separator: "\n") where line.hasSuffix(" kB") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let number = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).first
                .flatMap { Int64($0) }
            if let number { fields[String(line[..<colon])] = number * 1024 }
        }
        return fields
    }
}

/// `facet bench memory`'s figures: a table, or one JSON object.
package struct BenchMemoryReport: Encodable, Sendable {
    package init(
        transactions: Int,
        height: UInt64,
        storeBytes: Int64,
        sqliteBytes: Int64,
        walBytes: Int64,
        buildSeconds: Double?,
        buildPerSecond: Double?,
        startupSeconds: Double,
        ready: BenchMemoryUsage,
        afterReads: BenchMemoryUsage,
        readsSeconds: Double,
        reads: Int,
        smapsRollupAtReady: [String: Int64],
        peakRSSBytes: Int64,
        targetBytes: Int64
    ) {
        self.transactions = transactions
        self.height = height
        self.storeBytes = storeBytes
        self.sqliteBytes = sqliteBytes
        self.walBytes = walBytes
        self.buildSeconds = buildSeconds
        self.buildPerSecond = buildPerSecond
        self.startupSeconds = startupSeconds
        self.ready = ready
        self.afterReads = afterReads
        self.readsSeconds = readsSeconds
        self.reads = reads
        self.smapsRollupAtReady = smapsRollupAtReady
        self.peakRSSBytes = peakRSSBytes
        self.targetBytes = targetBytes
    }

    package let transactions: Int
    package let height: UInt64
    package let storeBytes: Int64
    package let sqliteBytes: Int64
    package let walBytes: Int64
    package let buildSeconds: Double?
    package let buildPerSecond: Double?
    package let startupSeconds: Double
    package let ready: BenchMemoryUsage
    package let afterReads: BenchMemoryUsage
    package let readsSeconds: Double
    package let reads: Int
    package let smapsRollupAtReady: [String: Int64]
    package let peakRSSBytes: Int64
    package let targetBytes: Int64
    package var targetMet: Bool { peakRSSBytes <= targetBytes }

    package enum CodingKeys: String, CodingKey {
        case transactions, height, storeBytes, sqliteBytes, walBytes, buildSeconds, buildPerSecond, startupSeconds
        case ready, afterReads, readsSeconds, reads, smapsRollupAtReady, peakRSSBytes, targetBytes, targetMet
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(transactions, forKey: .transactions)
        try container.encode(height, forKey: .height)
        try container.encode(storeBytes, forKey: .storeBytes)
        try container.encode(sqliteBytes, forKey: .sqliteBytes)
        try container.encode(walBytes, forKey: .walBytes)
        try container.encode(buildSeconds, forKey: .buildSeconds)
        try container.encode(buildPerSecond, forKey: .buildPerSecond)
        try container.encode(startupSeconds, forKey: .startupSeconds)
        try container.encode(ready, forKey: .ready)
        try container.encode(afterReads, forKey: .afterReads)
        try container.encode(readsSeconds, forKey: .readsSeconds)
        try container.encode(reads, forKey: .reads)
        try container.encode(smapsRollupAtReady, forKey: .smapsRollupAtReady)
        try container.encode(peakRSSBytes, forKey: .peakRSSBytes)
        try container.encode(targetBytes, forKey: .targetBytes)
        try container.encode(targetMet, forKey: .targetMet)
    }

    package static func mib(_ bytes: Int64) -> String { BenchFormat.fixed(Double(bytes) / 1_048_576, 1) + " MiB" }

    package func table() -> String {
        var rows: [(String, String)] = [
            ("transactions stored", "\(transactions)"),
            ("height", "\(height)"),
            ("store on disk", "\(Self.mib(storeBytes)) (sqlite \(Self.mib(sqliteBytes)), wal \(Self.mib(walBytes)))"),
            (
                "build",
                buildSeconds.map {
                    "\(BenchFormat.fixed($0, 1)) s, \(Int(buildPerSecond ?? 0)) tx/s"
                } ?? "reused"
            ),
            ("node start-up to ready", "\(BenchFormat.fixed(startupSeconds, 1)) s"),
            (
                "RSS at ready",
                "\(Self.mib(ready.rss)) (anonymous \(Self.mib(ready.anonymous)), file \(Self.mib(ready.file)))"
            ),
            ("peak RSS (VmHWM)", Self.mib(peakRSSBytes)),
            (
                "RSS after reads",
                "\(Self.mib(afterReads.rss)) (\(reads) × status, block, proof in \(BenchFormat.fixed(readsSeconds, 1)) s)"
            ),
            ("target ≤ 1 GiB resident", targetMet ? "met" : "MISSED"),
        ]
        for key in smapsRollupAtReady.keys.sorted() {
            rows.append(("  smaps_rollup \(key) at ready", Self.mib(smapsRollupAtReady[key] ?? 0)))
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }.joined(
            separator: "\n")
    }
}
