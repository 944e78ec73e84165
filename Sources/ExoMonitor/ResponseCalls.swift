public import ExoStats

/// One patient's value of one monitored analyte at one timepoint, or why it cannot be judged.
public struct MonitoredValue: Sendable, Hashable, Codable {
    public var sample: String
    /// Days from the treatment event (negative before it).
    public var day: Double
    /// The value on the monitoring scale (−ΔCq, higher = more; or copies); `nil` when not evaluable.
    public var value: Double?
    /// Why the value cannot be judged (EV preparation failed QC, hemolysed, not detected, not measured).
    public var notEvaluable: String?

    /// Creates a value.
    public init(sample: String, day: Double, value: Double?, notEvaluable: String? = nil) {
        self.sample = sample
        self.day = day
        self.value = value
        self.notEvaluable = value == nil ? (notEvaluable ?? "not measured") : notEvaluable
    }
}

/// The molecular response classes.
public enum ResponseClass: String, Sendable, Hashable, Codable, CaseIterable {
    case baseline
    case response = "molecular response"
    case stable
    case progression = "molecular progression"
    case notEvaluable = "not evaluable"
}

/// One timepoint's call with its evidence.
public struct ResponseCall: Sendable, Hashable, Codable {
    public var sample: String
    public var day: Double
    public var call: ResponseClass
    /// The value, its change from baseline and from the best value so far (cycles, or a ratio − 1).
    public var value: Double?
    public var fromBaseline: Double?
    public var fromBest: Double?
    /// What decided the call, in words.
    public var evidence: String
}

/// The calls of one patient's series of one analyte against the reference change value.
///
/// The baseline is the last evaluable value at or before the treatment event (day ≤ 0). At every later timepoint:
/// *molecular progression* when the value is significantly worse than the best value so far (the baseline or a
/// later, better one — a relapse after a response counts); else *molecular response* when it is significantly
/// better than the baseline; else *stable*. A timepoint whose value cannot be judged, a series without a baseline, and
/// a patient with one timepoint are *not evaluable*, each with its reason. "Better" is `higherIsBetter`'s direction.
public struct ResponseSeries: Sendable, Hashable, Codable {
    public var patient: String
    public var analyte: String
    public var higherIsBetter: Bool
    /// Why this direction means better (the knowledge base's or the locked model's statement).
    public var directionSource: String
    public var rcv: ReferenceChangeValue
    public var calls: [ResponseCall]
    /// The Theil–Sen slope per 28 days over the last `trendWindow` evaluable values, with Sen's interval.
    public var trend: TheilSen?
    public var trendWindow: Int

    /// The latest call that is not the baseline (the patient's current state for this analyte).
    public var current: ResponseCall? { calls.last { $0.call != .baseline } }

