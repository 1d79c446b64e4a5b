import FacetCore
import FacetLedger
import FacetStore
import Synchronization

/// Every safety-state slot a validator stored, in order, across restarts (the log outlives each store opened on it).
final class SafetyLog: Sendable {
    private let slots = Mutex<[ConsensusSlot]>([])

    func append(_ slot: ConsensusSlot) { slots.withLock { $0.append(slot) } }

    var all: [ConsensusSlot] { slots.withLock { $0 } }
}

/// A store that notes each safety state it stored successfully in a `SafetyLog`; everything else goes straight to
/// the wrapped store.
final class SafetyRecordingStore: ForwardingStore {
    let base: any LedgerStore
    let log: SafetyLog

    init(_ base: any LedgerStore, log: SafetyLog) {
        self.base = base
        self.log = log
    }

    func saveSafetyState(_ record: SafetyRecord) async throws(StoreError) {
        try await base.saveSafetyState(record)
        log.append(record.slot)
    }
}
