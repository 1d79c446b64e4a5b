/// Why certificate files could not be made, read or written. Codes are stable (`contracts/errors.md`).
public struct TLSFilesError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A key or certificate could not be generated or encoded.
        public static let generation = Code(rawValue: "tls.generation")
        /// A PEM file is missing or does not hold what it should.
        public static let unreadable = Code(rawValue: "tls.unreadable")
        /// A file could not be written.
        public static let unwritable = Code(rawValue: "tls.unwritable")
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
