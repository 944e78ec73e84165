import ExoStats

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The quantification cycle TD0 and the baseline-section efficiency of the later LinRegPCR in RDML-Tools
/// (rdmlpython 2.x/3.x, the version behind the expected-results tables shipped with the RDML 1.4 examples).
///
/// Per curve, on the raw fluorescence (cycles filled without gaps): TD0 is where the third derivative of the
/// raw curve (differences of a 3-point-smoothed second derivative) crosses zero downwards, highest crossing
/// below the end of the log phase, linearly interpolated. The baseline is found on the section of at most
/// 9 cycles ending at trunc(TD0 − 0.5): bisection until the log-slopes of its lower and upper halves agree
/// within 1e-5; the individual PCR efficiency is 10^(slope of the upper half). docs/dev/linregpcr-rdmltools.md
/// describes each step; docs/qpcr.md gives the agreement with the tables. Per target, the mean PCR efficiency
/// is taken over the individual efficiencies of the usable curves (Grubbs outliers of a skewed set removed),
/// and Ncopy = N_ampli / E^TD0 with N_ampli from ``AmpliconsAtTD0``.
public enum ThirdDerivativeZero {
    /// Why no baseline section could be fitted (the tables' "baseline error" code where it is known).
    public enum SectionError: String, Sendable, Hashable, Codable {
        /// TD0 missing (fewer than 5 cycles, no zero crossing) or below cycle 4.5 (code 2).
        case tooEarly = "TD0 too early"
        /// Fewer than 4 cycles between the start of the log phase and TD0 (code 4).
        case sectionTooShort = "section too short"
        /// The uncorrected section's lower half is steeper than its upper half (code 5).
        case lowerHalfSteeper = "lower half steeper"
        /// Even with the baseline at the first point the upper half is steeper.
        case upperHalfSteeperAtFloor = "upper half steeper"
        /// No baseline within 50 bisection steps.
        case notConverged = "baseline not converged"
    }

    /// The analysis of one curve.
    public struct Result: Sendable, Hashable {
        /// The curve analysed.
        public var curve: AmplificationCurve
        /// TD0 in cycles, or `nil` when the third derivative has no downward zero crossing.
        public var td0: Double?
        /// The baseline fluorescence, when the section fit succeeded.
        public var baseline: Double?
        /// 10^(log10-slope of the section's upper half), the tables' "indiv PCR eff".
        public var individualEfficiency: Double?
        /// Squared correlation of log10(section − baseline) on the cycle.
        public var rSquared: Double?
        /// Cycles from the start of the log phase to the last section cycle ("n in log phase").
        public var pointsInLogPhase: Int?
        /// Cycles in the section ("n included").
        public var pointsIncluded: Int?
        /// The last section cycle ("last log cycle").
        public var lastLogCycle: Int?
        /// Why the section fit failed, if it did.
        public var error: SectionError?
        /// The first cycle of the log phase (the tables' n in log phase counts from here).
        public var logPhaseStart: Int?
        /// Has a baseline section, TD0 above cycle 2 and an individual efficiency above 1.4.
        public var amplified = false
        /// The curve levels off: extrapolating the fluorescence at TD0 with the curve's efficiency to the last
        /// cycle gives at least 5 times what was measured there.
        public var plateau = false
        /// Entered the target's mean efficiency before outlier removal.
        public var usedForMeanEfficiency = false
        /// Removed from the target's mean efficiency as a Grubbs outlier.
        public var efficiencyOutlier = false
        /// The target's mean PCR efficiency in this run, and its population standard deviation.
        public var meanEfficiency: Double?
        public var meanEfficiencySD: Double?
        /// Starting copies from the target's mean efficiency: N_ampli / E_mean^TD0.
        public var ncopy: Double?
        /// Starting copies from the curve's own efficiency.
        public var individualNcopy: Double?
    }

    /// Sample types whose curves never enter a mean efficiency (controls without template).
    static let controlsWithoutTemplate: Set<String> = ["ntc", "nac", "ntp", "nrt", "opt"]

    /// Analyses the curves of one run.
    ///
    /// The negative-value shift uses the run's maximum; readings at cycles below 1 are not part of the analysis.
    public static func analyze(_ curves: [AmplificationCurve]) -> [Result] {
        let cycles = curves.flatMap { $0.points.map(\.cycle) }.filter(\.isFinite)
        // The matrix starts at cycle 1 even when the file's first reading is later (matrix_gaps.rdml lacks
        // cycle 1): the leading gap takes the first reading and cycle numbers stay the instrument's.
        guard let last = cycles.max().map({ Int($0.rounded(.up)) }), last >= 1
        else { return curves.map { Result(curve: $0, error: .tooEarly) } }
        let filled = curves.map { filledFluorescence($0, first: 1, last: last) }
        let runMaximum = filled.compactMap { $0.max() }.max() ?? 0
        let runMinimum = filled.compactMap { $0.min() }.min() ?? 0
        var results = zip(curves, filled).map { curve, raw in
            guard raw.count >= 5 else { return Result(curve: curve, error: .tooEarly) }
            var shift = 0.0
            if runMinimum < 1e-8, let minimum = raw.min(), minimum < 1e-8 {
                shift = (runMaximum - minimum) / 100 - minimum
            }
            return analyze(curve: curve, raw: raw, shifted: raw.map { $0 + shift }, shift: shift)
        }
        assignMeanEfficiencies(&results)
        for index in results.indices { assignCopies(&results[index]) }
        return results
    }

