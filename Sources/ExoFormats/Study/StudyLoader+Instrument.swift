import ExoCore
import Foundation

extension StudyLoader {
    /// What a measurement file of a study holds, as told by its name and its first rows.
    enum MeasurementSource {
        /// An instrument's Cq export (QuantStudio, SDS, CFX, LightCycler, Rotor-Gene), text or worksheet.
        case instrument(InstrumentCqExport)
        /// A long-form measurement table (`sample_id`, `analyte`, `value` …), text or worksheet.
        case table(DelimitedTable)
    }

    /// The RDML document with its sample names mapped through `sampleMap`; samples mapped onto one id keep the
    /// first one's description.
    static func mapped(_ document: RDMLDocument, names: InstrumentNames) -> RDMLDocument {
        guard !names.samples.isEmpty || !names.leftOut.isEmpty else { return document }
        var copy = document
        var seen: Set<String> = []
        copy.samples = document.samples.compactMap { sample in
            guard let id = names.sample(sample.id) else { return nil }
            var renamed = sample
            renamed.id = id
            return seen.insert(renamed.id).inserted ? renamed : nil
        }
        for run in copy.runs.indices {
            copy.runs[run].reactions = copy.runs[run].reactions.compactMap { reaction in
                guard let id = names.sample(reaction.sample) else { return nil }
                var renamed = reaction
                renamed.sample = id
                return renamed
            }
        }
        return copy
    }

    /// Reads a worksheet of an `.xlsx` measurement file: an instrument export when a row is one's header,
    /// otherwise a long-form table.
    static func worksheetSource(
        _ spec: MeasurementFileSpec, in directory: URL
    ) -> (source: MeasurementSource?, data: Data?, errors: [InputError]) {
        let url = directory.appendingPathComponent(spec.path)
        guard let data = try? Data(contentsOf: url) else {
            return (
                nil, nil,
                [
                    InputError(
                        .unreadableFile, at: InputLocation(path: spec.path),
                        "cannot read \(InputError.quoted(spec.path))")
                ]
            )
        }
        do throws(InputError) {
            let workbook = try XLSXWorkbook(data: data, displayPath: spec.path)
            let found = spec.sheet == nil ? try exportSheet(of: workbook) : nil
            guard let sheet = spec.sheet ?? found?.name ?? workbook.sheetNames.first else {
                return (
                    nil, data,
                    [InputError(.emptyTable, at: InputLocation(path: spec.path), "the workbook has no worksheet")]
                )
            }
            let rows: [[String]]
            if let found, found.name == sheet { rows = found.rows } else { rows = try workbook.rows(sheet: sheet) }
            let location = { (row: Int, column: Int) in
                workbook.location(sheet: sheet, row: row + 1, column: column + 1)
            }
            let path = "\(spec.path)[\(sheet)]"
            if InstrumentLayout.header(in: rows) != nil {
                do {
                    return (
                        .instrument(try InstrumentCqExport.read(rows: rows, path: path, location: location)), data, []
                    )
                } catch {
                    return (nil, data, error.errors)
                }
            }
            do {
                return (.table(try DelimitedTable(grid: rows, path: path)), data, [])
            } catch {
                return (nil, data, error.errors)
            }
        } catch {
            return (nil, data, [error])
        }
    }

    /// The first worksheet that holds an instrument's Cq export, when no sheet is named.
    static func exportSheet(of workbook: XLSXWorkbook) throws(InputError) -> (name: String, rows: [[String]])? {
        guard workbook.sheetNames.count > 1 else { return nil }
        for sheet in workbook.sheetNames {
            let rows = try workbook.rows(sheet: sheet)
            if InstrumentLayout.header(in: rows) != nil { return (sheet, rows) }
        }
        return nil
    }

    /// Reads LightCycler 480 raw data (with its sample information file when the entry names one) as a run of
    /// amplification curves, analysed by LinRegPCR like an RDML run.
    ///
    /// Readings that a spreadsheet turned into date serials (a file opened and saved in Excel) are an error:
    /// the curves would be wrong, and the instrument's export is the only fix.
    static func loadLightCycler480(
        _ file: TextFile, spec: MeasurementFileSpec, names: InstrumentNames, catalog: MiRNACatalog,
        samples: Set<SampleID>, read: (String) -> TextFile?
    ) -> (run: LoadedStudy.QPCRFile?, notes: [ResolvedMiRNA], errors: [InputError]) {
        var information: LightCycler480SampleInformation?
        if let path = spec.sampleInformation {
            guard let infoFile = read(path) else { return (nil, [], []) }
            do {
                information = try LightCycler480SampleInformation(infoFile)
            } catch {
                return (nil, [], error.errors)
            }
        }
        let raw: LightCycler480RawData
        do {
            raw = try LightCycler480RawData(file)
        } catch {
            return (nil, [], error.errors)
        }
        if let first = raw.suspectedDateSerials.first {
            return (
                nil, [],
                [
                    InputError(
                        .invalidNumber, at: first,
                        "\(raw.suspectedDateSerials.count) fluorescence readings look like spreadsheet date serials, "
                            + "the first here",
                        hint:
                            "the file was opened and saved in a spreadsheet, which turned readings such as 17.03 into "
                            + "dates; export the raw data again from the LightCycler software")
                ]
            )
        }
        return checkRun(
            raw.rdmlDocument(sampleInformation: information), spec: spec, names: names, catalog: catalog,
            samples: samples)
    }

