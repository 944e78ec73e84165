public import ExoCore
public import Foundation

/// Reads a study folder (`study.yaml`, the sample sheet, the measurement files) and validates all of it.
///
/// Every problem in every file is collected before anything is reported, so one run of `validate`
/// lists all that needs fixing.
public enum StudyLoader {
    /// Loads and validates the study in `directory`.
    ///
    /// - Throws: `InputErrorList` with every problem found, in file and line order.
    public static func load(_ directory: URL, catalog: MiRNACatalog = .bundled) throws(InputErrorList) -> LoadedStudy {
        var errors: [InputError] = []
        var files: [LoadedStudy.InputFile] = []
        var paths = StudyPaths(directory: directory)
        func read(_ relative: String, role: String, namedAt location: InputLocation?) -> TextFile? {
            do {
                let url = try paths.url(relative, namedAt: location ?? InputLocation(path: StudyFile.fileName))
                let file = try TextFile(url: url, displayPath: relative)
                files.append(
                    LoadedStudy.InputFile(path: relative, sha256: file.sha256, byteCount: file.byteCount, role: role))
                return file
            } catch {
                if error.kind == .fileNotFound, let location {
                    errors.append(
                        InputError(
                            .fileNotFound, at: location,
                            "file \(InputError.quoted(relative)) named in study.yaml does not exist",
                            hint:
                                "paths are relative to the study folder \(InputError.quoted(directory.lastPathComponent))"
                        ))
                } else {
                    errors.append(error)
                }
                return nil
            }
        }
        guard let studyFile = read(StudyFile.fileName, role: "study", namedAt: nil) else {
            if errors.first?.kind == .fileNotFound {
                errors = [
                    InputError(
                        .fileNotFound, at: InputLocation(path: StudyFile.fileName),
                        "no study.yaml in \(InputError.quoted(directory.path))",
                        hint: "run 'exoscope init \(directory.lastPathComponent)' to scaffold a study folder")
                ]
            }
            throw InputErrorList(errors)
        }
        // What is valid in study.yaml is used to check the other files too, so one run lists every problem.
        let (parsedDefinition, studyErrors) = StudyFile.parseKeepingWhatIsValid(studyFile)
        errors += studyErrors
        guard let definition = parsedDefinition else { throw InputErrorList(errors) }
        paths = StudyPaths(directory: directory, dataFolders: definition.dataFolders)
        if let runs = definition.runs {
            do {
                _ = try paths.url(runs.folder, namedAt: runs.location, writable: true)
            } catch {
                errors.append(error)
            }
        }

        var samples: [Sample] = []
        var declaredIDs: Set<SampleID> = []
        if let sheet = read(definition.sampleSheet, role: "sampleSheet", namedAt: definition.sampleSheetLocation) {
            let parsed = SampleSheet.parse(
                sheet, defaultSpecimen: definition.specimen, extraColumns: definition.extraColumns)
            samples = parsed.samples
            declaredIDs = parsed.declaredIDs
            errors += parsed.errors
        }
        var measurements: [SampleMeasurement] = []
        var qpcrFiles: [LoadedStudy.QPCRFile] = []
        var dpcrFiles: [LoadedStudy.DPCRFile] = []
        var notes = Dictionary(
            definition.nameResolutions.map { ($0.written, $0) }, uniquingKeysWith: { first, _ in first })
        var seenPaths: Set<String> = []
        let runSpecs = definition.runs?.specs(in: directory) ?? []
        for spec in definition.measurements + runSpecs {
            guard seenPaths.insert(spec.path).inserted else {
                errors.append(
                    InputError(
                        .invalidValue, at: spec.location,
                        "file \(InputError.quoted(spec.path)) is listed twice under measurements"))
                continue
            }
            let names = definition.instrumentNames
            if spec.path.lowercased().hasSuffix(".rdml") {
                let loaded = loadRDML(
                    spec, in: directory, paths: paths, names: names, catalog: catalog, samples: declaredIDs)
                errors += loaded.errors
                files += loaded.file.map { [$0] } ?? []
                if let run = loaded.run {
                    qpcrFiles.append(run)
                    for note in loaded.notes { notes[note.written] = note }
                }
                continue
            }
            let source: MeasurementSource
            if spec.path.lowercased().hasSuffix(".xlsx") {
                do {
                    _ = try paths.url(spec.path, namedAt: spec.location)
                } catch {
                    errors.append(error)
                    continue
                }
                guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(spec.path).path) else {
                    _ = read(spec.path, role: "measurements", namedAt: spec.location)
                    continue
                }
                let loaded = worksheetSource(spec, in: directory)
                if let data = loaded.data {
                    files.append(
                        LoadedStudy.InputFile(
                            path: spec.path, sha256: FileDigest.sha256Hex(data), byteCount: data.count,
                            role: "measurements"))
                }
                errors += loaded.errors
                guard let loadedSource = loaded.source else { continue }
                source = loadedSource
            } else {
                guard let file = read(spec.path, role: "measurements", namedAt: spec.location) else { continue }
                if spec.assay == .digitalPCR, PartitionExport.holdsPartitionCounts(file) {
                    let loaded = loadPartitions(file, spec: spec, names: names, catalog: catalog, samples: declaredIDs)
                    errors += loaded.errors
                    if let counts = loaded.file { dpcrFiles.append(counts) }
                    for note in loaded.notes { notes[note.written] = note }
                    continue
                }
                if holdsCountMatrix(file, spec: spec) {
                    guard !declaredIDs.isEmpty else { continue }
                    let loaded = loadCountMatrix(
                        file, spec: spec, names: names, catalog: catalog, samples: declaredIDs)
                    measurements += loaded.measurements
                    errors += loaded.errors
                    for note in loaded.notes { notes[note.written] = note }
                    continue
                }
                if LightCycler480RawData.isRawData(file) {
                    let loaded = loadLightCycler480(
                        file, spec: spec, names: names, catalog: catalog, samples: declaredIDs
                    ) {
                        read($0, role: "measurements", namedAt: spec.location)
                    }
                    errors += loaded.errors
                    if let run = loaded.run { qpcrFiles.append(run) }
                    for note in loaded.notes { notes[note.written] = note }
                    continue
                }
                let loaded = textSource(file)
                errors += loaded.errors
                guard let loadedSource = loaded.source else { continue }
                source = loadedSource
            }
            // Rows are checked against every sample id the sheet declares, even on rows with other errors,
            // so one bad cell in the sheet does not cascade into "unknown sample" errors here.
            guard !declaredIDs.isEmpty else { continue }
            let parsed: (measurements: [SampleMeasurement], notes: [ResolvedMiRNA], errors: [InputError])
            switch source {
            case .instrument(let export):
                parsed = Self.measurements(of: export, spec: spec, names: names, catalog: catalog, samples: declaredIDs)
            case .table(let table):
                parsed = MeasurementTable.parse(table: table, spec: spec, samples: declaredIDs, catalog: catalog)
            }
            measurements += parsed.measurements
            errors += parsed.errors
            for note in parsed.notes { notes[note.written] = note }
        }
        var qc: LoadedStudy.QCInputs?
        if let qcFiles = definition.qc {
            let loaded = loadQC(
                qcFiles, in: directory, paths: paths, samples: Set(declaredIDs.map(\.rawValue)),
                read: { read($0, role: "qc", namedAt: qcFiles.location) })
            qc = loaded.inputs
            errors += loaded.errors
            files += loaded.sizeFiles
        }
        if let panel = definition.monitoring.panel {
            // The locked model is read by the pipeline (ExoDiagnosis); here it is an input file, hashed with the rest.
            _ = read(panel, role: "monitoring-panel", namedAt: InputLocation(path: StudyFile.fileName))
        }
        let sequenced = sequencedSamples(
            definition.sequencing, paths: paths, samples: declaredIDs, measurements: measurements)
        errors += sequenced.errors
        files += sequenced.files
        guard errors.isEmpty else { throw InputErrorList(errors) }
        var loaded = LoadedStudy(
            directory: directory, definition: definition, samples: samples, measurements: measurements,
            qpcrFiles: qpcrFiles, dpcrFiles: dpcrFiles, files: files,
            nameResolutions: notes.values.sorted { $0.written < $1.written }, qc: qc)
        loaded.sequencedSamples = sequenced.samples
        return loaded
    }

    /// Reads the EV-QC files named under `qc:`: the characterisation table with its size exports, the marker
    /// table, the specification and the reference-run and stability tables.
    static func loadQC(
        _ qcFiles: StudyQCFiles, in directory: URL, paths: StudyPaths, samples: Set<String>,
        read: (String) -> TextFile?
    ) -> (inputs: LoadedStudy.QCInputs?, errors: [InputError], sizeFiles: [LoadedStudy.InputFile]) {
        var errors: [InputError] = []
        var files: [LoadedStudy.InputFile] = []
        var preparations: [PreparationRecord] = []
        var markers: [MarkerObservation] = []
        var specification = ReleaseSpecification.standard
        var referenceRuns: QCSeriesTable?
        var stability: QCSeriesTable?
        var readoutColumns: [String] = []
        guard let file = read(qcFiles.characterisation) else { return (nil, [], []) }
        do {
            let parsed = CharacterisationTable.parse(
                file, keyColumn: "sample_id", directory: directory, keys: samples.isEmpty ? nil : samples,
                paths: paths)
            preparations = parsed.records
            readoutColumns = parsed.readoutColumns
            errors += parsed.errors
            for size in parsed.sizeFiles {
                files.append(
                    LoadedStudy.InputFile(
                        path: size.path, sha256: FileDigest.sha256Hex(size.data), byteCount: size.data.count,
                        role: "qc"))
            }
        }
        if let path = qcFiles.markers, let file = read(path) {
            let parsed = CharacterisationTable.parseMarkers(
                file, keyColumn: "sample_id", keys: samples.isEmpty ? nil : samples)
            markers = parsed.observations
            errors += parsed.errors
        }
        if let path = qcFiles.specification, let file = read(path) {
            do {
                specification = try ReleaseSpecification.parse(file)
                errors += specification.unknownReadoutErrors(columns: readoutColumns)
            } catch {
                errors += error.errors
            }
        }
        if let path = qcFiles.referenceRuns, let file = read(path) {
            do {
                referenceRuns = try QCSeriesTable.parse(
                    file, required: ["run"], optionalLabels: ["date", "material"], unique: ["material", "run"])
            } catch {
                errors += error.errors
            }
        }
        if let path = qcFiles.stability, let file = read(path) {
            do {
                stability = try QCSeriesTable.parse(
                    file, required: ["condition"], optionalLabels: ["lot"], timeColumn: "months")
            } catch {
                errors += error.errors
            }
        }
        for name in qcFiles.stabilityLimits.keys.sorted() where !(stability?.valueColumns.contains(name) ?? false) {
            errors.append(
                InputError(
                    .missingColumn, at: qcFiles.location,
                    qcFiles.stability == nil
                        ? "stabilityLimits names \(InputError.quoted(name)) but qc: names no stability table"
                        : "stabilityLimits names \(InputError.quoted(name)), which is not a column of \(InputError.quoted(qcFiles.stability ?? ""))",
                    hint: EditDistance.didYouMean(name, in: stability?.valueColumns ?? [])
                        ?? "add 'stability: qc/stability.tsv' or remove the limit"))
        }
        guard errors.isEmpty else { return (nil, errors, files) }
        return (
            LoadedStudy.QCInputs(
                files: qcFiles, preparations: preparations, markers: markers, specification: specification,
                referenceRuns: referenceRuns, stability: stability),
            [], files
        )
    }

    /// Reads an RDML file named in study.yaml and checks it against the sample sheet: every study sample
    /// (type unkn, pos, neg or ref) must be in the sheet, and every target must name an analyte.
    static func loadRDML(
        _ spec: MeasurementFileSpec, in directory: URL, paths: StudyPaths? = nil,
        names: InstrumentNames = InstrumentNames(),
        catalog: MiRNACatalog, samples: Set<SampleID>
    ) -> (run: LoadedStudy.QPCRFile?, file: LoadedStudy.InputFile?, notes: [ResolvedMiRNA], errors: [InputError]) {
        let url: URL
        do {
            url = try (paths ?? StudyPaths(directory: directory)).url(spec.path, namedAt: spec.location)
        } catch {
            return (nil, nil, [], [error])
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            return (
                nil, nil, [],
                [
                    InputError(
                        .fileNotFound, at: spec.location,
                        "file \(InputError.quoted(spec.path)) named in study.yaml does not exist",
                        hint: "paths are relative to the study folder \(InputError.quoted(directory.lastPathComponent))"
                    )
                ]
            )
        }
        guard let data = try? Data(contentsOf: url) else {
            return (
                nil, nil, [],
                [
                    InputError(
                        .unreadableFile, at: InputLocation(path: spec.path),
                        "cannot read \(InputError.quoted(spec.path))")
                ]
            )
        }
        let file = LoadedStudy.InputFile(
            path: spec.path, sha256: FileDigest.sha256Hex(data), byteCount: data.count, role: "measurements")
        let document: RDMLDocument
        do {
            document = try RDMLReader.read(data: data, displayPath: spec.path)
        } catch {
            return (nil, file, [], error.errors)
        }
        let checked = checkRun(document, spec: spec, names: names, catalog: catalog, samples: samples)
        return (checked.run, file, checked.notes, checked.errors)
    }

    /// Checks a run's amplification curves against the sample sheet, after mapping its names: every study
    /// sample (type unkn, pos, neg or ref) must be in the sheet, and every target must name an analyte.
    static func checkRun(
        _ unmapped: RDMLDocument, spec: MeasurementFileSpec, names: InstrumentNames, catalog: MiRNACatalog,
        samples: Set<SampleID>
    ) -> (run: LoadedStudy.QPCRFile?, notes: [ResolvedMiRNA], errors: [InputError]) {
        let document = mapped(unmapped, names: names)
        var errors: [InputError] = []
        var analytes: [String: Analyte] = [:]
        var notes: [ResolvedMiRNA] = []
        let sampleSpellings = samples.map(\.rawValue).sorted()
        var reportedSamples: Set<String> = []
        for reaction in document.reactions {
            let kind = document.sample(reaction.sample)?.kind ?? .unkn
            if LoadedStudy.QPCRFile.studySampleKinds.contains(kind),
                SampleID(reaction.sample).map(samples.contains) != true,
                reportedSamples.insert(reaction.sample).inserted
            {
                errors.append(
                    InputError(
                        .unknownSample, at: reaction.location,
                        "sample \(InputError.quoted(reaction.sample)) of reaction '\(reaction.id)' is not in the sample sheet",
                        hint: EditDistance.didYouMean(reaction.sample, in: sampleSpellings)
                            ?? "map the instrument's sample name onto a sample id with 'sampleMap:' in study.yaml; controls and standards use the RDML types ntc, nac, nrt and std"
                    ))
            }
            for data in reaction.data where !data.amplification.isEmpty && data.amplification.count < 10 {
                errors.append(
                    InputError(
                        .tooFewCycles, at: data.location,
                        "reaction '\(reaction.id)' has \(data.amplification.count) amplification cycle\(data.amplification.count == 1 ? "" : "s") for target \(InputError.quoted(data.target)); curve analysis needs at least 10",
                        hint: "export every cycle of the run, or exclude the reaction with <excl>"))
            }
            for data in reaction.data where analytes[data.target] == nil {
                // An unresolvable target is reported once: later reactions find the placeholder.
                let target = names.target(data.target)
                analytes[data.target] =
                    resolveTarget(
                        target.analyte, kind: target.kind, fallback: names.fallback(data.target), at: data.location,
                        catalog: catalog, notes: &notes,
                        errors: &errors)
                    ?? Analyte(name: data.target, kind: .miRNA)
            }
        }
        guard errors.isEmpty else { return (nil, [], errors) }
        return (LoadedStudy.QPCRFile(spec: spec, document: document, analytes: analytes), notes, [])
    }

    /// Reads a partition-count file of a study: each well's sample must be in the sheet and its target an analyte;
    /// the partition volume must be in study.yaml.
    static func loadPartitions(
        _ file: TextFile, spec: MeasurementFileSpec, names: InstrumentNames = InstrumentNames(),
        catalog: MiRNACatalog, samples: Set<SampleID>
    ) -> (file: LoadedStudy.DPCRFile?, notes: [ResolvedMiRNA], errors: [InputError]) {
        let export: PartitionExport
        do {
            export = try PartitionExport(file)
        } catch {
            return (nil, [], error.errors)
        }
        var errors: [InputError] = []
        if spec.partitionVolumeNanoliters == nil {
            errors.append(
                InputError(
                    .missingKey, at: spec.location,
                    "digital-PCR partition counts need 'partitionVolumeNanoliters' in this measurements entry",
                    hint: "QX200 droplets: 0.85 (QuantaSoft 1.7) or 0.91 (older QuantaSoft); ExoScope never assumes one"
                ))
        }
        let sampleSpellings = samples.map(\.rawValue).sorted()
        var wells: [(well: PartitionExport.Well, sample: SampleID, analyte: Analyte)] = []
        var analytes: [String: Analyte] = [:]
        var tried: Set<String> = []
        var notes: [ResolvedMiRNA] = []
        for well in export.wells {
            guard let mapped = names.sample(well.sample) else { continue }
            guard let sample = SampleID(mapped), samples.contains(sample) else {
                errors.append(
                    InputError(
                        .unknownSample, at: well.location,
                        "sample \(InputError.quoted(well.sample)) of well \(well.well) is not in the sample sheet",
                        hint: EditDistance.didYouMean(well.sample, in: sampleSpellings)))
                continue
            }
            // Each name is resolved, or reported, once.
            if analytes[well.target] == nil, tried.insert(well.target).inserted {
                let target = names.target(well.target)
                analytes[well.target] = resolveTarget(
                    target.analyte, kind: target.kind, fallback: names.fallback(well.target), at: well.location,
                    catalog: catalog, notes: &notes,
                    errors: &errors)
            }
            if let analyte = analytes[well.target] { wells.append((well, sample, analyte)) }
        }
        guard errors.isEmpty, let volume = spec.partitionVolumeNanoliters else { return (nil, notes, errors) }
        return (LoadedStudy.DPCRFile(spec: spec, partitionVolumeNanoliters: volume, wells: wells), notes, [])
    }

    /// The analyte an assay's target names, recording a note when the name was corrected or renamed; `nil`,
    /// with an error at `location`, when it names no analyte.
    static func resolveTarget(
        _ target: String, kind: AnalyteKind? = nil, fallback: Analyte? = nil, at location: InputLocation,
        catalog: MiRNACatalog, notes: inout [ResolvedMiRNA], errors: inout [InputError]
    ) -> Analyte? {
        if let fallback, kind == nil, Analyte.inferredKind(of: target) == nil, !catalog.isSpelledLikeMiRNA(target) {
            return fallback
        }
        switch Analyte.resolve(target, kind: kind, catalog: catalog) {
        case .success(let resolved):
            if let note = resolved.resolution, note.rule != .current || !note.corrections.isEmpty { notes.append(note) }
            return resolved.analyte
        case .failure(let failure) where failure.kind == .unknownAnalyte && fallback != nil:
            return fallback
        case .failure(let failure):
            errors.append(InputError(failure.kind, at: location, "target: " + failure.message, hint: failure.hint))
            return nil
        }
    }
}
