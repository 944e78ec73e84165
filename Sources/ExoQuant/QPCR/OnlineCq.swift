/// A threshold Cq called while a run is still cycling, from the readings received so far.
///
/// Method (the instrument's classical Ct, made causal): the baseline is the mean of cycles
/// `baselineFirstCycle`…`baselineLastCycle` that have been read before the curve rises, its noise the sample SD of
/// the same cycles, and the threshold `thresholdSDs` noise SDs above the baseline (at least `minimumRelativeThreshold`
/// of the baseline, so a quantised flat baseline cannot give a zero threshold). A crossing is the first cycle c whose
/// baseline-corrected fluorescence reaches the threshold after cycle c − 1 did not; it is confirmed by the first later
/// reading that is higher than cycle c while every reading since stayed above the threshold (a single spike, a bubble
/// or a dropping well is not amplification; a reading below the threshold drops the crossing). The Cq interpolates
/// linearly between cycles c − 1 and c and is called when the confirming reading arrives, normally cycle c + 1: one
/// cycle after the curve crossed, before LinRegPCR's threshold (in the log-linear phase) is reached.
///
/// The caller sees readings in cycle order; the same readings give the same call whether they arrive one by one
/// or as a finished curve (`call(fluorescence:options:)`). The final Cq of a run is LinRegPCR's over the complete
/// run (`docs/live-protocol.md`); this one is provisional.
public struct OnlineCq: Sendable {
    /// How the threshold is set.
    public struct Options: Sendable, Hashable, Codable {
        /// First and last cycle of the baseline.
        public var baselineFirstCycle = 3
        public var baselineLastCycle = 15
        /// Cycles of baseline needed before a crossing can be judged.
        public var minimumBaselineCycles = 5
        /// Threshold in baseline noise SDs above the baseline.
        public var thresholdSDs = 10.0
        /// The smallest threshold, as a fraction of the baseline level.
        public var minimumRelativeThreshold = 0.01

        /// The defaults.
        public init() {}
    }

    /// A called Cq.
    public struct Call: Sendable, Hashable, Codable {
        /// The Cq, fractional cycles.
        public var cq: Double
        /// The cycle whose reading made the call (the confirming cycle).
        public var calledAtCycle: Int
        /// The baseline level and the threshold above it, fluorescence units.
        public var baseline: Double
        public var threshold: Double
    }

    public let options: Options
    /// Fluorescence of cycles 1, 2, … received so far (contiguous).
    public private(set) var fluorescence: [Double] = []
    /// The call, once made; it never changes afterwards.
    public private(set) var call: Call?
    /// The baseline frozen at a candidate crossing (cycle index of the crossing, baseline, threshold).
    private var candidate: Candidate?

    private struct Candidate: Sendable {
        var cycle: Int
        var baseline: Double
        var threshold: Double
    }

    /// An empty curve.
    public init(options: Options = Options()) { self.options = options }

    /// The number of cycles received.
    public var cycles: Int { fluorescence.count }

    /// Adds the next cycle's reading and returns the call when this reading makes it.
    ///
    /// - Parameter value: the raw fluorescence of cycle `cycles + 1`.
    /// - Returns: the call made by this reading, or `nil` (also when the call was made earlier).
    @discardableResult
    public mutating func append(_ value: Double) -> Call? {
        fluorescence.append(value)
        guard call == nil else { return nil }
        let cycle = fluorescence.count
        if let pending = candidate {
            let crossed = fluorescence[pending.cycle - 1] - pending.baseline
            let current = value - pending.baseline
            if current >= pending.threshold {
                guard current > crossed else { return nil }
                let before = fluorescence[pending.cycle - 2] - pending.baseline
                let cq = Double(pending.cycle - 1) + (pending.threshold - before) / (crossed - before)
                call = Call(cq: cq, calledAtCycle: cycle, baseline: pending.baseline, threshold: pending.threshold)
                return call
            }
            candidate = nil
        }
        guard let (baseline, threshold) = baselineAndThreshold(before: cycle) else { return nil }
        let corrected = value - baseline
        let previous = fluorescence[cycle - 2] - baseline
        if corrected >= threshold, previous < threshold {
            candidate = Candidate(cycle: cycle, baseline: baseline, threshold: threshold)
        }
        return nil
    }

    /// The baseline and threshold from the baseline cycles read before `cycle`, or `nil` when too few.
    private func baselineAndThreshold(before cycle: Int) -> (Double, Double)? {
        let first = options.baselineFirstCycle
        let last = min(options.baselineLastCycle, cycle - 1)
        guard last - first + 1 >= options.minimumBaselineCycles else { return nil }
        let values = fluorescence[(first - 1)..<last].filter(\.isFinite)
        guard values.count >= options.minimumBaselineCycles else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let threshold = max(options.thresholdSDs * variance.squareRoot(), options.minimumRelativeThreshold * abs(mean))
        return (mean, threshold)
    }

    /// The call a finished curve gives, fed cycle by cycle.
    ///
    /// - Parameters:
    ///   - fluorescence: raw fluorescence of cycles 1, 2, ….
    ///   - options: how the threshold is set.
    /// - Returns: the call, or `nil` when the curve never crossed with confirmation.
    public static func call(fluorescence: [Double], options: Options = Options()) -> Call? {
        var curve = OnlineCq(options: options)
        for value in fluorescence { curve.append(value) }
        return curve.call
    }
}
