public import ExoCore
import Yams

/// Reads `study.yaml` into a ``StudyDefinition``, reporting every problem with its line and column.
public enum StudyFile {
    /// The file name inside a study folder.
    public static let fileName = "study.yaml"
    /// Keys allowed at the top level.
    public static let topLevelKeys = [
        "schema", "id", "title", "description", "tumour", "specimen", "sampleSheet", "measurements", "analytes",
        "extraColumns", "treatmentEvent", "normalization", "globalMeanMaximumCq", "qc", "monitoring", "runs",
        "sampleMap", "targetMap",
        "dataFolders", "sequencing",
    ]
    /// Keys allowed in each `measurements` entry.
    public static let measurementKeys = [
        "file", "assay", "unit", "description", "partitionVolumeNanoliters", "dilution", "sheet", "decimal",
        "sampleInformation",
    ]
    /// Keys allowed under `analytes`.
    public static let analyteKeys = ["monitored", "spikeIns", "references"]

    /// Parses the file; returns the definition when there were no errors.
    public static func parse(_ file: TextFile) -> (definition: StudyDefinition?, errors: [InputError]) {
        let (definition, errors) = parseKeepingWhatIsValid(file)
        return (errors.isEmpty ? definition : nil, errors)
    }

    /// Parses the file and returns, beside every error, the definition made of what is valid (entries with
    /// errors left out), so that `validate` can also check the sample sheet and the data files of a study whose
    /// study.yaml has problems; `nil` only when the file is not a YAML mapping.
    public static func parseKeepingWhatIsValid(_ file: TextFile) -> (
        definition: StudyDefinition?, errors: [InputError]
    ) {
        let path = file.displayPath
        let root: Node?
        if let alias = YAMLAliasKeys.first(in: file.text) {
            return (nil, [YAMLAliasKeys.error(name: alias.name, line: alias.line, column: alias.column, path: path)])
        }
        do {
            root = try Yams.compose(yaml: file.text)
        } catch let error as YamlError {
            return (nil, [malformed(error, path: path, lines: file.lines)])
        } catch {
            return (nil, [InputError(.malformedYAML, at: InputLocation(path: path), "cannot read YAML: \(error)")])
        }
        guard let root, case .mapping(let mapping) = root else {
            let found = root.map(YAMLMapping.describe) ?? "an empty file"
            return (
                nil,
                [
                    InputError(
                        .wrongType,
                        at: InputLocation(path: path, line: root == nil ? 0 : 1, column: root == nil ? nil : 1),
                        "expected a mapping of study keys, found \(found)",
                        hint: "start with 'id: MY-STUDY' and 'title: …'; see docs/study-format.md")
                ]
            )
        }
        var top = YAMLMapping(mapping, path: path, lines: file.lines, validKeys: topLevelKeys)
        let schema = top.int("schema", required: true)
        if let schema, schema != StudyDefinition.currentSchema, let node = top.value("schema") {
            top.errors.append(
                InputError(
                    .invalidValue, at: top.location(of: node),
                    "expected schema \(StudyDefinition.currentSchema), found \(schema)",
                    hint: "this ExoScope reads study format version \(StudyDefinition.currentSchema)"))
        }
        let id = top.string("id", required: true)
        if let id, !IdentifierRule.isValid(id), let node = top.value("id") {
            top.errors.append(
                InputError(
                    .invalidIdentifier, at: top.location(of: node), "invalid study id \(InputError.quoted(id))",
                    hint: "use \(IdentifierRule.rule)"))
        }
        let title = top.string("title", required: true)
        let description = top.string("description")
        let tumour = top.string("tumour")
        let specimen = top.vocabulary("specimen", Specimen.self)
        let sampleSheet = top.string("sampleSheet") ?? "samples.tsv"
        let sampleSheetLocation =
            top.value("sampleSheet").map { top.location(of: $0) } ?? InputLocation(path: path, line: 1, column: 1)
        let treatmentEvent = top.string("treatmentEvent") ?? "treatment start"
        let normalization = top.vocabulary("normalization", NormalizationChoice.self)
        let globalMeanMaximumCq = globalMeanCutOff(in: &top)
        let extraColumns = top.sequence("extraColumns").compactMap { node -> String? in
            guard let text = node.string else {
                top.errors.append(
                    InputError(
                        .wrongType, at: top.location(of: node),
                        "expected a column name, found \(YAMLMapping.describe(node))"))
                return nil
            }
            return text
        }
        var measurements: [MeasurementFileSpec] = []
        for item in top.sequence("measurements") {
            guard case .mapping(let itemMapping) = item else {
                top.errors.append(
                    InputError(
                        .wrongType, at: top.location(of: item),
                        "expected a mapping with 'file' and 'assay', found \(YAMLMapping.describe(item))"))
                continue
            }
            var entry = YAMLMapping(itemMapping, path: path, lines: file.lines, validKeys: measurementKeys)
            let filePath = entry.string("file", required: true)
            let assay = entry.vocabulary("assay", Assay.self)
            if entry.value("assay") == nil {
                entry.errors.append(
                    InputError(
                        .missingKey, at: entry.selfLocation, "missing required key 'assay'",
                        hint: "one of \(Assay.spellings.joined(separator: ", "))"))
            }
            let unit = entry.vocabulary("unit", MeasurementUnit.self, kind: .unknownUnit)
            let description = entry.string("description")
            let partitionVolume = Self.partitionVolume(in: &entry)
            let dilution = Self.dilutionVolumes(in: &entry)
            if let assay, let unit, !assay.admissibleUnits.contains(unit), let node = entry.value("unit") {
                entry.errors.append(
                    InputError(
                        .unknownUnit, at: entry.location(of: node),
                        "unit '\(unit.rawValue)' is not a unit of \(assay.rawValue)",
                        hint:
                            "\(assay.rawValue) reports \(assay.admissibleUnits.map(\.rawValue).sorted().joined(separator: ", "))"
                    ))
            }
            let sheet = entry.string("sheet")
            let sampleInformation = entry.string("sampleInformation")
            var decimalComma = false
            if let decimal = entry.string("decimal"), let node = entry.value("decimal") {
                switch decimal.lowercased() {
                case "comma": decimalComma = true
                case "point": decimalComma = false
                default:
                    entry.errors.append(
                        InputError(
                            .invalidValue, at: entry.location(of: node),
                            "expected 'comma' or 'point' for 'decimal', found \(InputError.quoted(decimal))"))
                }
            }
            let entryIsValid = entry.errors.isEmpty
            top.errors += entry.errors
            if let filePath, let assay, entryIsValid {
                var spec = MeasurementFileSpec(
                    path: filePath, assay: assay, unit: unit, description: description,
                    partitionVolumeNanoliters: partitionVolume, dilution: dilution,
                    location: entry.value("file").map { entry.location(of: $0) } ?? entry.selfLocation)
                spec.sheet = sheet
                spec.decimalComma = decimalComma
                spec.sampleInformation = sampleInformation
                measurements.append(spec)
            }
        }
        var monitored: [Analyte] = []
        var spikeIns: [Analyte] = []
        var references: [Analyte] = []
        var notes: [ResolvedMiRNA] = []
        if var analytes = top.mapping("analytes", validKeys: analyteKeys) {
            monitored = analyteList("monitored", in: &analytes, notes: &notes)
            spikeIns = analyteList("spikeIns", in: &analytes, notes: &notes)
            references = analyteList("references", in: &analytes, notes: &notes)
            top.errors += analytes.errors
        }
        let qc = qcFiles(in: &top)
        let monitoring = monitoringSettings(in: &top)
        let runs = runsFolder(in: &top)
        let instrumentNames = InstrumentNames.parse(in: &top)
        var dataFolders: [String] = []
        for node in top.sequence("dataFolders") {
            guard let folder = node.string, !folder.isEmpty else {
                top.errors.append(
                    InputError(
                        .wrongType, at: top.location(of: node),
                        "expected a folder path in 'dataFolders', found \(YAMLMapping.describe(node))"))
                continue
            }
            dataFolders.append(folder)
        }
        let sequencing = sequencingReads(in: &top)
        var definition =
            StudyDefinition(
                schema: schema ?? StudyDefinition.currentSchema, id: id ?? "", title: title ?? "",
                description: description, tumour: tumour, specimen: specimen,
                sampleSheet: sampleSheet, sampleSheetLocation: sampleSheetLocation, measurements: measurements,
                monitored: monitored, spikeIns: spikeIns,
                references: references,
                normalization: normalization ?? (spikeIns.isEmpty ? .none : .spikeIn),
                globalMeanMaximumCq: globalMeanMaximumCq, extraColumns: extraColumns,
                treatmentEvent: treatmentEvent,
                nameResolutions: notes, qc: qc, monitoring: monitoring, runs: runs, instrumentNames: instrumentNames,
                dataFolders: dataFolders)
        definition.sequencing = sequencing
        return (definition, top.errors)
    }