    /// Per target: the mean and population SD of the individual efficiencies of amplified curves with a
    /// plateau, at least 4 log-phase cycles below TD0 and an efficiency ≥ 1.001, from samples that are not
    /// negative controls or excluded, after removing Grubbs outliers of a skewed set (as LinRegPCR 1.7.2).
    static func assignMeanEfficiencies(_ results: inout [Result]) {
        var byTarget: [String: [Int]] = [:]
        for index in results.indices { byTarget[results[index].curve.target, default: []].append(index) }
        for rows in byTarget.values {
            var values = [Double](repeating: .nan, count: rows.count)
            for (position, row) in rows.enumerated() {
                let result = results[row]
                guard let td0 = result.td0, let start = result.logPhaseStart,
                    let efficiency = result.individualEfficiency,
                    Int(td0.rounded(.towardZero)) - start + 1 > 3, result.error == nil, result.amplified,
                    result.plateau, efficiency >= 1.001, !result.curve.isExcluded,
                    !controlsWithoutTemplate.contains(result.curve.sampleType)
                else { continue }
                values[position] = efficiency
                results[row].usedForMeanEfficiency = true
            }
            let outliers = LinRegPCREngine.outliers(values, noPlateau: rows.map { !results[$0].plateau })
            for position in outliers {
                values[position] = .nan
                results[rows[position]].efficiencyOutlier = true
            }
            let kept = values.filter { !$0.isNaN }
            guard !kept.isEmpty else { continue }
            let mean = kept.reduce(0, +) / Double(kept.count)
            let sd = (kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count)).squareRoot()
            for row in rows {
                results[row].meanEfficiency = mean
                results[row].meanEfficiencySD = sd
            }
        }
    }

    /// Ncopy = N_ampli / E^TD0 for the mean and the individual efficiency, when TD0 > 0 and 1 < E < 2.3.
    static func assignCopies(_ result: inout Result) {
        guard let td0 = result.td0, td0 > 0, let amplicons = result.curve.amplicons?.copies else { return }
        func copies(_ efficiency: Double?) -> Double? {
            guard let efficiency, efficiency > 1, efficiency < 2.3 else { return nil }
            return amplicons / pow(efficiency, td0)
        }
        result.ncopy = copies(result.meanEfficiency)
        result.individualNcopy = copies(result.individualEfficiency)
    }

    /// Fluorescence at every whole cycle `first…last`: leading and trailing gaps take the nearest value,
    /// inner gaps are interpolated linearly; a curve without data is empty.
    static func filledFluorescence(_ curve: AmplificationCurve, first: Int, last: Int) -> [Double] {
        var values = [Double?](repeating: nil, count: last - first + 1)
        for point in curve.points where point.cycle.isFinite && point.fluorescence.isFinite {
            let index = Int(point.cycle.rounded(.up)) - first
            if values.indices.contains(index) { values[index] = point.fluorescence }
        }
        let known = values.indices.filter { values[$0] != nil }
        guard let head = known.first, let tail = known.last else { return [] }
        var result = values.map { $0 ?? .nan }
        for index in 0..<head { result[index] = result[head] }
        for index in (tail + 1)..<result.count { result[index] = result[tail] }
        for (low, high) in zip(known, known.dropFirst()) where high > low + 1 {
            for index in (low + 1)..<high {
                let fraction = Double(index - low) / Double(high - low)
                result[index] = result[low] + fraction * (result[high] - result[low])
            }
        }
        return result
    }

    /// The analysis of one curve.
    ///
    /// Derivatives and TD0 use `raw`, the baseline section `shifted` (raw + `shift`). Arrays are 0-based;
    /// cycle c is index c − 1.
    static func analyze(curve: AmplificationCurve, raw f: [Double], shifted: [Double], shift: Double) -> Result {
        var result = Result(curve: curve)
        let n = f.count
        // Derivatives of the raw curve: second difference at 1…n−2, smoothed over 3 (defined at 2…n−3),
        // third derivative td[k] = msd[k+1] − msd[k] belonging to cycle k + 1.5.
        var sd = [Double](repeating: .nan, count: n)
        for j in 1..<(n - 1) { sd[j] = f[j + 1] - 2 * f[j] + f[j - 1] }
        var msd = [Double](repeating: .nan, count: n)
        for j in 1..<(n - 1) { msd[j] = (sd[j - 1] + sd[j] + sd[j + 1]) / 3 }
        let td = (0..<(n - 1)).map { msd[$0 + 1] - msd[$0] }
        // End of the log phase: the cycle of the largest smoothed second derivative before the steepest rise.
        var steepest = 0
        for k in 0..<(n - 1) where f[k + 1] - f[k] > f[steepest + 1] - f[steepest] { steepest = k }
        var maxFD = steepest + 1
        if maxFD <= n - 2 {
            if f[maxFD + 1] > f[maxFD] && f[maxFD] > f[maxFD - 1] { maxFD += 2 }
        } else {
            maxFD = n
        }
        var maxSD = n
        var best = 0.0
        if maxFD > 3 {
            for cycle in 3..<maxFD where !msd[cycle - 1].isNaN && msd[cycle - 1] > best {
                best = msd[cycle - 1]
                maxSD = cycle
            }
        }
        if maxSD + 2 >= n { maxSD = n }
        var minBySD = maxSD
        while minBySD > 3 && f[minBySD - 2] < f[minBySD - 1] { minBySD -= 1 }
        var maxBySD = maxSD
        if maxBySD < n && f[maxBySD - 1] < f[maxBySD] { maxBySD += 1 }
        // TD0: the highest downward zero crossing of the third derivative below the end of the log phase.
        let stopIndex = min(n - 1, maxSD + 2, maxBySD - 1)
        if stopIndex - 1 >= minBySD {
            for k in stride(from: stopIndex - 1, through: minBySD, by: -1) where k + 1 < td.count {
                if td[k] >= 0 && td[k + 1] < 0 {
                    result.td0 = Double(k) + 1.5 + td[k] / (td[k] - td[k + 1])
                    break
                }
            }
        }
        result.logPhaseStart = minBySD
        // The baseline section: at most 9 cycles ending at trunc(TD0 − 0.5).
        let stop = Int(((result.td0 ?? -1) - 0.5).rounded(.towardZero))
        guard stop >= 4 else {
            result.error = .tooEarly
            return result
        }
        let start = max(minBySD + 1, stop - 8)
        result.pointsInLogPhase = stop - minBySD + 1
        result.pointsIncluded = stop - start + 1
        result.lastLogCycle = stop
        guard stop - start + 1 >= 4 else {
            result.error = .sectionTooShort
            return result
        }
        let section = Array(shifted[(start - 1)..<stop])
        let uncorrected = halfSlopes(section)
        guard !(uncorrected.lower > uncorrected.upper) else {
            result.error = .lowerHalfSteeper
            return result
        }
        let floor = halfSlopes(section.map { $0 - section[0] + 1e-8 })
        guard !(floor.lower < floor.upper) else {
            result.error = .upperHalfSteeperAtFloor
            return result
        }
        var base = section[0] * 0.5
        var step = base * 0.5
        for _ in 0..<50 {
            let slopes = halfSlopes(section.map { $0 - base })
            if abs(slopes.lower - slopes.upper) < 1e-5 {
                result.baseline = base - shift
                result.individualEfficiency = pow(10, slopes.upper)
                result.rSquared = logFit(section.map { $0 - base })?.rSquared
                let efficiency = pow(10, slopes.upper)
                let td0 = result.td0 ?? 0
                result.amplified = td0 > 2 && efficiency > 1.4
                // The fluorescence at TD0, interpolated geometrically on the corrected curve, grown to the last cycle.
                let low = shifted[Int(td0) - 1] - base
                let high = shifted[min(Int(td0), n - 1)] - base
                let atTD0 = pow(10, log10(low) + (log10(high) - log10(low)) * (td0 - td0.rounded(.down)))
                let extrapolated = atTD0 * pow(efficiency, Double(n) - td0)
                result.plateau = result.amplified && extrapolated / (shifted[n - 1] - base) >= 5
                return result
            }
            if slopes.lower > slopes.upper { base -= step } else { base += step }
            step *= 0.5
        }
        result.error = .notConverged
        return result
    }

    /// Log10-slopes of the lower half (indices 0…trunc(m/2 − 0.4)) and upper half (trunc(m/2)…m−1); for an odd
    /// count the middle point belongs to both.
    static func halfSlopes(_ values: [Double]) -> (lower: Double, upper: Double) {
        let centre = Double(values.count) / 2
        let lowerEnd = Int((centre - 0.4).rounded(.towardZero))
        let upperStart = Int(centre.rounded(.towardZero))
        return (
            logFit(Array(values[0...lowerEnd]))?.slope ?? .nan, logFit(Array(values[upperStart...]))?.slope ?? .nan
        )
    }

    /// Least squares of log10(value) on the index; `nil` for fewer than two values.
    static func logFit(_ values: [Double]) -> SimpleLinearRegression? {
        SimpleLinearRegression(x: values.indices.map(Double.init), y: values.map(log10))
    }
}

extension ThirdDerivativeZero.Result {
    init(curve: AmplificationCurve, error: ThirdDerivativeZero.SectionError? = nil) {
        self.curve = curve
        self.error = error
    }
}
