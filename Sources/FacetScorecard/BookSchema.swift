import Foundation

/// How to read a lender's book: its delimiter, the texts it uses for "no value", its number format, and what each
/// column is. The command line's `--delimiter`, `--missing`, `--decimal-comma`, `--id`, `--categorical`, `--numeric`,
/// `--exclude`, `--absent` and `--column` flags fill one, and a schema file (JSON with these keys, all optional)
/// can hold the same for a book read again and again.
public struct BookSchema: Codable, Hashable, Sendable {
    /// `,`, `;`, `tab`; nil to sniff it from the header line.
    public var delimiter: String?
    /// Texts meaning "no value" besides the ones always read so (`Dataset.defaultMissing`), compared trimmed and
    /// without case; a target holding one is skipped.
    public var missing: [String]
    /// `1.234,5` rather than `1,234.5`.
    public var decimalComma: Bool
    /// The outcome column (training and validation).
    public var target: String?
    /// The outcome value meaning bad; see `Dataset.binaryTargets`.
    public var bad: String?
    /// The outcome value meaning good: with `bad`, a target holding anything else is unknown and its row skipped.
    public var good: String?
    /// A column naming each row (an account or application number): never a feature, carried to the scores file.
    public var id: String?
    /// Columns binned as categories even when every value is a number (codes such as a region or a purpose).
    public var categorical: [String]
    /// Columns that must be numbers: a value that is neither a number nor missing is refused with its record.
    public var numeric: [String]
    /// Columns never used as features: dates, free text, protected attributes such as sex or nationality.
    public var exclude: [String]
    /// Model features the book lacks, scored as missing for every row (scoring refuses a missing column otherwise).
    public var absent: [String]
    /// The book's column for a model feature whose name it spells otherwise (model name → book column).
    public var columns: [String: String]

    public init(
        delimiter: String? = nil, missing: [String] = [], decimalComma: Bool = false, target: String? = nil,
        bad: String? = nil, good: String? = nil, id: String? = nil, categorical: [String] = [],
        numeric: [String] = [], exclude: [String] = [], absent: [String] = [], columns: [String: String] = [:]
    ) {
        self.delimiter = delimiter
        self.missing = missing
        self.decimalComma = decimalComma
        self.target = target
        self.bad = bad
        self.good = good
        self.id = id
        self.categorical = categorical
        self.numeric = numeric
        self.exclude = exclude
        self.absent = absent
        self.columns = columns
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case delimiter, missing, decimalComma, target, bad, good, id, categorical, numeric, exclude, absent, columns
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            delimiter: try container.decodeIfPresent(String.self, forKey: .delimiter),
            missing: try container.decodeIfPresent([String].self, forKey: .missing) ?? [],
            decimalComma: try container.decodeIfPresent(Bool.self, forKey: .decimalComma) ?? false,
            target: try container.decodeIfPresent(String.self, forKey: .target),
            bad: try container.decodeIfPresent(String.self, forKey: .bad),
            good: try container.decodeIfPresent(String.self, forKey: .good),
            id: try container.decodeIfPresent(String.self, forKey: .id),
            categorical: try container.decodeIfPresent([String].self, forKey: .categorical) ?? [],
            numeric: try container.decodeIfPresent([String].self, forKey: .numeric) ?? [],
            exclude: try container.decodeIfPresent([String].self, forKey: .exclude) ?? [],
            absent: try container.decodeIfPresent([String].self, forKey: .absent) ?? [],
            columns: try container.decodeIfPresent([String: String].self, forKey: .columns) ?? [:])
    }

    /// A schema file: a JSON object with the keys above (a key it does not know is refused, so a misspelt one does
    /// not pass unnoticed).
    public static func load(json: [UInt8]) throws(ScorecardError) -> BookSchema {
        let keys: [String: JSONKeyProbe]
        do {
            keys = try JSONDecoder().decode([String: JSONKeyProbe].self, from: Data(json))
        } catch {
            throw ScorecardError(.schemaMalformed, "a schema is a JSON object: \(error)")
        }
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = keys.keys.sorted().first(where: { !known.contains($0) }) {
            throw ScorecardError(
                .schemaMalformed, "unknown key '\(unknown)'; a schema has \(known.sorted().joined(separator: ", "))")
        }
        let schema: BookSchema
        do {
            schema = try JSONDecoder().decode(BookSchema.self, from: Data(json))
        } catch {
            throw ScorecardError(.schemaMalformed, "the schema's values do not fit: \(error)")
        }
        if let delimiter = schema.delimiter, CSVTable.delimiter(named: delimiter) == nil {
            throw ScorecardError(.schemaMalformed, "delimiter '\(delimiter)' is not ',', ';' or 'tab'")
        }
        return schema
    }

    /// This schema with `other`'s settings added: lists joined, and `other`'s single values where it has them.
    public func merging(_ other: BookSchema) -> BookSchema {
        var merged = self
        merged.delimiter = other.delimiter ?? delimiter
        merged.missing += other.missing
        merged.decimalComma = decimalComma || other.decimalComma
        merged.target = other.target ?? target
        merged.bad = other.bad ?? bad
        merged.good = other.good ?? good
        merged.id = other.id ?? id
        merged.categorical += other.categorical
        merged.numeric += other.numeric
        merged.exclude += other.exclude
        merged.absent += other.absent
        merged.columns.merge(other.columns) { _, new in new }
        return merged
    }

    /// Whether `text` means "no value" in this book.
    public func isMissing(_ text: String) -> Bool {
        let trimmed = text.trimmedSpaces.lowercased()
        return Dataset.isMissing(trimmed) || missing.contains { $0.trimmedSpaces.lowercased() == trimmed }
    }

    /// A number from `text` in this book's format, or nil.
    public func number(_ text: String) -> Double? {
        NumberText.parse(text, decimalComma: decimalComma)
    }

    /// The delimiter byte, nil to sniff.
    public var delimiterByte: UInt8? { delimiter.flatMap(CSVTable.delimiter(named:)) }
}

/// Any JSON value, read only so a schema's keys can be listed.
struct JSONKeyProbe: Decodable {
    init(from decoder: any Decoder) throws {}
}
