import FacetCore

/// Access receipts as the rows of `access_receipts` (`StoreMigration.receiptTables`), shared by both backends: a
/// batch checked, with reads alike merged (`ReceiptLimits`), in a fixed order; and rows read back into receipts.
struct ReceiptRows: Sendable {
    struct Row: Sendable, Hashable {
        /// The aggregation key: a row of the same key in the table is updated rather than added. `basis` is 0 for a
        /// consent and 1 for the auditor role; `grantedAt` the consent's grant time (0 for an auditor); `minute`
        /// the read's time in whole minutes.
        struct Key: Hashable {
            let firm: [UInt8]
            let reader: [UInt8]
            let what: String
            let basis: Int16
            let grantedAt: Int64
            let minute: Int64
        }

        let key: Key
        let at: Int64
        let height: Int64
        let count: Int64
    }

    /// One row per aggregation key, sorted by key: a statement's rows never meet the same key twice (PostgreSQL
    /// refuses that in one upsert), and concurrent recordings touch rows in one order.
    let rows: [Row]
    /// The distinct (firm, reader) pairs and firms, sorted: what the retention bounds are applied to.
    let pairs: [(firm: [UInt8], reader: [UInt8])]
    let firms: [[UInt8]]
    /// Receipts older than this go in the sweep: the newest receipt's time less `ReceiptLimits.maxAgeMillis`.
    let expiredBefore: Int64
    /// How many expired receipts this recording deletes at most.
    let sweepLimit: Int

    /// Refuses (`store.invalid_request`) more than `ReceiptLimits.maxBatch` receipts, or one whose label or count
    /// is out of range (a receipt's fields are public and may have been changed after its init); nil when empty.
    init?(_ receipts: [AccessReceipt]) throws(StoreError) {
        guard !receipts.isEmpty else { return nil }
        guard receipts.count <= ReceiptLimits.maxBatch else {
            throw StoreError(
                .invalidRequest, "\(receipts.count) receipts at once; at most \(ReceiptLimits.maxBatch) are taken")
        }
        var merged = [Row.Key: Row]()
        var newest: Int64 = 0
        for receipt in receipts {
            let row = try Self.row(receipt)
            newest = max(newest, row.at)
            if let earlier = merged[row.key] {
                merged[row.key] = Row(
                    key: row.key, at: max(earlier.at, row.at), height: max(earlier.height, row.height),
                    count: Self.sum(earlier.count, row.count))
            } else {
                merged[row.key] = row
            }
        }
        rows = merged.values.sorted { Self.ordered($0.key, $1.key) }
        var pairs = [(firm: [UInt8], reader: [UInt8])]()
        var firms = [[UInt8]]()
        for key in rows.map(\.key) {
            if pairs.last.map({ $0.firm != key.firm || $0.reader != key.reader }) ?? true {
                pairs.append((key.firm, key.reader))
            }
            if firms.last != key.firm { firms.append(key.firm) }
        }
        self.pairs = pairs
        self.firms = firms
        expiredBefore = newest - ReceiptLimits.maxAgeMillis
        sweepLimit = ReceiptLimits.sweepStep + receipts.count
    }

    private static func row(_ receipt: AccessReceipt) throws(StoreError) -> Row {
        guard AccessReceipt.isValidLabel(receipt.what) else {
            throw StoreError(.invalidRequest, "a receipt's what is 1 to \(AccessReceipt.maxWhatBytes) UTF-8 bytes")
        }
        guard receipt.count >= 1 else { throw StoreError(.invalidRequest, "a receipt stands for at least one read") }
        guard receipt.height <= UInt64(Int64.max) else {
            throw StoreError(.invalidRequest, "height \(receipt.height) is out of range")
        }
        let (basis, grantedAt): (Int16, Int64) =
            switch receipt.basis {
            case .consent(let grantedAt): (0, grantedAt.millis)
            case .auditor: (1, 0)
            }
        let key = Row.Key(
            firm: receipt.firm.hash.bytes, reader: receipt.reader.hash.bytes, what: receipt.what, basis: basis,
            grantedAt: grantedAt, minute: receipt.at.millis / ReceiptLimits.aggregationMillis)
        return Row(key: key, at: receipt.at.millis, height: Int64(receipt.height), count: Int64(receipt.count))
    }

    /// Counts add up; past `Int64.max` (never, in practice) they stay there rather than trap.
    static func sum(_ a: Int64, _ b: Int64) -> Int64 {
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int64.max : total
    }

    private static func ordered(_ a: Row.Key, _ b: Row.Key) -> Bool {
        if a.firm != b.firm { return a.firm.lexicographicallyPrecedes(b.firm) }
        if a.reader != b.reader { return a.reader.lexicographicallyPrecedes(b.reader) }
        if a.what != b.what { return Array(a.what.utf8).lexicographicallyPrecedes(Array(b.what.utf8)) }
        if a.basis != b.basis { return a.basis < b.basis }
        if a.grantedAt != b.grantedAt { return a.grantedAt < b.grantedAt }
        return a.minute < b.minute
    }

    // MARK: Reading back

    /// A stored row as a receipt; anything out of range is `store.corrupt`.
    static func receipt(
        firm: [UInt8], reader: [UInt8], what: String, basis: Int64, grantedAt: Int64, at: Int64, height: Int64,
        count: Int64
    ) throws(StoreError) -> AccessReceipt {
        guard AccessReceipt.isValidLabel(what) else {
            throw StoreError(.corrupt, "a stored receipt's label is invalid")
        }
        guard count >= 1, count <= Int64(Int.max) else {
            throw StoreError(.corrupt, "a stored receipt counts \(count) reads")
        }
        let decodedBasis: AccessReceipt.Basis
        switch basis {
        case 0: decodedBasis = .consent(grantedAt: try StoredRows.time(grantedAt))
        case 1: decodedBasis = .auditor
        default: throw StoreError(.corrupt, "a stored receipt's basis is \(basis)")
        }
        return AccessReceipt(
            firm: MemberID(try StoredRows.hash(firm, "receipt firm")),
            reader: MemberID(try StoredRows.hash(reader, "receipt reader")), what: what, basis: decodedBasis,
            at: try StoredRows.time(at), height: try StoredRows.unsigned(height, "receipt height"), count: Int(count))
    }

    /// Refuses a page size outside 1 through `ReceiptLimits.maxPage`; returns how many rows to fetch (one more than
    /// the page, to see whether the page would end inside a millisecond).
    static func fetchCount(limit: Int) throws(StoreError) -> Int {
        guard (1...ReceiptLimits.maxPage).contains(limit) else {
            throw StoreError(.invalidRequest, "a page of receipts holds 1 to \(ReceiptLimits.maxPage)")
        }
        return limit + 1
    }

    /// `fetched` (newest first, up to `limit + 1`) cut to a page that never ends inside a millisecond, so the next
    /// page, asked `before` the last receipt's time, misses nothing: receipts of the millisecond the limit would cut
    /// through are left for the next page. Only when a single millisecond holds more than `limit` receipts (never,
    /// for a limit of a hundred or more: a firm's receipts of one millisecond are one per reader, label and basis)
    /// is the page cut there and the rest of that millisecond skipped.
    static func page(_ fetched: [AccessReceipt], limit: Int) -> [AccessReceipt] {
        guard fetched.count > limit else { return fetched }
        let boundary = fetched[limit].at
        var page = Array(fetched.prefix(limit))
        while let last = page.last, last.at == boundary { page.removeLast() }
        return page.isEmpty ? Array(fetched.prefix(limit)) : page
    }
}
