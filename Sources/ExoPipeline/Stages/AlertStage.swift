import ExoMonitor
import ExoStore
import Foundation

/// Alerts on monitored patients, from the stored monitoring result.
///
/// An alert is a molecular progression call at a timepoint, or a timepoint that cannot be judged because the sample
/// failed QC (its EV preparation, or hemolysis). Each is
/// raised once (study, kind, patient, sample), stays open until a user acknowledges it with a note, and both acts
/// are audited without the pseudonym.
enum AlertStage {
    /// The alerts the stored monitoring result calls for, in patient and day order (the rule is ExoMonitor's
    /// ``MonitoringAlert``).
    static func alerts(study: String, result: MonitoringStage.Result) -> [AlertRecord] {
        result.patients.flatMap { patient in
            MonitoringAlert.alerts(
                patient: patient.patient, timepoints: patient.calls,
                series: result.series.filter { $0.patient == patient.patient }
            ).map { alert in
                AlertRecord(
                    study: study, patient: alert.patient, sample: alert.sample,
                    kind: alert.kind == .progression ? .progression : .qcFailure, evidence: alert.evidence)
            }
        }
    }

    /// Raises the alerts of the stored monitoring result that are not raised yet; returns the outcome line.
    static func run(study: String, monitoring stored: StoredResult, store: any Store, actor: String) async throws
        -> String
    {
        let result = try JSONDecoder().decode(MonitoringStage.Result.self, from: Data(stored.json.utf8))
        let raised = try await store.raiseAlerts(alerts(study: study, result: result), actor: actor)
        let open = try await store.alerts(study: study).filter { !$0.isAcknowledged }.count
        return "\(raised.count) new, \(open) open"
    }
}
