import ExoCore
import ExoFormats
import ExoQuant
import ExoReport
import ExoStore
import Foundation

/// The normalisation stage for small-RNA-seq read counts: edgeR's TMM over every sample with counts, the normalised
/// counts per million (CPM of the effective library, edgeR's `cpm(y)` after `calcNormFactors`), library sizes and the
/// samples below the minimum of miRNA reads, computed once and stored with provenance.
///
/// The report's sequencing section and the monitoring stage read it. Discovery normalises again on the samples it
/// analyses (TMM factors depend on which samples are normalised together; see `BiomarkerStage.countInput`).
enum CountNormalizationStage {
    /// The kind under which the result is stored.
    static let kind = "count-normalization"

    /// The minimum of miRNA reads a sequenced sample should have: 100,000.
    ///
    /// The exRNA Atlas quality standard (Murillo et al., Cell 2019;177:463–477, doi:10.1016/j.cell.2019.02.018)
    /// passes a sample with more than 100,000 reads on annotated small RNAs; ExoScope applies that number to the
    /// reads on miRNAs, which are a subset of them, so a sample below it also has too few miRNA reads for a stable
    /// profile. Only counted reads can be judged: a table already in RPM has no read numbers.
    static let minimumMiRNAReads = 100_000.0

    /// A study's read counts as one matrix (features × samples, zeros included), from its stored measurements.
    struct Counts {
        var features: [String]
        var samples: [String]
        var sampleIndex: [String: Int]
        /// `values[feature][sample]`.
        var values: [[Double]]
        /// `counts` or `RPM`, as the file said.
        var unit: String
        /// Which features are miRNAs.
        var isMiRNA: [Bool]

        /// The counts of the small-RNA-seq measurements, `nil` when there are none.
        ///
        /// A feature missing from a sample counts 0 there (a sample's reads were counted on every feature of its
        /// matrix).
        init?(_ measurements: [SampleMeasurement]) {
            let counted = measurements.filter {
                $0.assay == .smallRNASeq && ($0.unit == .counts || $0.unit == .readsPerMillion) && $0.value != nil
            }
            guard !counted.isEmpty else { return nil }
            features = Set(counted.map(\.analyte.name)).sorted()
            samples = Set(counted.map(\.sample.rawValue)).sorted()
            sampleIndex = Dictionary(uniqueKeysWithValues: samples.enumerated().map { ($1, $0) })
            let featureIndex = Dictionary(uniqueKeysWithValues: features.enumerated().map { ($1, $0) })
            var values = [[Double]](repeating: [Double](repeating: 0, count: samples.count), count: features.count)
            var kinds = [Bool](repeating: false, count: features.count)
            for measurement in counted {
                guard let row = featureIndex[measurement.analyte.name],
                    let column = sampleIndex[measurement.sample.rawValue]
                else { continue }
                values[row][column] += measurement.value ?? 0
                kinds[row] = measurement.analyte.kind == .miRNA
            }
            self.values = values
            isMiRNA = kinds
            unit = counted.contains { $0.unit == .readsPerMillion } ? "RPM" : "counts"
        }
    }

    /// What is stored.
    struct Result: Codable {
        var method: String
        var unit: String
        var samples: [String]
        var librarySizes: [Double]
        /// TMM factors, one per sample.
        var factors: [Double]
        /// Reads (or RPM) on miRNAs per sample.
        var miRNAReads: [Double]
        /// miRNAs with at least one read per sample.
        var detected: [Int]
        /// Samples below `minimumMiRNAReads` (only for counts).
        var belowMinimum: [String]
        var features: [String]
        /// Which features are miRNAs (absent in results stored before it was kept).
        var isMiRNA: [Bool]?
        /// Normalised CPM, `cpm[feature][sample]`.
        var cpm: [[Double]]
    }

