import FacetCore
import FacetCredit
import FacetLedger
import FacetScorecard
import FacetTestSupport
import Testing

/// What a decision reads besides the features: month-end reference prices, the firm's stock and receivables, and
/// the features hash an offer names.
@Suite struct FeatureLookupTests {
    @Test func theFeaturesHashIsTheSpecifiedBytes() {
        // SHA-256("facet.features.v1" ‖ u32 1 "a" 01 f64(1.5) ‖ u32 1 "b" 00 ‖ u32 1 "c" 02 u32 4 "gold"), computed
        // with Python's hashlib and struct (big-endian).
        let row: FeatureRow = ["c": .text("gold"), "a": .number(1.5), "b": .missing]
        #expect(FirmFeatures.hash(row).hex == "34ab0c848154a879f29f0ffad2848e8c08655a6743de001d7fd17dc4e608dd7d")
        var changed = row
        changed["a"] = .number(1.5000000000000002)
        #expect(FirmFeatures.hash(changed) != FirmFeatures.hash(row), "one ulp changes the hash")
    }

    @Test func priceSeriesCarriesTheLastPriceOfEachMonth() throws {
        var ledger = FeatureLedger()
        let band = try Label("AU9999-PER-G")
        let month = FeatureIndex.monthMillis
        func publish(_ yuan: Int64) {
            ledger.submit(
                "exchange",
                .publishPrice(PublishPrice(category: .gold, band: band, pricePerUnit: FeatureLedger.yuan(yuan))))
        }
        // Month m: 400 then 410; month m+1: nothing; month m+2: 450; month m+3: 470 (current).
        let start = ledger.fixture.time.millis
        publish(400)
        publish(410)
        ledger.fixture.time = Timestamp(uncheckedMillis: start + 2 * month)
        publish(450)
        ledger.fixture.time = Timestamp(uncheckedMillis: start + 3 * month)
        publish(470)
        let series = try #require(ledger.index.priceSeries(asOf: ledger.fixture.time, months: 3).first)
        #expect(series.band == "AU9999-PER-G")
        #expect(series.pricePerUnit == 47_000)
        // The three complete months before the current one, each at its last price (carried through the quiet
        // month), then the current price.
        #expect(series.monthlyHistory == [41_000, 41_000, 45_000, 47_000])
    }

    @Test func stockAndReceivablesListWhatIsOpen() throws {
        var ledger = FeatureLedger()
        let gold = IdentityCard(category: .gold, weight: 10_000, fineness: 999)
        let piece = PieceID(ledger.submit("firmA", .registerPiece(RegisterPiece(card: gold, certificate: nil))))
        let open = ledger.invoice("firmA", "firmB", 1_000)
        let paid = ledger.invoice("firmA", "firmB", 500)
        ledger.submit("firmB", .confirmInvoice(ConfirmInvoice(invoice: paid)))
        ledger.submit("firmB", .payInvoice(PayInvoice(invoice: paid, amount: FeatureLedger.yuan(500))))
        let firm = ledger.fixture.id("firmA")
        #expect(ledger.index.stock(of: firm) == [piece])
        #expect(ledger.index.openReceivables(of: firm) == [open])
        #expect(ledger.index.stock(of: ledger.fixture.id("firmC")).isEmpty)
        // A window keeps only the receivables issued in it.
        let later = Timestamp(uncheckedMillis: ledger.fixture.time.millis + 100 * Timestamp.millisPerDay)
        ledger.fixture.time = later
        let recent = ledger.invoice("firmA", "firmC", 700)
        #expect(ledger.index.openReceivables(of: firm) == [open, recent].sorted())
        #expect(ledger.index.openReceivables(of: firm, issuedSince: later) == [recent])
    }
}