    /// Reads a text measurement file: an instrument export when its header is one's, otherwise a long-form table.
    static func textSource(_ file: TextFile) -> (source: MeasurementSource?, errors: [InputError]) {
        if let delimiter = InstrumentCqExport.recognisedDelimiter(file) {
            do {
                return (.instrument(try InstrumentCqExport.read(file, delimiter: delimiter)), [])
            } catch {
                return (nil, error.errors)
            }
        }
        do {
            return (.table(try DelimitedTable(file)), [])
        } catch {
            return (nil, error.errors)
        }
    }

    /// The measurements of an instrument Cq export: each study well (unknown, reference or calibrator task) with
    /// its sample and target mapped through study.yaml, technical replicates numbered in plate order within each
    /// sample and analyte, no Cq as not detected, omitted wells flagged excluded; standards and controls are
    /// left to the instrument's own analysis.
    static func measurements(
        of export: InstrumentCqExport, spec: MeasurementFileSpec, names: InstrumentNames, catalog: MiRNACatalog,
        samples: Set<SampleID>
    ) -> (measurements: [SampleMeasurement], notes: [ResolvedMiRNA], errors: [InputError]) {
        var errors: [InputError] = []
        var notes: [ResolvedMiRNA] = []
        if spec.assay != .qPCR || (spec.unit.map { $0 != .cq } ?? false) {
            errors.append(
                InputError(
                    .invalidValue, at: spec.location,
                    "\(InputError.quoted(spec.path)) is a \(export.instrument.displayName) Cq export; its entry must be 'assay: qPCR' with unit Cq",
                    hint: "remove 'unit:' or write 'unit: Cq'"))
            return ([], [], errors)
        }
        let studyTasks: Set<WellTask> = [.unknown, .endogenousControl, .calibrator]
        let sampleSpellings = samples.map(\.rawValue).sorted()
        var analytes: [String: Analyte] = [:]
        var tried: Set<String> = []
        var unknownSamples: [String: (location: InputLocation, wells: Int)] = [:]
        var kept: [(well: InstrumentWell, sample: SampleID, analyte: Analyte)] = []
        for well in export.wells where studyTasks.contains(well.task) && !well.sample.isEmpty {
            let mappedTarget = names.target(well.target)
            if analytes[well.target] == nil, tried.insert(well.target).inserted {
                analytes[well.target] = resolveTarget(
                    mappedTarget.analyte, kind: mappedTarget.kind, fallback: names.fallback(well.target),
                    at: well.cqLocation, catalog: catalog, notes: &notes,
                    errors: &errors)
            }
            guard let mappedSample = names.sample(well.sample) else { continue }
            guard let sample = SampleID(mappedSample), samples.contains(sample) else {
                let earlier = unknownSamples[well.sample]
                unknownSamples[well.sample] = (
                    earlier?.location ?? InputLocation(path: well.cqLocation.path, line: well.cqLocation.line),
                    (earlier?.wells ?? 0) + 1
                )
                continue
            }
            if let analyte = analytes[well.target] { kept.append((well, sample, analyte)) }
        }
        for (name, found) in unknownSamples.sorted(by: { $0.value.location.line < $1.value.location.line }) {
            let wells = found.wells == 1 ? "1 well" : "\(found.wells) wells"
            errors.append(
                InputError(
                    .unknownSample, at: found.location,
                    "sample \(InputError.quoted(name)) (\(wells)) is not in the sample sheet",
                    hint: EditDistance.didYouMean(names.sample(name) ?? name, in: sampleSpellings).map {
                        "\($0); or map the instrument's name in study.yaml: 'sampleMap: {\(name): SAMPLE-ID}'"
                    }
                        ?? "map the instrument's name onto a sample id in study.yaml: 'sampleMap: {\(name): SAMPLE-ID}', "
                        + "or leave a control's wells out with 'sampleMap: {\(name): ~}'"))
        }
        guard errors.isEmpty else { return ([], notes, errors) }
        // Replicates are renumbered after mapping: two instrument names may stand for one sample.
        let ordered = kept.enumerated().sorted {
            (
                $0.element.sample.rawValue, $0.element.analyte.name, $0.element.well.sample, $0.element.well.replicate,
                $0.offset
            )
                < (
                    $1.element.sample.rawValue, $1.element.analyte.name, $1.element.well.sample,
                    $1.element.well.replicate, $1.offset
                )
        }
        var counts: [String: Int] = [:]
        var measurements: [SampleMeasurement] = []
        measurements.reserveCapacity(ordered.count)
        for (_, entry) in ordered {
            let key = "\(entry.sample.rawValue)\t\(entry.analyte.name)"
            counts[key, default: 0] += 1
            var flags = Set<MeasurementFlag>()
            if entry.well.cq == nil { flags.insert(.belowDetection) }
            if entry.well.isOmitted { flags.insert(.excluded) }
            measurements.append(
                SampleMeasurement(
                    sample: entry.sample, analyte: entry.analyte, assay: .qPCR, value: entry.well.cq, unit: .cq,
                    replicate: counts[key] ?? 1, flags: flags, source: entry.well.cqLocation))
        }
        return (measurements, notes, [])
    }
}
