import ExoCore
import ExoFormats
import ExoQC
import ExoReport
import ExoStats
import ExoStore
import Foundation

/// The EV preparation QC stage: every characterised preparation assessed against the study's specification, the
/// reference material's Levey–Jennings charts and the stability study's shelf lives, stored with provenance.
///
/// Assessment is pure and cheap, so import computes it to flag the values of failed preparations and this stage
/// computes it again to store it.
enum EVQCStage {
    /// The kind under which the result is stored.
    static let kind = "ev-qc"
    /// Bin width of the stored histograms, nm, and the largest size kept.
    static let histogramBin = 5.0
    static let histogramLimit = 600.0

    /// What is stored.
    struct Result: Codable {
        var specification: String
        var specificationVersion: String
        var sizeRange: [Double]
        var assessments: [PreparationAssessment]
        /// Each preparation's pooled histogram (particles/ml per 5 nm bin up to 600 nm), and the captures of failed
        /// preparations.
        var histograms: [Histogram]
        var controlCharts: [LeveyJennings]
        var stability: [ShelfLife.Series]
        /// Whether uncharacterised preparations block (study.yaml's `qc.requireCharacterisation`); `nil` in results
        /// stored before the setting existed.
        var requireCharacterisation: Bool?

        /// Sample ids the gate stops: failed preparations, and uncharacterised ones when the study requires
        /// characterisation.
        var failedSamples: Set<String> { Set(assessments.filter { !$0.passed }.map(\.key)) }

        /// Sample ids whose preparation has no characterisation, whether or not that blocks.
        var uncharacterisedSamples: Set<String> { Set(assessments.filter { !$0.isCharacterised }.map(\.key)) }
    }

    struct Histogram: Codable {
        var key: String
        var centres: [Double]
        var pooled: [Double]
        var captures: [[Double]]
    }

