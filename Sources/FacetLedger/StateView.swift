import FacetCore

/// The world state as one transaction sees it: the committed base, the changes of the earlier transactions
/// of the block, and this transaction's own changes. A refused transaction's changes are dropped whole,
/// so it changes nothing; an accepted one's are folded into the block's.
public struct StateView: Sendable {
    public let base: WorldState
    private(set) var blockChanges: [StateKey: StateValue?] = [:]
    private var pending: [StateKey: StateValue?] = [:]

    public init(base: WorldState) {
        self.base = base
    }

    public subscript(key: StateKey) -> StateValue? {
        if let value = pending[key] { return value }
        if let value = blockChanges[key] { return value }
        return base.records[key]
    }

    public mutating func set(_ key: StateKey, _ value: StateValue?) {
        pending[key] = .some(value)
    }

    public func record<R: StateRecord>(_ type: R.Type, _ id: Hash256) -> R? {
        self[StateKey(R.table, id)].flatMap(R.extract)
    }

    public mutating func put<R: StateRecord>(_ record: R, id: Hash256) {
        set(StateKey(R.table, id), record.stateValue)
    }

    /// Whether `id` is an active admin now.
    public func isActiveAdmin(_ id: MemberID) -> Bool {
        guard let member = record(Member.self, id.hash) else { return false }
        return member.status == .active && member.roles.contains(.admin)
    }

    /// How many active admins there are now. Scans the member table: called only when an admin act could lock
    /// admins out (suspending an admin), which is rare.
    public func activeAdminCount() -> Int {
        var members = Set<Hash256>()
        for key in base.records.keys where key.table == .member { members.insert(key.id) }
        for key in blockChanges.keys where key.table == .member { members.insert(key.id) }
        for key in pending.keys where key.table == .member { members.insert(key.id) }
        return members.count { isActiveAdmin(MemberID($0)) }
    }

    func pendingKeys() -> [StateKey] { pending.keys.sorted() }

    mutating func commitPending() {
        for (key, value) in pending { blockChanges[key] = value }
        pending.removeAll(keepingCapacity: true)
    }

    mutating func discardPending() {
        pending.removeAll(keepingCapacity: true)
    }

    /// The block's changes in ascending key order (never dictionary order).
    func sortedChanges() -> [StateChange] {
        blockChanges.keys.sorted().map { StateChange(key: $0, value: blockChanges[$0] ?? nil) }
    }
}

/// One entry of a block's state diff: the new value, or nil for a deletion.
public struct StateChange: Hashable, Sendable, CanonicalCodable {
    public let key: StateKey
    public let value: StateValue?

    public init(key: StateKey, value: StateValue?) {
        self.key = key
        self.value = value
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(key)
        encoder.optional(value)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CoreError) {
        key = try decoder.decode()
        value = try decoder.optional()
    }
}
