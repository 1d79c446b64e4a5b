import FacetCore

/// Why certificate files could not be made, read or written. Codes are stable (`contracts/errors.md`).
public typealias TLSFilesError = FacetError<TLSFilesErrorCode>

/// The codes of `TLSFilesError`.
public struct TLSFilesErrorCode: ErrorCode, RawRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A key or certificate could not be generated or encoded.
    public static let generation = Self(rawValue: "tls.generation")
    /// A PEM file is missing or does not hold what it should.
    public static let unreadable = Self(rawValue: "tls.unreadable")
    /// A file could not be written.
    public static let unwritable = Self(rawValue: "tls.unwritable")
}
