import FacetHTML
import Testing

@Suite struct DashboardFormatTests {
    @Test func compactNumbersKeepTwoSignificantDigitsBelowOne() {
        #expect(DashboardFormat.compact(0) == "0")
        #expect(DashboardFormat.compact(0.004) == "0.004")
        #expect(DashboardFormat.compact(0.05) == "0.05")
        #expect(DashboardFormat.compact(0.5) == "0.5")
        #expect(DashboardFormat.compact(1.25) == "1.25")
        #expect(DashboardFormat.compact(1.5) == "1.5")
        #expect(DashboardFormat.compact(2_500) == "2.5k")
        #expect(!DashboardFormat.compact(0.0001).hasSuffix("."))
    }
}

@Suite struct DashboardFixedFormatTests {
    @Test func fixedDecimalsNeedNoLocale() {
        #expect(DashboardFormat.fixed(1234.5678, digits: 2) == "1234.57")
        #expect(DashboardFormat.fixed(-0.04, digits: 1) == "0.0")
        #expect(DashboardFormat.fixed(-2.25, digits: 1) == "-2.3")
        #expect(DashboardFormat.fixed(0.5, digits: 0) == "1")
        #expect(DashboardFormat.fixed(12, digits: 3) == "12.000")
        #expect(DashboardFormat.number(1_234_567.891, digits: 2) == "1,234,567.89")
        #expect(DashboardFormat.coordinate(3.14159) == "3.1")
    }
}