    /// TMM-normalised CPM of every sample with counts; `nil` without counts or when the counts cannot be normalised
    /// (an empty library).
    static func compute(_ counts: Counts) -> Result? {
        guard let sizes = try? CountNormalization.librarySizes(counts.values),
            let factors = try? CountNormalization.tmm(counts.values).factors,
            let effective = try? CountNormalization.effectiveLibrarySizes(
                librarySizes: sizes, normalizationFactors: factors),
            let cpm = try? CountNormalization.countsPerMillion(counts.values, librarySizes: effective)
        else { return nil }
        let miRNAReads = counts.samples.indices.map { column in
            counts.values.indices.reduce(0.0) { $0 + (counts.isMiRNA[$1] ? counts.values[$1][column] : 0) }
        }
        let detected = counts.samples.indices.map { column in
            counts.values.indices.filter { counts.isMiRNA[$0] && counts.values[$0][column] > 0 }.count
        }
        return Result(
            method: "tmm", unit: counts.unit, samples: counts.samples, librarySizes: sizes, factors: factors,
            miRNAReads: miRNAReads, detected: detected,
            belowMinimum: counts.unit == "counts"
                ? counts.samples.indices.filter { miRNAReads[$0] < minimumMiRNAReads }.map { counts.samples[$0] } : [],
            features: counts.features, isMiRNA: counts.isMiRNA, cpm: cpm)
    }

    /// A digest of what the result depends on.
    static func digest(files: [StoredInputFile]) -> String { ResultDigest.of(kind: kind, files: files) }

    /// The outcome line.
    static func outcome(_ result: Result) -> String {
        let factors =
            "\(String(format: "%.3f", result.factors.min() ?? 1))–\(String(format: "%.3f", result.factors.max() ?? 1))"
        return
            "TMM on \(result.samples.count) samples × \(result.features.count) features (\(result.unit)), factors \(factors)"
            + (result.belowMinimum.isEmpty
                ? "" : "; \(result.belowMinimum.count) below \(Int(minimumMiRNAReads)) miRNA reads")
    }

    /// Computes and stores the normalisation unless an identical one is stored; returns the outcome line, or `nil`
    /// when the study has no read counts.
    static func run(
        study: String, store: any Store, measurements: [SampleMeasurement], files: [StoredInputFile], actor: String
    ) async throws -> String? {
        let digest = digest(files: files)
        if let stored = try await store.result(study: study, kind: kind), stored.inputDigest == digest {
            return "unchanged: " + outcome(try decode(stored))
        }
        guard let counts = Counts(measurements) else { return nil }
        guard let result = compute(counts) else { return "skipped: the counts cannot be normalised (an empty library)" }
        let provenance = Provenance(
            step: kind,
            parameters: [
                "method": "TMM (edgeR calcNormFactors defaults: logratioTrim 0.3, sumTrim 0.05, Acutoff -1e10)",
                "values": "CPM of the effective library (lib.size × norm.factor)",
                "minimumMiRNAReads": String(Int(minimumMiRNAReads)),
            ], inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await ResultDigest.save(
            result, kind: kind, study: study, provenance: provenance, digest: digest, in: store, actor: actor)
        return outcome(result)
    }

    /// The stored result.
    static func decode(_ stored: StoredResult) throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(stored.json.utf8))
    }

    /// The result in the report's terms: every sample's library, and the ten miRNAs with the largest mean normalised
    /// CPM.
    static func view(_ result: Result, groups: [SampleID: String]) -> StudyReportInput.SequencingView {
        let below = Set(result.belowMinimum)
        let samples = result.samples.indices.map { index in
            StudyReportInput.SequencingView.Sample(
                id: result.samples[index], group: groups[SampleID(validated: result.samples[index])] ?? "",
                library: result.librarySizes[index], miRNAReads: result.miRNAReads[index],
                detected: result.detected[index], factor: result.factors[index],
                belowMinimum: below.contains(result.samples[index]))
        }
        let miRNAs = result.features.indices.filter { result.isMiRNA?[$0] ?? true }.map { row in
            (result.features[row], result.cpm[row].reduce(0, +) / Double(max(result.samples.count, 1)))
        }
        let total = miRNAs.reduce(0) { $0 + $1.1 }
        let top = miRNAs.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(10).map {
            (name: $0.0, meanCPM: $0.1, share: total > 0 ? $0.1 / total : 0)
        }
        return StudyReportInput.SequencingView(
            unit: result.unit, minimum: minimumMiRNAReads,
            minimumSource:
                "the exRNA Atlas standard's 100,000 reads on annotated small RNAs (Murillo et al., Cell 2019), applied to miRNA reads",
            samples: samples, topMiRNAs: Array(top))
    }
}
