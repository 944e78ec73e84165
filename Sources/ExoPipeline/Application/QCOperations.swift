public import ExoCore
import ExoFormats
public import ExoQC
import ExoReport
import ExoStats
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `qc` operations: EV preparation quality control on files.
public enum QCOperations {}

// MARK: - nta

extension QCOperations {
    /// `qc nta`: size distributions of NTA exports.
    public struct NTARequest: Sendable, Equatable {
        public var files: [String]
        /// The small-EV size range in nm.
        public var range: ClosedRange<Double>
        /// One row per capture instead of per file.
        public var captures: Bool

        public init(files: [String], range: ClosedRange<Double> = 30...150, captures: Bool = false) {
            self.files = files
            self.range = range
            self.captures = captures
        }
    }

    /// One file's average, or one capture.
    public struct NTARow: Sendable, Encodable {
        public var file, capture, software: String
        public var captures: Int
        public var dilution: Double?
        public var summary: SizeSummary
        public var warnings: [String]
    }

    /// The size statistics of every file.
    public struct NTAResult: Sendable {
        public var rows: [NTARow]

        /// The rows as a table.
        public var table: ResultTable {
            ResultTable(
                columns: [
                    "file", "capture", "software", "captures", "dilution", "concentration_per_ml", "mean_nm", "mode_nm",
                    "sd_nm", "d10_nm", "d50_nm", "d90_nm", "span", "fraction_in_range",
                    "concentration_in_range_per_ml", "capture_cv", "statistics_from", "histogram_concentration_per_ml",
                    "histogram_mean_nm", "histogram_mode_nm", "histogram_sd_nm", "histogram_d10_nm",
                    "histogram_d50_nm", "histogram_d90_nm", "warnings",
                ],
                rows: rows.map { row in
                    let s = row.summary
                    let h = s.histogram
                    return [
                        .text(row.file), .text(row.capture), .text(row.software), .integer(row.captures),
                        .number(row.dilution), .number(s.concentration), .number(s.mean), .number(s.mode),
                        .number(s.sd), .number(s.d10), .number(s.d50), .number(s.d90), .number(s.span),
                        .number(h?.fractionInRange), .number(h?.concentrationInRange), .number(s.captureCV),
                        .text(s.source.rawValue), .number(h?.concentration), .number(h?.mean), .number(h?.mode),
                        .number(h?.sd), .number(h?.d10), .number(h?.d50), .number(h?.d90),
                        .list(row.warnings, separator: "; "),
                    ]
                })
        }
    }

    /// How many files ahead the kernel is asked to read.
    static let readAhead = 16

    /// Asks the kernel to start reading a file into the page cache (`posix_fadvise` WILLNEED on Linux); a hint
    /// only, and nothing where the call does not exist (macOS has no `posix_fadvise`).
    static func prefetch(_ path: String) {
        #if os(Linux)
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { return }
            _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_WILLNEED)
            close(descriptor)
        #endif
    }

    /// The rows of one file: its average, or one per capture.
    static func rows(file: String, range: ClosedRange<Double>, captures: Bool) throws(InputErrorList) -> [NTARow] {
        let export = try ParticleSizeExport.read(url: URL(fileURLWithPath: file), displayPath: file)
        let warnings = export.warningTexts
        guard !captures else {
            return export.captures.enumerated().map { index, capture in
                NTARow(
                    file: file, capture: capture, software: export.software, captures: 1, dilution: export.dilution,
                    summary: SizeSummary(capture: index, of: export, range: range),
                    warnings: warnings.filter { $0.hasPrefix(capture + ":") })
            }
        }
        return [
            NTARow(
                file: file, capture: "average", software: export.software, captures: export.captures.count,
                dilution: export.dilution, summary: SizeSummary(file: export, range: range), warnings: warnings)
        ]
    }

    /// Runs `qc nta`: files are read and summarised on every core; the rows keep the files' order, and the
    /// first file that cannot be read stops it.
    public static func nta(_ request: NTARequest) throws(InputErrorList) -> NTAResult {
        let files = request.files
        let read = ConcurrentSlots<[NTARow]>(count: files.count)
        let failed = ConcurrentSlots<InputErrorList>(count: files.count)
        // The kernel is asked to read a few files ahead, so parsing one overlaps reading the next.
        for file in files.prefix(readAhead) { prefetch(file) }
        ComputeThreads.run(jobs: files.count) { index in
            if index + readAhead < files.count { prefetch(files[index + readAhead]) }
            do {
                read[index] = try Self.rows(file: files[index], range: request.range, captures: request.captures)
            } catch {
                failed[index] = error as? InputErrorList ?? InputErrorList([])
            }
        }
        var rows: [NTARow] = []
        for index in files.indices {
            if let error = failed[index] { throw error }
            rows += read[index] ?? []
        }
        return NTAResult(rows: rows)
    }
}

