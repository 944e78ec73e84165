public import ExoCore
public import Foundation

/// How single vesicles were imaged, if at all (MISEV2023: at least one single-EV method).
public enum EVImaging: String, Vocabulary, Codable {
    case transmissionEM = "tem"
    case cryoEM = "cryo-em"
    case scanningEM = "sem"
    case atomicForce = "afm"
    case superResolution = "super-resolution"
    case none

    public var synonyms: [String] {
        switch self {
        case .transmissionEM: ["transmission electron microscopy", "EM", "electron microscopy"]
        case .cryoEM: ["cryo-TEM", "cryo electron microscopy"]
        case .scanningEM: ["scanning electron microscopy"]
        case .atomicForce: ["atomic force microscopy"]
        case .superResolution: ["dSTORM", "STORM", "ONI", "single-EV imaging"]
        case .none: ["not done", "no"]
        }
    }
}

/// How a marker was measured.
public enum MarkerMethod: String, Vocabulary, Codable {
    case westernBlot = "western-blot"
    case elisa
    case flow
    case massSpectrometry = "mass-spec"
    case other

    public var synonyms: [String] {
        switch self {
        case .westernBlot: ["WB", "western", "immunoblot"]
        case .elisa: ["ELISA", "immunoassay"]
        case .flow: ["flow cytometry", "nanoflow", "bead flow", "FACS"]
        case .massSpectrometry: ["MS", "proteomics", "mass spectrometry", "LC-MS/MS"]
        case .other: []
        }
    }
}

/// One row of a characterisation table: what was measured on one preparation (a study sample's EVs or a lot).
public struct PreparationRecord: Sendable {
    /// The sample id or lot id.
    public var key: String
    /// The particle-size export named in `size_file`, read.
    public var size: ParticleSizeExport?
    public var proteinMicrogramsPerMl: Double?
    public var rnaNanogramsPerMl: Double?
    /// The volume the isolated EVs were taken up in (ml), to relate them back to the biofluid.
    public var resuspensionMilliliters: Double?
    public var imaging: EVImaging?
    /// The producing cell source of a lot (`MSC`, `dendritic-cell`, `NK`, `CAR-T`), free text.
    public var source: String?
    /// Every other numeric column (potency, safety and cargo read-outs), by column name.
    public var readouts: [String: Double]
    /// Where the row is.
    public var location: InputLocation
}

/// One marker result of a preparation (`markers.tsv`).
public struct MarkerObservation: Sendable, Hashable {
    public var key: String
    public var marker: EVMarker
    /// The spelling in the file.
    public var written: String
    public var method: MarkerMethod
    public var detected: Bool
    /// A quantitative signal (band intensity relative to the loading reference, ELISA ng/ml, flow % positive).
    public var signal: Double?
    public var location: InputLocation

    /// Creates an observation.
    public init(
        key: String, marker: EVMarker, written: String? = nil, method: MarkerMethod, detected: Bool,
        signal: Double? = nil, location: InputLocation
    ) {
        self.key = key
        self.marker = marker
        self.written = written ?? marker.name
        self.method = method
        self.detected = detected
        self.signal = signal
        self.location = location
    }
}

/// Reads the characterisation table (one row per preparation) and the marker table (one row per marker
/// result), keyed by `sample_id` in a study or `lot_id` for lots (docs/ev-qc.md).
public enum CharacterisationTable {
    /// Columns with a fixed meaning; any other column must hold numbers and is kept as a read-out.
    public static let knownColumns = [
        "size_file", "protein_ug_per_ml", "rna_ng_per_ml", "imaging", "source", "resuspension_ml",
    ]
    /// Columns of the marker table besides the key.
    public static let markerColumns = ["marker", "method", "result", "signal"]
    /// Spellings of a detected and an absent marker.
    static let detectedSpellings: Set<String> = ["detected", "positive", "yes", "+", "present", "pos"]
    static let absentSpellings: Set<String> = [
        "not-detected", "not detected", "negative", "no", "-", "\u{2212}", "absent", "neg",
    ]

