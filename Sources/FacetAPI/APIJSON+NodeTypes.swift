import FacetCore
import FacetLedger
import FacetNode
import FacetStore
import FacetWire

/// The wire bodies made from the node's and the store's types, which `FacetWire` does not know.
extension APIJSON.StatusBody {
    init(_ status: NodeStatus, node: MemberID) {
        self.init(
            chainID: status.chainID, node: node.hex, height: status.height, blockID: status.blockID.hex,
            stateRoot: status.stateRoot.hex, time: status.time.millis, logSize: status.logSize,
            mempool: APIJSON.MempoolBody(count: status.mempoolCount, bytes: status.mempoolBytes),
            peers: status.consensus?.peers.map(\.hex) ?? [],
            consensus: status.consensus.map {
                ConsensusBody(
                    mode: $0.mode, height: $0.height, round: $0.round, step: $0.step, bestPeerHeight: $0.bestPeerHeight)
            })
    }
}

extension APIJSON.TransactionStatusBody {
    init(id: TransactionID, status: TransactionStatus, kind: String?, signerSuspended: Bool? = nil) {
        switch status {
        case .pending(let pendingKind):
            self.init(id: id.hex, status: .pending, kind: pendingKind.description, signerSuspended: signerSuspended)
        case .committed(let height, let index, let result):
            // The code only: a refusal's message may carry amounts or counterparties (`contracts/privacy.md`).
            self.init(
                id: id.hex, status: result.accepted ? .committed : .rejected, height: height, index: index, kind: kind,
                code: result.error?.code.rawValue, signerSuspended: signerSuspended)
        }
    }
}

extension APIJSON.BlockBody {
    init(_ block: StoredBlock, visible: [Bool]) {
        precondition(visible.count == block.transactions.count, "one flag per transaction")
        self.init(
            id: block.header.id.hex, header: APIJSON.HeaderBody(block.header),
            certificate: APIJSON.CertificateBody(block.certificate),
            transactions: zip(block.transactions, block.results).enumerated().compactMap { index, pair in
                guard visible[index] else { return nil }
                return APIJSON.TransactionStatusBody(
                    id: pair.1.id,
                    status: .committed(height: block.header.height, index: index, result: pair.1),
                    kind: pair.0.body.kind.description)
            })
    }
}

extension APIJSON.HistoryEntryBody {
    init(_ entry: HistoryEntry, signer: MemberID, suspended: Set<MemberID>) {
        self.init(
            height: entry.height, index: entry.index, time: entry.time.millis, transaction: entry.transactionID.hex,
            kind: entry.kindName, signer: signer.hex, accepted: entry.accepted,
            signerSuspended: suspended.contains(signer))
    }
}

extension APIJSON.AccessReceiptBody {
    init(_ receipt: AccessReceipt, readerName: String?) {
        let basis: Basis
        let consentGrantedAt: Int64?
        switch receipt.basis {
        case .consent(let grantedAt):
            basis = .consent
            consentGrantedAt = grantedAt.millis
        case .auditor:
            basis = .auditor
            consentGrantedAt = nil
        }
        self.init(
            reader: receipt.reader.hex, readerName: readerName, what: receipt.what, basis: basis,
            consentGrantedAt: consentGrantedAt, at: receipt.at.millis, height: receipt.height, count: receipt.count)
    }
}
