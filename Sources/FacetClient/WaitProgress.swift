/// One poll of `NodeClient.waitForCommit` that did not end the wait: the transaction still pending, or a poll that
/// failed and will be retried. A command line shows it so a slow block does not look like a hang.
public struct WaitProgress: Sendable {
    public let elapsed: Duration
    /// The status the node gave, when it answered.
    public let status: NodeAPI.TransactionStatus?
    /// Why the poll failed, when it did.
    public let failure: ClientError?
}
