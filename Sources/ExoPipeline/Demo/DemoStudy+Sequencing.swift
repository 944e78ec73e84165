import ExoCore
import ExoFormats
import ExoQuant
import ExoStats
import Foundation

/// The demo's small-RNA sequencing arm: gzipped FASTQ files for a few samples of the diagnostic arm, reads drawn from
/// real miRBase 22 matures (with isomiRs and sequencing errors), GtRNAdb tRNA and RNAcentral rRNA fragments, adapter
/// dimers, short inserts and unannotated sequences, each followed by the TruSeq small RNA 3′ adapter.
extension DemoStudy {
    /// The sequenced samples: the first three healthy donors and three stage III–IV cases (every sixth from the first,
    /// or the first ones of a smaller cohort), as far as the cohort has them.
    var sequencedSamples: [String] {
        let controls = (0..<min(3, parameters.controls)).map { String(format: "HD%03d-S1", $0 + 1) }
        let stages = parameters.casesByStage + [0, 0, 0, 0]
        let first = stages[0] + stages[1] + 1
        let late = stages[2] + stages[3]
        let step = late >= 13 ? 6 : 1
        let cases = stride(from: 0, to: min(late, 3 * step), by: step).map { String(format: "LC%03d-S1", first + $0) }
        return controls + cases
    }
    /// Reads per sequenced sample.
    static let readsPerSample = 20_000
    /// Read length, as a 50-cycle single-end run.
    static let readLength = 50
    /// TruSeq small RNA 3′ adapter (RA3) followed by the index read primer region, so a short insert is followed by
    /// adapter up to the read's end.
    static let adapterTail = "TGGAATTCTCGGGTGCCAAGGAACTCCAGTCACATCTCGTATGCCGTCTTCTGCTTG"

    /// Relative abundance of serum-exosome miRNAs in a healthy donor (red-cell miR-451a and miR-486-5p dominate
    /// serum libraries), and the fold change in the stage III–IV cases that follows the qPCR arm's model.
    static let sequencedMiRNAs: [(name: String, weight: Double, caseFold: Double)] = [
        ("hsa-miR-451a", 30, 1), ("hsa-miR-486-5p", 12, 1), ("hsa-miR-16-5p", 10, 1), ("hsa-miR-92a-3p", 8, 1),
        ("hsa-let-7a-5p", 6, 1), ("hsa-let-7b-5p", 5, 1), ("hsa-miR-21-5p", 4, 2.4), ("hsa-miR-25-3p", 3, 1),
        ("hsa-miR-423-5p", 3, 1), ("hsa-miR-223-3p", 3, 1), ("hsa-miR-126-3p", 2, 1), ("hsa-miR-150-5p", 2, 1),
        ("hsa-miR-142-3p", 2, 1), ("hsa-miR-191-5p", 2, 1), ("hsa-miR-23a-3p", 1, 1), ("hsa-miR-122-5p", 1, 1),
        ("hsa-miR-10a-5p", 1, 1), ("hsa-miR-181a-5p", 1, 1), ("hsa-miR-4458", 0.6, 0.3),
    ]

    /// What a read holds, with its share of the library.
    enum ReadOrigin: CaseIterable {
        case miRNA, tRNA, rRNA, unannotated, short, dimer

        var share: Double {
            switch self {
            case .miRNA: 0.72
            case .tRNA: 0.12
            case .rRNA: 0.05
            case .unannotated: 0.04
            case .short: 0.03
            case .dimer: 0.04
            }
        }
    }

