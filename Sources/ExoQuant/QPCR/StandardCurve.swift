public import ExoStats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A qPCR standard curve: Cq against log10 of the known quantity of a dilution series.
///
/// Definitions (MIQE, Bustin et al. 2009, doi:10.1373/clinchem.2008.112797): the line
/// Cq = intercept + slope · log10(quantity) is fitted by least squares over every replicate; the
/// amplification efficiency is E = 10^(−1/slope) − 1 (1.0 = 100 %, doubling each cycle; slope −3.32), with
/// its interval from the t interval of the slope. The limit of detection is the lowest standard at which at
/// least 95 % of replicates amplified (Forootan et al. 2017, doi:10.1016/j.bdq.2017.04.001).
public struct StandardCurve: Sendable, Hashable, Codable {
    /// One standard reaction.
    public struct Point: Sendable, Hashable, Codable {
        /// The known quantity (copies per reaction, or any unit the unknowns will be reported in).
        public var quantity: Double
        /// The Cq, or `nil` when the reaction did not amplify.
        public var cq: Double?

        /// Creates a point.
        public init(quantity: Double, cq: Double?) {
            self.quantity = quantity
            self.cq = cq
        }
    }

    /// The detection rate at one standard level.
    public struct Level: Sendable, Hashable, Codable {
        public var quantity: Double
        public var replicates: Int
        public var detected: Int
        public var meanCq: Double?
    }

    public let fit: SimpleLinearRegression
    /// Amplification efficiency E (0.939 = 93.9 %).
    public let efficiency: Double
    /// Efficiency interval from the slope's 95 % interval; `nil` with two points.
    public let efficiencyInterval: ClosedRange<Double>?
    public let levels: [Level]
    /// The lowest quantity detected in ≥ 95 % of its replicates, or `nil` if none was.
    public let limitOfDetection: Double?

    /// Fits the curve to the amplified standards; `nil` with fewer than two amplified standards at two
    /// different quantities.
    ///
    /// - Parameters:
    ///   - points: every standard reaction, amplified or not.
    ///   - level: confidence level of the efficiency interval.
    public init?(points: [Point], level: Double = 0.95) {
        let amplified = points.filter { $0.cq != nil && $0.quantity > 0 }
        guard let fit = SimpleLinearRegression(x: amplified.map { log10($0.quantity) }, y: amplified.compactMap(\.cq))
        else {
            return nil
        }
        self.fit = fit
        efficiency = Self.efficiency(slope: fit.slope)
        // A steeper (more negative) slope means a lower efficiency: the interval's ends swap.
        efficiencyInterval = fit.slopeInterval(level: level).map {
            Self.efficiency(slope: $0.lowerBound)...Self.efficiency(slope: $0.upperBound)
        }
        let byQuantity = Dictionary(grouping: points.filter { $0.quantity > 0 }, by: \.quantity)
        levels = byQuantity.keys.sorted().map { quantity in
            let replicates = byQuantity[quantity] ?? []
            let cqs = replicates.compactMap(\.cq)
            return Level(
                quantity: quantity, replicates: replicates.count, detected: cqs.count,
                meanCq: cqs.isEmpty ? nil : cqs.reduce(0, +) / Double(cqs.count))
        }
        limitOfDetection = levels.first { Double($0.detected) >= 0.95 * Double($0.replicates) }?.quantity
    }

    /// E = 10^(−1/slope) − 1.
    public static func efficiency(slope: Double) -> Double { pow(10, -1 / slope) - 1 }

    /// The quantity of an unknown from its Cq: 10^((Cq − intercept) / slope).
    public func quantity(cq: Double) -> Double { pow(10, (cq - fit.intercept) / fit.slope) }

    /// Whether a quantity lies inside the range of the standards (no extrapolation).
    public func isWithinRange(_ quantity: Double) -> Bool {
        guard let low = levels.first(where: { $0.detected > 0 })?.quantity,
            let high = levels.last(where: { $0.detected > 0 })?.quantity
        else { return false }
        return quantity >= low && quantity <= high
    }
}
