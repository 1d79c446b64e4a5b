import FacetCore
import FacetLedger

/// Finds the validator-set changes of blocks committed before the store recorded them (schema version 2): each
/// header that announces a next set other than its own, with that set taken from the accepted `change_validators`
/// transaction that scheduled it (in that block or an earlier one). Fed the blocks in ascending order.
struct ValidatorSetBackfill {
    private var scheduled: [Hash256: ValidatorSet] = [:]
    private(set) var changes: [ValidatorSetChange] = []

    /// The blocks a backfill reads per query.
    static let pageSize = 32

    mutating func scan(_ block: StoredBlock) throws(StoreError) {
        for (transaction, result) in zip(block.transactions, block.results) where result.accepted {
            if case .changeValidators(let change) = transaction.body {
                scheduled[change.validators.hash] = change.validators
            }
        }
        let header = block.header
        guard header.nextValidatorsHash != header.validatorsHash else { return }
        guard let next = scheduled[header.nextValidatorsHash] else {
            throw StoreError(
                .corrupt, "block \(header.height) announces a validator set no stored transaction scheduled")
        }
        changes.append(ValidatorSetChange(height: header.height, validators: next))
    }
}
