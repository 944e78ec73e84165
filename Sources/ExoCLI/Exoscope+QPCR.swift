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
            subcommands: [Analyze.self, Cq.self])
    }
}

extension Exoscope.QPCR {
    /// LinRegPCR on every run of RDML files, one row per reaction and target.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Analyse the amplification curves of RDML files (LinRegPCR) and print one row per reaction.",
            discussion: """
                Besides RDML, a LightCycler 480 raw data export (.txt, recognised by its SamplePos … Cycle# header) is
                read as one run; a LightCycler 480 sample information file given with it (recognised by its
                General:Pos header, named after the raw data file, or the only one beside a single raw data file)
                supplies sample names, targets and sample roles.

                Columns: file, run, well, sample, sample_type, target, cq, efficiency, n0, amplified, flags, then
                mean_efficiency, r2, baseline, window_points, ncopy, indiv_ncopy, ncopy_assumes. cq is LinRegPCR's Cq
                with the target's mean efficiency at the run's common threshold; efficiency is the curve's own
                amplification factor per cycle (2 = doubling); n0 is in fluorescence units. With --cq-method td0, cq is
                TD0, the efficiencies come from the baseline section, and ncopy is RDML-Tools' modelled starting copy
                number (N_ampli / E^TD0; ncopy_assumes lists the chemistry inputs the file did not state and the
                defaults used). Empty fields could not be determined.
                """)

        @Argument(
            help: "RDML files (.rdml, or bare RDML XML), or LightCycler 480 raw data and sample information exports.",
            completion: .file(extensions: ["rdml", "xml", "txt"]))
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
                for (path, document) in Self.documents(files, problems: &problems) {
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
                        print(
                            [
                                row.file, row.run, row.well, row.sample, row.sampleType, row.target, TSV.number(row.cq),
                                TSV.number(row.efficiency), TSV.number(row.n0), row.amplified ? "true" : "false",
                                row.flags.joined(separator: ";"), TSV.number(row.meanEfficiency), TSV.number(row.r2),
                                TSV.number(row.baseline), String(row.windowPoints), TSV.number(row.ncopy),
                                TSV.number(row.individualNcopy), row.ncopyAssumes.joined(separator: ";"),
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

extension Exoscope.QPCR.Analyze {
    /// The RDML document of each file; problems are added to `problems`.
    ///
    /// RDML is read as it is; a LightCycler 480 raw data export is converted, with the sample information
    /// file among `paths` that belongs to it.
    ///
    /// A file is RDML when it begins as a zip archive (`PK`) or as XML (`<`), or cannot be opened (the RDML
    /// reader then says why). A sample information file belongs to the raw data file whose name (without
    /// extension) begins its own (`X_SampleInfo.txt` to `X.txt`), or to the only raw data file given.
    static func documents(_ paths: [String], problems: inout [InputError]) -> [(path: String, document: RDMLDocument)] {
        var texts: [String: TextFile] = [:]
        for path in paths where !isRDML(path) {
            do {
                texts[path] = try TextFile(url: URL(fileURLWithPath: path), displayPath: path)
            } catch {
                problems.append(error)
            }
        }
        let stem = { (path: String) in URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        let information = paths.filter { texts[$0].map(LightCycler480SampleInformation.isSampleInformation) == true }
        let rawData = paths.filter { texts[$0].map(LightCycler480RawData.isRawData) == true }
        var owner: [String: String] = [:]
        for path in information {
            let named = rawData.filter { stem(path).hasPrefix(stem($0)) }.max { stem($0).count < stem($1).count }
            guard let raw = named ?? (rawData.count == 1 && information.count == 1 ? rawData.first : nil) else {
                problems.append(
                    InputError(
                        .danglingReference, at: InputLocation(path: path),
                        "expected a LightCycler 480 raw data file for this sample information, found "
                            + (rawData.isEmpty ? "none" : "none whose name begins it"),
                        hint: "name it after its raw data file (X_SampleInfo.txt for X.txt) and give both"))
                continue
            }
            owner[raw] = path
        }
        var documents: [(path: String, document: RDMLDocument)] = []
        for path in paths where !information.contains(path) {
            guard let file = texts[path] else {
                if !isRDML(path) { continue }
                if let document = readRDML(path, problems: &problems) { documents.append((path, document)) }
                continue
            }
            guard rawData.contains(path) else {
                problems.append(
                    InputError(
                        .notRDML, at: InputLocation(path: path, line: 1),
                        "expected RDML or a LightCycler 480 raw data export (header SamplePos, SampleName, Prog#, "
                            + "Seg#, Cycle#, Time, Temp, channels), found neither",
                        hint: "for a Cq results export of an instrument use 'exoscope qpcr cq'"))
                continue
            }
            do {
                let sampleInformation = try owner[path].flatMap { texts[$0] }.map(LightCycler480SampleInformation.init)
                let raw = try LightCycler480RawData(file)
                if let first = raw.suspectedDateSerials.first {
                    printError(
                        "\(path): warning: \(raw.suspectedDateSerials.count) readings look like Excel date serial "
                            + "numbers (the first at \(first)); they are analysed as written\n  hint: the file was "
                            + "probably opened and saved in Excel; export the raw data again from the LightCycler "
                            + "software and do not open it in Excel")
                }
                documents.append((path, raw.rdmlDocument(sampleInformation: sampleInformation)))
            } catch {
                problems += error.errors
            }
        }
        return documents
    }

    /// Whether a file begins as a zip archive or XML, or cannot be opened.
    static func isRDML(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        let start = head.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }
        return start.starts(with: [0x50, 0x4B]) || start.first == UInt8(ascii: "<")
    }
}

extension Exoscope.QPCR {
    /// The Cq table of instrument exports, as ExoScope reads it.
    struct Cq: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show the Cq table ExoScope reads from qPCR instrument exports, and which instrument it recognised.",
            discussion: """
                Reads QuantStudio / 7500 results, 7900HT SDS 2.x, Bio-Rad CFX Maestro Quantification Cq Results,
                LightCycler 480 Abs Quant/2nd Derivative Max and Rotor-Gene Q Quantitation Results exports
                (tab, semicolon or comma separated, recognised by their header; docs/qpcr.md). One row per well:
                file, instrument, plate, well, sample, target, task, replicate (technical replicate number within
                the sample and target, in plate order), cq (empty when not detected), cq_as_written, omitted and
                cq_cell (file:line:column of the Cq). The recognised instrument of each file is also printed on
                standard error.
                """)

        @Argument(
            help: "Instrument Cq exports (.csv, .txt, .tsv).", completion: .file(extensions: ["csv", "txt", "tsv"]))
        var files: [String]

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        struct Row: Encodable {
            var file, instrument, well, sample, target, task, cqAsWritten, cqCell: String
            var plate: String?
            var replicate: Int
            var cq: Double?
            var omitted: Bool

            enum CodingKeys: String, CodingKey {
                case file, instrument, plate, well, sample, target, task, replicate, cq, omitted
                case cqAsWritten = "cq_as_written"
                case cqCell = "cq_cell"
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                var rows: [Row] = []
                var problems: [InputError] = []
                for path in files {
                    let export: InstrumentCqExport
                    do throws(InputErrorList) {
                        export = try InstrumentCqExport.read(url: URL(fileURLWithPath: path), displayPath: path)
                    } catch {
                        problems += error.errors
                        continue
                    }
                    if !outputOptions.quiet {
                        printError("\(path): \(export.instrument.displayName), \(export.wells.count) wells")
                    }
                    rows += export.wells.map { well in
                        Row(
                            file: path, instrument: export.instrument.rawValue, well: well.well, sample: well.sample,
                            target: well.target, task: well.task.rawValue, cqAsWritten: well.cqText,
                            cqCell: well.cqLocation.description, plate: well.plate, replicate: well.replicate,
                            cq: well.cq, omitted: well.isOmitted)
                    }
                }
                guard problems.isEmpty else { throw InputErrorList(problems) }
                switch outputOptions.json ? .json : format {
                case .json: try printJSON(rows)
                case .tsv:
                    let header = [
                        "file", "instrument", "plate", "well", "sample", "target", "task", "replicate", "cq",
                        "cq_as_written", "omitted", "cq_cell",
                    ]
                    print(header.joined(separator: "\t"))
                    for row in rows {
                        print(
                            [
                                row.file, row.instrument, row.plate ?? "", row.well, row.sample, row.target, row.task,
                                String(row.replicate), TSV.number(row.cq), row.cqAsWritten,
                                row.omitted ? "true" : "false", row.cqCell,
                            ].joined(separator: "\t"))
                    }
                }
            }
        }
    }
}
