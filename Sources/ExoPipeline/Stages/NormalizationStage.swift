import ExoCore
import ExoFormats
import ExoQuant
import ExoReport
import ExoStore
import Foundation

/// The normalisation stage: the study's normalisation of its Cq values (ExoQuant, from study.yaml's typed choice),
/// the data's recommendation and the stability of candidate references, computed once and stored with provenance.
///
/// Discovery, monitoring and the report read the stored result; a stage that finds none for the current input files
/// has it computed and stored first.
enum NormalizationStage {
    /// The kind under which the result is stored.
    static let kind = "normalization"

    /// What is stored.
    struct Result: Codable {
        /// geNorm M of one reference candidate.
        struct Stability: Codable {
            var gene: String
            var m: Double
        }

        /// geNorm's pairwise variation V_n/n+1.
        struct Variation: Codable {
            var n: Int
            var v: Double
        }

        /// One assay's amplification factor (LinRegPCR mean PCR efficiency).
        struct Factor: Codable {
            var analyte: String
            var factor: Double
        }

        /// NormFinder's ranking of the endogenous analytes detected in every sample.
        struct NormFinderRanking: Codable {
            struct Gene: Codable {
                var gene: String
                var stability: Double
                var groupDifference: Double?
            }

            struct Pair: Codable {
                var first: String
                var second: String
                var stability: Double
            }

            var groups: [String]
            /// Most stable first.
            var genes: [Gene]
            var bestPair: Pair?
            /// The study's declared references.
            var references: [String]
        }

        /// The study's choice (study.yaml's `normalization`, or its default).
        var choice: NormalizationChoice
        /// The global mean's Cq cut-off used (study.yaml's `globalMeanMaximumCq`).
        var globalMeanMaximumCq: Double
        /// The normalisation applied, in words ("spike-in cel-miR-39-3p", "none (raw Cq)").
        var chosen: String
        var recommended: String
        var reason: String
        var stability: [Stability]
        var pairwiseVariation: [Variation]
        /// ΔCq per analyte and sample id (smaller is more); efficiency-corrected where `amplificationFactors` is not
        /// empty.
        var deltaCq: [String: [String: Double]]
        var amplificationFactors: [Factor]
        var normFinder: NormFinderRanking?
    }

    /// The study's normalisation of its Cq values; `nil` without Cq values.
    ///
    /// The data's recommendation and the normalised ΔCq of every other analyte, efficiency-corrected with
    /// `amplificationFactors` when the analyte and its normalisers all have one; and the stability of candidate
    /// references: geNorm over the study's references, NormFinder (with the sample sheet's groups) over every
    /// endogenous analyte detected in every sample.
    static func compute(
        metadata: StudyMetadata, measurements: [SampleMeasurement], amplificationFactors: [String: Double] = [:],
        groups: [SampleID: String] = [:]
    ) -> Result? {
        let matrix = CqMatrix(measurements)
        guard !matrix.analytes.isEmpty else { return nil }
        let choice = metadata.normalization ?? (metadata.spikeIns.isEmpty ? .none : .spikeIn)
        let maximumCq = metadata.globalMeanMaximumCq ?? NormalizationChoice.defaultGlobalMeanMaximumCq
        let chosen: Normalization? =
            switch choice {
            case .spikeIn: metadata.spikeIns.first.map { .spikeIn($0) }
            case .references: metadata.references.isEmpty ? nil : .references(metadata.references)
            case .globalMean: .globalMean(maximumCq: maximumCq)
            case .none: nil
            }
        let advice = NormalizationAdvisor.recommend(
            matrix, spikeIns: metadata.spikeIns, references: metadata.references, globalMeanMaximumCq: maximumCq)
        let stability = GeNorm.analyze(matrix, genes: metadata.references)
        let endogenous = matrix.analytes.filter { analyte in
            !metadata.spikeIns.contains(analyte) && matrix.samples.allSatisfy { matrix[$0, analyte] != nil }
        }
        let normFinder = NormFinder.analyze(matrix, genes: endogenous, groups: groups)
        let normalisers = Set(metadata.spikeIns + (choice == .references ? metadata.references : []))
        var deltaCq: [String: [String: Double]] = [:]
        var usedFactors: [String: Double] = [:]
        if let chosen {
            let normaliserAnalytes = chosen.analytes(in: matrix)
            let corrected = normaliserAnalytes.allSatisfy { amplificationFactors[$0] != nil }
            for analyte in matrix.analytes where !normalisers.contains(analyte) {
                let values: [SampleID: Double]
                if corrected, amplificationFactors[analyte] != nil {
                    values = chosen.deltaCq(matrix, analyte: analyte, amplificationFactors: amplificationFactors)
                    for name in normaliserAnalytes + [analyte] { usedFactors[name] = amplificationFactors[name] }
                } else {
                    values = chosen.deltaCq(matrix, analyte: analyte)
                }
                deltaCq[analyte] = Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
            }
        }
        return Result(
            choice: choice, globalMeanMaximumCq: maximumCq, chosen: chosen.map(describe) ?? "none (raw Cq)",
            recommended: advice.normalization.map(describe) ?? "none", reason: advice.reason,
            // Ties (two references with the same M, as with only two) in name order, the same in every process.
            stability: (stability?.initialStability ?? [:]).sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map {
                .init(gene: $0.key, m: $0.value)
            },
            pairwiseVariation: (stability?.pairwiseVariation ?? [:]).sorted { $0.key < $1.key }.map {
                .init(n: $0.key, v: $0.value)
            },
            deltaCq: deltaCq,
            amplificationFactors: usedFactors.sorted { $0.key < $1.key }.map {
                .init(analyte: $0.key, factor: $0.value)
            },
            normFinder: normFinder.map { result in
                .init(
                    groups: result.groups,
                    genes: result.genes.map {
                        .init(gene: $0.name, stability: $0.stability, groupDifference: $0.groupDifference)
                    },
                    bestPair: result.bestPair.map {
                        .init(first: $0.first, second: $0.second, stability: $0.stability)
                    },
                    references: metadata.references)
            })
    }