    /// The `sequencing:` mapping (`reads:` sample id → a FASTQ path or a list of lanes; `adapter:`), or `nil`;
    /// errors are recorded.
    private static func sequencingReads(in top: inout YAMLMapping) -> SequencingReads? {
        guard let node = top.value("sequencing"),
            var sequencing = top.mapping("sequencing", validKeys: SequencingReads.keys)
        else { return nil }
        let adapter = sequencing.string("adapter") ?? "auto"
        var samples: [SequencingReads.Sample] = []
        if let reads = sequencing.value("reads") {
            if case .mapping(let mapping) = reads {
                for (name, value) in mapping {
                    let location = sequencing.location(of: value)
                    guard let sample = name.string else {
                        sequencing.errors.append(
                            InputError(.wrongType, at: sequencing.location(of: name), "expected a sample id as the key")
                        )
                        continue
                    }
                    var files: [String] = []
                    switch value {
                    case .scalar(let scalar) where !scalar.string.isEmpty: files = [scalar.string]
                    case .sequence(let list):
                        files = list.compactMap { item in
                            guard let text = item.string, !text.isEmpty else {
                                sequencing.errors.append(
                                    InputError(
                                        .wrongType, at: sequencing.location(of: item),
                                        "expected a FASTQ path, found \(YAMLMapping.describe(item))"))
                                return nil
                            }
                            return text
                        }
                    default: break
                    }
                    guard !files.isEmpty else {
                        sequencing.errors.append(
                            InputError(
                                .wrongType, at: location,
                                "expected a FASTQ path or a list of them (the lanes of one library) for sample \(InputError.quoted(sample)), found \(YAMLMapping.describe(value))",
                                hint: "write '\(sample): reads/\(sample).fastq.gz'"))
                        continue
                    }
                    samples.append(SequencingReads.Sample(sample: sample, files: files, location: location))
                }
            } else {
                sequencing.errors.append(
                    InputError(
                        .wrongType, at: sequencing.location(of: reads),
                        "expected a mapping of sample id to FASTQ files for 'reads', found \(YAMLMapping.describe(reads))",
                        hint: "reads:\n    S01: reads/S01.fastq.gz"))
            }
        } else {
            sequencing.errors.append(
                InputError(
                    .missingKey, at: top.location(of: node), "missing required key 'reads' under 'sequencing'",
                    hint: "name each sequenced sample's FASTQ files: 'reads: {S01: reads/S01.fastq.gz}'"))
        }
        top.errors += sequencing.errors
        return SequencingReads(samples: samples, adapter: adapter, location: top.location(of: node))
    }

