import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoKnowledge
import ExoMonitor
import ExoReport
import ExoStats
import ExoStore
import Foundation

/// The monitoring stage: every monitored miRNA of every patient with serial samples, judged against the reference
/// change value with its evidence, and one call per patient and timepoint.
enum MonitoringStage {
    static let kind = "monitoring"

    struct PatientCalls: Codable, Hashable {
        var patient: String
        var treatment: String?
        var calls: [PatientTimepoint]
        /// Absent in results stored before events were read.
        var events: [TreatmentEvent]? = nil
        /// The latest call that is not the baseline.
        var current: ResponseClass? { calls.last { $0.call != .baseline }?.call }
    }

    struct Result: Codable {
        var settings: MonitoringSettings
        /// Analytical SD of each analyte's −ΔCq from the study's technical replicates.
        var analyticalSD: [String: Double]
        var withinSubjectSD: Double
        var withinSubjectSource: String
        var series: [ResponseSeries]
        var patients: [PatientCalls]
        var notes: [String]
        /// What the values are, when not the default −ΔCq (`log2 CPM (TMM)` for read counts).
        var values: String?
    }

    /// The outcome when the within-subject variation is neither set nor estimable.
    static let noVariation =
        "skipped: no within-subject variation: set monitoring.withinSubjectSD in study.yaml, or mark stable patients (response SD) with serial samples"

