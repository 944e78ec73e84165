public import ExoCore
import ExoStats
import Foundation

/// The reference change value: how far two results of one patient must differ before the difference is more than
/// analytical and within-subject variation at a chosen probability.
///
/// - On the Cq scale (qPCR), where a cycle is a doubling, the critical difference is symmetric:
///   ΔCq = Z · √2 · √(SD_A² + SD_I²) (Fraser's RCV on a log scale).
/// - For quantities (copies/ml, counts), the log-normal asymmetric form (Fokkema et al., Clin Chem 2006;52:1602):
///   σ = √(ln(CV_A² + 1) + ln(CV_I² + 1)); a rise is significant above exp(Z·√2·σ) − 1 and a fall below
///   exp(−Z·√2·σ) − 1.
///
/// Z is the standard normal quantile of the probability: one-sided (a change in a stated direction) or two-sided.
public struct ReferenceChangeValue: Sendable, Hashable, Codable {
    /// The scale of the values compared.
    public enum Scale: String, Sendable, Hashable, Codable {
        /// Cq or ΔCq: differences in cycles.
        case cq
        /// Positive quantities: ratios.
        case logNormal = "log-normal"
        /// A locked panel's score: differences in log-odds, symmetric like Cq.
        case logOdds = "log-odds"
    }

    public var scale: Scale
    /// Analytical variation: an SD in cycles (`cq`) or a CV as a fraction (`logNormal`).
    public var analytical: Double
    /// Within-subject biological variation, in the same terms.
    public var withinSubject: Double
    public var probability: Double
    public var oneSided: Bool
    /// The standard normal quantile used.
    public var z: Double
    /// The upper limit: the critical difference in cycles, or the largest insignificant rise (0.25 = +25 %).
    public var up: Double
    /// The lower limit: minus the critical difference, or the largest insignificant fall (−0.2 = −20 %).
    public var down: Double

    /// Computes the reference change value.
    ///
    /// - Parameters:
    ///   - scale: Cq differences or quantity ratios.
    ///   - analytical: SD_A in cycles or CV_A as a fraction.
    ///   - withinSubject: SD_I in cycles or CV_I as a fraction.
    ///   - probability: the probability that a change beyond the value is not chance (0.95).
    ///   - oneSided: whether only one direction of change is asked about.
    /// - Throws: `InputErrorList` when a variation is negative or not a number, or the probability is not in (0.5, 1).
    public init(
        scale: Scale, analytical: Double, withinSubject: Double, probability: Double = 0.95, oneSided: Bool = false
    ) throws(InputErrorList) {
        var errors: [InputError] = []
        let location = InputLocation(path: "monitoring")
        for (name, value) in [("analytical", analytical), ("within-subject", withinSubject)]
        where !(value >= 0 && value.isFinite) {
            errors.append(
                InputError(
                    .invalidValue, at: location,
                    "\(name) variation must be a number ≥ 0, found \(value)",
                    hint: scale == .logNormal
                        ? "a CV as a fraction, such as 0.15 for 15 %" : "an SD in cycles, such as 0.2"))
        }
        if !(probability > 0.5 && probability < 1) {
            errors.append(
                InputError(
                    .invalidValue, at: location, "the probability must lie between 0.5 and 1, found \(probability)",
                    hint: "0.95 is usual; 0.90 for an earlier, less certain signal"))
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        self.scale = scale
        self.analytical = analytical
        self.withinSubject = withinSubject
        self.probability = probability
        self.oneSided = oneSided
        z = Normal.quantile(oneSided ? probability : (1 + probability) / 2)
        switch scale {
        case .cq, .logOdds:
            let critical = z * 2.0.squareRoot() * (analytical * analytical + withinSubject * withinSubject).squareRoot()
            up = critical
            down = -critical
        case .logNormal:
            let sigma = (log(analytical * analytical + 1) + log(withinSubject * withinSubject + 1)).squareRoot()
            up = exp(z * 2.0.squareRoot() * sigma) - 1
            down = exp(-z * 2.0.squareRoot() * sigma) - 1
        }
    }

    /// Whether `change` (later − earlier in cycles, or later ÷ earlier − 1) exceeds the value: +1 a significant
    /// rise, −1 a significant fall, 0 neither.
    public func significance(of change: Double) -> Int {
        change > up ? 1 : change < down ? -1 : 0
    }
}