    /// "spike-in cel-miR-39-3p", "references hsa-miR-16-5p, hsa-miR-23a-3p", "global mean".
    static func describe(_ normalization: Normalization) -> String {
        switch normalization {
        case .spikeIn(let name): "spike-in \(name)"
        case .references(let names): "references \(names.joined(separator: ", "))"
        case .globalMean: "global mean"
        }
    }

    /// A digest of what the result depends on.
    static func digest(files: [StoredInputFile]) -> String { ResultDigest.of(kind: kind, files: files) }

    /// The outcome line: the normalisation and how many analytes it gave values for.
    static func outcome(_ result: Result) -> String {
        "\(result.chosen): ΔCq of \(result.deltaCq.count) analyte\(result.deltaCq.count == 1 ? "" : "s")"
            + (result.amplificationFactors.isEmpty ? "" : ", efficiency-corrected")
            + "; recommended from the data: \(result.recommended)"
    }

    /// Stores the result unless an identical one is stored; returns the stage's outcome line.
    static func run(
        study: String, store: any Store, result: Result, files: [StoredInputFile], actor: String
    ) async throws -> String {
        let outcome = outcome(result)
        let digest = digest(files: files)
        if try await ResultDigest.isStored(kind: kind, study: study, digest: digest, in: store) {
            return "unchanged: " + outcome
        }
        let provenance = Provenance(
            step: kind,
            parameters: [
                "normalization": "\(result.choice.rawValue) (\(result.chosen))",
                "globalMeanMaximumCq": String(format: "%g", result.globalMeanMaximumCq),
                "efficiency": result.amplificationFactors.isEmpty
                    ? "not corrected" : "Cq · log2(E), E the median over runs of LinRegPCR's mean PCR efficiency",
                "stability": "geNorm over the study's references; NormFinder over endogenous analytes in every sample",
            ], inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await ResultDigest.save(
            result, kind: kind, study: study, provenance: provenance, digest: digest, in: store, actor: actor)
        return outcome
    }

    /// The stored result.
    static func decode(_ stored: StoredResult) throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(stored.json.utf8))
    }

    /// The result in the report's terms.
    static func view(_ result: Result) -> StudyReportInput.NormalizationView {
        StudyReportInput.NormalizationView(
            chosen: result.chosen, recommended: result.recommended, reason: result.reason,
            stability: result.stability.map { ($0.gene, $0.m) },
            pairwiseVariation: result.pairwiseVariation.map { ($0.n, $0.v) },
            deltaCq: result.deltaCq.mapValues { values in
                Dictionary(uniqueKeysWithValues: values.map { (SampleID(validated: $0.key), $0.value) })
            },
            amplificationFactors: result.amplificationFactors.map { ($0.analyte, $0.factor) },
            normFinder: result.normFinder.map { ranking in
                .init(
                    groups: ranking.groups, genes: ranking.genes.map { ($0.gene, $0.stability, $0.groupDifference) },
                    bestPair: ranking.bestPair.map { ($0.first, $0.second, $0.stability) },
                    references: ranking.references)
            })
    }
}
