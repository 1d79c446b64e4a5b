import ArgumentParser
import FacetClient
import FacetCore
import FacetFiles
import FacetLedger
import Foundation
import Synchronization

/// Signs, submits and follows one transaction, for every `facet tx` subcommand alike.
///
/// Exit status: 0 committed (or queued, with `--no-wait`); 1 rejected by the ledger or refused by the node, with
/// its code; 2 the node unreachable or the wait timed out; 64 a usage error (bad options, an unreadable key file, a
/// body the encoding refuses).
struct TxRunner {
    let options: TxOptions

    func run(_ command: some TxCommand) async throws {
        let signer = try KeyFile.member(options.key)
        let client = try CLIInput.parse { try NodeClient(address: options.node, caFile: options.cacert) }
        let kindName = type(of: command).configuration.commandName ?? "transaction"
        let status: NodeAPI.Status
        do {
            status = try await client.status()
        } catch {
            return try finish(TxReport(failure: error, id: nil, kind: kindName))
        }
        guard let chainID = try? Label(status.chainID) else {
            return try finish(
                TxReport(
                    failure: ClientError(.badResponse, "the node's chain id \(status.chainID) is not a label"),
                    id: nil, kind: kindName))
        }
        let context = TxContext(signer: signer, chainID: chainID, height: status.height, client: client)
        let body: TransactionBody
        do {
            body = try await command.body(context)
        } catch let error as ClientError where error.code != .invalidInput {
            return try finish(TxReport(failure: error, id: nil, kind: kindName))
        } catch let error as ClientError {
            throw ValidationError(error.message)
        }
        let transaction = try Self.sign(
            body, context: context, nonce: options.nonce ?? UInt64(NodeClient.systemMillis()))
        let kind = body.kind.description
        let final: NodeAPI.TransactionStatus
        do throws(ClientError) {
            let queued = try await client.submit(transaction)
            final =
                options.noWait
                ? queued
                : try await client.waitForCommit(
                    transaction.id, signer: context.signer, timeout: .seconds(options.timeout),
                    progress: options.json ? nil : Self.progress())
        } catch {
            return try finish(TxReport(failure: error, id: transaction.id.hex, kind: kind))
        }
        try finish(TxReport(status: final, kind: kind))
        if final.status == .committed { try command.committed(context) }
    }

    /// Signs `body` and checks that the result decodes under the ledger's own rules and limits, so a transaction the
    /// node would refuse as malformed (a weight of zero, too many pieces, text over its limit) is a usage error here.
    static func sign(_ body: TransactionBody, context: TxContext, nonce: UInt64) throws -> Transaction {
        let transaction = Transaction.signed(
            chainID: context.chainID, signer: context.signer.member, nonce: nonce, body: body, key: context.signer.key)
        do {
            _ = try Transaction(canonicalBytes: transaction.canonicalBytes)
        } catch {
            throw ValidationError("the \(body.kind) transaction is not valid: \(error)")
        }
        return transaction
    }

    private func finish(_ report: TxReport) throws {
        print(options.json ? CLIFiles.json(report) : report.line)
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// A line on standard error every two seconds while the block is awaited, so a slow block does not look like a
    /// hang; standard output stays the one result line.
    static func progress() -> @Sendable (WaitProgress) -> Void {
        let lastReported = Mutex<Int64>(0)
        return { progress in
            let seconds = progress.elapsed.components.seconds
            let due = lastReported.withLock { last in
                guard seconds >= last + 2 else { return false }
                last = seconds
                return true
            }
            guard due else { return }
            let state = progress.status?.status.rawValue ?? progress.failure.map { "retrying (\($0.code))" } ?? "?"
            FileHandle.standardError.write(Data("waiting for a block… \(seconds)s, \(state)\n".utf8))
        }
    }
}
