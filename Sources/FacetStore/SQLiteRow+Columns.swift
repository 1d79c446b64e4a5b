import SQLiteNIO

extension SQLiteRow {
    /// A column that must hold a blob; anything else means the file was damaged or changed by hand.
    func bytes(_ name: String) throws(StoreError) -> [UInt8] {
        guard case .blob(let buffer)? = column(name) else {
            throw StoreError(.corrupt, "column \(name) does not hold bytes")
        }
        return Array(buffer.readableBytesView)
    }

    /// A blob or null (the transaction columns of a block without transactions, in a left join).
    func optionalBytes(_ name: String) throws(StoreError) -> [UInt8]? {
        if case .null? = column(name) { return nil }
        return try bytes(name)
    }

    func int(_ name: String) throws(StoreError) -> Int64 {
        guard case .integer(let value)? = column(name) else {
            throw StoreError(.corrupt, "column \(name) does not hold an integer")
        }
        return Int64(value)
    }

    func optionalInt(_ name: String) throws(StoreError) -> Int64? {
        switch column(name) {
        case .null?: return nil
        case .integer(let value)?: return Int64(value)
        default: throw StoreError(.corrupt, "column \(name) does not hold an integer or null")
        }
    }
}

extension SQLiteData {
    static func bytes(_ value: [UInt8]) -> SQLiteData { .blob(ByteBuffer(bytes: value)) }
    static func int(_ value: Int64) -> SQLiteData { .integer(SQLiteInt64(value)) }
    static func int(_ value: Int) -> SQLiteData { .integer(SQLiteInt64(value)) }
    static func bool(_ value: Bool) -> SQLiteData { .integer(value ? 1 : 0) }
    static func optionalInt(_ value: Int64?) -> SQLiteData { value.map { .integer(SQLiteInt64($0)) } ?? .null }
}
