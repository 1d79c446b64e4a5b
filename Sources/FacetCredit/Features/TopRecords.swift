import FacetCore

/// A bounded list of record ids with the figure each stands for, largest first (ties by id): the evidence kept
/// beside an aggregate, so a feature can name the records behind it without rescanning history.
struct TopRecords: Hashable, Sendable {
    struct Entry: Hashable, Sendable {
        var id: Hash256
        var value: Double
    }

    let limit: Int
    private(set) var entries: [Entry] = []

    init(limit: Int) {
        precondition(limit >= 1, "a top list holds at least one record")
        self.limit = limit
    }

    /// Records `id` at `value`, replacing its earlier figure; a value of zero or less removes it.
    mutating func set(_ id: Hash256, _ value: Double) {
        entries.removeAll { $0.id == id }
        guard value > 0 else { return }
        if entries.count >= limit, let last = entries.last, !TopRecords.before(Entry(id: id, value: value), last) {
            return
        }
        entries.append(Entry(id: id, value: value))
        entries.sort(by: TopRecords.before)
        if entries.count > limit { entries.removeLast(entries.count - limit) }
    }

    var ids: [Hash256] { entries.map(\.id) }

    static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.value != b.value ? a.value > b.value : a.id < b.id
    }

    /// The `limit` largest of several lists.
    static func merged(_ lists: [TopRecords], limit: Int) -> [Hash256] {
        var best = [Hash256: Double]()
        for list in lists {
            for entry in list.entries { best[entry.id] = max(best[entry.id] ?? 0, entry.value) }
        }
        let entries = best.map { Entry(id: $0.key, value: $0.value) }.sorted(by: before)
        return entries.prefix(limit).map(\.id)
    }
}
