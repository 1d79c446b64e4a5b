import FacetCore
import FacetNode
import FacetStore

/// Reads a subject's history from the store's index in pages, for windows that may hold more entries than one
/// store call returns. Pages follow the block time: entries come in commit order and block times never go back,
/// so the next page starts at the last entry's time and skips what was already seen. The whole read is bounded
/// by `maxEntries`; a window with more is answered with the first ones and flagged as truncated.
package struct HistoryPager {
    /// The most index entries one API request reads.
    static let maxEntries = 100_000

    let store: any LedgerStore
    var pageSize = StoreLimits.maxHistoryPage
    var maxEntries = HistoryPager.maxEntries

    package init(
        store: any LedgerStore, pageSize: Int = StoreLimits.maxHistoryPage, maxEntries: Int = HistoryPager.maxEntries
    ) {
        self.store = store
        self.pageSize = pageSize
        self.maxEntries = maxEntries
    }

    package struct Page {
        package var entries: [HistoryEntry]
        /// More entries match than were read.
        package var truncated: Bool
    }

    /// The entries of `subject` with block time in `from..<to` and, if `kinds` is given, of those kinds.
    package func entries(subject: Hash256, from: Timestamp?, to: Timestamp?, kinds: Set<UInt8>? = nil)
        async throws(StoreError) -> Page
    {
        var matched = [HistoryEntry]()
        var cursor = from
        var last: (height: UInt64, index: Int)?
        var scanned = 0
        while true {
            let page = try await store.history(subject: subject, from: cursor, to: to, limit: pageSize)
            var fresh = 0
            for entry in page {
                if let last, (entry.height, entry.index) <= last { continue }
                guard scanned < maxEntries else { return Page(entries: matched, truncated: true) }
                last = (entry.height, entry.index)
                fresh += 1
                scanned += 1
                if kinds?.contains(entry.kind) ?? true { matched.append(entry) }
            }
            guard page.count == pageSize, let lastEntry = page.last else {
                return Page(entries: matched, truncated: false)
            }
            // A full page of entries already seen means more than a page shares one block time: it cannot be
            // paged by time, so stop rather than loop.
            guard fresh > 0 else { return Page(entries: matched, truncated: true) }
            cursor = lastEntry.time
        }
    }
}