// MARK: - release

extension QCOperations {
    /// `qc release`: lots against a YAML specification.
    public struct ReleaseRequest: Sendable, Equatable {
        public var specification: String
        public var lots: String
        public var markers: String?
        /// The column naming each lot.
        public var key: String
        /// Where to write the release certificate (HTML), if anywhere.
        public var certificate: String?
        /// The certificate's issue date.
        public var issued: Date

        public init(
            specification: String, lots: String, markers: String? = nil, key: String = "lot_id",
            certificate: String? = nil, issued: Date = Date()
        ) {
            self.specification = specification
            self.lots = lots
            self.markers = markers
            self.key = key
            self.certificate = certificate
            self.issued = issued
        }
    }

    /// Every lot's assessment.
    public struct ReleaseResult: Sendable {
        public var assessments: [PreparationAssessment]

        /// The lots rejected.
        public var rejected: [PreparationAssessment] { assessments.filter { !$0.passed } }

        /// One row per lot and criterion.
        public var table: ResultTable {
            ResultTable(
                columns: ["lot", "decision", "criterion", "requirement", "value", "outcome", "reason", "remedy"],
                rows: assessments.flatMap { lot in
                    lot.criteria.map { result in
                        [
                            .text(lot.key), .text(lot.passed ? "released" : "rejected"), .text(result.criterion),
                            .text(result.requirement), .text(result.shown), .text(result.outcome.rawValue),
                            .text(result.reason), .optionalText(result.remedy),
                        ]
                    }
                })
        }

        /// The rejections as a sentence, or `nil` when every lot is released.
        public var rejectionSummary: String? {
            let rejected = rejected
            guard !rejected.isEmpty else { return nil }
            return
                "\(rejected.count) of \(assessments.count) lots rejected: \(rejected.map(\.key).joined(separator: ", "))"
        }
    }

    /// Runs `qc release`: reads the inputs, assesses every lot and writes the certificate when asked.
    public static func release(_ request: ReleaseRequest) throws -> ReleaseResult {
        let specFile = try TextFile(
            url: URL(fileURLWithPath: request.specification), displayPath: request.specification)
        let spec = try ReleaseSpecification.parse(specFile)
        let lotFile = try TextFile(url: URL(fileURLWithPath: request.lots), displayPath: request.lots)
        let directory = URL(fileURLWithPath: request.lots).deletingLastPathComponent()
        let table = CharacterisationTable.parse(lotFile, keyColumn: request.key, directory: directory, keys: nil)
        var errors = table.errors
        var observations: [MarkerObservation] = []
        var hashes = [request.specification: specFile.sha256, request.lots: lotFile.sha256]
        for size in table.sizeFiles { hashes[size.path] = FileDigest.sha256Hex(size.data) }
        if let markers = request.markers {
            let markerFile = try TextFile(url: URL(fileURLWithPath: markers), displayPath: markers)
            hashes[markers] = markerFile.sha256
            let parsed = CharacterisationTable.parseMarkers(
                markerFile, keyColumn: request.key, keys: Set(table.records.map(\.key)))
            observations = parsed.observations
            errors += parsed.errors
        }
        errors += spec.unknownReadoutErrors(columns: table.readoutColumns)
        guard errors.isEmpty else { throw InputErrorList(errors) }
        let byKey = Dictionary(grouping: observations, by: \.key)
        let assessments = table.records.map { record in
            PreparationAssessment(
                key: record.key, record: record, markers: byKey[record.key] ?? [], specification: spec)
        }
        if let certificate = request.certificate {
            let page = StudyReport.certificate(
                assessments.map(StudyReportInput.EVQCView.Preparation.init),
                provenance: Provenance(
                    step: "qc release", parameters: ["specification": "\(spec.name) (version \(spec.version))"],
                    inputHashes: hashes),
                issued: String(ISO8601DateFormatter().string(from: request.issued).prefix(10)),
                histograms: table.records.compactMap { record in
                    record.size.map { StudyReportInput.EVQCView.Histogram(key: record.key, $0, captures: true) }
                })
            try Data(page.render().utf8).write(to: URL(fileURLWithPath: certificate), options: .atomic)
        }
        return ReleaseResult(assessments: assessments)
    }
}

