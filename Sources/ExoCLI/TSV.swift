/// How every tab-separated table the CLI writes spells its cells.
///
/// A number is written as Swift's shortest decimal that reads back to the same `Double` (`0.1`, `1e-05`); a missing
/// or non-finite number is `NA`, which R's `read.delim` and pandas' `read_csv` both read as missing. Empty text
/// stays empty (a note or a call that is absent).
enum TSV {
    /// The one spelling of a missing number.
    static let missing = "NA"

    /// A number cell.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return missing }
        return String(value)
    }
}
