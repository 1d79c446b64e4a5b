import FacetClient
import FacetCore
import Testing

/// Amounts are typed as decimals and signed as integer minor units: exact, never rounded, never through `Double`.
@Suite struct AmountTextTests {
    @Test(arguments: [
        ("1234.56", "CNY", Int64(123_456)),
        ("0.1", "CNY", 10),
        ("0.10", "CNY", 10),
        ("0.01", "USD", 1),
        ("7", "HKD", 700),
        ("007.5", "EUR", 750),
        ("1500", "JPY", 1500),
        ("0", "CNY", 0),
        ("10000000000000.00", "CNY", 1_000_000_000_000_000),
        ("1000000000000000", "JPY", 1_000_000_000_000_000),
    ])
    func exactMinorUnits(text: String, currency: String, minorUnits: Int64) throws {
        let money = try AmountText.money(text, currency: currency)
        #expect(money.minorUnits == minorUnits)
        #expect(money.currency.code == currency)
    }

    @Test(arguments: [
        ("1.234", "CNY", "at most 2 decimal places"),
        ("1500.5", "JPY", "no decimal places"),
        ("1500.0", "JPY", "no decimal places"),
        ("1.", "CNY", "plain decimal"),
        (".5", "CNY", "plain decimal"),
        ("-1", "CNY", "plain decimal"),
        ("+1", "CNY", "plain decimal"),
        ("1e3", "CNY", "plain decimal"),
        ("1,000.00", "CNY", "plain decimal"),
        (" 1", "CNY", "plain decimal"),
        ("", "CNY", "plain decimal"),
        ("١٢", "CNY", "plain decimal"),
        ("1.2.3", "CNY", "plain decimal"),
        ("10000000000000.01", "CNY", "over the limit"),
        ("99999999999999999999", "CNY", "over the limit"),
        ("12", "XYZ", "not a supported currency"),
        ("12", "cny", "not a supported currency"),
    ])
    func refusedAsInvalidInput(text: String, currency: String, reason: String) {
        #expect {
            try AmountText.money(text, currency: currency)
        } throws: { error in
            guard let error = error as? ClientError else { return false }
            return error.code == .invalidInput && error.message.contains(reason) && error.httpStatus == nil
        }
    }

    @Test func weightsInThousandths() throws {
        #expect(try InputText.weight("1.01", unit: "carats") == 1010)
        #expect(try InputText.weight("12.5", unit: "grams") == 12_500)
        #expect(try InputText.weight("0.001", unit: "grams") == 1)
        #expect(throws: ClientError.self) { try InputText.weight("0", unit: "grams") }
        #expect(throws: ClientError.self) { try InputText.weight("1.0001", unit: "carats") }
        #expect(throws: ClientError.self) { try InputText.weight("1000000000.001", unit: "grams") }
    }
}