    /// The `partitionVolumeNanoliters` of a mapping, when given; errors are recorded.
    private static func partitionVolume(in entry: inout YAMLMapping) -> Double? {
        var partitionVolume: Double?
        if let text = entry.string("partitionVolumeNanoliters"), let node = entry.value("partitionVolumeNanoliters") {
            if let volume = Double(text), volume > 0, volume.isFinite {
                partitionVolume = volume
            } else {
                entry.errors.append(
                    InputError(
                        .invalidNumber, at: entry.location(of: node),
                        "expected a positive partition volume in nL for 'partitionVolumeNanoliters', found \(InputError.quoted(text))",
                        hint: "QX200 droplets: 0.85 (QuantaSoft 1.7) or 0.91 (older QuantaSoft)"))
            }
        }
        return partitionVolume
    }

    /// The `dilution` volumes of a mapping, when given; errors are recorded.
    private static func dilutionVolumes(in entry: inout YAMLMapping) -> DilutionVolumes? {
        var dilution: DilutionVolumes?
        if var volumes = entry.mapping("dilution", validKeys: DilutionVolumes.keys) {
            var values: [Double] = []
            for key in DilutionVolumes.keys {
                guard let text = volumes.string(key, required: true), let node = volumes.value(key) else {
                    continue
                }
                if let value = Double(text), value > 0, value.isFinite {
                    values.append(value)
                } else {
                    volumes.errors.append(
                        InputError(
                            .invalidNumber, at: volumes.location(of: node),
                            "expected a positive volume in µL for '\(key)', found \(InputError.quoted(text))"))
                }
            }
            entry.errors += volumes.errors
            if values.count == 4 {
                dilution = DilutionVolumes(
                    elutionVolumeMicroliters: values[0], rtInputMicroliters: values[1],
                    rtVolumeMicroliters: values[2],
                    pcrInputMicroliters: values[3])
            }
        }
        return dilution
    }

