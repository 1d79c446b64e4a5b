import FacetAPI
import FacetConsensus
import FacetCore
import FacetHTML
import FacetLedger
import FacetNode
import FacetStore
import FacetWire
import Synchronization

/// The network as this node sees it: its height and consensus state, the mempool, each validator's last signed
/// block, uptime and failed rounds it proposed over the recent blocks, blocks per minute and transactions per second
/// over time, the evidence of misbehaviour recorded, and the refused transactions by error code. Every figure about
/// validators and throughput is read from the last `window` committed blocks (their headers, certificates and
/// results), so it is the chain's own record, the same on every node at one height.
enum NetworkPage {
    /// How many recent blocks the page reads.
    static let window = 200
    /// The most points a throughput chart draws; a longer span is grouped into buckets of several minutes.
    static let maxPoints = 240
    /// The most evidence records listed, newest first.
    static let maxEvidence = 100

    /// One validator's record over the window.
    struct ValidatorRow: Equatable {
        var id: MemberID
        /// In the validator set that signs the next block.
        var current: Bool
        /// The highest block in the window whose certificate it signed.
        var lastSigned: UInt64?
        /// Blocks in the window whose set included it, and those whose certificate carries its signature.
        var expected: Int
        var signed: Int
        /// Rounds it proposed that did not decide: rounds before the deciding one, at heights where it was that
        /// round's proposer.
        var failedRounds: Int

        var missed: Int { expected - signed }
        var uptime: Double { expected == 0 ? .nan : Double(signed) / Double(expected) }
    }

    /// Throughput in one bucket of block time.
    struct Bucket: Equatable {
        /// Minutes from the latest block's time to the bucket's start (zero or negative).
        var offsetMinutes: Double
        var blocks: Int
        var transactions: Int
    }

    /// The latest window's summary, by the head height it was made at.
    final class SummaryCache: Sendable {
        private let entry = Mutex<(height: UInt64, summary: Summary)?>(nil)

        func summary(at height: UInt64) -> Summary? {
            entry.withLock { $0?.height == height ? $0?.summary : nil }
        }

        func keep(_ summary: Summary, at height: UInt64) {
            entry.withLock { $0 = (height, summary) }
        }
    }

    /// What the window of blocks says.
    struct Summary: Sendable {
        var fromHeight: UInt64
        var toHeight: UInt64
        var blockCount: Int
        var bucketMinutes: Int
        var buckets: [Bucket]
        var validators: [ValidatorRow]
        /// Blocks whose signing set this node cannot name (it changed before the window): left out of uptime.
        var unknownSetBlocks: Int
        /// Blocks decided after round 0.
        var lateBlocks: Int
        /// Refused transactions by error code, most frequent first.
        var refused: [(code: String, count: Int)]
        var transactions: Int
    }

    struct Data {
        var status: NodeStatus
        var summary: Summary
        var evidence: [EvidenceRecord]
        var evidenceTruncated: Bool
        var names: [MemberID: String]
    }

    // MARK: Summary

