/// A fragment of HTML (or SVG) markup, escaped by construction: string literals are markup written in the source,
/// while every interpolated `String` is escaped as text (safe in an element and in a double-quoted attribute) and
/// only another `HTML` value is inserted as it is. So `"<td>\(name)</td>" as HTML` cannot carry a member's
/// `<script>` into the page, and no template engine is needed.
public struct HTML: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    public private(set) var raw: String

    /// Markup taken as it is: only for markup the caller wrote (a stylesheet or script file), never for input.
    public init(raw: String) { self.raw = raw }

    public init(stringLiteral value: String) { raw = value }

    public init(stringInterpolation: StringInterpolation) { raw = stringInterpolation.raw }

    public var description: String { raw }

    public static let empty = HTML(raw: "")

    /// `&`, `<`, `>`, `"` and `'` as character references: the text reads the same in an element's content and in
    /// an attribute value, quoted either way.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// An attribute value: the same escaping, named for where it goes.
    public static func attribute(_ text: String) -> String { escape(text) }

    /// Fragments one after another.
    public static func join(_ parts: [HTML], separator: HTML = .empty) -> HTML {
        HTML(raw: parts.map(\.raw).joined(separator: separator.raw))
    }

    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(raw: lhs.raw + rhs.raw) }

    public static func += (lhs: inout HTML, rhs: HTML) { lhs.raw += rhs.raw }

    public struct StringInterpolation: StringInterpolationProtocol {
        var raw = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            raw.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { raw += literal }

        /// Text: escaped.
        public mutating func appendInterpolation(_ text: String) { raw += HTML.escape(text) }

        /// Markup: as it is.
        public mutating func appendInterpolation(_ html: HTML) { raw += html.raw }

        /// Fragments one after another.
        public mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { raw += part.raw }
        }

        public mutating func appendInterpolation<T: BinaryInteger>(_ number: T) { raw += String(number) }
    }
}
