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
    /// The alerts the stored monitoring result calls for, in patient and day order.
    static func alerts(study: String, result: MonitoringStage.Result) -> [AlertRecord] {
        var alerts: [AlertRecord] = []
        for patient in result.patients {
            let series = result.series.filter { $0.patient == patient.patient }
            for call in patient.calls {
                let evidence = series.compactMap { series -> (String, ResponseCall)? in
                    guard let found = series.calls.first(where: { $0.sample == call.sample }) else { return nil }
                    return (series.analyte, found)
                }
                if call.call == .progression {
                    let text = evidence.filter { call.drivers.contains($0.0) }.map { "\($0.0): \($0.1.evidence)" }
                    alerts.append(
                        AlertRecord(
                            study: study, patient: patient.patient, sample: call.sample, kind: .progression,
                            evidence: "day \(Int(call.day)): " + text.joined(separator: "; ")))
                }
                let failedQC = evidence.filter { _, found in
                    found.call == .notEvaluable
                        && (found.evidence.contains("preparation-qc") || found.evidence.contains("hemolys"))
                }
                if !failedQC.isEmpty {
                    alerts.append(
                        AlertRecord(
                            study: study, patient: patient.patient, sample: call.sample, kind: .qcFailure,
                            evidence: "day \(Int(call.day)): "
                                + failedQC.map { "\($0.0): \($0.1.evidence)" }.joined(separator: "; ")))
                }
            }
        }
        return alerts
    }

    /// Raises the alerts of the stored monitoring result that are not raised yet; returns the outcome line.
    static func run(study: String, store: any Store, actor: String) async throws -> String? {
        guard let stored = try await store.result(study: study, kind: MonitoringStage.kind) else { return nil }
        let result = try JSONDecoder().decode(MonitoringStage.Result.self, from: Data(stored.json.utf8))
        let raised = try await store.raiseAlerts(alerts(study: study, result: result), actor: actor)
        let open = try await store.alerts(study: study).filter { !$0.isAcknowledged }.count
        return "\(raised.count) new, \(open) open"
    }
}
