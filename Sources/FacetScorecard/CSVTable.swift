/// A CSV file as RFC 4180 reads it: a header row, then records of the same width. Fields may be quoted, and a quoted
/// field may hold delimiters, doubled quotes and line breaks; lines end in CRLF or LF. A UTF-8 byte-order mark (what
/// Excel writes for "CSV UTF-8") is dropped, and the delimiter is `,`, `;` or tab, sniffed from the header line
/// unless given.
public struct CSVTable: Sendable, Equatable {
    public let header: [String]
    public let records: [[String]]

    public init(header: [String], records: [[String]]) {
        self.header = header
        self.records = records
    }

    /// The delimiter byte `name` stands for (`,`, `;`, `tab` or `\t`, as `--delimiter` takes it), or nil.
    public static func delimiter(named name: String) -> UInt8? {
        switch name {
        case ",": UInt8(ascii: ",")
        case ";": UInt8(ascii: ";")
        case "tab", "\\t", "\t": UInt8(ascii: "\t")
        default: nil
        }
    }

    /// Parses `text`, split on `delimiter` when given, else on the one `sniffDelimiter` finds. A trailing line break
    /// is allowed; blank lines between records are refused (they would be one-field records).
    public static func parse(_ text: String, delimiter: UInt8? = nil) throws(ScorecardError) -> CSVTable {
        var bytes = Array(text.utf8)
        if bytes.starts(with: byteOrderMark) { bytes.removeFirst(byteOrderMark.count) }
        return try parse(bytes: bytes, delimiter: delimiter ?? sniffDelimiter(bytes))
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The delimiter of a book: of `,`, `;` and tab, the one found most often outside quotes on the header line
    /// (`,` when none is, or on a tie with it); `;` beats tab on a tie.
    public static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes {
                if byte == UInt8(ascii: "\n") { break }
                if let count = counts[byte] { counts[byte] = count + 1 }
            }
        }
        var best = UInt8(ascii: ",")
        for candidate in [UInt8(ascii: ";"), UInt8(ascii: "\t")] where counts[candidate]! > counts[best]! {
            best = candidate
        }
        return best
    }

    static func parse(bytes: [UInt8], delimiter: UInt8) throws(ScorecardError) -> CSVTable {
        var rows = [[String]]()
        var row = [String]()
        var field = [UInt8]()
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var index = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                endField()
            case UInt8(ascii: "\r"):
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\n") else {
                    throw ScorecardError(
                        .csvMalformed, "line \(line): a carriage return outside quotes not before a line feed")
                }
            case UInt8(ascii: "\n"):
                endField()
                rows.append(row)
                row.removeAll()
                line += 1
            case UInt8(ascii: "\""):
                guard field.isEmpty && !afterQuote else {
                    throw ScorecardError(.csvMalformed, "line \(line): a quote inside an unquoted field")
                }
                inQuotes = true
            default:
                guard !afterQuote else {
                    throw ScorecardError(.csvMalformed, "line \(line): text after a closing quote")
                }
                field.append(byte)
            }
        }
        guard !inQuotes else { throw ScorecardError(.csvMalformed, "line \(line): a quoted field is never closed") }
        if !field.isEmpty || !row.isEmpty || afterQuote {
            endField()
            rows.append(row)
        }
        guard let header = rows.first else { throw ScorecardError(.csvMalformed, "the file is empty") }
        for (offset, record) in rows.enumerated().dropFirst() where record.count != header.count {
            throw ScorecardError(
                .csvMalformed, "record \(offset) has \(record.count) fields, the header has \(header.count)")
        }
        var seen = Set<String>()
        for name in header {
            guard !name.isEmpty, seen.insert(name).inserted else {
                throw ScorecardError(.csvMalformed, "the header has an empty or repeated column name '\(name)'")
            }
        }
        return CSVTable(header: header, records: Array(rows.dropFirst()))
    }

    /// Writes fields, quoting those that hold a comma, quote or line break; lines end in CRLF as RFC 4180 says.
    public static func render(header: [String], records: [[String]]) -> String {
        var out = ""
        for record in [header] + records {
            out += record.map(quote).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        var out = "\""
        for character in field {
            if character == "\"" { out += "\"" }
            out.append(character)
        }
        return out + "\""
    }
}
