import ArgumentParser
import ExoCore
import ExoFormats
import ExoQuant
import Foundation

extension Exoscope {
    /// qPCR analyses on bare files.
    struct QPCR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qpcr",
            abstract: "qPCR curve analysis: baseline, efficiency, Cq and N0 from raw fluorescence.",
            subcommands: [Analyze.self])
    }
}

extension Exoscope.QPCR {
    /// LinRegPCR on every run of RDML files, one row per reaction and target.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse the amplification curves of RDML files (LinRegPCR) and print one row per reaction.",
            discussion: """
                Columns: file, run, well, sample, sample_type, target, cq, efficiency, n0, amplified, flags, then
                mean_efficiency, r2, baseline, window_points, ncopy, indiv_ncopy, ncopy_assumes. cq is LinRegPCR's Cq
                with the target's mean efficiency at the run's common threshold; efficiency is the curve's own
                amplification factor per cycle (2 = doubling); n0 is in fluorescence units. With --cq-method td0, cq is
                TD0, the efficiencies come from the baseline section, and ncopy is RDML-Tools' modelled starting copy
                number (N_ampli / E^TD0; ncopy_assumes lists the chemistry inputs the file did not state and the
                defaults used). Empty fields could not be determined.
                """)

        @Argument(help: "RDML files (.rdml, or bare RDML XML).", completion: .file(extensions: ["rdml", "xml"]))
        var files: [String]

        @Option(
            help:
                """
                Cq definition: threshold (LinRegPCR 1.7.2 common threshold, the default), sdm (second-derivative \
                maximum) or td0 (RDML-Tools TD0, with the efficiency, baseline and R² of its baseline section).
                """
        )
        var cqMethod: CqMethod = .threshold

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        enum CqMethod: String, ExpressibleByArgument, CaseIterable { case threshold, sdm, td0 }

        struct Row: Encodable {
            var file, run, well, sample, sampleType, target: String
            var cq, efficiency, n0, meanEfficiency, r2, baseline: Double?
            var amplified: Bool
            var flags: [String]
            var windowPoints: Int
            var ncopy, individualNcopy: Double?
            var ncopyAssumes: [String] = []

            enum CodingKeys: String, CodingKey {
                case file, run, well, sample, target, cq, efficiency, n0, amplified, flags, r2, baseline
                case sampleType = "sample_type"
                case meanEfficiency = "mean_efficiency"
                case windowPoints = "window_points"
                case ncopy
                case individualNcopy = "indiv_ncopy"
                case ncopyAssumes = "ncopy_assumes"
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                var rows: [Row] = []
                var problems: [InputError] = []
                for path in files {
                    guard let document = readRDML(path, problems: &problems) else { continue }
                    for run in document.runs {
                        let curves = AmplificationCurve.curves(of: run, in: document)
                        if cqMethod == .td0 {
                            rows += ThirdDerivativeZero.analyze(curves).map { Self.row($0, file: path, run: run.id) }
                            continue
                        }
                        for result in LinRegPCR.analyze(curves).results {
                            rows.append(
                                Row(
                                    file: path, run: run.id, well: result.curve.well, sample: result.curve.sample,
                                    sampleType: result.curve.sampleType, target: result.curve.target,
                                    cq: Self.finite(
                                        cqMethod == .sdm ? SecondDerivativeMaximum.cq(of: result.curve) : result.cq),
                                    efficiency: Self.finite(result.individualEfficiency), n0: Self.finite(result.n0),
                                    meanEfficiency: Self.finite(result.meanEfficiency),
                                    r2: Self.finite(result.rSquared),
                                    baseline: Self.finite(result.baseline), amplified: result.amplified,
                                    flags: Self.flags(result),
                                    windowPoints: result.pointsInWindow))
                        }
                    }
                }
                guard problems.isEmpty else { throw InputErrorList(problems) }
                switch outputOptions.json ? .json : format {
                case .json: try printJSON(rows)
                case .tsv:
                    print(
                        [
                            "file", "run", "well", "sample", "sample_type", "target", "cq", "efficiency", "n0",
                            "amplified", "flags",
                            "mean_efficiency", "r2", "baseline", "window_points", "ncopy", "indiv_ncopy",
                            "ncopy_assumes",
                        ].joined(separator: "\t"))
                    for row in rows {
                        let number = { (value: Double?) in value.map { String($0) } ?? "" }
                        print(
                            [
                                row.file, row.run, row.well, row.sample, row.sampleType, row.target, number(row.cq),
                                number(row.efficiency), number(row.n0), row.amplified ? "true" : "false",
                                row.flags.joined(separator: ";"), number(row.meanEfficiency), number(row.r2),
                                number(row.baseline), String(row.windowPoints), number(row.ncopy),
                                number(row.individualNcopy), row.ncopyAssumes.joined(separator: ";"),
                            ].joined(separator: "\t"))
                    }
                }
            }
        }

        static func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }

        /// A TD0 row: TD0 as Cq, the section's efficiency, baseline and R², the target's mean efficiency, Ncopy.
        static func row(_ section: ThirdDerivativeZero.Result, file: String, run: String) -> Row {
            let curve = section.curve
            let hasCopies = section.ncopy != nil || section.individualNcopy != nil
            return Row(
                file: file, run: run, well: curve.well, sample: curve.sample, sampleType: curve.sampleType,
                target: curve.target, cq: section.td0, efficiency: section.individualEfficiency, n0: nil,
                meanEfficiency: section.meanEfficiency, r2: section.rSquared, baseline: section.baseline,
                amplified: section.amplified, flags: flags(section), windowPoints: section.pointsIncluded ?? 0,
                ncopy: section.ncopy, individualNcopy: section.individualNcopy,
                ncopyAssumes: hasCopies ? curve.amplicons?.assumed ?? [] : [])
        }

        /// Flags of the TD0 analysis, named as those of the threshold analysis.
        static func flags(_ section: ThirdDerivativeZero.Result) -> [String] {
            var flags: [String] = []
            if !section.amplified { flags.append("noAmplification") }
            if let error = section.error { flags.append("baseline section: \(error.rawValue)") }
            if !section.plateau { flags.append("noPlateau") }
            if section.efficiencyOutlier { flags.append("efficiencyOutlier") }
            if section.curve.isExcluded { flags.append("excluded") }
            return flags
        }

        static func flags(_ result: LinRegPCRResult) -> [String] {
            var flags: [String] = []
            if !result.amplified { flags.append("noAmplification") }
            if result.baselineError { flags.append("baselineError") }
            if result.instableBaseline { flags.append("instableBaseline") }
            if !result.plateau { flags.append("noPlateau") }
            if result.noisy { flags.append("noisy") }
            if result.efficiencyOutlierNoPlateau { flags.append("efficiencyOutlier") }
            if result.shortLogLinPhase { flags.append("shortLogLinPhase") }
            if result.tooLowCqEfficiency { flags.append("cqTooLowForEfficiency") }
            if result.curve.isExcluded { flags.append("excluded") }
            return flags
        }
    }
}
