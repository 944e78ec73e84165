public import ExoCore
import ExoDiagnosis
public import ExoFormats
import ExoQC
import ExoQuant
import ExoReport
import ExoStats
public import ExoStore
public import Foundation

/// Runs a study end to end: validate → import → report.
///
/// The only place that knows the order of stages.
public enum Pipeline {
    /// What `run` did; also the `--json` output of the CLI.
    public struct RunSummary: Sendable, Codable, Equatable {
        public var studyID: String
        public var databasePath: String
        public var reportPath: String
        /// `imported`, `reimported` or `unchanged`.
        public var importOutcome: String
        public var patients: Int
        public var samples: Int
        public var measurements: Int
        public var files: Int
    }

    /// Reads and validates the study folder.
    public static func validate(_ directory: URL, progress: any PipelineProgress = SilentProgress())
        throws(InputErrorList) -> LoadedStudy
    {
        progress.begin("validate", total: nil)
        let study = try StudyLoader.load(directory)
        if let sequencing = study.definition.sequencing {
            do {
                _ = try SmallRNAOperations.kit(for: sequencing.adapter)
            } catch let error as OperationError {
                throw InputErrorList([
                    InputError(
                        .invalidValue, at: sequencing.location,
                        "sequencing: " + error.message.replacingOccurrences(of: "--adapter ", with: "adapter "),
                        hint: "write 'adapter: auto' to detect it from the reads")
                ])
            } catch {
                throw InputErrorList([InputError(.invalidValue, at: sequencing.location, "sequencing: \(error)")])
            }
        }
        if let panel = study.definition.monitoring.panel {
            // A locked model is checked whole (format, version, SHA-256) before anything is imported.
            _ = try LockedModel(contentsOf: directory.appendingPathComponent(panel), displayPath: panel)
        }
        progress.finish("validate", outcome: validationSummary(study))
        return study
    }

    /// "3 files, 140 samples, 0 values, 1710 qPCR curves": what a study folder holds.
    public static func inputSummary(_ study: LoadedStudy) -> String {
        let curves = study.qpcrFiles.flatMap(\.document.reactions).reduce(0) { $0 + $1.data.count }
        let wells = study.dpcrFiles.reduce(0) { $0 + $1.wells.count }
        return "\(study.files.count) files, \(study.samples.count) samples, \(study.measurements.count) values"
            + (curves > 0 ? ", \(curves) qPCR curves" : "") + (wells > 0 ? ", \(wells) dPCR wells" : "")
    }

    /// The validate stage's outcome line.
    static func validationSummary(_ study: LoadedStudy) -> String { inputSummary(study) + ", no errors" }