// MARK: - compare-lots

extension QCOperations {
    /// `qc compare-lots`: lots by cell source on a read-out.
    public struct CompareLotsRequest: Sendable, Equatable {
        public var lots: String
        public var readout: String
        public var key: String
        public var level: Double

        public init(lots: String, readout: String, key: String = "lot_id", level: Double = 0.95) {
            self.lots = lots
            self.readout = readout
            self.key = key
            self.level = level
        }
    }

    /// The comparison, and the lots left out for want of the read-out.
    public struct CompareLotsResult: Sendable {
        public var comparison: LotComparison
        public var leftOut: [String]

        /// One row per source.
        public var groups: ResultTable {
            ResultTable(
                columns: ["source", "lots", "mean", "sd"],
                rows: comparison.groups.map {
                    [.text($0.source), .integer($0.lots.count), .number($0.mean), .number($0.sd)]
                })
        }

        /// One row per pair of sources.
        public var contrasts: ResultTable {
            ResultTable(
                columns: ["first", "second", "difference", "low", "high", "p", "hedges_g", "g_low", "g_high"],
                rows: comparison.contrasts.map {
                    [
                        .text($0.first), .text($0.second), .number($0.difference), .number($0.low), .number($0.high),
                        .number($0.p), .number($0.hedgesG), .number($0.gLow), .number($0.gHigh),
                    ]
                })
        }

        /// The lots left out as a sentence, or `nil`.
        public var leftOutSummary: String? {
            leftOut.isEmpty
                ? nil
                : "\(leftOut.count) lots without \(comparison.readout) left out: \(leftOut.joined(separator: ", "))"
        }
    }

    /// Runs `qc compare-lots`.
    public static func compareLots(_ request: CompareLotsRequest) throws -> CompareLotsResult {
        let file = try TextFile(url: URL(fileURLWithPath: request.lots), displayPath: request.lots)
        let table = CharacterisationTable.parse(
            file, keyColumn: request.key, directory: URL(fileURLWithPath: request.lots).deletingLastPathComponent(),
            keys: nil)
        guard table.errors.isEmpty else { throw InputErrorList(table.errors) }
        let spec = ReleaseSpecification.standard
        var values: [(lot: String, source: String, value: Double)] = []
        var missing: [String] = []
        for record in table.records {
            let metrics = PreparationAssessment(key: record.key, record: record, markers: [], specification: spec)
                .metrics
            guard let value = metrics[request.readout] else {
                missing.append(record.key)
                continue
            }
            values.append((record.key, record.source ?? "no source", value))
        }
        if values.isEmpty {
            let known = Set(table.records.flatMap(\.readouts.keys)).sorted() + QCMetric.spellings
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: request.lots, line: 1),
                    "no lot has a value for \(InputError.quoted(request.readout))",
                    hint: EditDistance.didYouMean(request.readout, in: known)
                        ?? "read-outs are the table's numeric columns or computed metrics")
            ])
        }
        return CompareLotsResult(
            comparison: LotComparison(readout: request.readout, lots: values, level: request.level), leftOut: missing)
    }
}

// MARK: - control

extension QCOperations {
    /// `qc control`: Levey–Jennings charts of reference-material runs.
    public struct ControlRequest: Sendable, Equatable {
        public var runs: String
        /// How many leading runs set the mean and SD.
        public var baseline: Int

