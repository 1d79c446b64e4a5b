/// RFC 3339 text for timestamps in JSON files people write and read (a genesis, a verifier's report).
///
/// Only the UTC form is accepted: `YYYY-MM-DDTHH:MM:SSZ`, optionally with one to three fraction digits before
/// the `Z`. An offset such as `+08:00` is refused rather than converted, so one instant has one spelling in a
/// genesis file and two readers never disagree about a time zone. The calendar arithmetic is done here (proleptic
/// Gregorian, no leap seconds) instead of through Foundation, so the ledger's pure parts stay free of the
/// system's calendar and locale.
extension Timestamp {
    /// `2026-01-01T00:00:00Z`, or `2026-01-01T00:00:00.250Z` when the milliseconds are not zero.
    public var rfc3339: String {
        let days = millis / Timestamp.millisPerDay
        let dayMillis = millis % Timestamp.millisPerDay
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let seconds = dayMillis / 1000
        var text =
            pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if dayMillis % 1000 != 0 { text += "." + pad(dayMillis % 1000, 3) }
        return text + "Z"
    }

    /// Parses the UTC form described above; nil for anything else (another offset, a date that does not exist,
    /// a leap second, a year outside 1970...9999).
    public init?(rfc3339 text: String) {
        let chars = Array(text.utf8)
        guard chars.count >= 20, chars.count != 21, chars.count <= 24 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let char = chars[index]
                guard char >= UInt8(ascii: "0") && char <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(char - UInt8(ascii: "0"))
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        for (index, separator) in separators where chars[index] != separator.asciiValue {
            return nil
        }
        guard chars[chars.count - 1] == UInt8(ascii: "Z"), let year = number(0..<4), let month = number(5..<7),
            let day = number(8..<10), let hour = number(11..<13), let minute = number(14..<16),
            let second = number(17..<19)
        else { return nil }
        var fraction: Int64 = 0
        if chars.count > 20 {
            guard chars[19] == UInt8(ascii: "."), let digits = number(20..<(chars.count - 1)) else { return nil }
            fraction = digits
            for _ in 0..<(3 - (chars.count - 21)) { fraction *= 10 }
        } else if chars[19] != UInt8(ascii: "Z") {
            return nil
        }
        guard year >= 1970, month >= 1, month <= 12, day >= 1, day <= Timestamp.daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        let total = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction
        guard let timestamp = try? Timestamp(millis: total) else { return nil }
        self = timestamp
    }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`), for years
    /// from 1970 on, where every intermediate value is non-negative.
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(fromCivil:)` (Hinnant's `civil_from_days`) for non-negative day counts.
    private static func civil(fromDays count: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = count + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