    /// Reads `blocks` (ascending, consecutive) against the validator sets known by hash, with `current` the set
    /// that signs the next block.
    static func summarize(_ blocks: [StoredBlock], sets: [Hash256: ValidatorSet], current: ValidatorSet) -> Summary {
        var rows = [MemberID: ValidatorRow]()
        for validator in current.validators {
            rows[validator.member] = ValidatorRow(
                id: validator.member, current: true, lastSigned: nil, expected: 0, signed: 0, failedRounds: 0)
        }
        func touch(_ id: MemberID) {
            if rows[id] == nil {
                rows[id] = ValidatorRow(
                    id: id, current: false, lastSigned: nil, expected: 0, signed: 0, failedRounds: 0)
            }
        }
        var unknown = 0
        var late = 0
        var refused = [String: Int]()
        var transactions = 0
        for block in blocks {
            let height = block.header.height
            let signers = Set(block.certificate.signatures.map(\.validator))
            for signer in signers {
                touch(signer)
                rows[signer]?.lastSigned = height
            }
            if block.certificate.round > 0 { late += 1 }
            transactions += block.transactions.count
            for result in block.results {
                if let error = result.error { refused[error.code.rawValue, default: 0] += 1 }
            }
            guard let set = sets[block.header.validatorsHash] else {
                unknown += 1
                continue
            }
            for validator in set.validators {
                touch(validator.member)
                rows[validator.member]?.expected += 1
                if signers.contains(validator.member) { rows[validator.member]?.signed += 1 }
            }
            for round in 0..<block.certificate.round {
                let proposer = Tendermint.proposer(height: height, round: round, validators: set)
                touch(proposer)
                rows[proposer]?.failedRounds += 1
            }
        }
        let (bucketMinutes, buckets) = throughput(blocks)
        return Summary(
            fromHeight: blocks.first?.header.height ?? 0, toHeight: blocks.last?.header.height ?? 0,
            blockCount: blocks.count, bucketMinutes: bucketMinutes, buckets: buckets,
            validators: rows.values.sorted { ($1.current ? 1 : 0, $0.id.hex) < ($0.current ? 1 : 0, $1.id.hex) },
            unknownSetBlocks: unknown, lateBlocks: late,
            refused: refused.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) },
            transactions: transactions)
    }

    /// Blocks and transactions per bucket of block time, from the first block's bucket to the last's, empty
    /// buckets included. Buckets are one minute, or wider when the span would need more than `maxPoints`.
    static func throughput(_ blocks: [StoredBlock]) -> (minutes: Int, buckets: [Bucket]) {
        guard let first = blocks.first?.header.time.millis, let last = blocks.last?.header.time.millis else {
            return (1, [])
        }
        let minute: Int64 = 60_000
        let span = (last - first) / minute + 1
        let width = Int64(max(1, (span + Int64(maxPoints) - 1) / Int64(maxPoints)))
        let bucketMillis = width * minute
        let start = first - first % bucketMillis
        let count = Int((last - start) / bucketMillis) + 1
        var buckets = (0..<count).map { index in
            Bucket(
                offsetMinutes: Double(start + Int64(index) * bucketMillis - last) / Double(minute), blocks: 0,
                transactions: 0)
        }
        for block in blocks {
            let index = Int((block.header.time.millis - start) / bucketMillis)
            buckets[index].blocks += 1
            buckets[index].transactions += block.transactions.count
        }
        return (Int(width), buckets)
    }

    // MARK: Rendering

    static func render(_ data: Data) -> HTML {
        let status = data.status
        let summary = data.summary
        let consensus: HTML =
            status.consensus.map { info in
                """
                \(figure("Consensus", info.mode, id: "consensus"))\
                \(figure("Round", "\(info.height)/\(info.round) \(info.step)", id: "round"))\
                \(figure("Best peer height", DashboardFormat.number(Double(info.bestPeerHeight)), id: "peer-height"))\
                \(figure("Peers", "\(info.peers.count)", id: "peers"))
                """
            } ?? figure("Consensus", "lone validator", id: "consensus")
        let mempoolBytes = DashboardFormat.number(Double(status.mempoolBytes)) + " bytes"
        return """
            <p>Chain <code>\(status.chainID)</code>, head block \
            <code>\(String(status.blockID.hex.prefix(16)))…</code> at \(DashboardFormat.dateTime(status.time)).</p>
            <div class="figures">\
            \(figure("Height", "\(status.height)", id: "height"))\(consensus)\
            \(figure("Mempool", "\(status.mempoolCount) transactions", id: "mempool"))\
            \(figure("Mempool size", mempoolBytes, id: "mempool-bytes"))\
            </div>
            <p>Validators, throughput and refusals below are read from the last \(summary.blockCount) blocks \
            (heights \(summary.fromHeight) to \(summary.toHeight)): \(summary.transactions) transactions, \
            \(summary.lateBlocks) blocks decided after round 0.</p>
            <h2>Validators</h2>\(validators(summary, names: data.names))
            <h2>Throughput</h2>\(charts(summary))
            <h2>Refused transactions by code</h2>\(refusals(summary))
            <h2>Evidence of misbehaviour</h2>\(evidence(data))
            """
    }

    private static func figure(_ label: String, _ value: String, id: String) -> HTML {
        "<div class=\"figure\" id=\"figure-\(id)\">\(label)<b>\(value)</b></div>"
    }

    private static func name(_ id: MemberID, _ names: [MemberID: String]) -> HTML {
        "<span title=\"\(id.hex)\">\(names[id] ?? String(id.hex.prefix(10)) + "…")</span>"
    }

    private static func validators(_ summary: Summary, names: [MemberID: String]) -> HTML {
        let rows = summary.validators.map { row in
            HTML(
                """
                <tr data-validator="\(row.id.hex)"><td>\(name(row.id, names))\(row.current ? "" : " (left the set)")\
                </td><td class="num">\(row.lastSigned.map { "\($0)" } ?? "none in the window")</td>\
                <td class="num">\(DashboardFormat.percent(row.uptime, digits: 1))</td>\
                <td class="num">\(row.signed) of \(row.expected)</td><td class="num">\(row.missed)</td>\
                <td class="num">\(row.failedRounds)</td></tr>
                """)
        }
        let unknown: HTML =
            summary.unknownSetBlocks == 0
            ? .empty
            : """
            <p class="warning">\(summary.unknownSetBlocks) blocks were signed by a validator set this node no longer \
            holds; they count for the last signed height but not for uptime.</p>
            """
        return """
            <div class="table"><table id="validators"><thead><tr><th>Validator</th><th class="num">Last signed</th>\
            <th class="num">Uptime</th><th class="num">Certificates signed</th><th class="num">Missed</th>\
            <th class="num">Failed rounds it proposed</th></tr></thead><tbody>\(rows)</tbody></table></div>\(unknown)
            <p><small>Uptime is the share of the window's blocks, among those its set had to sign, whose commit \
            certificate carries its signature; missed are the others. A certificate needs only a quorum, so a \
            missing signature may be a late precommit rather than an absence. Failed rounds count the rounds before \
            the deciding one at heights where the validator was that round's proposer.</small></p>
            """
    }

    private static func charts(_ summary: Summary) -> HTML {
        guard !summary.buckets.isEmpty else { return "<p>No block has been committed yet.</p>" }
        let minutes = Double(summary.bucketMinutes)
        let perMinute = summary.buckets.map { (x: $0.offsetMinutes, y: Double($0.blocks) / minutes) }
        let perSecond = summary.buckets.map { (x: $0.offsetMinutes, y: Double($0.transactions) / (minutes * 60)) }
        let low = min(summary.buckets.first?.offsetMinutes ?? 0, -minutes)
        let x = SVGChart.Axis(label: "Block time before the latest block", unit: "min", range: low...0)
        func axis(_ values: [(x: Double, y: Double)], _ label: String, _ unit: String) -> SVGChart.Axis {
            let top = SVGChart.niceTicks(upTo: values.map(\.y).max() ?? 0).last ?? 1
            return SVGChart.Axis(label: label, unit: unit, range: 0...top)
        }
        let bucket = summary.bucketMinutes == 1 ? "minute" : "\(summary.bucketMinutes) minutes"
        return """
            \(SVGChart.lines(
                id: "blocks-per-minute", title: "Blocks per minute, by \(bucket) of block time",
                lines: [SVGChart.Line(name: "blocks", points: perMinute, stroke: .solid, area: true)], x: x,
                y: axis(perMinute, "Blocks", "blocks/min"), width: 640, height: 300))\
            \(SVGChart.lines(
                id: "transactions-per-second", title: "Transactions per second, by \(bucket) of block time",
                lines: [SVGChart.Line(name: "transactions", points: perSecond, stroke: .dashed, area: true)], x: x,
                y: axis(perSecond, "Transactions", "tx/s"), width: 640, height: 300))
            <p><small>Each point covers \(summary.bucketMinutes == 1 ? "one minute" : bucket) of block time, starting \
            at the minute shown; the first and last may be partly covered by the window.</small></p>
            """
    }

    private static func refusals(_ summary: Summary) -> HTML {
        guard !summary.refused.isEmpty else {
            return "<p>No transaction was refused in the last \(summary.blockCount) blocks.</p>"
        }
        let rows = summary.refused.map { item in
            HTML(
                """
                <tr data-code="\(item.code)"><td><code>\(item.code)</code></td>\
                <td class="num">\(item.count)</td></tr>
                """)
        }
        return """
            <p>Over the last \(summary.blockCount) blocks.</p><div class="table"><table id="refused"><thead><tr>\
            <th>Code</th><th class="num">Refused</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    private static func evidence(_ data: Data) -> HTML {
        guard !data.evidence.isEmpty else { return "<p>None recorded.</p>" }
        let rows = data.evidence.map { record in
            HTML(
                """
                <tr data-evidence="\(record.id.hex)"><td>\(name(record.offender, data.names))</td>\
                <td>\(APIJSON.Names.misbehavior(record.kind).rawValue)</td>\
                <td class="num">\(record.slot.height)/\(record.slot.round) \(APIJSON.Names.step(record.slot.step))</td>\
                <td>\(name(record.reporter, data.names))</td><td class="num">\(record.height)</td>\
                <td>\(DashboardFormat.dateTime(record.time))</td></tr>
                """)
        }
        let note: HTML =
            data.evidenceTruncated ? "<p>The newest \(maxEvidence) records are shown.</p>" : .empty
        return """
            <div class="table"><table id="evidence"><thead><tr><th>Offender</th><th>Misbehaviour</th>\
            <th class="num">Height/round step</th><th>Reported by</th><th class="num">Recorded at block</th>\
            <th>Time</th></tr></thead><tbody>\(rows)</tbody></table></div>\(note)
            """
    }
}