    /// Classifies a series.
    ///
    /// - Parameters:
    ///   - patient: the patient's pseudonym.
    ///   - analyte: the monitored analyte.
    ///   - values: the values in any order.
    ///   - higherIsBetter: whether a rise on the value scale is good (miR-4458, lower in NSCLC) or bad (miR-21).
    ///   - directionSource: where the direction comes from, shown with the calls.
    ///   - rcv: the reference change value on the values' scale.
    ///   - trendWindow: how many of the latest evaluable values the trend uses.
    public init(
        patient: String, analyte: String, values: [MonitoredValue], higherIsBetter: Bool, directionSource: String,
        rcv: ReferenceChangeValue, trendWindow: Int = 4
    ) {
        self.patient = patient
        self.analyte = analyte
        self.higherIsBetter = higherIsBetter
        self.directionSource = directionSource
        self.rcv = rcv
        self.trendWindow = trendWindow
        let ordered = values.sorted { ($0.day, $0.sample) < ($1.day, $1.sample) }
        /// The change from `earlier` to `later` on the value scale, signed so that positive is better.
        func improvement(_ earlier: Double, _ later: Double) -> Double {
            let additive = rcv.scale != .logNormal
            let change = additive ? later - earlier : later / earlier - 1
            return higherIsBetter ? change : (additive ? -change : earlier / later - 1)
        }
        /// Whether an improvement (positive) or worsening (negative) is beyond the reference change value.
        func significant(_ better: Double) -> Int {
            // For ratios, a worsening by a factor f is the improvement 1/f − 1; the asymmetric limits apply.
            better > rcv.up ? 1 : better < rcv.down ? -1 : 0
        }
        let baselineIndex = ordered.lastIndex { $0.day <= 0 && $0.value != nil }
        var calls: [ResponseCall] = []
        var best: Double?
        for (index, point) in ordered.enumerated() {
            var call = ResponseCall(
                sample: point.sample, day: point.day, call: .notEvaluable, value: point.value, fromBaseline: nil,
                fromBest: nil, evidence: "")
            if ordered.count == 1 {
                call.evidence = "one timepoint: a change needs at least two"
            } else if let reason = point.notEvaluable {
                call.evidence = reason
            } else if let baselineIndex, index == baselineIndex, let value = point.value {
                call.call = .baseline
                call.evidence = "baseline (day \(Int(point.day)))"
                best = value
            } else if let baselineIndex, index < baselineIndex {
                call.evidence = "before the baseline"
            } else if baselineIndex == nil {
                call.evidence = "no baseline: no evaluable sample at or before the treatment event"
            } else if let value = point.value, let baselineIndex, let base = ordered[baselineIndex].value,
                let bestSoFar = best
            {
                let fromBaseline = improvement(base, value)
                let fromBest = improvement(bestSoFar, value)
                call.fromBaseline = fromBaseline
                call.fromBest = fromBest
                let limits = Self.describe(rcv)
                if significant(fromBest) < 0 {
                    call.call = .progression
                    call.evidence =
                        "worse than the best value so far by \(Self.size(fromBest, rcv.scale)), beyond \(limits)"
                } else if significant(fromBaseline) > 0 {
                    call.call = .response
                    call.evidence =
                        "better than baseline by \(Self.size(fromBaseline, rcv.scale)), beyond \(limits)"
                } else {
                    call.call = .stable
                    call.evidence =
                        "within \(limits) of baseline (\(Self.format(fromBaseline, rcv.scale))) and of the best value (\(Self.format(fromBest, rcv.scale)))"
                }
                if improvement(bestSoFar, value) > 0 { best = value }
            }
            calls.append(call)
        }
        self.calls = calls
        let recent = ordered.filter { $0.value != nil }.suffix(trendWindow)
        trend =
            recent.count >= 3
            ? TheilSen(x: recent.map { $0.day / 28 }, y: recent.compactMap(\.value)) : nil
    }

    /// "±0.81 cycles" or "+38 % / −28 %".
    static func describe(_ rcv: ReferenceChangeValue) -> String {
        switch rcv.scale {
        case .cq, .logOdds: "the reference change of ±\(format(rcv.up, rcv.scale).dropFirst())"
        case .logNormal: "the reference change of \(format(rcv.up, .logNormal)) / \(format(rcv.down, .logNormal))"
        }
    }

    /// The size of a change that the sentence already calls better or worse: "1.5 cycles", not "-1.5 cycles"; a
    /// log-normal change keeps its signed percentage (a fall and a rise of the same size differ in percent).
    static func size(_ change: Double, _ scale: ReferenceChangeValue.Scale) -> String {
        switch scale {
        case .cq, .logOdds: String(format(abs(change), scale).drop(while: { $0 == "+" }))
        case .logNormal: format(change, scale)
        }
    }

    static func format(_ change: Double, _ scale: ReferenceChangeValue.Scale) -> String {
        switch scale {
        case .cq:
            let rounded = (change * 100).rounded() / 100
            return "\(rounded >= 0 ? "+" : "")\(rounded) cycles"
        case .logOdds:
            let rounded = (change * 100).rounded() / 100
            return "\(rounded >= 0 ? "+" : "")\(rounded) log-odds"
        case .logNormal:
            let percent = (change * 100).rounded()
            return "\(percent >= 0 ? "+" : "")\(Int(percent)) %"
        }
    }
}
