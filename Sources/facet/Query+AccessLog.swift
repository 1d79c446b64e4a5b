import ArgumentParser
import FacetClient
import FacetCore
import FacetFiles

/// `facet query access-log`: who read a firm's private data (its consented lenders' reports and records, auditors'
/// reads), newest first, as the node that served them recorded it.
extension Query {
    struct AccessLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access-log",
            abstract: "Who read a firm's data: its consented lenders' and auditors' reads, newest first.",
            discussion: """
                Each node records the reads it served, so the log is that of the --node asked. Reads of the same \
                thing by the same reader within a minute are one line with a count.
                """)
        @OptionGroup var query: QueryOptions
        @Option(help: "The key file that signs the request: the firm's own (or an auditor's).") var key: String
        @Option(help: "The firm whose log to read (default: the --key file's member).", transform: CLIInput.id)
        var firm: MemberID?
        @Option(
            help: "Only reads before this time (RFC 3339 UTC); the log's next page starts where it says.",
            transform: CLIInput.time)
        var before: Timestamp?
        @Option(help: "At most this many receipts (1 to 500; default 100).") var limit: Int?

        func validate() throws {
            if let limit, !(1...500).contains(limit) { throw ValidationError("--limit is from 1 to 500") }
        }

        func run() async throws {
            let signer = try KeyFile.member(key)
            try await query.show(
                { (client) throws(ClientError) in
                    try await client.accessLog(
                        firm: firm ?? signer.member, key: signer, before: before, limit: limit)
                }, lines: AccessLogTable.lines)
        }
    }
}

/// The access log as a table for people: when, who (the member's name where the node knows it, else its id), what,
/// under which right, the ledger height and how many reads; then where the next page starts.
enum AccessLogTable {
    static let header = ["when", "who", "what", "under", "height", "reads"]

    static func lines(_ log: NodeAPI.AccessLog) -> [String] {
        guard !log.receipts.isEmpty else { return [] }
        let rows = [header] + log.receipts.map(row)
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { cells in
            zip(cells, widths).map { cell, width in cell + String(repeating: " ", count: width - cell.count) }
                .joined(separator: "  ").trimmingTrailingSpaces
        }
        if let next = log.next {
            lines.append("older receipts: --before \(QueryOutput.time(next))")
        }
        return lines
    }

    static func row(_ receipt: NodeAPI.AccessReceipt) -> [String] {
        let under =
            switch receipt.basis {
            case .consent: "consent granted " + (receipt.consentGrantedAt.map(QueryOutput.time) ?? "?")
            case .auditor: "auditor"
            }
        return [
            QueryOutput.time(receipt.at), receipt.readerName ?? receipt.reader, receipt.what, under,
            String(receipt.height), String(receipt.count),
        ]
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