    /// Imports a validated study in one transaction.
    ///
    /// Before committing, every input file is hashed again; a file that changed since validation aborts
    /// the import with `InputError.Kind.fileChanged`, leaving the store as it was.
    ///
    /// - Parameters:
    ///   - study: the validated study.
    ///   - store: where to import it.
    ///   - actor: who imports, for the audit log.
    ///   - progress: receives the import's progress.
    ///   - afterMeasurementRow: called after each measurement row is written (tests interrupt here).
    /// - Returns: whether anything was written, with counts.
    /// - Throws: `InputErrorList` (`fileChanged`) or the store's errors; nothing is written then.
    public static func importStudy(
        _ study: LoadedStudy, into store: any Store, actor: String, progress: any PipelineProgress = SilentProgress(),
        afterMeasurementRow: @escaping @Sendable (Int) throws -> Void = { _ in }
    ) async throws -> ImportOutcome {
        let metadata = StudyMetadata(study)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let definitionJSON = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        let files = study.files.map {
            StoredInputFile(path: $0.path, sha256: $0.sha256, byteCount: $0.byteCount, role: $0.role)
        }
        let qpcr = QPCRStage.measurements(study.qpcrFiles, samples: study.samples)
        if !study.qpcrFiles.isEmpty {
            progress.finish(
                "quantify",
                outcome: "LinRegPCR on \(qpcr.summary.curves) curves, \(qpcr.summary.amplified) amplified"
                    + (qpcr.summary.controlsAmplified.isEmpty
                        ? "" : "; NTC amplified: \(qpcr.summary.controlsAmplified.joined(separator: ", "))"))
        }
        // FASTQ files are counted unless the store holds this study with exactly these files (then the import is
        // unchanged and the counts stored are current).
        var sequencing: (measurements: [SampleMeasurement], result: SequencingStage.Result)?
        if !study.sequencedSamples.isEmpty {
            let stored = Set(try await store.inputFiles(study: study.definition.id).map { "\($0.path)\t\($0.sha256)" })
            if stored != Set(files.map { "\($0.path)\t\($0.sha256)" }) {
                sequencing = try SequencingStage.count(study, progress: progress)
                if let sequencing {
                    progress.finish("count reads", outcome: SequencingStage.outcome(sequencing.result))
                }
            }
        }
        // Every value of a sample whose EV preparation failed QC carries the preparation-qc flag into every result.
        let measured = preanalyticalQC(
            study.measurements + qpcr.measurements + DPCRStage.measurements(study.dpcrFiles)
                + (sequencing?.measurements ?? []), samples: study.samples)
        let measurements = EVQCStage.flagging(
            measured, failed: EVQCStage.assess(study, measurements: measured)?.failedSamples ?? [])
        let total = measurements.count
        progress.begin("import", total: total)
        let directory = study.directory
        let payload = ImportPayload(
            study: StudyRecord(
                id: study.definition.id, title: study.definition.title, description: study.definition.description,
                tumour: study.definition.tumour, definitionJSON: definitionJSON),
            samples: study.samples, measurements: measurements, files: files, curves: qpcr.curves, actor: actor,
            provenance: Provenance(
                step: "import", parameters: ["miRBase": MiRNACatalog.release],
                inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) })),
            verifyBeforeCommit: { try verifyUnchanged(files, in: directory) },
            afterMeasurementRow: { row in
                if row % 500 == 0 || row == total { progress.advance("import", done: row) }
                try afterMeasurementRow(row)
            })
        let outcome = try await store.importStudy(payload)
        if case .imported = outcome, let sequencing {
            _ = try await SequencingStage.save(
                sequencing.result, study: study.definition.id, adapter: study.definition.sequencing?.adapter ?? "auto",
                store: store, files: files, actor: actor)
        }
        switch outcome {
        case .unchanged(let count):
            progress.finish("import", outcome: "unchanged: all \(count) files already imported with the same SHA-256")
        case .imported(let summary):
            progress.finish(
                "import",
                outcome:
                    "\(summary.isNewStudy ? "imported" : "re-imported") \(summary.samples) samples and \(summary.measurements) values (changed: \(changedFilesText(summary.changedFiles)))"
            )
        }
        return outcome
    }

    /// "a.tsv, b.rdml", or "148 files" when more than five changed.
    static func changedFilesText(_ paths: [String]) -> String {
        paths.count > 5 ? "\(paths.count) files" : paths.joined(separator: ", ")
    }

    /// The pre-analytical QC stage: hemolysis flags on sensitive miRNAs of hemolysed blood samples and
    /// replicate-spread flags, added to the measurements before they are stored.
    static func preanalyticalQC(_ measurements: [SampleMeasurement], samples: [Sample]) -> [SampleMeasurement] {
        let hemolysis = HemolysisAssessment()
        let flagged = hemolysis.flagging(measurements, indices: hemolysis.indices(measurements, samples: samples))
        return ReplicateSpread().flagging(flagged)
    }

    /// Throws `fileChanged` for the first file whose SHA-256 differs from the validated one.
    static func verifyUnchanged(_ files: [StoredInputFile], in directory: URL) throws {
        for file in files {
            // A file of a shared data folder may be named by its absolute path (`dataFolders:`).
            let url =
                file.path.hasPrefix("/")
                ? URL(fileURLWithPath: file.path) : directory.appendingPathComponent(file.path)
            // Read in pieces: a study's FASTQ files may be gigabytes.
            guard (try? FileDigest.sha256Hex(contentsOf: url))?.sha256 == file.sha256 else {
                throw InputErrorList([
                    InputError(
                        .fileChanged, at: InputLocation(path: file.path),
                        "file \(InputError.quoted(file.path)) changed after it was validated; nothing was imported",
                        hint: "run the import again once the file is no longer being written")
                ])
            }
        }
    }

    /// Builds the HTML report of a stored study.
    public static func report(
        studyID: String, from store: any Store, stages: [(name: String, outcome: String)] = [],
        progress: any PipelineProgress = SilentProgress()
    ) async throws -> String {
        progress.begin("report", total: nil)
        guard let studyCounts = try await store.status().studies.first(where: { $0.id == studyID }) else {
            throw StoreError.notFound(table: "study", id: studyID)
        }
        let record = try await store.study(id: studyID)
        let metadata = try JSONDecoder().decode(StudyMetadata.self, from: Data(record.definitionJSON.utf8))
        let files = try await store.inputFiles(study: studyID)
        let samples = try await store.samples(study: studyID)
        let measurements = try await store.measurements(study: studyID)
        let assessment = HemolysisAssessment()
        let indices = assessment.indices(measurements, samples: samples).compactMap { index in
            index.index.map { (sample: index.sample, index: $0, isHemolysed: index.isHemolysed) }
        }
        let curves = try await store.curves(study: studyID)
        let qpcrTargets = qpcrTargets(curves)
        var input = StudyReportInput(
            studyID: studyID, title: metadata.title, description: metadata.description, tumour: metadata.tumour,
            samples: samples, measurements: measurements,
            monitored: metadata.monitored,
            files: files.map { .init(path: $0.path, role: $0.role, sha256: $0.sha256, byteCount: $0.byteCount) },
            nameResolutions: metadata.nameResolutions,
            stages: stages.map { .init(name: $0.name, outcome: $0.outcome) }
                + [
                    .init(
                        name: "store",
                        outcome:
                            "\(studyCounts.samples) samples, \(studyCounts.measurements) values; last import \(studyCounts.lastImport ?? "–")"
                    )
                ],
            hemolysis: .init(
                threshold: assessment.threshold, indices: indices, sensitiveMiRNAs: assessment.sensitiveMiRNAs.sorted()),
            provenance: Provenance(
                step: "report", parameters: ["miRBase": MiRNACatalog.release],
                inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) })),
            generatedAt: String(studyCounts.lastImport?.prefix(19) ?? ""))
        input.qpcr = qpcrTargets
        // The stored normalisation of these inputs; computed here, not stored, for a database that has none (stored
        // before normalisation was a stage) or whose files changed since.
        let storedNormalization = try await store.result(study: studyID, kind: NormalizationStage.kind)
        if let storedNormalization, storedNormalization.inputDigest == NormalizationStage.digest(files: files) {
            input.normalization = NormalizationStage.view(try NormalizationStage.decode(storedNormalization))
        } else {
            input.normalization = NormalizationStage.compute(
                metadata: metadata, measurements: measurements, amplificationFactors: amplificationFactors(curves),
                groups: sampleGroups(samples)
            ).map(NormalizationStage.view)
        }
        if let stored = try await store.result(study: studyID, kind: EVQCStage.kind) {
            input.evQC = try EVQCStage.view(stored)
        }
        if let stored = try await store.result(study: studyID, kind: CountNormalizationStage.kind) {
            var view = CountNormalizationStage.view(
                try CountNormalizationStage.decode(stored), groups: sampleGroups(samples))
            if let reads = try await store.result(study: studyID, kind: SequencingStage.kind) {
                SequencingStage.add(try SequencingStage.decode(reads), to: &view)
            }
            input.sequencing = view
        }
        if let stored = try await store.result(study: studyID, kind: MonitoringStage.kind) {
            input.monitoringCalls = try MonitoringStage.view(stored)
            input.monitoringCalls?.alerts = try await store.alerts(study: studyID).map { alert in
                StudyReportInput.MonitoringView.Alert(
                    id: alert.id ?? 0, patient: alert.patient, sample: alert.sample, kind: alert.kind.rawValue,
                    evidence: alert.evidence, raisedAt: alert.raisedAt,
                    status: alert.acknowledgedAt.map {
                        "acknowledged \($0) by \(alert.acknowledgedBy ?? "?"): \(alert.note ?? "")"
                    } ?? "open")
            }
        }
        if let stored = try await store.result(study: studyID, kind: BiomarkerStage.kind) {
            input.biomarkers = try BiomarkerStage.view(
                stored, scale: stored.provenance.parameters["values"] ?? "", tumour: metadata.tumour)
        }
        let html = StudyReport.page(input).render()
        progress.finish("report", outcome: "\(html.utf8.count / 1024) KiB")
        return html
    }

    /// Each sample's sample-sheet group, the groups NormFinder's stability accounts for.
    static func sampleGroups(_ samples: [Sample]) -> [SampleID: String] {
        Dictionary(samples.map { ($0.id, $0.group.rawValue) }, uniquingKeysWith: { first, _ in first })
    }

    /// The normalisation stage on a stored study: the study's normalisation of its Cq values, the data's
    /// recommendation and the stability of candidate references, stored with provenance unless an identical result
    /// is stored already; returns the stage's outcome line.
    public static func normalize(
        studyID: String, store: any Store, actor: String, progress: any PipelineProgress = SilentProgress()
    ) async throws -> String {
        progress.begin(NormalizationStage.kind, total: nil)
        let outcome = try await normalizationResult(studyID: studyID, store: store, actor: actor).outcome
        progress.finish(NormalizationStage.kind, outcome: outcome)
        return outcome
    }

    /// The count-normalisation stage on a stored study: TMM-normalised CPM of every sample with read counts, stored
    /// with provenance unless an identical result is stored already; returns the outcome line, or `nil` when the
    /// study has no read counts.
    public static func normalizeCounts(
        studyID: String, store: any Store, actor: String, progress: any PipelineProgress = SilentProgress()
    ) async throws -> String? {
        let measurements = try await store.measurements(study: studyID)
        guard measurements.contains(where: { $0.assay == .smallRNASeq }) else { return nil }
        progress.begin(CountNormalizationStage.kind, total: nil)
        let outcome = try await CountNormalizationStage.run(
            study: studyID, store: store, measurements: measurements, files: try await store.inputFiles(study: studyID),
            actor: actor)
        progress.finish(CountNormalizationStage.kind, outcome: outcome ?? "skipped: no read counts")
        return outcome
    }

    /// The stored normalisation of a study's current inputs, with the stage's outcome line.
    ///
    /// Computed and stored first when there is none; `nil` (and why) when the study has no Cq values.
    static func normalizationResult(studyID: String, store: any Store, actor: String) async throws -> (
        result: NormalizationStage.Result?, outcome: String
    ) {
        let files = try await store.inputFiles(study: studyID)
        if let stored = try await store.result(study: studyID, kind: NormalizationStage.kind),
            stored.inputDigest == NormalizationStage.digest(files: files)
        {
            let result = try NormalizationStage.decode(stored)
            return (result, "unchanged: " + NormalizationStage.outcome(result))
        }
        let record = try await store.study(id: studyID)
        let metadata = try JSONDecoder().decode(StudyMetadata.self, from: Data(record.definitionJSON.utf8))
        guard
            let result = NormalizationStage.compute(
                metadata: metadata, measurements: try await store.measurements(study: studyID),
                amplificationFactors: amplificationFactors(try await store.curves(study: studyID)),
                groups: sampleGroups(try await store.samples(study: studyID)))
        else { return (nil, "skipped: no Cq values") }
        let outcome = try await NormalizationStage.run(
            study: studyID, store: store, result: result, files: files, actor: actor)
        return (result, outcome)
    }

    /// Each analysed assay's amplification factor: the median over runs of LinRegPCR's mean PCR efficiency.
    static func amplificationFactors(_ curves: [StoredCurve]) -> [String: Double] {
        Dictionary(grouping: curves.filter(\.amplified), by: \.target).compactMapValues { curves in
            Descriptive.median(
                Dictionary(grouping: curves, by: { "\($0.sourcePath)\t\($0.run)" }).values.compactMap {
                    $0.compactMap(\.meanEfficiency).first
                })
        }.filter { $0.value > 1 }
    }

    /// The report's curve data per target: at most 48 curves each (samples first, then standards and controls),
    /// and the standard curve where the target has standards with known quantities.
    static func qpcrTargets(_ curves: [StoredCurve]) -> [StudyReportInput.QPCRTarget] {
        Dictionary(grouping: curves, by: \.target).sorted { $0.key < $1.key }.map { target, curves in
            let role = { (curve: StoredCurve) -> AmplificationPlot.Curve.Role in
                curve.sampleType == "std"
                    ? .standard : (["ntc", "nac", "nrt", "ntp"].contains(curve.sampleType) ? .control : .sample)
            }
            // At most 36 sample curves and 12 others are drawn, flagged ones first so that none is hidden; the
            // caption says how many of how many.
            let isFlagged = { (curve: StoredCurve) in !curve.flags.filter { $0 != "no plateau" }.isEmpty }
            let drawn = { (members: [StoredCurve], limit: Int) in
                let flagged = members.filter(isFlagged)
                return flagged + members.filter { !isFlagged($0) }.prefix(max(0, limit - flagged.count))
            }
            let samples = drawn(curves.filter { role($0) == .sample }, 36)
            let others = drawn(curves.filter { role($0) != .sample }, 12)
            let standards = curves.filter { $0.sampleType == "std" && ($0.quantity ?? 0) > 0 }
            var standard: StudyReportInput.QPCRTarget.Standard?
            if let fit = StandardCurve(
                points: standards.map { StandardCurve.Point(quantity: $0.quantity ?? 0, cq: $0.cq) })
            {
                standard = .init(
                    points: standards.compactMap { curve in curve.cq.map { (log10(curve.quantity ?? 1), $0) } },
                    slope: fit.fit.slope, intercept: fit.fit.intercept, rSquared: fit.fit.rSquared,
                    efficiency: fit.efficiency,
                    efficiencyInterval: fit.efficiencyInterval, limitOfDetection: fit.limitOfDetection)
            }
            let first = curves.first
            return StudyReportInput.QPCRTarget(
                target: target,
                curves: (samples + others).map {
                    AmplificationPlot.Curve(fluorescence: $0.fluorescence, cq: $0.cq, role: role($0))
                },
                windowLower: first?.windowLower, windowUpper: first?.windowUpper, threshold: first?.threshold,
                meanEfficiency: curves.compactMap(\.meanEfficiency).first, amplified: curves.filter(\.amplified).count,
                flagged: curves.filter(isFlagged).count, standard: standard, total: curves.count)
        }
    }

    /// The biomarker stage on a stored study; returns the stage's outcome line.
    ///
    /// The normalised values of the case–control arm are analysed and stored with provenance unless an identical
    /// result is stored already.
    public static func analyzeBiomarkers(
        studyID: String, store: any Store, actor: String, progress: any PipelineProgress = SilentProgress()
    ) async throws -> String {
        progress.begin(BiomarkerStage.kind, total: nil)
        _ = try await store.study(id: studyID)
        // Patients whose chosen sample's EV preparation failed QC are left out of discovery (their values carry
        // preparation-qc); another sample of theirs never takes its place.
        let gate = try BiomarkerStage.PreparationGate(
            stored: try await store.result(study: studyID, kind: EVQCStage.kind))
        let samples = try await store.samples(study: studyID)
        let normalization = try await normalizationResult(studyID: studyID, store: store, actor: actor).result
        // Normalised Cq values when the study has them, else read counts (limma-voom).
        var counts: CountNormalizationStage.Counts?
        if normalization?.deltaCq.isEmpty ?? true {
            counts = CountNormalizationStage.Counts(try await store.measurements(study: studyID))
        }
        let input: BiomarkerStage.Input
        let prepared =
            counts.map { BiomarkerStage.countInput(samples: samples, counts: $0, gate: gate) }
            ?? BiomarkerStage.input(samples: samples, normalization: normalization, gate: gate)
        switch prepared {
        case .success(let prepared): input = prepared
        case .failure(let skipped):
            progress.finish(BiomarkerStage.kind, outcome: skipped.reason)
            return skipped.reason
        }
        let outcome = try await BiomarkerStage.run(
            study: studyID, store: store, input: input, files: try await store.inputFiles(study: studyID), actor: actor)
        progress.finish(BiomarkerStage.kind, outcome: outcome)
        return outcome
    }

    /// The monitoring stage on a stored study: response calls for every patient with serial samples, stored with
    /// provenance; returns the stage's outcome line.
    public static func analyzeMonitoring(
        studyID: String, store: any Store, actor: String, progress: any PipelineProgress = SilentProgress()
    ) async throws -> String {
        progress.begin(MonitoringStage.kind, total: nil)
        let record = try await store.study(id: studyID)
        let metadata = try JSONDecoder().decode(StudyMetadata.self, from: Data(record.definitionJSON.utf8))
        let measurements = try await store.measurements(study: studyID)
        let normalization = try await normalizationResult(studyID: studyID, store: store, actor: actor).result
        let outcome: String
        let counts = try await store.result(study: studyID, kind: CountNormalizationStage.kind).map {
            try CountNormalizationStage.decode($0)
        }
        switch MonitoringStage.analyze(
            samples: try await store.samples(study: studyID), measurements: measurements,
            normalization: normalization, metadata: metadata, counts: counts)
        {
        case .failure(let skipped): outcome = skipped.reason
        case .success(let result):
            outcome = try await MonitoringStage.run(
                study: studyID, store: store, result: result, files: try await store.inputFiles(study: studyID),
                actor: actor)
        }
        progress.finish(MonitoringStage.kind, outcome: outcome)
        return outcome
    }

    /// Raises the alerts the stored monitoring result calls for (progression, QC failure on a monitored patient);
    /// returns the outcome line, or `nil` without a monitoring result.
    public static func raiseAlerts(
        studyID: String, store: any Store, actor: String, progress: any PipelineProgress = SilentProgress()
    ) async throws -> String? {
        guard let stored = try await store.result(study: studyID, kind: MonitoringStage.kind) else { return nil }
        progress.begin("alerts", total: nil)
        let outcome = try await AlertStage.run(study: studyID, monitoring: stored, store: store, actor: actor)
        progress.finish("alerts", outcome: outcome)
        return outcome
    }

    /// The EV preparation QC stage on an imported study; returns the stage's outcome line, or `nil` when the study
    /// has no `qc:` section.
    public static func assessPreparations(
        _ study: LoadedStudy, store: any Store, actor: String, progress: any PipelineProgress = SilentProgress()
    ) async throws -> String? {
        guard study.qc != nil else { return nil }
        progress.begin(EVQCStage.kind, total: nil)
        let measurements = try await store.measurements(study: study.definition.id)
        guard let result = EVQCStage.assess(study, measurements: measurements) else { return nil }
        let outcome = try await EVQCStage.run(
            study: study.definition.id, store: store, result: result,
            files: try await store.inputFiles(study: study.definition.id), actor: actor)
        progress.finish(EVQCStage.kind, outcome: outcome)
        return outcome
    }

    /// Each sample's stored EV-QC verdict (passed or not) for a study folder, checked against the folder's files;
    /// `nil` verdicts when the study has no `qc:` section.
    ///
    /// - Throws: `InputErrorList` when the study does not validate, when it has `qc:` but no stored verdicts, or
    ///   when its files changed since the verdicts were stored (a stale verdict is never used).
    public static func preparationQC(study directory: URL, store: any Store) async throws -> (
        studyID: String, verdicts: [String: Bool]?
    ) {
        let study = try validate(directory)
        let id = study.definition.id
        guard study.qc != nil else { return (id, nil) }
        let location = InputLocation(path: StudyFile.fileName)
        guard let stored = try await store.result(study: id, kind: EVQCStage.kind) else {
            throw InputErrorList([
                InputError(
                    .missingEntry, at: location, "study \(InputError.quoted(id)) has no stored EV-QC verdicts",
                    hint: "run 'exoscope run \(directory.lastPathComponent)' first (with the same --database)")
            ])
        }
        let current = study.files.map {
            StoredInputFile(path: $0.path, sha256: $0.sha256, byteCount: $0.byteCount, role: $0.role)
        }
        guard stored.inputDigest == EVQCStage.digest(files: current) else {
            throw InputErrorList([
                InputError(
                    .fileChanged, at: location,
                    "the files of study \(InputError.quoted(id)) changed since its EV-QC verdicts were stored",
                    hint: "run 'exoscope run \(directory.lastPathComponent)' again")
            ])
        }
        let result = try EVQCStage.decode(stored)
        return (id, Dictionary(result.assessments.map { ($0.key, $0.passed) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Validates, imports and reports a study; writes the report to `reportURL`.
    public static func run(
        studyDirectory: URL, store: any Store, databasePath: String, reportURL: URL, actor: String,
        progress: any PipelineProgress = SilentProgress()
    ) async throws -> RunSummary {
        let study = try validate(studyDirectory, progress: progress)
        let outcome = try await importStudy(study, into: store, actor: actor, progress: progress)
        let importText: String
        switch outcome {
        case .unchanged: importText = "unchanged"
        case .imported(let summary): importText = summary.isNewStudy ? "imported" : "reimported"
        }
        let preparations = try await assessPreparations(study, store: store, actor: actor, progress: progress)
        _ = try await normalize(studyID: study.definition.id, store: store, actor: actor, progress: progress)
        let counts = try await normalizeCounts(
            studyID: study.definition.id, store: store, actor: actor, progress: progress)
        let biomarkers = try await analyzeBiomarkers(
            studyID: study.definition.id, store: store, actor: actor, progress: progress)
        let monitoring = try await analyzeMonitoring(
            studyID: study.definition.id, store: store, actor: actor, progress: progress)
        let alerts = try await raiseAlerts(studyID: study.definition.id, store: store, actor: actor, progress: progress)
        let html = try await report(
            studyID: study.definition.id, from: store,
            stages: [("validate", validationSummary(study)), ("import", importText)]
                + (preparations.map { [(EVQCStage.kind, $0)] } ?? [])
                + (counts.map { [(CountNormalizationStage.kind, $0)] } ?? [])
                + [(BiomarkerStage.kind, biomarkers), (MonitoringStage.kind, monitoring)]
                + (alerts.map { [("alerts", $0)] } ?? []),
            progress: progress)
        try writeAtomically(html, to: reportURL)
        let stored = try await store.status().studies.first { $0.id == study.definition.id }
        return RunSummary(
            studyID: study.definition.id, databasePath: databasePath, reportPath: reportURL.path,
            importOutcome: importText,
            patients: study.patients.count, samples: study.samples.count, measurements: stored?.measurements ?? 0,
            files: study.files.count)
    }

    /// Writes text through a temporary file and a rename, so a reader never sees half a report.
    ///
    /// An existing path that is not a regular file — `/dev/stdout`, `/dev/null`, a named pipe, a symbolic link — is
    /// written to directly (through the link): a rename would replace the device or the link itself (as root,
    /// `-o /dev/null` left a regular file in place of the device).
    public static func writeAtomically(_ text: String, to url: URL) throws {
        let type = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
        if let type, type != .typeRegular, type != .typeDirectory {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
            return
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
