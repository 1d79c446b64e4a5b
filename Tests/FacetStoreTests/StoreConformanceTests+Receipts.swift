import FacetCore
import Testing

@testable import FacetStore

/// Access receipts: recorded durably, read back newest first in pages that miss nothing, merged when alike within a
/// minute, and kept within `ReceiptLimits` without letting one reader push another's receipts out.
extension StoreConformanceTests {
    @Test(arguments: Backend.selected)
    func receiptsReadBackNewestFirstAndSurviveReopening(backend: Backend) async throws {
        let report = Receipts.receipt(at: 1_000, height: 40)
        let audit = Receipts.receipt(
            reader: Receipts.auditor, what: "transaction", basis: .auditor, at: 90_000, height: 41)
        let offers = Receipts.receipt(what: "credit.offers", at: 200_000, height: 42)
        let other = Receipts.receipt(firm: Receipts.member(9), at: 300_000)
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                #expect(try await store.receipts(firm: Receipts.firm, before: nil, limit: 10).isEmpty)
                try await store.recordReceipts([])
                try await store.recordReceipts([report, other])
                try await store.recordReceipts([audit, offers])
            }
            try await scratch.open { store in
                try await store.migrate()
                #expect(
                    try await store.receipts(firm: Receipts.firm, before: nil, limit: 10) == [offers, audit, report])
                #expect(try await store.receipts(firm: Receipts.firm, before: offers.at, limit: 10) == [audit, report])
                #expect(try await store.receipts(firm: Receipts.firm, before: nil, limit: 1) == [offers])
                #expect(try await store.receipts(firm: Receipts.firm, before: report.at, limit: 10).isEmpty)
                #expect(try await store.receipts(firm: Receipts.member(9), before: nil, limit: 10) == [other])
                #expect(try await store.receipts(firm: Receipts.lender, before: nil, limit: 10).isEmpty, "by firm only")
            }
        }
    }

    @Test(arguments: Backend.selected)
    func readsAlikeWithinAMinuteMergeIntoOneReceipt(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                // 2,000 reads of one report in one minute: in one batch, across batches and one at a time.
                try await store.recordReceipts((0..<1_500).map { Receipts.receipt(at: Int64($0 * 20), height: 10) })
                for second in 30..<50 {
                    try await store.recordReceipts(
                        (0..<25).map { _ in Receipts.receipt(at: Int64(second) * 1_000, height: 12) })
                }
                // The minute's end, then a new minute, another label, a regranted consent, the auditor role.
                let last = Receipts.receipt(at: 59_999, height: 11)
                let nextMinute = Receipts.receipt(at: 60_000)
                let otherLabel = Receipts.receipt(what: "records.invoices", at: 10)
                let regranted = Receipts.receipt(basis: .consent(grantedAt: Receipts.time(-5_000)), at: 20)
                let audit = Receipts.receipt(basis: .auditor, at: 30)
                try await store.recordReceipts([last, nextMinute, otherLabel, regranted, audit])
                let found = try await store.receipts(firm: Receipts.firm, before: nil, limit: 100)
                #expect(found.count == 5)
                let merged = try #require(found.first { $0.count > 1 })
                #expect(merged.what == "credit.report" && merged.basis == last.basis)
                #expect(merged.count == 2_001, "every read counted")
                #expect(merged.at == last.at, "the latest read's time")
                #expect(merged.height == 12, "the highest height read")
                #expect(found.first == nextMinute)
                #expect(found.contains(otherLabel) && found.contains(regranted) && found.contains(audit))
            }
        }
    }

    @Test(arguments: Backend.selected)
    func concurrentRecordingsLoseNoRead(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<8 {
                        group.addTask {
                            for read in 0..<10 {
                                try await store.recordReceipts([
                                    Receipts.receipt(at: Int64(task * 10 + read)),
                                    Receipts.receipt(reader: Receipts.member(UInt8(20 + task)), at: Int64(read)),
                                ])
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let log = try await store.receipts(firm: Receipts.firm, before: nil, limit: 100)
                #expect(log.count == 9, "one merged receipt of the shared reader, one of each other reader")
                #expect(log.first { $0.reader == Receipts.lender }?.count == 80)
                #expect(log.filter { $0.reader != Receipts.lender }.allSatisfy { $0.count == 10 })
            }
        }
    }

    @Test(arguments: Backend.selected)
    func aFloodingReaderPushesOutOnlyItsOwnReceipts(backend: Backend) async throws {
        let flooder = Receipts.member(4)
        let honest = Receipts.receipt(what: "credit.report", at: 0)
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await store.recordReceipts([honest])
                // One read a minute for 1,500 minutes, recorded in batches as a busy node would.
                for batch in stride(from: 1, through: 1_500, by: 500) {
                    try await store.recordReceipts(
                        (batch..<batch + 500).map { minute in
                            Receipts.receipt(reader: flooder, what: "records.invoices", at: Int64(minute) * 60_000)
                        })
                }
                let log = try await Receipts.all(store, firm: Receipts.firm, pageSize: ReceiptLimits.maxPage)
                #expect(log.filter { $0.reader == flooder }.count == ReceiptLimits.perReader)
                #expect(log.last == honest, "the honest lender's read is still listed, oldest")
                let flood = log.filter { $0.reader == flooder }
                #expect(flood.first?.at == Receipts.time(1_500 * 60_000), "the flood's newest receipts stay")
                #expect(flood.last?.at == Receipts.time(Int64(1_501 - ReceiptLimits.perReader) * 60_000))
            }
        }
    }

    @Test(arguments: Backend.selected)
    func aFirmKeepsItsNewestReceiptsUpToItsBound(backend: Backend) async throws {
        let readers = ReceiptLimits.perFirm / ReceiptLimits.perReader + 1
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                // Reader r reads in minutes r·perReader up to (r+1)·perReader, so reader 0 holds the oldest.
                for r in 0..<readers {
                    try await store.recordReceipts(
                        (0..<ReceiptLimits.perReader).map { i in
                            Receipts.receipt(
                                reader: Receipts.member(UInt8(10 + r)),
                                at: Int64(r * ReceiptLimits.perReader + i) * 60_000)
                        })
                }
                let log = try await Receipts.all(store, firm: Receipts.firm, pageSize: 997)
                #expect(log.count == ReceiptLimits.perFirm)
                #expect(!log.contains { $0.reader == Receipts.member(10) }, "the oldest reader's receipts went first")
                #expect(log.map(\.at) == log.map(\.at).sorted(by: >), "newest first across pages")
                #expect(Set(log.map(\.at)).count == log.count, "no receipt twice, none skipped")
            }
        }
    }

    @Test(arguments: Backend.selected)
    func receiptsOlderThanTheirAgeAreSwept(backend: Backend) async throws {
        let expired = [Receipts.receipt(at: 0), Receipts.receipt(firm: Receipts.member(9), what: "block", at: 0)]
        let now = Receipts.receipt(firm: Receipts.member(8), at: 1 + ReceiptLimits.maxAgeMillis)
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await store.recordReceipts(expired + [Receipts.receipt(what: "proof", at: 1)])
                try await store.recordReceipts([now])
                #expect(try await store.receipts(firm: Receipts.firm, before: nil, limit: 10).map(\.what) == ["proof"])
                #expect(try await store.receipts(firm: Receipts.member(9), before: nil, limit: 10).isEmpty)
                #expect(try await store.receipts(firm: Receipts.member(8), before: nil, limit: 10) == [now])
            }
        }
    }

    @Test(arguments: Backend.selected)
    func aPageNeverEndsInsideAMillisecond(backend: Backend) async throws {
        let newest = Receipts.receipt(what: "credit.report", at: 10)
        let tied = [Receipts.receipt(what: "proof", at: 5), Receipts.receipt(what: "block", at: 5)]
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                try await store.recordReceipts(tied + [newest])
                #expect(try await store.receipts(firm: Receipts.firm, before: nil, limit: 2) == [newest])
                let rest = try await store.receipts(firm: Receipts.firm, before: newest.at, limit: 2)
                #expect(Set(rest) == Set(tied))
                #expect(try await Receipts.all(store, firm: Receipts.firm, pageSize: 2).count == 3)
                // A millisecond holding more than the page is cut at the limit rather than answered empty.
                #expect(try await store.receipts(firm: Receipts.firm, before: newest.at, limit: 1).count == 1)
            }
        }
    }

    @Test(arguments: Backend.selected)
    func receiptRequestsOutOfBoundsAreRefused(backend: Backend) async throws {
        try await ScratchStore.with(backend) { scratch in
            try await scratch.open { store in
                try await store.migrate()
                for limit in [0, -1, ReceiptLimits.maxPage + 1] {
                    let error = await #expect(throws: StoreError.self) {
                        try await store.receipts(firm: Receipts.firm, before: nil, limit: limit)
                    }
                    #expect(error?.code == .invalidRequest)
                }
                var unlabelled = Receipts.receipt(at: 0)
                unlabelled.what = String(repeating: "x", count: AccessReceipt.maxWhatBytes + 1)
                var uncounted = Receipts.receipt(at: 0)
                uncounted.count = 0
                let tooMany = Array(repeating: Receipts.receipt(at: 0), count: ReceiptLimits.maxBatch + 1)
                for batch in [[Receipts.receipt(at: 1), unlabelled], [uncounted], tooMany] {
                    let error = await #expect(throws: StoreError.self) { try await store.recordReceipts(batch) }
                    #expect(error?.code == .invalidRequest)
                }
                #expect(
                    try await store.receipts(firm: Receipts.firm, before: nil, limit: 10).isEmpty, "nothing written")
            }
        }
    }
}

