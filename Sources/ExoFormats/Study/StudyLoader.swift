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
        func read(_ relative: String, role: String, namedAt location: InputLocation?) -> TextFile? {
            do {
                let file = try TextFile(url: directory.appendingPathComponent(relative), displayPath: relative)
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
        let (parsedDefinition, studyErrors) = StudyFile.parse(studyFile)
        errors += studyErrors
        guard let definition = parsedDefinition else { throw InputErrorList(errors) }

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
        var notes = Dictionary(
            definition.nameResolutions.map { ($0.written, $0) }, uniquingKeysWith: { first, _ in first })
        var seenPaths: Set<String> = []
        for spec in definition.measurements {
            guard seenPaths.insert(spec.path).inserted else {
                errors.append(
                    InputError(
                        .invalidValue, at: spec.location,
                        "file \(InputError.quoted(spec.path)) is listed twice under measurements"))
                continue
            }
            guard let file = read(spec.path, role: "measurements", namedAt: spec.location) else { continue }
            // Rows are checked against every sample id the sheet declares, even on rows with other errors,
            // so one bad cell in the sheet does not cascade into "unknown sample" errors here.
            guard !declaredIDs.isEmpty else { continue }
            let parsed = MeasurementTable.parse(file, spec: spec, samples: declaredIDs, catalog: catalog)
            measurements += parsed.measurements
            errors += parsed.errors
            for note in parsed.notes { notes[note.written] = note }
        }
        guard errors.isEmpty else { throw InputErrorList(errors) }
        return LoadedStudy(
            directory: directory, definition: definition, samples: samples, measurements: measurements, files: files,
            nameResolutions: notes.values.sorted { $0.written < $1.written })
    }
}
