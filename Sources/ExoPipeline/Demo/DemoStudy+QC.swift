import ExoFormats
import ExoQC
import ExoStats
import Foundation

extension DemoStudy {
    /// The preparation whose QC fails: aggregates and co-isolated cellular material (docs/demo-study.md).
    static let failingPreparation = "LC027-S1"

    /// The EV-QC files: an NTA export, protein and RNA per preparation, marker blots, the specification, runs of a
    /// reference EV material and its stability study.
    ///
    /// Drawn from a generator of their own (seed + 0xE7), so the qPCR values are those of the study without QC.
    /// Particle sizes are log-normal (median 92 ± 6 nm, σ 0.33 ± 0.03 on the log scale), 10^(10.6 ± 0.25)
    /// particles/ml, three captures each within 6 % of the preparation, 8 × 10⁹ particles/µg protein (× 10^(±0.2)).
    /// The failing preparation has 55 % of its particles in a second population at 320 nm, 6 × 10⁸ particles/µg
    /// and calnexin on its blot.
    func qcFiles(_ preparations: [(sample: String, date: String)]) -> [(path: String, contents: Data)] {
        var rng = SeededGenerator(seed: parameters.seed &+ 0xE7)
        var files: [(path: String, contents: Data)] = []
        var characterisation = ["sample_id\tsize_file\tprotein_ug_per_ml\trna_ng_per_ml\tresuspension_ml\timaging"]
        var markers = ["sample_id\tmarker\tmethod\tresult\tsignal"]
        let centres = (0..<1000).map { Double($0) + 0.5 }
        for (index, (sample, date)) in preparations.enumerated() {
            let failing = sample == Self.failingPreparation
            let concentration = pow(10, 10.6 + 0.25 * rng.nextStandardNormal())
            let median = 92 + 6 * rng.nextStandardNormal()
            let sigma = 0.33 + 0.03 * rng.nextStandardNormal()
            var bins: [[Double]] = []
            var printed: [[Double]] = []
            for _ in 0..<3 {
                let capture = concentration * (1 + 0.06 * rng.nextStandardNormal())
                let captureMedian = median + 2 * rng.nextStandardNormal()
                let histogram = centres.map { x in
                    var density = Self.logNormal(x, median: captureMedian, sigma: sigma)
                    if failing { density = 0.45 * density + 0.55 * Self.logNormal(x, median: 320, sigma: 0.25) }
                    return (capture * density).rounded()
                }
                bins.append(histogram)
                let stats = SizeDistribution(centres: centres, concentrations: histogram)
                printed.append(
                    stats.map { [$0.mean, $0.mode, $0.sd, $0.d10, $0.d50, $0.d90] } ?? Array(repeating: 0, count: 6))
            }
            let text = NTAExperimentSummaryWriter.text(
                .init(
                    experiment: "\(sample) \(date)", sampleDescription: "serum EVs, SEC, 1:1000 in PBS",
                    captures: (0..<3).map { "\(sample)_0\($0)" }, dilution: 1000,
                    temperature: 22 + 0.5 * rng.nextUnitInterval(), binCentres: centres, binConcentrations: bins,
                    printed: printed,
                    vibration: (0..<3).map { _ in rng.nextUnitInterval() < 0.1 ? "Minor vibration" : "OK" }))
            // Named by acquisition, not by sample: file paths go into provenance and the audit log, which never name
            // a patient.
            let path = "qc/nta/NTA-\(String(format: "%04d", index + 1))-ExperimentSummary.csv"
            files.append((path, Data(text.utf8)))
            let particlesPerMicrogram = failing ? 6e8 : 8e9 * pow(10, 0.2 * rng.nextStandardNormal())
            let protein = concentration / particlesPerMicrogram
            let rna = concentration * 4e-10 * (1 + 0.2 * rng.nextStandardNormal())
            characterisation.append(
                "\(sample)\t\(path)\t\(String(format: "%.1f", protein))\t\(String(format: "%.1f", rna))\t0.1\ttem")
            let apoa1 = failing ? 0.62 : 0.1 + 0.2 * rng.nextUnitInterval()
            markers += [
                "\(sample)\tCD63\twestern-blot\tdetected\t", "\(sample)\tTSG101\twestern-blot\tdetected\t",
                "\(sample)\tCD9\tflow\tdetected\t",
                "\(sample)\tAPOA1\twestern-blot\tdetected\t\(String(format: "%.2f", apoa1))",
                "\(sample)\tcalnexin\twestern-blot\t\(failing ? "detected\t0.48" : "not-detected\t")",
            ]
        }
        files.append(("qc/characterisation.tsv", Data((characterisation.joined(separator: "\n") + "\n").utf8)))
        files.append(("qc/markers.tsv", Data((markers.joined(separator: "\n") + "\n").utf8)))
        files.append(("qc/specification.yaml", Data(Self.specification.utf8)))
        files.append(("qc/reference-runs.tsv", Data(Self.referenceRuns(&rng).utf8)))
        files.append(("qc/stability.tsv", Data(Self.stability(&rng).utf8)))
        return files
    }

