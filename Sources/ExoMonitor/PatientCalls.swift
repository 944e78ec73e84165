import ExoCore

/// A patient's combined call at one timepoint: progression when any monitored series progresses, else response when
/// any responds, else stable; not evaluable when none can be judged.
public struct PatientTimepoint: Sendable, Hashable, Codable {
    public var sample: String
    public var day: Double
    public var call: ResponseClass
    /// The series (miRNAs, panels) that decided it.
    public var drivers: [String]

    /// Creates a timepoint.
    public init(sample: String, day: Double, call: ResponseClass, drivers: [String]) {
        self.sample = sample
        self.day = day
        self.call = call
        self.drivers = drivers
    }

    /// The patient's calls per timepoint from each of its series, in day order.
    ///
    /// - Parameter series: one patient's series.
    /// - Returns: one combined call per sample.
    public static func combine(_ series: [ResponseSeries]) -> [PatientTimepoint] {
        let samples = Dictionary(
            grouping: series.flatMap { item in item.calls.map { (item.analyte, $0) } }, by: { $0.1.sample })
        return samples.map { sample, calls in
            let classes = calls.map(\.1.call)
            let call: ResponseClass =
                classes.contains(.progression)
                ? .progression
                : classes.contains(.response)
                    ? .response
                    : classes.contains(.stable)
                        ? .stable : classes.allSatisfy { $0 == .baseline } ? .baseline : .notEvaluable
            return PatientTimepoint(
                sample: sample, day: calls.first?.1.day ?? 0, call: call,
                drivers: calls.filter { $0.1.call == call }.map(\.0).sorted())
        }.sorted { ($0.day, $0.sample) < ($1.day, $1.sample) }
    }
}

/// A change of treatment: the regimen at the first serial sample, each change of regimen between visits (a switch),
/// and a visit with no regimen after one (a stop).
public struct TreatmentEvent: Sendable, Hashable, Codable {
    public var day: Double
    public var label: String

    /// Creates an event.
    public init(day: Double, label: String) {
        self.day = day
        self.label = label
    }

    /// The events of one patient's visits.
    ///
    /// - Parameters:
    ///   - visits: each visit's day and regimen (`nil` or empty when none), in any order.
    ///   - event: the name of the event the days count from (`treatment start`).
    /// - Returns: the events in day order.
    public static func events(_ visits: [(day: Int, regimen: String?)], event: String) -> [TreatmentEvent] {
        var events: [TreatmentEvent] = []
        var current: String?
        for visit in visits.sorted(by: { $0.day < $1.day }) {
            let day = Double(visit.day)
            let regimen = visit.regimen.flatMap { $0.isEmpty ? nil : $0 }
            switch (current, regimen) {
            case (nil, let new?) where events.isEmpty: events.append(TreatmentEvent(day: 0, label: "\(event): \(new)"))
            case (nil, let new?): events.append(TreatmentEvent(day: day, label: "restart: \(new)"))
            case (let old?, let new?) where old != new:
                events.append(TreatmentEvent(day: day, label: "switch to \(new)"))
            case (_?, nil): events.append(TreatmentEvent(day: day, label: "treatment stopped"))
            default: break
            }
            current = regimen
        }
        return events
    }
}

/// What a monitored patient's timepoint calls for: an alert on a molecular progression, or on a timepoint that cannot
/// be judged because its sample failed QC (the EV preparation, or hemolysis).
public struct MonitoringAlert: Sendable, Hashable {
    /// Why the alert is raised.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case progression
        case qcFailure = "qc-failure"
    }

    public var patient: String
    public var sample: String
    public var kind: Kind
    /// The evidence: the day and each deciding series' own evidence.
    public var evidence: String

    /// The alerts of one patient, in day order.
    ///
    /// - Parameters:
    ///   - patient: the patient's pseudonym.
    ///   - timepoints: the patient's combined calls.
    ///   - series: the patient's series.
    /// - Returns: one progression alert per progression episode, raised at its first timepoint with the evidence
    ///   there (an episode runs from a progression call until a response or stable call; a baseline or a timepoint
    ///   that cannot be judged does not end it), and a QC alert per timepoint with a series not evaluable for a QC
    ///   reason.
    public static func alerts(patient: String, timepoints: [PatientTimepoint], series: [ResponseSeries])
        -> [MonitoringAlert]
    {
        var alerts: [MonitoringAlert] = []
        var inEpisode = false
        for timepoint in timepoints {
            let evidence = series.compactMap { series -> (String, ResponseCall)? in
                series.calls.first { $0.sample == timepoint.sample }.map { (series.analyte, $0) }
            }
            let day = "day \(Int(timepoint.day)): "
            if timepoint.call == .progression, !inEpisode {
                let text = evidence.filter { timepoint.drivers.contains($0.0) }.map { "\($0.0): \($0.1.evidence)" }
                alerts.append(
                    MonitoringAlert(
                        patient: patient, sample: timepoint.sample, kind: .progression,
                        evidence: "progression from " + day + text.joined(separator: "; ")))
            }
            switch timepoint.call {
            case .progression: inEpisode = true
            case .response, .stable: inEpisode = false
            default: break
            }
            let failedQC = evidence.filter { _, call in
                call.call == .notEvaluable
                    && (call.evidence.contains("preparation-qc") || call.evidence.contains("hemolys"))
            }
            if !failedQC.isEmpty {
                alerts.append(
                    MonitoringAlert(
                        patient: patient, sample: timepoint.sample, kind: .qcFailure,
                        evidence: day + failedQC.map { "\($0.0): \($0.1.evidence)" }.joined(separator: "; ")))
            }
        }
        return alerts
    }
}
