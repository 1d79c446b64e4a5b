import FacetCore
import Foundation

/// `seeds/settings.json`: how much history to generate, and from which seed.
public struct GeneratorSettings: Codable, Hashable, Sendable {
    /// RFC 3339 time of the history's first block.
    public var start: String
    public var months: Int
    public var firms: Int
    /// The share of past loans meant to end in default, in parts per thousand.
    public var defaultRatePermille: Int
    /// The share of firms that misbehave, in parts per thousand.
    public var fraudSharePermille: Int
    public var seed: UInt64

    public init(
        start: String, months: Int, firms: Int, defaultRatePermille: Int, fraudSharePermille: Int, seed: UInt64
    ) {
        self.start = start
        self.months = months
        self.firms = firms
        self.defaultRatePermille = defaultRatePermille
        self.fraudSharePermille = fraudSharePermille
        self.seed = seed
    }

    public static func decode(_ data: Data) throws(DemoError) -> GeneratorSettings {
        let settings = try DemoJSON.decode(GeneratorSettings.self, from: data, file: "settings.json")
        try settings.validate()
        return settings
    }

    public var startTime: Timestamp? { Timestamp(rfc3339: start) }

    public func validate() throws(DemoError) {
        try demand(startTime != nil, "settings.json: start \(start) is not an RFC 3339 time")
        try demand((1...120).contains(months), "settings.json: months is 1 to 120")
        try demand((1...5_000).contains(firms), "settings.json: firms is 1 to 5000")
        try demand((0...1000).contains(defaultRatePermille), "settings.json: defaultRatePermille is 0 to 1000")
        try demand((0...1000).contains(fraudSharePermille), "settings.json: fraudSharePermille is 0 to 1000")
    }
}