    /// The acceptance criteria of the demo's serum EV preparations.
    static let specification = """
        # Acceptance criteria for the serum EV preparations of NSCLC-EXO-DEMO (docs/ev-qc.md).
        name: NSCLC-EXO serum EV preparation
        version: "1"
        criteria:
          - metric: fraction_in_range
            min: 0.5
          - metric: concentration_per_ml
            min: 1.0e9
          - metric: particles_per_ug
            min: 1.5e9
          - metric: capture_cv
            max: 0.25
          - metric: freeze_thaw_cycles
            max: 2
        markers:
          categories: [1, 2]
          absent: [calnexin]
          maximumSignal: {APOA1: 0.5}

        """

    /// 30 NTA runs of the reference EV material: 1.0 × 10¹¹ particles/ml (CV 4 %), mode 98 nm (SD 2); run 24 reads
    /// high (3.4 SD) and runs 28–29 a mode 2.4 SD up.
    static func referenceRuns(_ rng: inout SeededGenerator) -> String {
        var lines = ["run\tdate\tmaterial\tconcentration_per_ml\tmode_nm"]
        for run in 1...30 {
            var concentration = 1.0e11 * (1 + 0.04 * rng.nextStandardNormal())
            var mode = 98 + 2 * rng.nextStandardNormal()
            if run == 24 { concentration = 1.0e11 * (1 + 0.04 * 3.4) }
            if run == 28 || run == 29 { mode = 98 + 2 * 2.4 + 0.2 * rng.nextUnitInterval() }
            lines.append(
                String(
                    format: "R%02d\t%@\tREF-EV-1\t%.3e\t%.1f", run, date(daysSinceEpoch: 20_094 + 2 * run),
                    concentration, mode))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The reference material stored at −80 °C, 4 °C and lyophilised, measured at 0–12 months: concentration
    /// falls 0.4, 5 and 1.5 % a month (2 % noise), the mode rises 0.1, 1.2 and 0.4 nm a month (1 nm noise).
    static func stability(_ rng: inout SeededGenerator) -> String {
        var lines = ["condition\tmonths\tconcentration_per_ml\tmode_nm"]
        for (condition, loss, growth) in [("-80 °C", 0.004, 0.1), ("4 °C", 0.05, 1.2), ("lyophilised", 0.015, 0.4)] {
            for month in [0, 1, 2, 3, 6, 9, 12] {
                let t = Double(month)
                let concentration = 1.0e11 * (1 - loss * t) * (1 + 0.02 * rng.nextStandardNormal())
                let mode = 98 + growth * t + rng.nextStandardNormal()
                lines.append(String(format: "%@\t%d\t%.3e\t%.1f", condition, month, concentration, mode))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Particles per nm at `x` nm of a log-normal size distribution with unit total.
    static func logNormal(_ x: Double, median: Double, sigma: Double) -> Double {
        let z = (log(x) - log(median)) / sigma
        return exp(-z * z / 2) / (x * sigma * (2 * Double.pi).squareRoot())
    }
}
