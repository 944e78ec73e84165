#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// LinRegPCR: baseline, window of linearity, PCR efficiency, N0 and Cq from raw amplification curves.
///
/// The method of Ruijter et al. (2009, doi:10.1093/nar/gkp045) as the RDML consortium's rdmlpython 1.7.2
/// implements it (Untergasser et al. 2021, doi:10.1186/s12859-021-04306-1), reproduced step for step so the
/// numbers agree: every curve gets its own constant baseline, chosen so the log-linear phase is straight
/// (the slopes of its lower and upper half agree); each target gets one window of linearity (the
/// fluorescence range where the efficiencies of its curves vary least); a curve's efficiency is the slope of
/// log10 fluorescence over the cycles inside the window, its Cq is where the line through those points,
/// with the target's mean efficiency as slope, crosses the run's common threshold (the geometric mean of
/// the targets' thresholds), and N0 = threshold / E^Cq in fluorescence units. `docs/qpcr.md` lists where
/// this implementation deliberately differs.
///
/// The analysis is per run: thresholds and the clipping range couple every curve of the run.
public enum LinRegPCR {
    /// Which curves enter a target's mean efficiency.
    public enum EfficiencyExclusion: String, Sendable, Hashable, Codable, CaseIterable {
        /// Every curve that amplified.
        case include
        /// Curves within ± `efficiencyRange` of the median efficiency.
        case mean
        /// Curves that are not Grubbs outliers of a significantly skewed distribution (the default).
        case outlier
    }

    /// Analysis options, with rdmlpython's method defaults.
    public struct Options: Sendable, Hashable, Codable {
        /// Half-width of the band around the median efficiency for `.mean`.
        public var efficiencyRange = 0.05
        /// Leave curves without a plateau out of the mean efficiency.
        public var excludeNoPlateau = true
        public var efficiencyExclusion = EfficiencyExclusion.outlier
        /// Treat a curve whose Cq moves by more than a cycle when its baseline moves ±5 % as a baseline error.
        public var excludeInstableBaseline = true

        /// The defaults.
        public init() {}

        /// The index of the efficiency variant these options select.
        var variant: Int {
            let base: Int
            switch efficiencyExclusion {
            case .include: base = 0
            case .mean: base = 2
            case .outlier: base = 4
            }
            return base + (excludeNoPlateau ? 1 : 0)
        }
    }

    /// Analyses every curve of one run.
    ///
    /// - Parameters:
    ///   - curves: the curves of one run, in reaction order.
    ///   - options: the analysis options.
    /// - Returns: one result per curve, in the same order.
    /// - Complexity: O(curves × cycles × baseline iterations); the baseline search dominates.
    public static func analyze(_ curves: [AmplificationCurve], options: Options = Options()) -> LinRegPCRRunResult {
        var engine = LinRegPCREngine(curves: curves, options: options)
        return engine.run()
    }
}

/// The analysis of one run.
public struct LinRegPCRRunResult: Sendable {
    public var results: [LinRegPCRResult]
    /// The run's common threshold (geometric mean of the target thresholds), fluorescence units.
    public var commonThreshold: Double
    /// Whether raw fluorescence had negative values (baseline-corrected data was supplied); affected curves were
    /// shifted up and their efficiencies are unreliable.
    public var hadNegativeRawData: Bool
    /// The number of cycles of the run.
    public var cycles: Int
}

/// The LinRegPCR result of one curve.
public struct LinRegPCRResult: Sendable, Hashable {
    /// The mean efficiency, its population SD, N0 and Cq of one of the six efficiency variants.
    public struct Variant: Sendable, Hashable {
        public var meanEfficiency: Double
        public var standardDeviation: Double
        public var n0: Double
        public var cq: Double
    }

    public var curve: AmplificationCurve
    /// The constant baseline subtracted from the raw fluorescence.
    public var baseline: Double
    public var lowerLimit: Double
    public var upperLimit: Double
    public var commonThreshold: Double
    public var groupThreshold: Double
    public var pointsInLogPhase: Int
    public var lastLogCycle: Int
    /// Cycles inside the window of linearity.
    public var pointsInWindow: Int
    /// Centroid of the window points: cycle and log10 fluorescence.
    public var logLinCycle: Double
    public var logLinFluorescence: Double
    /// The curve's own amplification factor per cycle (2 = doubling).
    public var individualEfficiency: Double
    public var rSquared: Double
    public var individualN0: Double
    /// Cq with the curve's own efficiency and the common threshold.
    public var individualCq: Double
    /// Cq with the curve's own efficiency and its target's threshold.
    public var individualCqGroupThreshold: Double
    /// Variants in the order include, include without no-plateau curves, mean, mean without no plateau,
    /// outlier, outlier without no plateau.
    public var variants: [Variant]
    /// Index into `variants` of the options' choice.
    public var chosenVariant: Int

    public var amplified: Bool
    public var baselineError: Bool
    public var instableBaseline: Bool
    public var plateau: Bool
    public var noisy: Bool
    public var outsideMeanRange: Bool
    public var outsideMeanRangeNoPlateau: Bool
    public var efficiencyOutlier: Bool
    public var efficiencyOutlierNoPlateau: Bool
    public var shortLogLinPhase: Bool
    public var cqIsShifting: Bool
    public var tooLowCqEfficiency: Bool
    public var tooLowCqN0: Bool
    public var usedForWindow: Bool
    /// The baseline-corrected fluorescence by cycle (index 0 = cycle 1); NaN where missing or ≤ 0.
    public var correctedFluorescence: [Double]

    /// The Cq of the chosen variant (the mean efficiency of the target): LinRegPCR's main result.
    public var cq: Double { variants[chosenVariant].cq }
    /// The target's mean efficiency in the chosen variant.
    public var meanEfficiency: Double { variants[chosenVariant].meanEfficiency }
    /// N0 of the chosen variant, fluorescence units.
    public var n0: Double { variants[chosenVariant].n0 }
}