    /// The gzipped FASTQ file of every sequenced sample, by relative path; empty when the bundled references cannot
    /// be read.
    func sequencingFiles() -> [(path: String, contents: Data)] {
        guard let tRNAs = try? SmallRNALibraries.bundledFASTA("hsa_tRNA_GtRNAdb"),
            let rRNAs = try? SmallRNALibraries.bundledFASTA("hsa_rRNA_RNAcentral_Ensembl")
        else { return [] }
        let matures = Dictionary(
            MiRNACatalog.bundled.entries.compactMap { entry in entry.name.map { ($0, entry.sequence) } },
            uniquingKeysWith: { first, _ in first })
        // Its own generator: the sequencing arm leaves every other simulated value as it was.
        var rng = SeededGenerator(seed: parameters.seed &+ 0x5E0)
        return sequencedSamples.map { sample in
            let isCase = sample.hasPrefix("LC")
            // Each sample's own abundance of each miRNA (biological variation, log-normal with SD 0.3).
            let weights = Self.sequencedMiRNAs.map { miRNA in
                miRNA.weight * (isCase ? miRNA.caseFold : 1) * exp(rng.nextNormal(mean: 0, standardDeviation: 0.3))
            }
            let total = weights.reduce(0, +)
            var text = ""
            text.reserveCapacity(Self.readsPerSample * 130)
            for index in 1...Self.readsPerSample {
                let insert = Self.insert(
                    Self.origin(rng.nextUnitInterval()), weights: weights, total: total, matures: matures,
                    tRNAs: tRNAs, rRNAs: rRNAs, rng: &rng)
                var read = Array((insert + Self.adapterTail).utf8.prefix(Self.readLength))
                var quality = [UInt8](repeating: UInt8(ascii: "I"), count: read.count)
                // Substitution errors at 0.2 % per base, with a lower quality where they fall.
                for position in read.indices where rng.nextUnitInterval() < 0.002 {
                    let bases = Array("ACGT".utf8).filter { $0 != read[position] }
                    read[position] = bases[rng.index(below: bases.count)]
                    quality[position] = UInt8(ascii: "+")
                }
                text += "@DEMO:\(sample):\(index)\n\(String(decoding: read, as: UTF8.self))\n+\n"
                text += String(decoding: quality, as: UTF8.self) + "\n"
            }
            return ("reads/\(sample).fastq.gz", Gzip.compress(Data(text.utf8)))
        }
    }

    /// The origin a uniform draw falls on.
    static func origin(_ draw: Double) -> ReadOrigin {
        var cumulative = 0.0
        for origin in ReadOrigin.allCases {
            cumulative += origin.share
            if draw < cumulative { return origin }
        }
        return .miRNA
    }

    /// One insert of `origin`: a miRNA (canonical or an isomiR: 3′ one or two bases shorter, or one non-templated A
    /// or U longer), a 5′ tRNA fragment, an rRNA fragment, a random sequence, a short insert or none (a dimer).
    static func insert(
        _ origin: ReadOrigin, weights: [Double], total: Double, matures: [String: String],
        tRNAs: [(name: String, sequence: String)], rRNAs: [(name: String, sequence: String)],
        rng: inout SeededGenerator
    ) -> String {
        func random(_ length: Int) -> String {
            String((0..<length).map { _ in Array("ACGT")[rng.index(below: 4)] })
        }
        func fragment(_ sequence: String, length: Int, fromStart: Bool) -> String {
            let bases = Array(sequence.replacingOccurrences(of: "U", with: "T"))
            guard bases.count > length else { return String(bases) }
            let start = fromStart ? 0 : rng.index(below: bases.count - length)
            return String(bases[start..<(start + length)])
        }
        switch origin {
        case .dimer: return ""
        case .short: return random(5 + rng.index(below: 10))
        case .unannotated: return random(18 + rng.index(below: 9))
        case .tRNA:
            return fragment(
                tRNAs[rng.index(below: tRNAs.count)].sequence, length: 18 + rng.index(below: 8), fromStart: true)
        case .rRNA:
            return fragment(
                rRNAs[rng.index(below: rRNAs.count)].sequence, length: 18 + rng.index(below: 10), fromStart: false)
        case .miRNA:
            var draw = rng.nextUnitInterval() * total
            var chosen = sequencedMiRNAs.count - 1
            for (index, weight) in weights.enumerated() {
                draw -= weight
                if draw < 0 {
                    chosen = index
                    break
                }
            }
            let mature = (matures[sequencedMiRNAs[chosen].name] ?? "").replacingOccurrences(of: "U", with: "T")
            let form = rng.nextUnitInterval()
            if form < 0.25 { return String(mature.dropLast(1)) }
            if form < 0.33 { return String(mature.dropLast(2)) }
            if form < 0.41 { return mature + (rng.nextUnitInterval() < 0.5 ? "A" : "T") }
            return mature
        }
    }
}
