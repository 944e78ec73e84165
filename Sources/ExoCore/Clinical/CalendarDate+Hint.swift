extension CalendarDate {
    /// How to write a date given in another common form as `YYYY-MM-DD`, or `nil` when the text is no date.
    ///
    /// `01.03.2025` (day first, as in much of Europe) and `2025/03/01` have one reading; `01/03/2025` has two
    /// (1 March in Europe, 3 January in the USA) unless one part exceeds 12, and the hint then names both, since
    /// ExoScope never guesses a date. A 5-digit number between 20000 and 60000 is taken as a spreadsheet's
    /// date serial (days since 1899-12-30), the usual result of a date column pasted as numbers.
    ///
    /// - Parameter text: the cell as written.
    /// - Returns: the hint, or `nil`.
    public static func hint(for text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        if let serial = Int(trimmed), (20_000...60_000).contains(serial) {
            let date = CalendarDate(daysSinceEpoch: serial - 25_569)
            return
                "\(trimmed) looks like a spreadsheet date serial (\(date)); format the column as text dates YYYY-MM-DD"
        }
        for separator: Character in [".", "/", "-"] {
            let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { continue }
            if trimmed.split(separator: separator)[0].count == 4 {
                return candidate(year: a, month: b, day: c).map { "write it as \($0)" }
            }
            let year = c < 100 ? 2000 + c : c
            let dayFirst = candidate(year: year, month: b, day: a)
            let monthFirst = separator == "." ? nil : candidate(year: year, month: a, day: b)
            switch (dayFirst, monthFirst) {
            case (let day?, let month?) where day != month:
                return "write it as YYYY-MM-DD: \(day) if the day comes first, \(month) if the month does"
            case (let date?, _), (nil, let date?): return "write it as \(date)"
            case (nil, nil): return nil
            }
        }
        return nil
    }

    private static func candidate(year: Int, month: Int, day: Int) -> CalendarDate? {
        guard (1...9999).contains(year) else { return nil }
        return CalendarDate(iso8601: format(year: year, month: month, day: day))
    }

    /// `YYYY-MM-DD`, unchecked.
    static func format(year: Int, month: Int, day: Int) -> String {
        padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    /// `value` with leading zeros to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = "\(value)"
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension CalendarDate {
    /// The date `days` after 1970-01-01 (before it when negative), by the days-from-civil inverse (Howard Hinnant);
    /// `days` must fall in the years 0001-9999 (-719,162 to 2,932,896).
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let text = CalendarDate.format(year: year, month: month, day: day)
        // Every value the arithmetic yields is a valid Gregorian date.
        guard let date = CalendarDate(iso8601: text) else { preconditionFailure("no date for day \(days)") }
        self = date
    }
}
