import FacetCore
import Testing

@Suite struct MoneyTests {
    func cny(_ units: Int64) throws(CoreError) -> Money { try Money(minorUnits: units, currency: .cny) }

    @Test func checkedArithmetic() throws {
        #expect(try cny(150).adding(cny(250)) == cny(400))
        #expect(try cny(150).subtracting(cny(250)) == cny(-100))
        #expect(try cny(1_000).scaled(by: 2_500, over: 10_000) == cny(250))
        #expect(try cny(-999).scaled(by: 1, over: 10) == cny(-99))
    }

    @Test func overflowIsAnErrorNeverAWrap() throws {
        let max = try cny(Limits.maxAmountMinorUnits)
        #expect(throws: CoreError.self) { try max.adding(cny(1)) }
        do throws(CoreError) {
            _ = try max.adding(cny(1))
            Issue.record("adding past the limit must fail")
        } catch {
            #expect(error.code == .moneyOverflow)
        }
        #expect(throws: CoreError.self) { try cny(-Limits.maxAmountMinorUnits).subtracting(cny(1)) }
        #expect(throws: CoreError.self) { try cny(Limits.maxAmountMinorUnits).scaled(by: Int64.max, over: 1) }
        #expect(throws: CoreError.self) { try Money(minorUnits: Int64.max, currency: .cny) }
        #expect(throws: CoreError.self) { try Money(minorUnits: Int64.min, currency: .cny) }
    }

    @Test func currenciesNeverMix() throws {
        #expect(throws: CoreError(.currencyMismatch, "cannot combine CNY with USD")) {
            try cny(1).adding(Money(minorUnits: 1, currency: .usd))
        }
        #expect(throws: CoreError.self) { try Currency("XXX") }
        #expect(throws: CoreError.self) { try Currency("cny") }
        #expect(try Currency("JPY").minorUnitDigits == 0)
    }

    @Test func description() throws {
        #expect(try cny(123_456).description == "1234.56 CNY")
        #expect(try cny(-5).description == "-0.05 CNY")
        #expect(try Money(minorUnits: 700, currency: Currency("JPY")).description == "700 JPY")
    }

    @Test func canonicalRoundTrip() throws {
        let value = try cny(-42)
        #expect(value.canonicalBytes == [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xd6, 0x43, 0x4e, 0x59])
        #expect(try Money(canonicalBytes: value.canonicalBytes) == value)
    }
}
