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
        var stability: [StabilitySeries]

        /// Sample ids whose preparation failed.
        var failedSamples: Set<String> { Set(assessments.filter { !$0.passed }.map(\.key)) }
    }

    struct Histogram: Codable {
        var key: String
        var centres: [Double]
        var pooled: [Double]
        var captures: [[Double]]
    }

    /// One attribute under one storage condition.
    struct StabilitySeries: Codable {
        var condition: String
        var attribute: String
        var times: [Double]
        var values: [Double]
        var shelfLife: ShelfLife?
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
        for sample in study.samples.sorted(by: { $0.id < $1.id }) where records[sample.id.rawValue] != nil {
            let key = sample.id.rawValue
            let assessment = PreparationAssessment(
                key: key, record: records[key], markers: markers[key] ?? [], sample: sample,
                hemolysisIndex: hemolysis[key], specification: qc.specification, sizeRange: range,
                reporting: qc.files.reporting,
                copiesPerMlBiofluid: (copies[key] ?? [:]).mapValues { $0.reduce(0, +) / Double($0.count) })
            assessments.append(assessment)
            if let size = records[key]?.size {
                histograms.append(histogram(key: key, size, captures: !assessment.passed))
            }
        }
        return Result(
            specification: qc.specification.name, specificationVersion: qc.specification.version,
            sizeRange: [range.lowerBound, range.upperBound], assessments: assessments, histograms: histograms,
            controlCharts: controlCharts(qc.referenceRuns),
            stability: stability(qc.stability, limits: qc.files.stabilityLimits))
    }

    /// A size export re-binned to 5 nm up to 600 nm.
    static func histogram(key: String, _ size: ParticleSizeExport, captures: Bool) -> Histogram {
        let count = Int(histogramLimit / histogramBin)
        func rebin(_ values: [Double]) -> [Double] {
            var bins = Array(repeating: 0.0, count: count)
            for (centre, value) in zip(size.binCentres, values) where centre < histogramLimit && centre >= 0 {
                bins[Int(centre / histogramBin)] += value
            }
            return bins
        }
        return Histogram(
            key: key, centres: (0..<count).map { (Double($0) + 0.5) * histogramBin },
            pooled: rebin(size.pooledConcentrations), captures: captures ? size.binConcentrations.map(rebin) : [])
    }

    /// One chart per value column of the reference runs, in run order.
    static func controlCharts(_ table: QCSeriesTable?) -> [LeveyJennings] {
        guard let table else { return [] }
        return table.valueColumns.compactMap { column in
            let runs = table.rows.compactMap { row in
                row.values[column].map { (run: row.labels["run"] ?? "", value: $0) }
            }
            return LeveyJennings(attribute: column, runs: runs)
        }
    }

    /// Each condition's series of each attribute, with the shelf life where the study gives limits.
    static func stability(_ table: QCSeriesTable?, limits: [String: StudyQCFiles.Limit]) -> [StabilitySeries] {
        guard let table else { return [] }
        return table.valueColumns.flatMap { attribute in
            table.distinct("condition").map { condition in
                let rows = table.rows.filter { $0.labels["condition"] == condition && $0.values[attribute] != nil }
                let times = rows.compactMap(\.time)
                let values = rows.compactMap { $0.values[attribute] }
                let limit = limits[attribute]
                return StabilitySeries(
                    condition: condition, attribute: attribute, times: times, values: values,
                    shelfLife: limit.flatMap {
                        ShelfLife(
                            condition: condition, attribute: attribute, times: times, values: values,
                            minimum: $0.minimum, maximum: $0.maximum)
                    })
            }
        }
    }

    /// The stored result in the report's terms.
    static func view(_ stored: StoredResult) throws -> StudyReportInput.EVQCView {
        let result = try JSONDecoder().decode(Result.self, from: Data(stored.json.utf8))
        return StudyReportInput.EVQCView(
            specification: result.specification, specificationVersion: result.specificationVersion,
            sizeRange: (result.sizeRange.first ?? 30)...(result.sizeRange.last ?? 150),
            assessments: result.assessments,
            histograms: result.histograms.map {
                .init(key: $0.key, centres: $0.centres, pooled: $0.pooled, captures: $0.captures)
            }, controlCharts: result.controlCharts,
            stability: result.stability.map {
                .init(
                    condition: $0.condition, attribute: $0.attribute, times: $0.times, values: $0.values,
                    shelfLife: $0.shelfLife)
            }, provenance: stored.provenance)
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
    static func digest(files: [StoredInputFile]) -> String {
        let text =
            ([kind, ExoScopeVersion.current] + files.sorted { $0.path < $1.path }.map { "\($0.path)\t\($0.sha256)" })
            .joined(separator: "\n")
        return FileDigest.sha256Hex(Array(text.utf8))
    }

    /// Stores the assessment unless an identical one is stored; returns the stage's outcome line.
    static func run(
        study: String, store: any Store, result: Result, files: [StoredInputFile], actor: String
    ) async throws -> String {
        let failed = result.assessments.filter { !$0.passed }
        let outcome =
            "\(result.assessments.count) preparations against '\(result.specification)': \(result.assessments.count - failed.count) pass, \(failed.count) fail"
            + (failed.isEmpty
                ? "" : " (\(failed.prefix(3).map(\.key).joined(separator: ", "))\(failed.count > 3 ? ", …" : ""))")
        let digest = digest(files: files)
        if let stored = try await store.result(study: study, kind: kind), stored.inputDigest == digest {
            return "unchanged: " + outcome
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let provenance = Provenance(
            step: kind,
            parameters: [
                "specification": "\(result.specification) (version \(result.specificationVersion))",
                "sizeRange": "\(result.sizeRange.map { String(format: "%g", $0) }.joined(separator: "–")) nm",
                "controlRules":
                    "Westgard 1-2s (warning), 1-3s, 2-2s, R-4s (consecutive runs), 4-1s, 10x; baseline 20 runs",
                "shelfLife": "ICH Q1E, one-sided 95 % confidence bound of the regression mean",
            ], inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await store.saveResult(
            StoredResult(
                study: study, kind: kind, json: String(decoding: try encoder.encode(result), as: UTF8.self),
                provenance: provenance, inputDigest: digest),
            actor: actor)
        return outcome
    }
}
