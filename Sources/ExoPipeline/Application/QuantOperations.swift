public import ExoCore
import ExoFormats
import ExoQuant
public import ExoStats
import Foundation

/// The `qpcr` and `dpcr` operations: quantities from curve, Cq and partition files.
public enum QuantOperations {}

// MARK: - qpcr analyze

extension QuantOperations {
    /// The Cq definition of `qpcr analyze`.
    public enum CqMethod: String, Sendable, CaseIterable {
        /// LinRegPCR 1.7.2's common threshold.
        case threshold
        /// The second-derivative maximum.
        case sdm
        /// RDML-Tools' TD0, with the efficiency, baseline and R² of its baseline section.
        case td0
    }

    /// `qpcr analyze`: the amplification curves of RDML files and LightCycler 480 raw data exports.
    public struct AnalyzeRequest: Sendable, Equatable {
        public var files: [String]
        public var cqMethod: CqMethod

        public init(files: [String], cqMethod: CqMethod = .threshold) {
            self.files = files
            self.cqMethod = cqMethod
        }
    }

    /// One reaction and target.
    public struct CurveRow: Sendable, Equatable {
        public var file, run, well, sample, sampleType, target: String
        public var cq, efficiency, n0, meanEfficiency, r2, baseline: Double?
        public var amplified: Bool
        public var flags: [String]
        public var windowPoints: Int
        public var ncopy, individualNcopy: Double?
        public var ncopyAssumes: [String] = []
    }

    /// Every reaction's analysis.
    public struct AnalyzeResult: Sendable {
        public var rows: [CurveRow]
        /// Warnings about the files (readings that look like Excel date serials).
        public var messages: [String]

        /// The rows as a table.
        public var table: ResultTable {
            ResultTable(
                columns: [
                    "file", "run", "well", "sample", "sample_type", "target", "cq", "efficiency", "n0", "amplified",
                    "flags", "mean_efficiency", "r2", "baseline", "window_points", "ncopy", "indiv_ncopy",
                    "ncopy_assumes",
                ],
                rows: rows.map { row in
                    [
                        .text(row.file), .text(row.run), .text(row.well), .text(row.sample), .text(row.sampleType),
                        .text(row.target), .number(row.cq), .number(row.efficiency), .number(row.n0),
                        .flag(row.amplified), .list(row.flags, separator: ";"), .number(row.meanEfficiency),
                        .number(row.r2), .number(row.baseline), .integer(row.windowPoints), .number(row.ncopy),
                        .number(row.individualNcopy), .list(row.ncopyAssumes, separator: ";"),
                    ]
                })
        }
    }

    /// Runs `qpcr analyze`; every file's problems are reported together.
    /// - Throws: `InputErrorList`, within a ``NotedFailure`` when a file read before had a warning.
    public static func analyze(_ request: AnalyzeRequest) throws -> AnalyzeResult {
        var rows: [CurveRow] = []
        var problems: [InputError] = []
        var messages: [String] = []
        for (path, document) in documents(request.files, problems: &problems, messages: &messages) {
            for run in document.runs {
                let curves = AmplificationCurve.curves(of: run, in: document)
                if request.cqMethod == .td0 {
                    rows += ThirdDerivativeZero.analyze(curves).map { row($0, file: path, run: run.id) }
                    continue
                }
                for result in LinRegPCR.analyze(curves).results {
                    rows.append(
                        CurveRow(
                            file: path, run: run.id, well: result.curve.well, sample: result.curve.sample,
                            sampleType: result.curve.sampleType, target: result.curve.target,
                            cq: ResultDocument.finite(
                                request.cqMethod == .sdm ? SecondDerivativeMaximum.cq(of: result.curve) : result.cq),
                            efficiency: ResultDocument.finite(result.individualEfficiency),
                            n0: ResultDocument.finite(result.n0),
                            meanEfficiency: ResultDocument.finite(result.meanEfficiency),
                            r2: ResultDocument.finite(result.rSquared),
                            baseline: ResultDocument.finite(result.baseline),
                            amplified: result.amplified, flags: flags(result), windowPoints: result.pointsInWindow))
                }
            }
        }
        guard problems.isEmpty else {
            throw messages.isEmpty
                ? InputErrorList(problems) : NotedFailure(messages: messages, error: InputErrorList(problems))
        }
        return AnalyzeResult(rows: rows, messages: messages)
    }

