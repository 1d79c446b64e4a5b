import ArgumentParser

/// The options every `facet tx` subcommand shares: where to send, who signs, and how to report.
struct TxOptions: ParsableArguments {
    @Option(help: "The node's API address.") var node = "http://127.0.0.1:7700"
    @Option(help: "The CA certificate (PEM) an https node's certificate must chain to.") var cacert: String?
    @Option(help: "The signer's key file (facet keys new); it names the member id signed for.") var key: String
    @Option(
        help: ArgumentHelp(
            "The transaction's nonce.",
            discussion: """
                Nonces only have to increase per signer (gaps are allowed), so by default the nonce is the current \
                time in milliseconds: no lookup, and two commands a millisecond apart never collide. Give one \
                explicitly to replace a pending transaction or when the clock is behind a nonce already used.
                """))
    var nonce: UInt64?
    @Flag(help: "Print the outcome as one JSON object (for scripts).") var json = false
    @Flag(help: "Return once the node has queued the transaction, without waiting for its block.") var noWait = false
    @Option(help: "Seconds to wait for the block before giving up (exit status 2).") var timeout: Int = 30

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout is 1 to 3600 seconds") }
    }
}