    /// Computes and stores the analysis unless an identical one is stored; returns the stage's outcome line (counts
    /// of the patients' current calls, never their pseudonyms).
    static func run(
        study: String, store: any Store, result: Result, files: [StoredInputFile], actor: String
    ) async throws -> String {
        let counts = Dictionary(grouping: result.patients.compactMap(\.current), by: { $0 }).mapValues(\.count)
        let outcome =
            "\(result.patients.count) patients: "
            + ResponseClass.allCases.compactMap { call in counts[call].map { "\($0) \(call.rawValue)" } }
            .joined(separator: ", ")
        let digest = ResultDigest.of(kind: kind, files: files)
        if try await ResultDigest.isStored(kind: kind, study: study, digest: digest, in: store) {
            return "unchanged: " + outcome
        }
        let provenance = Provenance(
            step: kind,
            parameters: [
                "values": result.values ?? "−ΔCq of the study's normalisation, mean of replicates",
                "rcv":
                    "Cq scale, Z·√2·√(SD_A² + SD_I²), p \(result.settings.probability), \(result.settings.oneSided ? "one" : "two")-sided",
                "withinSubjectSD": "\(result.withinSubjectSD) (\(result.withinSubjectSource))",
                "trend": "Theil–Sen over the last \(result.settings.trendWindow) values",
            ], inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await ResultDigest.save(
            result, kind: kind, study: study, provenance: provenance, digest: digest, in: store, actor: actor)
        return outcome
    }

    /// The stored result in the report's terms.
    static func view(_ stored: StoredResult) throws -> StudyReportInput.MonitoringView {
        let result = try JSONDecoder().decode(Result.self, from: Data(stored.json.utf8))
        return StudyReportInput.MonitoringView(
            series: result.series.map(view),
            patients: result.patients.map { patient in
                (
                    patient.patient, patient.treatment,
                    patient.calls.map {
                        .init(sample: $0.sample, day: $0.day, call: view($0.call), drivers: $0.drivers)
                    },
                    (patient.events ?? []).map { (day: $0.day, label: $0.label) }
                )
            },
            withinSubject: "\(result.withinSubjectSD) cycles (\(result.withinSubjectSource))", notes: result.notes,
            provenance: stored.provenance)
    }

    /// One series in the report's terms.
    static func view(_ series: ResponseSeries) -> StudyReportInput.MonitoringView.Series {
        let scale: StudyReportInput.MonitoringView.ReferenceChange.Scale =
            switch series.rcv.scale {
            case .cq: .cq
            case .logOdds: .logOdds
            case .logNormal: .logNormal
            }
        return StudyReportInput.MonitoringView.Series(
            patient: series.patient, analyte: series.analyte, higherIsBetter: series.higherIsBetter,
            directionSource: series.directionSource,
            rcv: .init(
                scale: scale, analytical: series.rcv.analytical, up: series.rcv.up,
                probability: series.rcv.probability, oneSided: series.rcv.oneSided),
            calls: series.calls.map {
                .init(sample: $0.sample, day: $0.day, call: view($0.call), value: $0.value, evidence: $0.evidence)
            },
            trend: series.trend.map { .init(slope: $0.slope, low: $0.low, high: $0.high) },
            trendWindow: series.trendWindow)
    }

    /// A response class in the report's terms.
    static func view(_ call: ResponseClass) -> StudyReportInput.MonitoringView.Call {
        switch call {
        case .baseline: .baseline
        case .response: .response
        case .stable: .stable
        case .progression: .progression
        case .notEvaluable: .notEvaluable
        }
    }

    /// The log2 CPM of read counts on voom's scale, log2((count + 0.5) / (effective library + 1) · 10⁶), as a
    /// normalisation whose "ΔCq" is its negative, and each monitored miRNA's analytical SD from counting alone.
    ///
    /// The counting (Poisson) SD of log2 of a count n is 1 / (ln 2 · √n); each miRNA's is taken at the median of its
    /// counts over the serial samples (at least 1). It leaves out library preparation's own variation, so it is a lower
    /// bound of the analytical SD and the within-subject SD (set, or estimated from stable patients) carries the rest.
    static func countScale(
        _ counts: CountNormalizationStage.Result, serial: [Sample], monitored: [String]
    ) -> (normalization: NormalizationStage.Result, analytical: [String: Double]) {
        let effective = zip(counts.librarySizes, counts.factors).map { $0 * $1 }
        var deltaCq: [String: [String: Double]] = [:]
        var analytical: [String: Double] = [:]
        let serialIDs = Set(serial.map(\.id.rawValue))
        for (row, feature) in counts.features.enumerated() {
            var values: [String: Double] = [:]
            var serialCounts: [Double] = []
            for (column, sample) in counts.samples.enumerated() {
                let count = counts.cpm[row][column] * effective[column] / 1e6
                values[sample] = -log2((count + 0.5) / (effective[column] + 1) * 1e6)
                if serialIDs.contains(sample) { serialCounts.append(count) }
            }
            deltaCq[feature] = values
            if monitored.contains(feature), let median = Descriptive.median(serialCounts) {
                analytical[feature] = 1 / (log(2) * max(median, 1).squareRoot())
            }
        }
        let normalization = NormalizationStage.Result(
            choice: .none, globalMeanMaximumCq: NormalizationChoice.defaultGlobalMeanMaximumCq,
            chosen: "log2 CPM (TMM)", recommended: "", reason: "", stability: [], pairwiseVariation: [],
            deltaCq: deltaCq, amplificationFactors: [], normFinder: nil)
        return (normalization, analytical)
    }

    /// Analyses the study's serial samples; a `String` when the stage cannot run, saying why.
    ///
    /// Normalised Cq values are the scale when the study has them; otherwise its normalised read counts (`counts`),
    /// as log2 CPM.
    static func analyze(
        samples: [Sample], measurements: [SampleMeasurement], normalization: NormalizationStage.Result?,
        metadata: StudyMetadata, counts: CountNormalizationStage.Result? = nil
    ) -> Swift.Result<Result, Skipped> {
        let settings = metadata.monitoring ?? MonitoringSettings()
        let serial = samples.filter { $0.timepoint.dayOffset != nil }
        guard !serial.isEmpty, !metadata.monitored.isEmpty else {
            return .failure(Skipped(reason: "skipped: no monitored miRNAs with serial samples"))
        }
        var normalization = normalization
        let analytical: [String: Double]
        let scaleNote: String?
        if normalization?.deltaCq.isEmpty ?? true, let counts {
            let scale = countScale(counts, serial: serial, monitored: metadata.monitored)
            normalization = scale.normalization
            analytical = scale.analytical
            scaleNote =
                "log2 CPM (TMM; voom's offsets 0.5 and 1); analytical SD from counting, 1 / (ln 2 · √median count)"
        } else {
            analytical = analyticalSD(measurements, metadata: metadata)
            scaleNote = nil
        }
        guard let normalization, !normalization.deltaCq.isEmpty else {
            return .failure(Skipped(reason: "skipped: no normalised values"))
        }
        let values = monitoredValues(
            serial, measurements: measurements, normalization: normalization, metadata: metadata)
        var notes: [String] = []
        let withinSubject: (sd: Double, source: String)
        if let configured = settings.withinSubjectSD {
            withinSubject = (configured, "monitoring.withinSubjectSD in study.yaml")
        } else if let estimated = estimateWithinSubject(serial, values: values, analytical: analytical) {
            withinSubject = estimated
        } else {
            return .failure(Skipped(reason: noVariation))
        }
        var series: [ResponseSeries] = []
        for analyte in metadata.monitored {
            guard let direction = direction(of: analyte, settings: settings, tumour: metadata.tumour) else {
                notes.append("\(analyte): no direction known; set monitoring.direction in study.yaml")
                continue
            }
            guard let sd = analytical[analyte],
                let rcv = try? ReferenceChangeValue(
                    scale: .cq, analytical: sd, withinSubject: withinSubject.sd, probability: settings.probability,
                    oneSided: settings.oneSided)
            else {
                notes.append("\(analyte): no replicate Cq values to estimate the analytical variation")
                continue
            }
            for (patient, patientValues) in values[analyte, default: [:]].sorted(by: { $0.key < $1.key }) {
                series.append(
                    ResponseSeries(
                        patient: patient, analyte: analyte, values: patientValues,
                        higherIsBetter: direction.higherIsBetter, directionSource: direction.source, rcv: rcv,
                        trendWindow: settings.trendWindow))
            }
        }
        if let text = metadata.panelModel {
            switch panelSeries(
                text, serial: serial, measurements: measurements, normalization: normalization, metadata: metadata,
                withinSubjectSD: withinSubject.sd)
            {
            case .success(let panel): series += panel
            case .failure(let skipped): notes.append(skipped.reason)
            }
        }
        let treatments = Dictionary(
            serial.map { ($0.patient.rawValue, $0.clinical.treatment) }, uniquingKeysWith: { a, _ in a })
        let visits = Dictionary(grouping: serial, by: \.patient.rawValue)
        let patients = Dictionary(grouping: series, by: \.patient).sorted { $0.key < $1.key }.map { patient, list in
            PatientCalls(
                patient: patient, treatment: treatments[patient] ?? nil, calls: PatientTimepoint.combine(list),
                events: TreatmentEvent.events(
                    (visits[patient] ?? []).map { ($0.timepoint.dayOffset ?? 0, $0.clinical.treatment) },
                    event: metadata.treatmentEvent))
        }
        return .success(
            Result(
                settings: settings, analyticalSD: analytical, withinSubjectSD: withinSubject.sd,
                withinSubjectSource: withinSubject.source, series: series, patients: patients, notes: notes,
                values: scaleNote))
    }

    struct Skipped: Error {
        var reason: String
    }

    /// Per analyte and patient, each serial sample's −ΔCq (higher = more), or why it cannot be judged.
    static func monitoredValues(
        _ serial: [Sample], measurements: [SampleMeasurement], normalization: NormalizationStage.Result,
        metadata: StudyMetadata, analytes: [String]? = nil
    ) -> [String: [String: [MonitoredValue]]] {
        let flags = Dictionary(grouping: measurements, by: { "\($0.sample.rawValue)\t\($0.analyte.name)" })
        var values: [String: [String: [MonitoredValue]]] = [:]
        for analyte in analytes ?? metadata.monitored {
            for sample in serial {
                let key = "\(sample.id.rawValue)\t\(analyte)"
                let found = flags[key] ?? []
                var reason: String?
                if found.contains(where: { $0.flags.contains(.preparationQC) }) {
                    reason = "EV preparation failed QC (preparation-qc)"
                } else if found.contains(where: { $0.flags.contains(.hemolysis) }) {
                    reason = "hemolysed sample, hemolysis-sensitive miRNA"
                } else if !found.isEmpty, found.allSatisfy({ $0.flags.contains(.belowDetection) }) {
                    reason = "not detected"
                } else if found.isEmpty {
                    reason = "not measured"
                }
                let deltaCq = normalization.deltaCq[analyte]?[sample.id.rawValue]
                values[analyte, default: [:]][sample.patient.rawValue, default: []].append(
                    MonitoredValue(
                        sample: sample.id.rawValue, day: Double(sample.timepoint.dayOffset ?? 0),
                        value: reason == nil ? deltaCq.map { -$0 } : nil, notEvaluable: reason))
            }
        }
        return values
    }

    /// The analytical SD of each monitored analyte's −ΔCq (ExoMonitor's estimate from the technical replicates), with
    /// the spike-in's variation added when the study normalises to it.
    static func analyticalSD(
        _ measurements: [SampleMeasurement], metadata: StudyMetadata, analytes: [String]? = nil
    ) -> [String: Double] {
        MonitoringVariation.analyticalSD(
            measurements, analytes: analytes ?? metadata.monitored,
            normaliser: metadata.normalization == .spikeIn ? metadata.spikeIns.first : nil)
    }

    /// The within-subject SD from the patients marked stable in the sample sheet (response SD), with its source;
    /// `nil` when no stable patient has two values of a monitored analyte.
    static func estimateWithinSubject(
        _ serial: [Sample], values: [String: [String: [MonitoredValue]]], analytical: [String: Double]
    ) -> (sd: Double, source: String)? {
        let stable = Set(serial.filter { $0.clinical.response == .stableDisease }.map(\.patient.rawValue))
        guard let sd = MonitoringVariation.withinSubjectSD(values, patients: stable, analyticalSD: analytical) else {
            return nil
        }
        return (sd, "estimated from \(stable.count) stable patient\(stable.count == 1 ? "" : "s") (response SD)")
    }

    /// Each patient's locked-panel score over time: the model's log-odds of its positive class from the sample's
    /// normalised values (−ΔCq of each member), judged like a miRNA on the log-odds scale.
    ///
    /// The analytical SD of the score is √Σ(cᵢ² · SD_A,ᵢ²) over the members' own SD_A; the within-subject SD is
    /// SD_I · √Σcᵢ² (each member varying by SD_I, independently). A fall in the log-odds of the positive class (the
    /// tumour) is better. A sample misses its score when any member cannot be judged, with that member's reason.
    static func panelSeries(
        _ text: String, serial: [Sample], measurements: [SampleMeasurement],
        normalization: NormalizationStage.Result, metadata: StudyMetadata, withinSubjectSD: Double
    ) -> Swift.Result<[ResponseSeries], Skipped> {
        guard let model = try? JSONDecoder().decode(LockedModel.self, from: Data(text.utf8)) else {
            return .failure(Skipped(reason: "monitoring.panel: the locked model cannot be read"))
        }
        // Members named as the study names analytes (miRBase 22), whatever spelling the model was trained with.
        let members = model.analytes.filter { $0.coefficient != 0 }.map { member in
            var named = member
            if case .success(let resolved) = Analyte.resolve(member.feature, catalog: .bundled) {
                named.feature = resolved.analyte.name
            }
            return named
        }
        let names = members.map(\.feature)
        let analytical = analyticalSD(measurements, metadata: metadata, analytes: names)
        guard !members.isEmpty, members.allSatisfy({ analytical[$0.feature] != nil }) else {
            let missing = names.filter { analytical[$0] == nil }
            return .failure(
                Skipped(
                    reason:
                        "panel '\(model.name)': no replicate Cq values for \(missing.isEmpty ? "any member" : missing.joined(separator: ", "))"
                ))
        }
        let sumSquares = members.reduce(0) { $0 + $1.coefficient * $1.coefficient }
        let sdA = members.reduce(0) { $0 + pow($1.coefficient * (analytical[$1.feature] ?? 0), 2) }.squareRoot()
        guard
            let rcv = try? ReferenceChangeValue(
                scale: .logOdds, analytical: sdA, withinSubject: withinSubjectSD * sumSquares.squareRoot(),
                probability: metadata.monitoring?.probability ?? 0.95, oneSided: metadata.monitoring?.oneSided ?? false)
        else { return .failure(Skipped(reason: "panel '\(model.name)': no reference change value")) }
        let values = monitoredValues(
            serial, measurements: measurements, normalization: normalization, metadata: metadata, analytes: names)
        let label = "panel \(model.name)"
        let source =
            "locked model '\(model.name)' (sha256 \(String((model.sha256 ?? "").prefix(12)))…; values: \(model.normalisation)): the log-odds of '\(model.positiveClass)', a fall is better"
        let patients = Set(values.values.flatMap(\.keys)).sorted()
        return .success(
            patients.map { patient in
                let perMember = members.map { values[$0.feature]?[patient] ?? [] }
                let scores = (perMember.first ?? []).indices.map { index -> MonitoredValue in
                    let first = perMember[0][index]
                    var score = model.intercept
                    for (member, list) in zip(members, perMember) {
                        guard index < list.count, let value = list[index].value else {
                            let reason =
                                index < list.count ? list[index].notEvaluable ?? "not measured" : "not measured"
                            return MonitoredValue(
                                sample: first.sample, day: first.day, value: nil,
                                notEvaluable: "\(member.feature): \(reason)")
                        }
                        score += member.coefficient * value
                    }
                    return MonitoredValue(sample: first.sample, day: first.day, value: score)
                }
                return ResponseSeries(
                    patient: patient, analyte: label, values: scores, higherIsBetter: false, directionSource: source,
                    rcv: rcv, trendWindow: metadata.monitoring?.trendWindow ?? 4)
            })
    }

    /// Whether a rise of the analyte is good, and why: study.yaml, else the knowledge base's case–control
    /// direction in the study's tumour, else in other tumours.
    static func direction(of analyte: String, settings: MonitoringSettings, tumour: String?) -> (
        higherIsBetter: Bool, source: String
    )? {
        if let configured = settings.higherIsBetter[analyte] {
            return (configured, "monitoring.direction in study.yaml")
        }
        let link = KnowledgeLink(feature: analyte, tumour: tumour.flatMap(Tumour.init(parsing:)), observed: nil)
        for (entries, place) in [(link.inTumour, tumour ?? "the study's tumour"), (link.elsewhere, "other tumours")] {
            let stated = entries.filter { $0.direction != .unstated }
            let down = stated.filter { $0.direction == .down }
            let up = stated.filter { $0.direction == .up }
            guard !stated.isEmpty, down.count != up.count else { continue }
            let lower = down.count > up.count
            let ids = (lower ? down : up).map(\.id).joined(separator: ", ")
            return (
                lower,
                "\(lower ? "lower" : "higher") in \(place) (knowledge base \(ids)): a \(lower ? "rise" : "fall") is better"
            )
        }
        return nil
    }
}