        public init(runs: String, baseline: Int = 20) {
            self.runs = runs
            self.baseline = baseline
        }
    }

    /// The charts.
    public struct ControlResult: Sendable {
        public var charts: [LeveyJennings]

        /// Whether the last run of any chart is rejected.
        public var lastRunRejected: Bool { charts.contains { $0.points.last?.status == "reject" } }

        /// One row per run and quantity; z to three decimals.
        public var table: ResultTable {
            ResultTable(
                columns: ["material", "attribute", "run", "value", "z", "rules", "status"],
                rows: charts.flatMap { chart in
                    chart.points.map { point in
                        [
                            .optionalText(chart.material), .text(chart.attribute), .text(point.run),
                            .number(point.value), .formatted(String(format: "%.3f", point.z), value: point.z),
                            .list(point.violations.map(\.rawValue), separator: ","), .text(point.status),
                        ]
                    }
                })
        }
    }

    /// Runs `qc control`.
    public static func control(_ request: ControlRequest) throws -> ControlResult {
        let file = try TextFile(url: URL(fileURLWithPath: request.runs), displayPath: request.runs)
        let table = try QCSeriesTable.parse(
            file, required: ["run"], optionalLabels: ["date", "material"], unique: ["material", "run"])
        return ControlResult(charts: LeveyJennings.charts(table, baseline: request.baseline))
    }
}

// MARK: - stability

extension QCOperations {
    /// `qc stability`: shelf life per storage condition by ICH Q1E.
    public struct StabilityRequest: Sendable, Equatable {
        public var table: String
        public var attribute: String
        public var minimum: Double?
        public var maximum: Double?

        public init(table: String, attribute: String, minimum: Double? = nil, maximum: Double? = nil) {
            self.table = table
            self.attribute = attribute
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    /// The shelf-life estimates, and the series too short for one.
    public struct StabilityResult: Sendable {
        public var estimates: [ShelfLife]
        /// Condition (and lot) of each series without an estimate.
        public var withoutEstimate: [String]

        /// One row per condition (and lot).
        public var table: ResultTable {
            ResultTable(
                columns: [
                    "condition", "lot", "n", "intercept", "slope", "crossing", "extrapolation_limit",
                    "shelf_life_months", "set_by",
                ],
                rows: estimates.map {
                    [
                        .text($0.condition), .optionalText($0.lot), .integer($0.n), .number($0.intercept),
                        .number($0.slope), .number($0.crossing), .number($0.extrapolationLimit),
                        .number($0.shelfLife),
                        .text($0.limitedByExtrapolation ? "extrapolation limit" : "confidence bound"),
                    ]
                })
        }

        /// The series without an estimate as a sentence, or `nil`.
        public var withoutEstimateSummary: String? {
            withoutEstimate.isEmpty
                ? nil
                : "no shelf life for \(withoutEstimate.joined(separator: ", ")): fewer than 3 measurements at 2 or more times"
        }
    }

    /// Runs `qc stability`.
    public static func stability(_ request: StabilityRequest) throws -> StabilityResult {
        let file = try TextFile(url: URL(fileURLWithPath: request.table), displayPath: request.table)
        let series = try QCSeriesTable.parse(
            file, required: ["condition"], optionalLabels: ["lot"], timeColumn: "months")
        guard series.valueColumns.contains(request.attribute) else {
            throw InputErrorList([
                InputError(
                    .missingColumn, at: InputLocation(path: request.table, line: 1),
                    "no column \(InputError.quoted(request.attribute))",
                    hint: EditDistance.didYouMean(request.attribute, in: series.valueColumns)
                        ?? "columns: \(series.valueColumns.joined(separator: ", "))")
            ])
        }
        let all = ShelfLife.series(
            series, limits: [request.attribute: .init(minimum: request.minimum, maximum: request.maximum)]
        )
        .filter { $0.attribute == request.attribute }
        return StabilityResult(
            estimates: all.compactMap(\.shelfLife),
            withoutEstimate: all.filter { $0.shelfLife == nil }.map { $0.condition + ($0.lot.map { " · \($0)" } ?? "") }
        )
    }
}