/// The receipts the conformance tests record, and reading a firm's whole log.
private enum Receipts {
    static func member(_ n: UInt8) -> MemberID { MemberID(SHA256Hash.digest([0xAC, n])) }
    static let firm = member(1)
    static let lender = member(2)
    static let auditor = member(3)
    /// Mid-November 2023, on a minute boundary.
    static let start: Int64 = 1_700_000_040_000

    static func time(_ millis: Int64) -> Timestamp { Timestamp(uncheckedMillis: start + millis) }

    static func receipt(
        firm: MemberID = firm, reader: MemberID = lender, what: String = "credit.report",
        basis: AccessReceipt.Basis = .consent(grantedAt: Timestamp(uncheckedMillis: 1_690_000_000_000)),
        at millis: Int64, height: UInt64 = 10
    ) -> AccessReceipt {
        AccessReceipt(firm: firm, reader: reader, what: what, basis: basis, at: time(millis), height: height)
    }

    /// Every receipt of `firm`, page by page through `before`.
    static func all(_ store: any LedgerStore, firm: MemberID, pageSize: Int) async throws -> [AccessReceipt] {
        var found = [AccessReceipt]()
        var before: Timestamp?
        while true {
            let page = try await store.receipts(firm: firm, before: before, limit: pageSize)
            found += page
            guard let last = page.last else { return found }
            before = last.at
        }
    }
}
