import FacetCore
import FacetLedger
import FacetTestSupport
import Testing

private func label(_ text: String) -> Label {
    guard let label = try? Label(text) else { preconditionFailure("\(text) is not a label") }
    return label
}

private func cny(_ fen: Int64) -> Money {
    guard let amount = try? Money(minorUnits: fen, currency: .cny) else { preconditionFailure("bad amount \(fen)") }
    return amount
}

extension LedgerFixture {
    fileprivate func price(_ category: PieceCategory, _ band: String, by publisher: String = "exchange")
        -> ReferencePrice?
    {
        state.record(
            ReferencePrice.self,
            ReferencePrice.key(
                publisher: id(publisher), category: category,
                band: label(band)))
    }
}

@Suite struct MarketContractTests {
    @Test func anExchangePublishesAReferencePrice() {
        var f = LedgerFixture()
        let body = PublishPrice(category: .gold, band: label("AU9999-PER-G"), pricePerUnit: cny(58_012))
        #expect(f.submit("exchange", .publishPrice(body)).accepted)
        #expect(
            f.price(.gold, "AU9999-PER-G")
                == ReferencePrice(
                    publisher: f.id("exchange"), category: .gold,
                    band: label("AU9999-PER-G"), pricePerUnit: cny(58_012),
                    at: f.time))
    }

    @Test func aLaterPublicationReplacesOnlyItsOwnBand() {
        var f = LedgerFixture()
        #expect(
            f.submit(
                "exchange",
                .publishPrice(
                    .init(
                        category: .naturalDiamond, band: label("1CT-G-VS2-PER-CT"),
                        pricePerUnit: cny(4_200_000)))
            ).accepted)
        #expect(
            f.submit(
                "exchange",
                .publishPrice(
                    .init(
                        category: .labGrownDiamond, band: label("1CT-G-VS2-PER-CT"),
                        pricePerUnit: cny(300_000)))
            ).accepted)
        f.advance(days: 1)
        #expect(
            f.submit(
                "exchange",
                .publishPrice(
                    .init(
                        category: .naturalDiamond, band: label("1CT-G-VS2-PER-CT"),
                        pricePerUnit: cny(4_150_000)))
            ).accepted)
        #expect(f.price(.naturalDiamond, "1CT-G-VS2-PER-CT")?.pricePerUnit == cny(4_150_000))
        #expect(f.price(.naturalDiamond, "1CT-G-VS2-PER-CT")?.at == f.time)
        #expect(f.price(.labGrownDiamond, "1CT-G-VS2-PER-CT")?.pricePerUnit == cny(300_000))
        #expect(f.price(.labGrownDiamond, "1CT-G-VS2-PER-CT")?.at != f.time)
    }

    @Test func onlyExchangesPublish() {
        var f = LedgerFixture()
        let r = f.refusal(
            "firmA",
            .publishPrice(
                .init(
                    category: .gold, band: label("AU9999-PER-G"),
                    pricePerUnit: cny(58_012))))
        #expect(r.code == .missingRole && r.unchanged)
        #expect(f.price(.gold, "AU9999-PER-G", by: "firmA") == nil)
    }

    @Test(arguments: [Int64(0), -1, -58_012])
    func aPriceIsPositive(fen: Int64) {
        var f = LedgerFixture()
        let r = f.refusal(
            "exchange",
            .publishPrice(
                .init(
                    category: .gold, band: label("AU9999-PER-G"),
                    pricePerUnit: cny(fen))))
        #expect(r.code == .invalidPrice && r.unchanged)
    }
}