    /// Assesses every preparation of a study with `qc:`; `nil` for a study without.
    static func assess(_ study: LoadedStudy, measurements: [SampleMeasurement]) -> Result? {
        guard let qc = study.qc else { return nil }
        let hemolysis = Dictionary(
            HemolysisAssessment().indices(measurements, samples: study.samples).compactMap { index in
                index.index.map { (index.sample.rawValue, $0) }
            }, uniquingKeysWith: { first, _ in first })
        let records = Dictionary(qc.preparations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        // Copies per ml of biofluid (qPCR standard curves, dPCR), the mean of each sample's replicates.
        var copies: [String: [String: [Double]]] = [:]
        for measurement in measurements
        where measurement.unit == .copiesPerMilliliter && !measurement.flags.contains(.belowDetection)
            && !measurement.flags.contains(.excluded)
        {
            if let value = measurement.value {
                copies[measurement.sample.rawValue, default: [:]][measurement.analyte.name, default: []].append(value)
            }
        }
        let markers = Dictionary(grouping: qc.markers, by: \.key)
        let range = qc.specification.sizeRange ?? qc.files.sizeRange
        var assessments: [PreparationAssessment] = []
        var histograms: [Histogram] = []
        // Every sample is assessed: one without a characterisation row or marker result is not characterised,
        // which blocks only when the study says so.
        for sample in study.samples.sorted(by: { $0.id < $1.id }) {
            let key = sample.id.rawValue
            let assessment = PreparationAssessment(
                key: key, record: records[key], markers: markers[key] ?? [], sample: sample,
                hemolysisIndex: hemolysis[key], specification: qc.specification, sizeRange: range,
                reporting: qc.files.reporting,
                copiesPerMlBiofluid: (copies[key] ?? [:]).mapValues { $0.reduce(0, +) / Double($0.count) },
                requireCharacterisation: qc.files.requireCharacterisation)
            assessments.append(assessment)
            if let size = records[key]?.size {
                histograms.append(histogram(key: key, size, captures: !assessment.passed))
            }
        }
        return Result(
            specification: qc.specification.name, specificationVersion: qc.specification.version,
            sizeRange: [range.lowerBound, range.upperBound], assessments: assessments, histograms: histograms,
            controlCharts: qc.referenceRuns.map { LeveyJennings.charts($0) } ?? [],
            stability: qc.stability.map { ShelfLife.series($0, limits: qc.files.stabilityLimits) } ?? [],
            requireCharacterisation: qc.files.requireCharacterisation)
    }

    /// A size export re-binned for plotting.
    static func histogram(key: String, _ size: ParticleSizeExport, captures: Bool) -> Histogram {
        let plotted = StudyReportInput.EVQCView.Histogram(key: key, size, captures: captures)
        return Histogram(key: key, centres: plotted.centres, pooled: plotted.pooled, captures: plotted.captures)
    }

    /// The stored result in the report's terms.
    static func view(_ stored: StoredResult) throws -> StudyReportInput.EVQCView {
        let result = try decode(stored)
        return StudyReportInput.EVQCView(
            specification: result.specification, specificationVersion: result.specificationVersion,
            sizeRange: (result.sizeRange.first ?? 30)...(result.sizeRange.last ?? 150),
            assessments: result.assessments.map(StudyReportInput.EVQCView.Preparation.init),
            histograms: result.histograms.map {
                .init(key: $0.key, centres: $0.centres, pooled: $0.pooled, captures: $0.captures)
            }, controlCharts: result.controlCharts.map(StudyReportInput.EVQCView.ControlChart.init),
            stability: result.stability.map(StudyReportInput.EVQCView.StabilitySeries.init),
            provenance: stored.provenance)
    }

    /// The stored result.
    static func decode(_ stored: StoredResult) throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(stored.json.utf8))
    }

    /// The measurements with `preparation-qc` added to every value of a failed preparation.
    static func flagging(_ measurements: [SampleMeasurement], failed: Set<String>) -> [SampleMeasurement] {
        guard !failed.isEmpty else { return measurements }
        return measurements.map { measurement in
            guard failed.contains(measurement.sample.rawValue) else { return measurement }
            var flagged = measurement
            flagged.flags.insert(.preparationQC)
            return flagged
        }
    }

    /// A digest of what the result depends on.
    static func digest(files: [StoredInputFile]) -> String { ResultDigest.of(kind: kind, files: files) }

    /// Stores the assessment unless an identical one is stored; returns the stage's outcome line.
    static func run(
        study: String, store: any Store, result: Result, files: [StoredInputFile], actor: String
    ) async throws -> String {
        // Counts only: which samples failed is in the report and the stored result, not in the progress output.
        let verdicts = Dictionary(grouping: result.assessments, by: \.verdict).mapValues(\.count)
        var outcome =
            "\(result.assessments.count) preparations against '\(result.specification)': \(verdicts[.pass] ?? 0) pass, \(verdicts[.fail] ?? 0) fail"
        if let uncharacterised = verdicts[.notCharacterised] {
            outcome +=
                ", \(uncharacterised) not characterised ("
                + (result.requireCharacterisation == true
                    ? "left out of discovery: qc.requireCharacterisation is yes)" : "kept in discovery)")
        }
        let digest = digest(files: files)
        if try await ResultDigest.isStored(kind: kind, study: study, digest: digest, in: store) {
            return "unchanged: " + outcome
        }
        let provenance = Provenance(
            step: kind,
            parameters: [
                "specification": "\(result.specification) (version \(result.specificationVersion))",
                "sizeRange": "\(result.sizeRange.map { String(format: "%g", $0) }.joined(separator: "–")) nm",
                "controlRules":
                    "Westgard 1-2s (warning), 1-3s, 2-2s, R-4s (consecutive runs), 4-1s, 10x; baseline 20 runs",
                "shelfLife": "ICH Q1E, one-sided 95 % confidence bound of the regression mean",
                "requireCharacterisation": result.requireCharacterisation == true ? "yes" : "no",
            ], inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await ResultDigest.save(
            result, kind: kind, study: study, provenance: provenance, digest: digest, in: store, actor: actor)
        return outcome
    }
}
