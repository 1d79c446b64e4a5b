import FacetCore
import FacetLedger

/// A `BlockCommit` flattened into the rows of each table, in the column order of `StoreMigration`. Both
/// backends write from this, so they store the same bytes for the same block.
struct CommitRows: Sendable {
    struct Block: Sendable {
        let height: Int64
        let id: [UInt8]
        let time: Int64
        let stateRoot: [UInt8]
        let logSize: Int64
        let logRoot: [UInt8]
        let header: [UInt8]
        let certificate: [UInt8]
    }

    struct Transaction: Sendable {
        let position: Int32
        let id: [UInt8]
        let kind: Int16
        let accepted: Bool
        let logIndex: Int64?
        let bytes: [UInt8]
        let result: [UInt8]
    }

    struct Record: Sendable {
        let key: [UInt8]
        let value: [UInt8]
    }

    struct Node: Sendable {
        let level: Int16
        let index: Int64
        let hash: [UInt8]
    }

    struct History: Sendable {
        let subject: [UInt8]
        let position: Int32
        let transactionID: [UInt8]
        let kind: Int16
        let accepted: Bool
    }

    let block: Block
    let previousBlockID: Hash256
    let transactions: [Transaction]
    let upserts: [Record]
    let deletions: [[UInt8]]
    let nodes: [Node]
    let history: [History]
    /// The next validator set's encoding when the block announces a change.
    let validatorChange: [UInt8]?

    init(_ commit: BlockCommit) {
        let header = commit.header
        precondition(header.logSize <= UInt64(Int64.max), "log size out of range")
        block = Block(
            height: Int64(header.height), id: header.id.bytes, time: header.time.millis,
            stateRoot: header.stateRoot.bytes, logSize: Int64(header.logSize), logRoot: header.logRoot.bytes,
            header: header.canonicalBytes, certificate: commit.certificate.canonicalBytes)
        previousBlockID = header.previousBlockID
        let logIndices = commit.logIndices
        transactions = commit.transactions.indices.map { position in
            let transaction = commit.transactions[position]
            let result = commit.results[position]
            return Transaction(
                position: Int32(position), id: transaction.id.hash.bytes, kind: Int16(transaction.kind),
                accepted: result.accepted, logIndex: logIndices[position].map { Int64($0) },
                bytes: transaction.bytes, result: result.canonicalBytes)
        }
        var upserts = [Record]()
        var deletions = [[UInt8]]()
        for change in commit.changes {
            if let value = change.value {
                upserts.append(Record(key: change.key.canonicalBytes, value: value.canonicalBytes))
            } else {
                deletions.append(change.key.canonicalBytes)
            }
        }
        self.upserts = upserts
        self.deletions = deletions
        nodes = commit.logNodes.map { Node(level: Int16($0.level), index: Int64($0.index), hash: $0.hash.bytes) }
        validatorChange = commit.validatorChange?.canonicalBytes
        history = commit.index.map { entry in
            let transaction = commit.transactions[entry.position]
            return History(
                subject: entry.subject.bytes, position: Int32(entry.position),
                transactionID: transaction.id.hash.bytes, kind: Int16(transaction.kind),
                accepted: commit.results[entry.position].accepted)
        }
    }
}