    /// The `runs:` mapping: the folder of finished chip runs, with the volumes that apply to every run.
    private static func runsFolder(in top: inout YAMLMapping) -> RunsFolder? {
        guard let node = top.value("runs"), var runs = top.mapping("runs", validKeys: RunsFolder.keys) else {
            return nil
        }
        let folder = runs.string("folder") ?? "runs"
        let volume = partitionVolume(in: &runs)
        let dilution = dilutionVolumes(in: &runs)
        top.errors += runs.errors
        return RunsFolder(
            folder: folder, partitionVolumeNanoliters: volume, dilution: dilution, location: top.location(of: node))
    }

    /// The `globalMeanMaximumCq` of study.yaml, or the default 35; errors are recorded.
    private static func globalMeanCutOff(in top: inout YAMLMapping) -> Double {
        guard let cutOff = top.number("globalMeanMaximumCq"), let node = top.value("globalMeanMaximumCq") else {
            return NormalizationChoice.defaultGlobalMeanMaximumCq
        }
        guard cutOff > 0 else {
            top.errors.append(
                InputError(
                    .invalidValue, at: top.location(of: node),
                    "the global mean's Cq cut-off must be > 0 cycles, found \(InputError.quoted(String(cutOff)))",
                    hint: "the largest Cq counted as reliably detected, such as 35"))
            return NormalizationChoice.defaultGlobalMeanMaximumCq
        }
        return cutOff
    }

