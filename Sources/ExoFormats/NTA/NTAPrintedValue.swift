/// A number as the NTA software printed it, with the rounding the print implies.
///
/// NTA prints sizes to 0.1 nm (`98.6`), concentrations of NTA 3.4 in scientific notation with three significant
/// digits (`2.02e+08`) and those of NTA 3.2 as plain integers (`1470000000`). `resolution` is the place of the last
/// printed digit: 0.1 for `98.6`, 10⁶ for `2.02e+08`, and for a plain integer the place of its last non-zero digit
/// (10⁷ for `1470000000`, 1 for `4286`, 1 for `0`), since NTA writes no more digits than it keeps. The value the
/// software computed lies within `resolution / 2` of `value`.
public struct NTAPrintedValue: Sendable, Hashable {
    /// The number printed.
    public var value: Double
    /// The place of the last printed digit.
    public var resolution: Double

    /// Creates a printed value.
    public init(value: Double, resolution: Double) {
        self.value = value
        self.resolution = resolution
    }

    /// Parses a printed number (`98.6`, `-0.3`, `2.22e+08`, `1470000000`); `nil` for anything else.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public init?(text: String) {
        guard let value = Double(text), value.isFinite else { return nil }
        self.value = value
        let lower = text.lowercased()
        let mantissa = lower.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
        let exponent = mantissa.count > 1 ? Int(mantissa[1]) ?? 0 : 0
        let digits = mantissa[0]
        if let dot = digits.firstIndex(of: ".") {
            let decimals = digits.distance(from: dot, to: digits.endIndex) - 1
            resolution = Self.power(exponent - decimals)
        } else {
            // A plain integer: its trailing zeros are not significant digits.
            let trailingZeros = digits.reversed().prefix { $0 == "0" }.count
            let allZero = digits.allSatisfy { $0 == "0" || $0 == "-" || $0 == "+" }
            resolution = Self.power(exponent + (allZero ? 0 : trailingZeros))
        }
    }

    /// 10 to an integer power.
    private static func power(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