    /// A TD0 row: TD0 as Cq, the section's efficiency, baseline and R², the target's mean efficiency, Ncopy.
    static func row(_ section: ThirdDerivativeZero.Result, file: String, run: String) -> CurveRow {
        let curve = section.curve
        let hasCopies = section.ncopy != nil || section.individualNcopy != nil
        return CurveRow(
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

    /// Flags of the threshold analysis.
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

    /// Reads an RDML file; its problems are added to `problems` instead of thrown, so one run reports the
    /// problems of every file.
    static func readRDML(_ path: String, problems: inout [InputError]) -> RDMLDocument? {
        do {
            return try RDMLReader.read(url: URL(fileURLWithPath: path), displayPath: path)
        } catch {
            problems += error.errors
            return nil
        }
    }

    /// The RDML document of each file; problems are added to `problems`, warnings to `messages`.
    ///
    /// RDML is read as it is; a LightCycler 480 raw data export is converted, with the sample information
    /// file among `paths` that belongs to it.
    ///
    /// A file is RDML when it begins as a zip archive (`PK`) or as XML (`<`), or cannot be opened (the RDML
    /// reader then says why). A sample information file belongs to the raw data file whose name (without
    /// extension) begins its own (`X_SampleInfo.txt` to `X.txt`), or to the only raw data file given.
    static func documents(_ paths: [String], problems: inout [InputError], messages: inout [String]) -> [(
        path: String, document: RDMLDocument
    )] {
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
                    messages.append(
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

// MARK: - qpcr cq

extension QuantOperations {
    /// `qpcr cq`: the Cq table of instrument exports, as ExoScope reads it.
    public struct CqRequest: Sendable, Equatable {
        public var files: [String]

        public init(files: [String]) { self.files = files }
    }

    /// One well.
    public struct CqRow: Sendable, Equatable {
        public var file, instrument, well, sample, target, task, cqAsWritten, cqCell: String
        public var plate: String?
        public var replicate: Int
        public var cq: Double?
        public var omitted: Bool
    }

    /// Every well, and the instrument each file was recognised as.
    public struct CqResult: Sendable {
        public var rows: [CqRow]
        /// One line per file: the instrument recognised and its number of wells.
        public var recognised: [String]

        /// The rows as a table.
        public var table: ResultTable {
            ResultTable(
                columns: [
                    "file", "instrument", "plate", "well", "sample", "target", "task", "replicate", "cq",
                    "cq_as_written", "omitted", "cq_cell",
                ],
                rows: rows.map { row in
                    [
                        .text(row.file), .text(row.instrument), .optionalText(row.plate), .text(row.well),
                        .text(row.sample), .text(row.target), .text(row.task), .integer(row.replicate),
                        .number(row.cq), .text(row.cqAsWritten), .flag(row.omitted), .text(row.cqCell),
                    ]
                })
        }
    }

    /// Runs `qpcr cq`; every file's problems are reported together.
    /// - Throws: `InputErrorList`, within a ``NotedFailure`` when other files were recognised before.
    public static func cq(_ request: CqRequest) throws -> CqResult {
        var rows: [CqRow] = []
        var recognised: [String] = []
        var problems: [InputError] = []
        for path in request.files {
            let export: InstrumentCqExport
            do throws(InputErrorList) {
                export = try InstrumentCqExport.read(url: URL(fileURLWithPath: path), displayPath: path)
            } catch {
                problems += error.errors
                continue
            }
            recognised.append("\(path): \(export.instrument.displayName), \(export.wells.count) wells")
            rows += export.wells.map { well in
                CqRow(
                    file: path, instrument: export.instrument.rawValue, well: well.well, sample: well.sample,
                    target: well.target, task: well.task.rawValue, cqAsWritten: well.cqText,
                    cqCell: well.cqLocation.description, plate: well.plate, replicate: well.replicate, cq: well.cq,
                    omitted: well.isOmitted)
            }
        }
        guard problems.isEmpty else {
            throw recognised.isEmpty
                ? InputErrorList(problems) : NotedFailure(messages: recognised, error: InputErrorList(problems))
        }
        return CqResult(rows: rows, recognised: recognised)
    }
}

// MARK: - dpcr analyze

extension QuantOperations {
    /// `dpcr analyze`: copies/µL with confidence intervals from partition counts.
    public struct PartitionRequest: Sendable, Equatable {
        public var files: [String]
        /// Volume of one partition in nL; required for every file that is not RDML (RDML records its own).
        public var partitionVolume: Double?
        public var interval: BinomialInterval
        public var level: Double
        /// Merge replicate wells of the same sample and target by pooling their partitions.
        public var merge: Bool

        public init(
            files: [String], partitionVolume: Double?, interval: BinomialInterval = .wilson, level: Double = 0.95,
            merge: Bool = false
        ) {
            self.files = files
            self.partitionVolume = partitionVolume
            self.interval = interval
            self.level = level
            self.merge = merge
        }
    }

    /// One well (or merged wells).
    public struct PartitionRow: Sendable, Equatable {
        public var file, well, sample, target: String
        public var positives, partitions: Int
        public var lambda, copiesPerMicroliter: Double?
        public var ciLow: Double
        public var ciHigh: Double?
        public var flags: [String]
    }

    /// Every well's quantity.
    public struct PartitionResult: Sendable {
        public var rows: [PartitionRow]

        /// The rows as a table.
        public var table: ResultTable {
            ResultTable(
                columns: [
                    "file", "well", "sample", "target", "positives", "partitions", "lambda", "copies_per_ul", "ci_low",
                    "ci_high", "flags",
                ],
                rows: rows.map { row in
                    [
                        .text(row.file), .text(row.well), .text(row.sample), .text(row.target), .integer(row.positives),
                        .integer(row.partitions), .number(row.lambda), .number(row.copiesPerMicroliter),
                        .number(row.ciLow), .number(row.ciHigh), .list(row.flags, separator: ";"),
                    ]
                })
        }
    }

    /// Runs `dpcr analyze`: RDML files first, then partition exports; every file's problems are reported together.
    public static func partitions(_ request: PartitionRequest) throws(InputErrorList) -> PartitionResult {
        var rows: [PartitionRow] = []
        var problems: [InputError] = []
        let isRDML = { (path: String) in path.lowercased().hasSuffix(".rdml") }
        for path in request.files where isRDML(path) {
            guard let document = readRDML(path, problems: &problems) else { continue }
            for reaction in document.reactions {
                guard let partitions = reaction.partitions else { continue }
                guard let volume = request.partitionVolume ?? partitions.volumeNanoliters, volume > 0 else {
                    problems.append(
                        InputError(
                            .invalidValue, at: reaction.location,
                            "reaction '\(reaction.id)' records no partition volume", hint: "pass --partition-volume-nl")
                    )
                    continue
                }
                let quantifier = DigitalPCRQuantifier(
                    partitionVolumeNanoliters: volume, interval: request.interval, level: request.level)
                for counts in partitions.data where counts.positives + counts.negatives > 0 {
                    let result = quantifier.quantify(
                        positives: counts.positives, partitions: counts.positives + counts.negatives)
                    rows.append(
                        PartitionRow(
                            file: path, well: reaction.well, sample: reaction.sample, target: counts.target,
                            positives: result.positives, partitions: result.partitions, lambda: result.lambda,
                            copiesPerMicroliter: result.copiesPerMicroliter, ciLow: result.copiesPerMicroliterLow,
                            ciHigh: result.copiesPerMicroliterHigh, flags: result.flags.map(\.rawValue)))
                }
            }
        }
        for path in request.files where !isRDML(path) {
            let export: PartitionExport
            do {
                export = try PartitionExport(TextFile(url: URL(fileURLWithPath: path), displayPath: path))
            } catch let error as InputErrorList {
                problems += error.errors
                continue
            } catch let error as InputError {
                problems.append(error)
                continue
            } catch {
                continue
            }
            let quantifier = DigitalPCRQuantifier(
                partitionVolumeNanoliters: request.partitionVolume ?? .nan, interval: request.interval,
                level: request.level, minimumPartitions: export.layout.minimumAcceptedPartitions)
            let groups: [[PartitionExport.Well]] =
                request.merge
                ? Dictionary(grouping: export.wells) { "\($0.sample)\t\($0.target)" }.values
                    .sorted { ($0[0].location.line) < ($1[0].location.line) }
                : export.wells.map { [$0] }
            for group in groups {
                let result = quantifier.quantifyMerged(group.map { ($0.positives, $0.partitions) })
                rows.append(
                    PartitionRow(
                        file: path, well: group.map(\.well).joined(separator: "+"), sample: group[0].sample,
                        target: group[0].target, positives: result.positives, partitions: result.partitions,
                        lambda: result.lambda, copiesPerMicroliter: result.copiesPerMicroliter,
                        ciLow: result.copiesPerMicroliterLow, ciHigh: result.copiesPerMicroliterHigh,
                        flags: result.flags.map(\.rawValue)))
            }
        }
        guard problems.isEmpty else { throw InputErrorList(problems) }
        return PartitionResult(rows: rows)
    }
}