    /// The `monitoring:` mapping, or the defaults; errors are recorded.
    private static func monitoringSettings(in top: inout YAMLMapping) -> MonitoringSettings {
        var settings = MonitoringSettings()
        guard var mapping = top.mapping("monitoring", validKeys: MonitoringSettings.keys) else { return settings }
        if let sd = mapping.number("withinSubjectSD"), let node = mapping.value("withinSubjectSD") {
            if sd >= 0 {
                settings.withinSubjectSD = sd
            } else {
                mapping.errors.append(
                    InputError(
                        .invalidValue, at: mapping.location(of: node),
                        "within-subject variation must be ≥ 0 cycles, found \(InputError.quoted(String(sd)))",
                        hint: "the SD of a stable patient's values between visits, such as 0.25"))
            }
        }
        if let probability = mapping.number("probability"), let node = mapping.value("probability") {
            if probability > 0.5, probability < 1 {
                settings.probability = probability
            } else {
                mapping.errors.append(
                    InputError(
                        .invalidValue, at: mapping.location(of: node),
                        "the probability must lie between 0.5 and 1, found \(InputError.quoted(String(probability)))",
                        hint: "0.95 is usual"))
            }
        }
        settings.oneSided = mapping.flag("oneSided") ?? false
        settings.panel = mapping.string("panel")
        if let window = mapping.int("trendWindow"), let node = mapping.value("trendWindow") {
            if window >= 3 {
                settings.trendWindow = window
            } else {
                mapping.errors.append(
                    InputError(
                        .invalidValue, at: mapping.location(of: node),
                        "a trend needs at least 3 values, found trendWindow \(window)"))
            }
        }
        if let node = mapping.value("direction") {
            if case .mapping(let items) = node {
                for (key, value) in items {
                    guard let name = key.string, let text = value.string?.lowercased(),
                        ["higher-is-better", "lower-is-better"].contains(text)
                    else {
                        mapping.errors.append(
                            InputError(
                                .invalidValue, at: mapping.location(of: value),
                                "expected higher-is-better or lower-is-better, found \(YAMLMapping.describe(value))"))
                        continue
                    }
                    switch Analyte.resolve(name) {
                    case .success(let resolved):
                        settings.higherIsBetter[resolved.analyte.name] = text == "higher-is-better"
                    case .failure(let failure):
                        mapping.errors.append(
                            InputError(failure.kind, at: mapping.location(of: key), failure.message, hint: failure.hint)
                        )
                    }
                }
            } else {
                mapping.errors.append(
                    InputError(
                        .wrongType, at: mapping.location(of: node),
                        "expected a mapping of analyte: higher-is-better or lower-is-better for 'direction'"))
            }
        }
        top.errors += mapping.errors
        return settings
    }