    /// Parses a characterisation table, reading each size export it names from `directory`.
    ///
    /// - Parameters:
    ///   - file: the table.
    ///   - keyColumn: `sample_id` or `lot_id`.
    ///   - directory: where `size_file` paths start.
    ///   - keys: the keys the rows may use (`nil` accepts any).
    ///   - paths: where a study may read from; a `size_file` leading elsewhere is an `outsideStudyFolder` error.
    /// - Returns: the records, the size files read (path, bytes) for hashing, the read-out columns, and every error.
    public static func parse(
        _ file: TextFile, keyColumn: String, directory: URL, keys: Set<String>?, paths: StudyPaths? = nil
    ) -> (
        records: [PreparationRecord], sizeFiles: [(path: String, data: Data)], readoutColumns: [String],
        errors: [InputError]
    ) {
        let table: DelimitedTable
        do {
            table = try DelimitedTable(file)
        } catch {
            return ([], [], [], error.errors)
        }
        var errors = table.missingColumnErrors(
            [keyColumn], hint: "the first column names the preparation: \(keyColumn)")
        guard errors.isEmpty else { return ([], [], [], errors) }
        let readoutColumns = table.header.map(\.text).filter { $0 != keyColumn && !knownColumns.contains($0) }
        var records: [PreparationRecord] = []
        var sizeFiles: [(path: String, data: Data)] = []
        var seen: [String: Int] = [:]
        var sizeFileLines: [String: Int] = [:]
        for row in table.rows {
            var reader = RowReader(table: table, row: row, missing: SampleSheet.missingSpellings)
            guard let key = reader.text(keyColumn) else {
                reader.fail(.invalidValue, keyColumn, "expected a \(keyColumn), found an empty field")
                errors += reader.errors
                continue
            }
            if let keys, !keys.contains(key) {
                reader.fail(
                    .unknownSample, keyColumn, "\(keyColumn) \(InputError.quoted(key)) is not in the sample sheet",
                    hint: EditDistance.didYouMean(key, in: keys.sorted()))
            }
            if let earlier = seen[key] {
                reader.fail(
                    .duplicateSample, keyColumn,
                    "\(keyColumn) \(InputError.quoted(key)) appears again (first on line \(earlier))",
                    hint: "one row per preparation; put repeated measurements in separate columns")
            }
            seen[key] = row.line
            let positive = { (text: String) -> Double? in Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } }
            let protein = reader.parsed(
                "protein_ug_per_ml", expectation: "a protein concentration ≥ 0 in µg/ml", positive)
            let rna = reader.parsed("rna_ng_per_ml", expectation: "an RNA concentration ≥ 0 in ng/ml", positive)
            let resuspension = reader.parsed(
                "resuspension_ml", expectation: "a volume > 0 in ml",
                { Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } })
            let imaging = reader.vocabulary("imaging", EVImaging.self)
            var readouts: [String: Double] = [:]
            for column in readoutColumns {
                if let value = reader.parsed(
                    column, expectation: "a finite number", kind: .invalidNumber,
                    { Double($0).flatMap { $0.isFinite ? $0 : nil } })
                {
                    readouts[column] = value
                }
            }
            var size: ParticleSizeExport?
            if let path = reader.text("size_file") {
                let url = directory.appendingPathComponent(path)
                if let paths {
                    do {
                        _ = try paths.url(path, from: directory, namedAt: InputLocation(path: file.displayPath))
                    } catch {
                        reader.fail(error.kind, "size_file", error.message, hint: error.hint)
                        errors += reader.errors
                        continue
                    }
                }
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
                if let earlier = sizeFileLines[path] {
                    reader.fail(
                        .invalidValue, "size_file",
                        "size export \(InputError.quoted(path)) is already the size export of line \(earlier)",
                        hint: "each preparation has its own measurement; check for a copied row")
                } else if exists, !isDirectory.boolValue, let data = try? Data(contentsOf: url) {
                    sizeFileLines[path] = row.line
                    sizeFiles.append((path, data))
                    do {
                        size = try ParticleSizeExport.read(data: data, displayPath: path)
                    } catch {
                        reader.errors += error.errors
                    }
                } else if exists {
                    reader.fail(
                        .unreadableFile, "size_file",
                        "cannot read size export \(InputError.quoted(path))\(isDirectory.boolValue ? ": it is a folder" : "")",
                        hint: "check the path and the file's permissions")
                } else {
                    reader.fail(
                        .fileNotFound, "size_file", "size export \(InputError.quoted(path)) does not exist",
                        hint: "paths are relative to \(InputError.quoted(directory.lastPathComponent))")
                }
            }
            errors += reader.errors
            if reader.errors.isEmpty {
                records.append(
                    PreparationRecord(
                        key: key, size: size, proteinMicrogramsPerMl: protein, rnaNanogramsPerMl: rna,
                        resuspensionMilliliters: resuspension, imaging: imaging,
                        source: reader.text("source"), readouts: readouts,
                        location: table.location(row: row, column: nil)))
            }
        }
        return errors.isEmpty ? (records, sizeFiles, readoutColumns, []) : ([], sizeFiles, readoutColumns, errors)
    }

    /// Parses a marker table.
    ///
    /// - Parameters:
    ///   - file: the table.
    ///   - keyColumn: `sample_id` or `lot_id`.
    ///   - keys: the keys the rows may use (`nil` accepts any).
    /// - Returns: the observations and every error: an unknown marker (with the nearest names), an unknown
    ///   method or result, a negative signal, or the same marker and method twice for one preparation.
    public static func parseMarkers(_ file: TextFile, keyColumn: String, keys: Set<String>?) -> (
        observations: [MarkerObservation], errors: [InputError]
    ) {
        let table: DelimitedTable
        do {
            table = try DelimitedTable(file)
        } catch {
            return ([], error.errors)
        }
        var errors = table.missingColumnErrors(
            [keyColumn, "marker", "result"],
            hint: "a marker table has the columns \(([keyColumn] + markerColumns).joined(separator: ", "))")
        guard errors.isEmpty else { return ([], errors) }
        var observations: [MarkerObservation] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            var reader = RowReader(table: table, row: row, missing: SampleSheet.missingSpellings)
            let key = reader.text(keyColumn)
            if key == nil { reader.fail(.invalidValue, keyColumn, "expected a \(keyColumn), found an empty field") }
            if let key, let keys, !keys.contains(key) {
                reader.fail(
                    .unknownSample, keyColumn, "\(keyColumn) \(InputError.quoted(key)) is not in the sample sheet",
                    hint: EditDistance.didYouMean(key, in: keys.sorted()))
            }
            let written = reader.text("marker")
            let marker = written.flatMap { text -> EVMarker? in
                guard let marker = EVMarker.named(text) else {
                    reader.fail(
                        .unknownMarker, "marker", "unknown marker \(InputError.quoted(text))",
                        hint: EVMarker.unknownMarkerHint(text))
                    return nil
                }
                return marker
            }
            let method = reader.vocabulary("method", MarkerMethod.self) ?? .other
            var detected: Bool?
            // The result is read as written: "-" means not detected here, not a missing value.
            let resultIndex = table.columnIndex("result")
            let resultText = resultIndex.flatMap { $0 < row.fields.count ? row.fields[$0].text : nil }
            if let result = resultText, !result.isEmpty {
                if detectedSpellings.contains(result.lowercased()) {
                    detected = true
                } else if absentSpellings.contains(result.lowercased()) {
                    detected = false
                } else {
                    reader.fail(
                        .invalidValue, "result",
                        "expected 'detected' or 'not-detected' in column 'result', found \(InputError.quoted(result))")
                }
            } else {
                reader.fail(.invalidValue, "result", "expected 'detected' or 'not-detected', found an empty field")
            }
            let signal = reader.parsed("signal", expectation: "a signal ≥ 0", kind: .invalidNumber) { text in
                Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
            }
            if let key, let marker {
                let identity = "\(key)\u{0}\(marker.name)\u{0}\(method.rawValue)"
                if let earlier = seen[identity] {
                    reader.fail(
                        .duplicateMeasurement, "marker",
                        "\(marker.name) by \(method.rawValue) for \(InputError.quoted(key)) appears again (first on line \(earlier))"
                    )
                }
                seen[identity] = row.line
            }
            errors += reader.errors
            if reader.errors.isEmpty, let key, let marker, let written, let detected {
                observations.append(
                    MarkerObservation(
                        key: key, marker: marker, written: written, method: method, detected: detected, signal: signal,
                        location: table.location(row: row, column: table.columnIndex("marker"))))
            }
        }
        return errors.isEmpty ? (observations, []) : ([], errors)
    }
}
