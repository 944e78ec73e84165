import ExoCore
import ExoQuant
import ExoTestSupport
import Foundation
import Testing

struct GeNormTests {
    static func cq(_ sample: String, _ gene: String, _ value: Double) -> SampleMeasurement {
        SampleMeasurement(
            sample: testSampleID(sample), analyte: Analyte(name: gene, kind: .miRNA), assay: .qPCR, value: value,
            unit: .cq,
            source: InputLocation(path: "cq.tsv", line: 2))
    }

    /// Three candidates in four samples, worked by hand from the published definitions (E = 2, so the log2
    /// quantity is −Cq): V12 = SD(5, 5.5, 5, 5) = 0.25, V13 = SD(10, 9, 9, 10) = 0.5774, V23 = SD(5, 3.5, 4, 5) = 0.75;
    /// M1 = 0.4137, M2 = 0.5, M3 = 0.6637; G3 goes first, G1 and G2 remain with M = V12 = 0.25; V2/3 =
    /// SD over samples of ((a1 − a3) + (a2 − a3)) / 6 = 0.2192, above 0.15, so all three are needed.
    /// (python3 statistics.stdev of the same differences: 0.25, 0.5773502691896257, 0.75, 0.21916296997304877.)
    @Test func stabilityAndPairwiseVariationFollowTheDefinitions() throws {
        let cqs: [String: [Double]] = ["G1": [20, 21, 22, 23], "G2": [25, 26.5, 27, 28], "G3": [30, 30, 31, 33]]
        let matrix = CqMatrix(
            cqs.flatMap { gene, values in values.enumerated().map { Self.cq("S\($0.offset + 1)", gene, $0.element) } })
        let result = try #require(GeNorm.analyze(matrix, genes: ["G1", "G2", "G3"]))
        #expect(result.samplesUsed == 4)
        #expect(abs((result.initialStability["G1"] ?? 0) - (0.25 + 0.5773502691896257) / 2) < 1e-12)
        #expect(abs((result.initialStability["G2"] ?? 0) - 0.5) < 1e-12)
        #expect(abs((result.initialStability["G3"] ?? 0) - (0.5773502691896257 + 0.75) / 2) < 1e-12)
        #expect(result.order == ["G3", "G1", "G2"])
        #expect(abs(result.stabilities[1] - 0.25) < 1e-12 && abs(result.stabilities[2] - 0.25) < 1e-12)
        #expect(abs((result.pairwiseVariation[2] ?? 0) - 0.21916296997304877) < 1e-12)
        #expect(result.optimalNumber == 3)
    }

    @Test func samplesMissingACandidateAreLeftOutAndTooFewGiveNil() {
        let matrix = CqMatrix([
            Self.cq("S1", "A", 20), Self.cq("S1", "B", 25), Self.cq("S2", "A", 21), Self.cq("S2", "B", 26),
            Self.cq("S3", "A", 22),
        ])
        #expect(GeNorm.analyze(matrix, genes: ["A", "B"]) == nil)  // only two complete samples
        #expect(GeNorm.analyze(matrix, genes: ["A"]) == nil)
    }
}

struct NormalizationAdvisorTests {
    static func matrix(_ rows: [String: [Double]]) -> CqMatrix {
        CqMatrix(
            rows.flatMap { gene, values in
                values.enumerated().map { GeNormTests.cq("S\($0.offset + 1)", gene, $0.element) }
            })
    }

    @Test func twentyExpressedMiRNAsCallForTheGlobalMean() {
        var rows: [String: [Double]] = [:]
        for index in 0..<20 { rows["miR-\(index)"] = [25, 26, 27, 28].map { $0 + Double(index % 5) } }
        let advice = NormalizationAdvisor.recommend(Self.matrix(rows), spikeIns: [], references: [])
        #expect(advice.normalization == .globalMean(maximumCq: 35))
    }

    @Test func stableReferencesAreRecommendedAndUnstableOnesGiveWayToTheSpikeIn() {
        // R1 and R2 differ by a constant 3 cycles: their log ratio has SD 0, so M = 0.
        let stable = Self.matrix([
            "R1": [20, 22, 21, 23], "R2": [23, 25, 24, 26], "spike": [20, 20, 20, 20], "miR-x": [30, 31, 29, 30],
        ])
        #expect(
            NormalizationAdvisor.recommend(stable, spikeIns: ["spike"], references: ["R1", "R2"]).normalization
                == .references(["R1", "R2"]))
        let unstable = Self.matrix(["R1": [20, 22, 21, 23], "R2": [25, 23, 26, 22], "spike": [20, 20, 20, 20]])
        let advice = NormalizationAdvisor.recommend(unstable, spikeIns: ["spike"], references: ["R1", "R2"])
        #expect(advice.normalization == .spikeIn("spike"))
        #expect(advice.reason.contains("≥ 0.5"))
    }
}