    /// The `qc:` mapping, or `nil` when the study has none (or it has errors, which are recorded).
    private static func qcFiles(in top: inout YAMLMapping) -> StudyQCFiles? {
        guard var qc = top.mapping("qc", validKeys: StudyQCFiles.keys) else { return nil }
        let sizeRange = qc.sizeRange("sizeRange") ?? 30...150
        let characterisation = qc.string("characterisation", required: true)
        var reporting: [String: Bool] = [:]
        if let node = qc.value("reporting") {
            if case .mapping(let items) = node {
                for (key, value) in items {
                    guard let name = key.string, let flag = value.string?.lowercased(),
                        ["true", "false", "yes", "no"].contains(flag)
                    else {
                        qc.errors.append(
                            InputError(
                                .wrongType, at: qc.location(of: value),
                                "expected 'item: yes' or 'item: no' under 'reporting', found \(YAMLMapping.describe(value))"
                            ))
                        continue
                    }
                    guard StudyQCFiles.reportingItems.contains(name) else {
                        qc.errors.append(
                            InputError(
                                .unknownKey, at: qc.location(of: key),
                                "unknown reporting item \(InputError.quoted(name))",
                                hint: EditDistance.didYouMean(name, in: StudyQCFiles.reportingItems)
                                    ?? "items: \(StudyQCFiles.reportingItems.joined(separator: ", "))"))
                        continue
                    }
                    reporting[name] = flag == "true" || flag == "yes"
                }
            } else {
                qc.errors.append(
                    InputError(
                        .wrongType, at: qc.location(of: node),
                        "expected a mapping of reporting items for 'reporting', found \(YAMLMapping.describe(node))"))
            }
        }
        var limits: [String: StudyQCFiles.Limit] = [:]
        if let node = qc.value("stabilityLimits") {
            if case .mapping(let items) = node {
                for (key, value) in items {
                    guard let name = key.string, case .mapping(let range) = value else {
                        qc.errors.append(
                            InputError(
                                .wrongType, at: qc.location(of: value),
                                "expected 'attribute: {min: …, max: …}' under 'stabilityLimits', found \(YAMLMapping.describe(value))"
                            ))
                        continue
                    }
                    var limit = YAMLMapping(range, path: qc.path, lines: qc.lines, validKeys: ["min", "max"])
                    let minimum = limit.number("min")
                    let maximum = limit.number("max")
                    if let minimum, let maximum, minimum > maximum {
                        limit.errors.append(
                            InputError(
                                .contradictoryRange, at: qc.location(of: value),
                                "contradictory range for '\(name)': min \(ReleaseSpecification.Criterion.format(minimum)) is above max \(ReleaseSpecification.Criterion.format(maximum))",
                                hint: "no value can pass; swap min and max or correct one of them"))
                    } else if minimum == nil, maximum == nil, limit.errors.isEmpty {
                        limit.errors.append(
                            InputError(.missingKey, at: qc.location(of: value), "a limit needs 'min', 'max' or both"))
                    }
                    qc.errors += limit.errors
                    limits[name] = StudyQCFiles.Limit(minimum: minimum, maximum: maximum)
                }
            } else {
                qc.errors.append(
                    InputError(
                        .wrongType, at: qc.location(of: node),
                        "expected a mapping of attribute limits for 'stabilityLimits', found \(YAMLMapping.describe(node))"
                    ))
            }
        }
        var files = StudyQCFiles(
            sizeRange: sizeRange, characterisation: characterisation ?? "", markers: qc.string("markers"),
            specification: qc.string("specification"), referenceRuns: qc.string("referenceRuns"),
            stability: qc.string("stability"), reporting: reporting, stabilityLimits: limits, location: qc.selfLocation)
        files.requireCharacterisation = qc.flag("requireCharacterisation") ?? false
        top.errors += qc.errors
        return qc.errors.isEmpty && characterisation != nil ? files : nil
    }

    /// Resolves each name of a list of analytes, recording failures at the name's position.
    private static func analyteList(_ key: String, in mapping: inout YAMLMapping, notes: inout [ResolvedMiRNA])
        -> [Analyte]
    {
        mapping.sequence(key).compactMap { node in
            guard let text = node.string else {
                mapping.errors.append(
                    InputError(
                        .wrongType, at: mapping.location(of: node),
                        "expected an analyte name, found \(YAMLMapping.describe(node))"))
                return nil
            }
            switch Analyte.resolve(text) {
            case .success(let resolved):
                if let note = resolved.resolution, note.rule != .current || !note.corrections.isEmpty {
                    notes.append(note)
                }
                return resolved.analyte
            case .failure(let failure):
                mapping.errors.append(
                    InputError(failure.kind, at: mapping.location(of: node), failure.message, hint: failure.hint))
                return nil
            }
        }
    }

    /// A YAML syntax error as an `InputError` at libyaml's position.
    private static func malformed(_ error: YamlError, path: String, lines: [Substring]) -> InputError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            let tabLine = lines.indices.first { lines[$0].prefix { $0 == " " || $0 == "\t" }.contains("\t") }
            return InputError(
                .malformedYAML,
                at: YAMLMapping.location(path: path, lines: lines, line: mark.line, scalarColumn: mark.column),
                "invalid YAML: \(problem)\(detail)",
                hint: tabLine.map { "line \($0 + 1) is indented with a tab; YAML indents with spaces only" }
                    ?? "check the indentation and that every 'key: value' has a space after the colon")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(
                .malformedYAML,
                at: YAMLMapping.location(
                    path: path, lines: lines, line: context.mark.line, scalarColumn: context.mark.column),
                "key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) appears more than once in a mapping")
        default:
            return InputError(.malformedYAML, at: InputLocation(path: path), "invalid YAML: \(error)")
        }
    }
}
