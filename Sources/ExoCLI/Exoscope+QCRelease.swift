import ArgumentParser
import ExoCore
import ExoFormats
import ExoPipeline
import ExoQC
import ExoReport
import ExoStats
import Foundation

extension ExitStatus {
    /// The command ran and the QC said no.
    ///
    /// A lot was rejected (`qc release`) or the last run of a reference material was (`qc control`). Not a sysexits
    /// code, since nothing went wrong; 1 stays an internal error and 2 what shells
    /// and many tools use for misuse, so a script tells a rejection from both (README, docs/ev-qc.md).
    static let rejected = ExitCode(3)
}

extension Exoscope.QC {
    /// Lot release against a YAML specification.
    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release or reject EV lots against a YAML specification, with every criterion's reason.",
            discussion: """
                LOTS is a characterisation table (one row per lot: lot_id, size_file, protein_ug_per_ml, rna_ng_per_ml,
                imaging, source and any read-out columns); --markers a marker table (lot_id, marker, method, result,
                signal). Prints one row per lot and criterion: lot, decision, criterion, requirement, value,
                outcome, reason, remedy. --certificate writes the release certificate as a self-contained HTML page.
                Exits 0 when every lot is released, 3 when any is rejected. docs/ev-qc.md describes the format.
                """)

        @Argument(help: "The specification (YAML).", completion: .file())
        var specification: String

        @Argument(help: "The characterisation table of the lots.", completion: .file())
        var lots: String

        @Option(help: "The marker table of the lots.", completion: .file())
        var markers: String?

        @Option(help: "The column naming each lot.")
        var key = "lot_id"

        @Option(help: "Write the release certificate (HTML) here.", completion: .file())
        var certificate: String?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let assessed = try Self.assess(specification: specification, lots: lots, markers: markers, key: key)
                if let certificate {
                    let page = StudyReport.certificate(
                        assessed.assessments.map(StudyReportInput.EVQCView.Preparation.init),
                        provenance: assessed.provenance,
                        issued: String(ISO8601DateFormatter().string(from: Date()).prefix(10)),
                        histograms: assessed.histograms)
                    try Data(page.render().utf8).write(to: URL(fileURLWithPath: certificate), options: .atomic)
                }
                if outputOptions.json || format == .json {
                    try printJSON(assessed.assessments)
                } else {
                    var output = "lot\tdecision\tcriterion\trequirement\tvalue\toutcome\treason\tremedy\n"
                    for lot in assessed.assessments {
                        for result in lot.criteria {
                            output +=
                                [
                                    lot.key, lot.passed ? "released" : "rejected", result.criterion, result.requirement,
                                    result.shown, result.outcome.rawValue, result.reason, result.remedy ?? "",
                                ].joined(separator: "\t") + "\n"
                        }
                    }
                    FileHandle.standardOutput.write(Data(output.utf8))
                }
                let rejected = assessed.assessments.filter { !$0.passed }
                if !rejected.isEmpty {
                    if !outputOptions.quiet {
                        FileHandle.standardError.write(
                            Data(
                                "\(rejected.count) of \(assessed.assessments.count) lots rejected: \(rejected.map(\.key).joined(separator: ", "))\n"
                                    .utf8))
                    }
                    throw ExitStatus.rejected
                }
            }
        }

        /// Reads the inputs and assesses every lot.
        static func assess(specification: String, lots: String, markers: String?, key: String) throws -> (
            assessments: [PreparationAssessment], provenance: Provenance,
            histograms: [StudyReportInput.EVQCView.Histogram]
        ) {
            let specFile = try TextFile(url: URL(fileURLWithPath: specification), displayPath: specification)
            let spec = try ReleaseSpecification.parse(specFile)
            let lotFile = try TextFile(url: URL(fileURLWithPath: lots), displayPath: lots)
            let directory = URL(fileURLWithPath: lots).deletingLastPathComponent()
            let table = CharacterisationTable.parse(lotFile, keyColumn: key, directory: directory, keys: nil)
            var errors = table.errors
            var observations: [MarkerObservation] = []
            var hashes = [specification: specFile.sha256, lots: lotFile.sha256]
            for size in table.sizeFiles { hashes[size.path] = FileDigest.sha256Hex(size.data) }
            if let markers {
                let markerFile = try TextFile(url: URL(fileURLWithPath: markers), displayPath: markers)
                hashes[markers] = markerFile.sha256
                let parsed = CharacterisationTable.parseMarkers(
                    markerFile, keyColumn: key, keys: Set(table.records.map(\.key)))
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
            return (
                assessments,
                Provenance(
                    step: "qc release", parameters: ["specification": "\(spec.name) (version \(spec.version))"],
                    inputHashes: hashes),
                table.records.compactMap { record in
                    record.size.map { StudyReportInput.EVQCView.Histogram(key: record.key, $0, captures: true) }
                }
            )
        }
    }

    /// Lots from different cell sources compared on a read-out.
    struct CompareLots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare-lots",
            abstract: "Compare lots by cell source on a read-out: means, Welch intervals and Hedges' g.",
            discussion: """
                LOTS is a characterisation table with a source column (MSC, dendritic-cell, NK, CAR-T, …) and the
                read-out column. The read-out may also be a computed metric (particles_per_ug, copies_per_particle,
                loading_fold, encapsulation_efficiency). Prints one row per pair of sources: first, second,
                difference, low, high, p, hedges_g, g_low, g_high (Welch's interval; Hedges' g with the exact
                small-sample correction, as metafor's escalc computes it).
                """)

        @Argument(help: "The characterisation table of the lots.", completion: .file())
        var lots: String

        @Option(help: "The read-out to compare.")
        var readout: String

        @Option(help: "The column naming each lot.")
        var key = "lot_id"

        @Option(help: "Confidence level of the intervals.")
        var level = 0.95

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard level > 0, level < 1 else { throw ValidationError("--level must lie between 0 and 1.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let file = try TextFile(url: URL(fileURLWithPath: lots), displayPath: lots)
                let table = CharacterisationTable.parse(
                    file, keyColumn: key, directory: URL(fileURLWithPath: lots).deletingLastPathComponent(), keys: nil)
                guard table.errors.isEmpty else { throw InputErrorList(table.errors) }
                let spec = ReleaseSpecification.standard
                var values: [(lot: String, source: String, value: Double)] = []
                var missing: [String] = []
                for record in table.records {
                    let metrics = PreparationAssessment(
                        key: record.key, record: record, markers: [], specification: spec
                    ).metrics
                    guard let value = metrics[readout] else {
                        missing.append(record.key)
                        continue
                    }
                    values.append((record.key, record.source ?? "no source", value))
                }
                if values.isEmpty {
                    let known = Set(table.records.flatMap(\.readouts.keys)).sorted() + QCMetric.spellings
                    throw InputErrorList([
                        InputError(
                            .missingColumn, at: InputLocation(path: lots, line: 1),
                            "no lot has a value for \(InputError.quoted(readout))",
                            hint: EditDistance.didYouMean(readout, in: known)
                                ?? "read-outs are the table's numeric columns or computed metrics")
                    ])
                }
                let comparison = LotComparison(readout: readout, lots: values, level: level)
                if outputOptions.json || format == .json {
                    try printJSON(comparison)
                    return
                }
                var output = "source\tlots\tmean\tsd\n"
                for group in comparison.groups {
                    output += "\(group.source)\t\(group.lots.count)\t\(group.mean)\t\(TSV.number(group.sd))\n"
                }
                output += "\nfirst\tsecond\tdifference\tlow\thigh\tp\thedges_g\tg_low\tg_high\n"
                for contrast in comparison.contrasts {
                    output +=
                        [
                            contrast.first, contrast.second, String(contrast.difference), TSV.number(contrast.low),
                            TSV.number(contrast.high), TSV.number(contrast.p), TSV.number(contrast.hedgesG),
                            TSV.number(contrast.gLow),
                            TSV.number(contrast.gHigh),
                        ].joined(separator: "\t") + "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
                if !missing.isEmpty, !outputOptions.quiet {
                    FileHandle.standardError.write(
                        Data(
                            "\(missing.count) lots without \(readout) left out: \(missing.joined(separator: ", "))\n"
                                .utf8))
                }
            }
        }
    }

    /// Levey–Jennings charts of a reference material.
    struct Control: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "control",
            abstract: "Levey–Jennings check of reference-material runs with Westgard rules.",
            discussion: """
                RUNS is a table with a run column (in run order), optional date and material columns, and one
                column per charted quantity. Mean and SD come from the first --baseline runs. Prints one row per
                run and quantity: attribute, run, value, z, rules, status (in control, warning, reject). Exits 3
                when the last run is rejected.
                """)

        @Argument(help: "The reference-material runs.", completion: .file())
        var runs: String

        @Option(help: "How many leading runs set the mean and SD.")
        var baseline = 20

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard baseline >= 2 else { throw ValidationError("--baseline must be at least 2 runs.") }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let file = try TextFile(url: URL(fileURLWithPath: runs), displayPath: runs)
                let table = try QCSeriesTable.parse(
                    file, required: ["run"], optionalLabels: ["date", "material"], unique: ["material", "run"])
                let charts = LeveyJennings.charts(table, baseline: baseline)
                if outputOptions.json || format == .json {
                    try printJSON(charts)
                } else {
                    var output = "material\tattribute\trun\tvalue\tz\trules\tstatus\n"
                    for chart in charts {
                        for point in chart.points {
                            output +=
                                "\(chart.material ?? "")\t\(chart.attribute)\t\(point.run)\t\(point.value)\t\(String(format: "%.3f", point.z))\t\(point.violations.map(\.rawValue).joined(separator: ","))\t\(point.status)\n"
                        }
                    }
                    FileHandle.standardOutput.write(Data(output.utf8))
                }
                if charts.contains(where: { $0.points.last?.status == "reject" }) { throw ExitStatus.rejected }
            }
        }
    }

    /// Shelf life from a stability study.
    struct Stability: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stability",
            abstract: "Shelf life per storage condition by ICH Q1E (one-sided 95 % confidence bound).",
            discussion: """
                TABLE has a condition column, a months column and one column per attribute. For the --attribute
                with its --min and/or --max acceptance limits, prints per condition: condition, n, intercept, slope,
                crossing (months at which the confidence bound meets a limit), extrapolation_limit (Q1E: twice the
                data, at most 12 months beyond), shelf_life_months, set_by.
                """)

        @Argument(help: "The stability table.", completion: .file())
        var table: String

        @Option(help: "The attribute column.")
        var attribute: String

        @Option(help: "Lower acceptance limit.")
        var min: Double?

        @Option(help: "Upper acceptance limit.")
        var max: Double?

        @Option(help: "Output format: tsv or json.")
        var format: OutputFormat = .tsv

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            guard min != nil || max != nil else { throw ValidationError("give --min, --max or both.") }
            if let min, let max, min > max {
                throw ValidationError("contradictory limits: --min \(min) is above --max \(max).")
            }
        }

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let file = try TextFile(url: URL(fileURLWithPath: table), displayPath: table)
                let series = try QCSeriesTable.parse(
                    file, required: ["condition"], optionalLabels: ["lot"], timeColumn: "months")
                guard series.valueColumns.contains(attribute) else {
                    throw InputErrorList([
                        InputError(
                            .missingColumn, at: InputLocation(path: table, line: 1),
                            "no column \(InputError.quoted(attribute))",
                            hint: EditDistance.didYouMean(attribute, in: series.valueColumns)
                                ?? "columns: \(series.valueColumns.joined(separator: ", "))")
                    ])
                }
                let all = ShelfLife.series(series, limits: [attribute: .init(minimum: min, maximum: max)])
                    .filter { $0.attribute == attribute }
                let estimates = all.compactMap(\.shelfLife)
                let dropped = all.filter { $0.shelfLife == nil }
                if !dropped.isEmpty, !outputOptions.quiet {
                    FileHandle.standardError.write(
                        Data(
                            "no shelf life for \(dropped.map { $0.condition + ($0.lot.map { " · \($0)" } ?? "") }.joined(separator: ", ")): fewer than 3 measurements at 2 or more times\n"
                                .utf8))
                }
                if outputOptions.json || format == .json {
                    try printJSON(estimates)
                    return
                }
                var output =
                    "condition\tlot\tn\tintercept\tslope\tcrossing\textrapolation_limit\tshelf_life_months\tset_by\n"
                for estimate in estimates {
                    output +=
                        [
                            estimate.condition, estimate.lot ?? "", String(estimate.n), String(estimate.intercept),
                            String(estimate.slope),
                            TSV.number(estimate.crossing), String(estimate.extrapolationLimit),
                            String(estimate.shelfLife),
                            estimate.limitedByExtrapolation ? "extrapolation limit" : "confidence bound",
                        ].joined(separator: "\t") + "\n"
                }
                FileHandle.standardOutput.write(Data(output.utf8))
            }
        }
    }
}
