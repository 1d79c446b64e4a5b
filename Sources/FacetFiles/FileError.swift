import FacetCore

/// Why a local file (a key, a genesis, a configuration, a report) could not be read or written: a stable code and
/// a message naming the file. The command line turns it into a usage error (exit status 64).
public typealias FileError = FacetError<FileErrorCode>

/// The codes of `FileError`.
public struct FileErrorCode: ErrorCode, RawRepresentable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The file does not exist or cannot be read.
    public static let unreadable = Self(rawValue: "file.unreadable")
    /// The file cannot be created or written.
    public static let unwritable = Self(rawValue: "file.unwritable")
    /// The file reads but is not what it should hold (a key file, a genesis).
    public static let invalid = Self(rawValue: "file.invalid")
}
