import ExoCore
import Foundation

extension StudyLoader {
    /// Whether a `small-RNA-seq` measurement file is a count matrix (features in rows, one column per sample, as
    /// `smallrna count` writes it and GEO series ship it) rather than a long-form table: its header names no
    /// `sample_id` column.
    static func holdsCountMatrix(_ file: TextFile, spec: MeasurementFileSpec) -> Bool {
        guard spec.assay == .smallRNASeq else { return false }
        let index = CountMatrix.headerLineIndex(file)
        guard index < file.lines.count else { return false }
        let header = file.lines[index].lowercased()
        return !header.split(whereSeparator: { $0 == "\t" || $0 == "," || $0 == ";" }).contains {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""]) == "sample_id"
        }
    }

    /// The measurements of a count matrix: one value per feature and sample, zeros included (a zero count is a
    /// measurement, and count normalisation needs it).
    ///
    /// Sample columns go through `sampleMap` (`name: ~` leaves a column out) and must then be sample-sheet ids;
    /// features go through `targetMap` and are resolved like the `analyte` column. Two features that resolve to
    /// the same analyte are an error rather than silently summed.
    static func loadCountMatrix(
        _ file: TextFile, spec: MeasurementFileSpec, names: InstrumentNames, catalog: MiRNACatalog,
        samples: Set<SampleID>
    ) -> (measurements: [SampleMeasurement], notes: [ResolvedMiRNA], errors: [InputError]) {
        let matrix: CountMatrix
        do {
            matrix = try CountMatrix(file)
        } catch {
            return ([], [], error.errors)
        }
        var errors: [InputError] = []
        var notes: [ResolvedMiRNA] = []
        let unit = spec.unit ?? .counts
        // Column index → sample id, for the columns the study uses.
        var columns: [(index: Int, sample: SampleID)] = []
        for (index, written) in matrix.samples.enumerated() {
            guard let mapped = names.sample(written) else { continue }
            let location = InputLocation(
                path: matrix.path, line: matrix.headerLine, column: matrix.sampleColumns[index])
            guard let id = SampleID(mapped), samples.contains(id) else {
                errors.append(
                    InputError(
                        .unknownSample, at: location,
                        "sample column \(InputError.quoted(written)) is not a sample_id of the sample sheet",
                        hint:
                            "add it to the sample sheet, or map it in study.yaml: 'sampleMap: {\(written): <sample_id>}' (or '\(written): ~' to leave the column out)"
                    ))
                continue
            }
            columns.append((index, id))
        }
        var measurements: [SampleMeasurement] = []
        measurements.reserveCapacity(matrix.features.count * columns.count)
        var firstLine: [String: Int] = [:]
        for (row, written) in matrix.features.enumerated() {
            let line = matrix.lines[row]
            let target = names.target(written)
            let analyte: Analyte
            if let multiName = Self.multiName(target.analyte, catalog: catalog) {
                analyte = multiName
            } else if let fallback = names.fallback(written),
                case .failure = Analyte.resolve(target.analyte, kind: target.kind, catalog: catalog)
            {
                analyte = fallback
            } else {
                switch Analyte.resolve(target.analyte, kind: target.kind, catalog: catalog) {
                case .success(let resolved):
                    analyte = resolved.analyte
                    if let note = resolved.resolution, note.rule != .current || !note.corrections.isEmpty {
                        notes.append(note)
                    }
                case .failure(let failure):
                    errors.append(
                        InputError(
                            failure.kind, at: InputLocation(path: matrix.path, line: line, column: 1), failure.message,
                            hint: failure.hint
                                ?? "map it in study.yaml's targetMap, or keep non-miRNA rows with 'targetMap: {\"*\": {type: other}}'"
                        ))
                    continue
                }
            }
            if let earlier = firstLine[analyte.name] {
                errors.append(
                    InputError(
                        .duplicateMeasurement, at: InputLocation(path: matrix.path, line: line, column: 1),
                        "feature \(InputError.quoted(written)) is \(analyte.name), already counted on line \(earlier)",
                        hint: "sum the two rows into one, or map one of them elsewhere with targetMap"))
                continue
            }
            firstLine[analyte.name] = line
            for column in columns {
                measurements.append(
                    SampleMeasurement(
                        sample: column.sample, analyte: analyte, assay: .smallRNASeq,
                        value: matrix.counts[row][column.index], unit: unit,
                        source: InputLocation(
                            path: matrix.path, line: line, column: matrix.sampleColumns[column.index])))
            }
        }
        return (measurements, notes, errors)
    }

    /// A multi-name as `smallrna count` writes one for reads that fit several miRNAs equally
    /// (`hsa-let-7a-5p/hsa-let-7c-5p`): one miRNA analyte named by its parts, each resolved to miRBase 22; `nil` for
    /// any other name.
    static func multiName(_ written: String, catalog: MiRNACatalog) -> Analyte? {
        let parts = written.split(separator: "/").map(String.init)
        guard parts.count >= 2 else { return nil }
        var names: [String] = []
        for part in parts {
            guard case .success(let resolved) = Analyte.resolve(part, kind: .miRNA, catalog: catalog) else {
                return nil
            }
            names.append(resolved.analyte.name)
        }
        return Analyte(name: names.joined(separator: "/"), kind: .miRNA)
    }

    /// The FASTQ files of `sequencing:`, each inside the study folder or a data folder, existing and hashed (read
    /// in pieces, never whole).
    ///
    /// A sample must be in the sheet, a file may belong to one sample only, and a sample with FASTQ files may not also
    /// have read counts in a count matrix (its reads would be counted twice).
    static func sequencedSamples(
        _ sequencing: SequencingReads?, paths: StudyPaths, samples: Set<SampleID>, measurements: [SampleMeasurement]
    ) -> (samples: [LoadedStudy.SequencedSample], files: [LoadedStudy.InputFile], errors: [InputError]) {
        guard let sequencing else { return ([], [], []) }
        var result: [LoadedStudy.SequencedSample] = []
        var files: [LoadedStudy.InputFile] = []
        var errors: [InputError] = []
        var owners: [String: String] = [:]
        let counted = Set(measurements.filter { $0.assay == .smallRNASeq }.map(\.sample))
        for entry in sequencing.samples.sorted(by: { $0.sample < $1.sample }) {
            guard let id = SampleID(entry.sample), samples.contains(id) else {
                if !samples.isEmpty {
                    errors.append(
                        InputError(
                            .unknownSample, at: entry.location,
                            "sequenced sample \(InputError.quoted(entry.sample)) is not a sample_id of the sample sheet",
                            hint: "add a row for it to the sample sheet, or correct the id under 'sequencing: reads:'"))
                }
                continue
            }
            if counted.contains(id) {
                errors.append(
                    InputError(
                        .duplicateMeasurement, at: entry.location,
                        "sample \(InputError.quoted(entry.sample)) has FASTQ files and also read counts in a count matrix",
                        hint:
                            "count it once: remove its column from the matrix (sampleMap: {\(entry.sample): ~}) or its reads here"
                    ))
            }
            var located: [(path: String, url: URL)] = []
            for path in entry.files {
                if let owner = owners[path] {
                    errors.append(
                        InputError(
                            .invalidValue, at: entry.location,
                            "FASTQ file \(InputError.quoted(path)) is named for samples \(InputError.quoted(owner)) and \(InputError.quoted(entry.sample))",
                            hint: "a library's reads belong to one sample"))
                    continue
                }
                owners[path] = entry.sample
                do {
                    let url = try paths.url(path, namedAt: entry.location)
                    guard let digest = try? FileDigest.sha256Hex(contentsOf: url) else {
                        errors.append(
                            InputError(
                                .fileNotFound, at: entry.location,
                                "FASTQ file \(InputError.quoted(path)) of sample \(InputError.quoted(entry.sample)) does not exist or cannot be read",
                                hint: "paths are relative to the study folder"))
                        continue
                    }
                    files.append(
                        LoadedStudy.InputFile(
                            path: path, sha256: digest.sha256, byteCount: digest.byteCount, role: "reads"))
                    located.append((path, url))
                } catch {
                    errors.append(error)
                }
            }
            if located.count == entry.files.count {
                result.append(LoadedStudy.SequencedSample(sample: id, files: located))
            }
        }
        return (result, files, errors)
    }
}
