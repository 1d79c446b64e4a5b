import FacetClient
import FacetCore
import FacetLedger
import Testing

@Suite struct InputTextTests {
    let hex = String(repeating: "ab", count: 32)

    @Test func idsAreSixtyFourHexDigits() throws {
        let piece: PieceID = try InputText.id(hex)
        #expect(piece.hex == hex)
        let upper: MemberID = try InputText.id(hex.uppercased())
        #expect(upper.hex == hex)
        #expect(throws: ClientError.self) { let _: PieceID = try InputText.id(String(hex.dropLast())) }
        #expect(throws: ClientError.self) { let _: PieceID = try InputText.id("piece:" + hex) }
    }

    @Test func timesAreRFC3339InUTC() throws {
        #expect(try InputText.time("2026-01-01T00:00:00Z").millis == 1_767_225_600_000)
        #expect(throws: ClientError.self) { try InputText.time("2026-01-01T08:00:00+08:00") }
        #expect(throws: ClientError.self) { try InputText.time("1767225600000") }
    }

    @Test func namesAreKebabCase() throws {
        #expect(try InputText.category("natural-diamond") == .naturalDiamond)
        #expect(try InputText.category("lab-grown-diamond") == .labGrownDiamond)
        #expect(try InputText.channel("livestream") == .livestream)
        #expect(try InputText.product("inventory-pledge") == .inventoryPledge)
        #expect(InputText.names(of: PieceCategory.self).count == PieceCategory.allCases.count)
        #expect(throws: ClientError.self) { try InputText.category("diamond") }
        #expect(throws: ClientError.self) { try InputText.channel("Wholesale") }
    }

    @Test func collateralNamesItsKind() throws {
        #expect(try InputText.collateral("piece:\(hex)") == .piece(PieceID(hex: hex)!))
        #expect(try InputText.collateral("invoice:\(hex)") == .invoice(InvoiceID(hex: hex)!))
        #expect(throws: ClientError.self) { try InputText.collateral("loan:\(hex)") }
        #expect(throws: ClientError.self) { try InputText.collateral(hex) }
    }

    @Test func textAndLabelsWithinTheirLimits() throws {
        #expect(try InputText.text("圆钻 round brilliant", "description") == "圆钻 round brilliant")
        #expect(throws: ClientError.self) { try InputText.text(String(repeating: "a", count: 257), "note") }
        #expect(throws: ClientError.self) { try InputText.text("line\nbreak", "note") }
        #expect(try InputText.label("GIA-2141438167", "number").value == "GIA-2141438167")
        #expect(throws: ClientError.self) { try InputText.label("GIA 2141438167", "number") }
        #expect(try InputText.roles("firm,lender") == [.firm, .lender])
        #expect(throws: ClientError.self) { try InputText.roles("firm,banker") }
    }
}