/// geNorm against NormqPCR's `selectHKs(method = "geNorm")` and `stabMeasureM` (NormqPCRReferenceTests.swift
/// says where the numbers come from and the tolerance): every M at every step, mean M, V_n/n+1, the exclusion
/// order and the ranking, for the five tissues, all 85 geNorm samples, and Colon and Bladder without groups.
struct GeNormNormqPCRTests {
    static func check(_ folder: URL, subsets expected: Int) throws -> NormqPCRReference.Agreement {
        typealias Table = NormqPCRReference.Table
        let m = try Table(folder.appendingPathComponent("genorm_M.tsv"))
        let steps = try Table(folder.appendingPathComponent("genorm_steps.tsv"))
        let variation = try Table(folder.appendingPathComponent("genorm_V.tsv"))
        let ranking = try Table(folder.appendingPathComponent("genorm_ranking.tsv"))
        var agreement = NormqPCRReference.Agreement()
        var subsets: [[String]] = []
        for row in m.rows where !subsets.contains([row[0], row[1]]) { subsets.append([row[0], row[1]]) }
        #expect(subsets.count == expected)
        for key in subsets {
            let (dataset, subset) = (key[0], key[1])
            let data = try NormqPCRReference.Dataset(folder, dataset).subset(subset)
            let result = try #require(GeNorm.analyze(data.cqMatrix, genes: data.genes))
            #expect(result.samplesUsed == data.samples.count, "\(subset): duplicate sample names?")
            #expect(result.stepStabilities.count == data.genes.count - 1)
            // Every M of every step; the excluded gene and its M.
            for row in m.rows where row[0] == dataset && row[1] == subset {
                let (step, size, gene) = (try #require(Int(row[2])), try #require(Int(row[3])), row[4])
                let stepM = result.stepStabilities[step - 1]
                #expect(stepM.count == size, "\(subset) step \(step)")
                agreement.check(stepM[gene], row[5], "\(subset) step \(step) M[\(gene)]")
                if row[6] == "TRUE" {
                    #expect(result.order[step - 1] == gene, "\(subset) step \(step) excludes \(gene)")
                    agreement.check(result.stabilities[step - 1], row[5], "\(subset) step \(step) excluded M")
                }
            }
            // Mean M per step and the V written beside it (V_n/n+1 for the n + 1 genes of the step).
            for row in steps.rows where row[0] == dataset && row[1] == subset {
                let (step, size) = (try #require(Int(row[2])), try #require(Int(row[3])))
                let stepM = Array(result.stepStabilities[step - 1].values)
                agreement.check(stepM.reduce(0, +) / Double(stepM.count), row[4], "\(subset) step \(step) mean M")
                if !row[5].isEmpty { #expect(result.order[step - 1] == row[5], "\(subset) step \(step)") }
                if !row[7].isEmpty {
                    agreement.check(result.pairwiseVariation[size - 1], row[7], "\(subset) \(row[6])")
                }
            }
            let variations = variation.rows.filter { $0[0] == dataset && $0[1] == subset }
            #expect(variations.count == result.pairwiseVariation.count)
            for row in variations {
                agreement.check(result.pairwiseVariation[try #require(Int(row[3]))], row[4], "\(subset) \(row[2])")
            }
            // The last two share M; NormqPCR lists them in column order with label 1, ExoScope in exclusion order.
            let last = Set(result.stepStabilities[data.genes.count - 2].values)
            #expect(last.count == 1 && Set(result.stabilities.suffix(2)) == last, "\(subset) last M")
            let bestFirst = Array(result.order.reversed())
            let positions = ranking.rows.filter { $0[0] == dataset && $0[1] == subset }
            #expect(positions.count == data.genes.count)
            for row in positions {
                let position = try #require(Int(row[2]))
                #expect(row[3] == (position <= 2 ? "1" : row[2]), "\(subset) rank label")
                if position <= 2 {
                    #expect(Set(bestFirst.prefix(2)).contains(row[4]), "\(subset) best pair has \(row[4])")
                } else {
                    #expect(bestFirst[position - 1] == row[4], "\(subset) position \(position)")
                }
            }
        }
        return agreement
    }

    @Test(.needsNormqPCRSharedData)
    func everyStepMatchesNormqPCROnThePublishedSets() throws {
        let agreement = try Self.check(try #require(NormqPCRReference.sharedFolder), subsets: 8)
        #expect(agreement.compared > 600)
        print(agreement.summary("geNorm vs NormqPCR, 8 subsets"))
    }

    /// The Colon rows, committed so that a fresh clone runs this check too.
    @Test func everyStepMatchesNormqPCROnTheCommittedColonSet() throws {
        let agreement = try Self.check(NormqPCRReference.fixtureFolder, subsets: 1)
        #expect(agreement.compared > 100)
    }
}
