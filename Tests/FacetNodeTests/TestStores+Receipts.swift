import FacetCore
import FacetStore

/// The test stores pass receipts straight to the store they wrap.
extension GatedStore {
    func recordReceipts(_ receipts: [AccessReceipt]) async throws(StoreError) {
        try await base.recordReceipts(receipts)
    }

    func receipts(firm: MemberID, before: Timestamp?, limit: Int) async throws(StoreError) -> [AccessReceipt] {
        try await base.receipts(firm: firm, before: before, limit: limit)
    }
}

extension SafetyRecordingStore {
    func recordReceipts(_ receipts: [AccessReceipt]) async throws(StoreError) {
        try await base.recordReceipts(receipts)
    }

    func receipts(firm: MemberID, before: Timestamp?, limit: Int) async throws(StoreError) -> [AccessReceipt] {
        try await base.receipts(firm: firm, before: before, limit: limit)
    }
}
