import FacetCore

/// Why a snapshot, a manifest or a chunk was refused. Stable codes (`state_sync.*`), for logs and metrics.
public typealias SnapshotRejection = FacetError<SnapshotRejectionCode>

/// The codes of `SnapshotRejection`.
public enum SnapshotRejectionCode: String, ErrorCode {
    /// The manifest is malformed, of another height than trusted, or its certificate does not check.
    case badManifest = "state_sync.bad_manifest"
    /// The certificate is not signed by enough of the validators this node trusts.
    case untrusted = "state_sync.untrusted"
    case badCertificate = "state_sync.bad_certificate"
    /// A chunk does not hash to the manifest's, does not decode, or its rows are out of order.
    case badChunk = "state_sync.bad_chunk"
    case oversize = "state_sync.oversize"
    /// The assembled rows do not give the certified state root or log root.
    case wrongRoot = "state_sync.wrong_root"
    case wrongChain = "state_sync.wrong_chain"
}
