import FacetCore
import FacetTestSupport
import Testing

/// RFC 3339 UTC text for timestamps: known instants both ways, a round trip over the whole range, and refusals.
@Suite struct TimestampRFC3339Tests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_767_225_600_000, "2026-01-01T00:00:00Z"),
        (1_767_225_600_250, "2026-01-01T00:00:00.250Z"),
        (951_782_400_000, "2000-02-29T00:00:00Z"),
        (4_107_542_399_000, "2100-02-28T23:59:59Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func knownInstants(millis: Int64, text: String) throws {
        #expect(Timestamp(uncheckedMillis: millis).rfc3339 == text)
        #expect(Timestamp(rfc3339: text)?.millis == millis)
    }

    @Test func shorterFractionsScaleToMilliseconds() {
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00.5Z")?.millis == 1_767_225_600_500)
        #expect(Timestamp(rfc3339: "2026-01-01T00:00:00.05Z")?.millis == 1_767_225_600_050)
    }

    @Test func roundTripsAcrossTheRange() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<2_000 {
            let millis = Int64(rng.next() % UInt64(253_402_300_800_000))
            let time = Timestamp(uncheckedMillis: millis)
            #expect(Timestamp(rfc3339: time.rfc3339) == time)
        }
    }

    @Test(arguments: [
        "", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00+08:00", "2026-01-01 00:00:00Z",
        "2026-01-01t00:00:00z", "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-12-31T23:59:60Z", "1969-12-31T23:59:59Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234Z",
        "+026-01-01T00:00:00Z", "2026-01-01T00:00:00.-1Z",
    ])
    func refusals(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }
}
