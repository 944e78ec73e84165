public import ExoCore

/// Reads the sample sheet (`samples.tsv`): one row per sample, columns documented in `docs/study-format.md`.
public enum SampleSheet {
    /// Columns every sample sheet must have.
    public static let requiredColumns = ["sample_id", "patient_id", "group"]
    /// Columns ExoScope understands.
    public static let knownColumns =
        requiredColumns + [
            "specimen", "collection_date", "day", "timepoint", "event", "tumour_type", "stage", "t_stage", "n_stage",
            "m_stage", "metastasis", "treatment", "response", "isolation_method", "input_volume_ml", "storage_temp_c",
            "freeze_thaw_cycles", Sample.followUpMonthsKey, Sample.followUpEventKey,
        ]
    /// Spellings of a missing value.
    static let missingSpellings: Set<String> = ["", "NA", "N/A", "na", "n/a", "-"]

    /// Parses the sample sheet, collecting every problem.
    ///
    /// - Parameters:
    ///   - file: the sample sheet.
    ///   - defaultSpecimen: used where the `specimen` column is absent or empty.
    ///   - extraColumns: study-specific columns to keep; any other unknown column close to a known one is an error.
    /// - Returns: the valid samples, every sample id the sheet declares (even on rows with other errors, so
    ///   measurement files are not blamed for them), and every error found.
    public static func parse(
        _ file: TextFile, defaultSpecimen: Specimen?, extraColumns: [String]
    ) -> (samples: [Sample], declaredIDs: Set<SampleID>, errors: [InputError]) {
        let table: DelimitedTable
        do {
            table = try DelimitedTable(file)
        } catch {
            return ([], [], error.errors)
        }
        var errors: [InputError] = []
        let headerLocation = { (column: Int?) in InputLocation(path: table.path, line: table.headerLine, column: column)
        }
        errors += table.missingColumnErrors(
            requiredColumns, hint: "the header must name \(requiredColumns.joined(separator: ", "))")
        if defaultSpecimen == nil, table.columnIndex("specimen") == nil {
            errors.append(
                InputError(
                    .missingColumn, at: headerLocation(1),
                    "missing column 'specimen' and study.yaml sets no default specimen",
                    hint: "add a specimen column or 'specimen: serum' to study.yaml"))
        }
        for field in table.header where !knownColumns.contains(field.text) && !extraColumns.contains(field.text) {
            if let suggestion = EditDistance.suggestion(for: field.text, in: knownColumns),
                !requiredColumns.contains(suggestion) || table.columnIndex(suggestion) != nil
            {
                errors.append(
                    InputError(
                        .unknownKey, at: headerLocation(field.column),
                        "unknown column \(InputError.quoted(field.text))",
                        hint:
                            "did you mean '\(suggestion)'? To keep it as a study-specific column, list it under extraColumns in study.yaml"
                    ))
            }
        }
        guard errors.isEmpty else { return ([], [], errors) }

        var samples: [Sample] = []
        var firstLine: [SampleID: Int] = [:]
        for row in table.rows {
            var reader = RowReader(table: table, row: row, missing: missingSpellings)
            let sampleText = reader.text("sample_id")
            let sampleID = sampleText.flatMap { text -> SampleID? in
                guard let id = SampleID(text) else {
                    reader.fail(
                        .invalidIdentifier, "sample_id", "invalid sample id \(InputError.quoted(text))",
                        hint: "use \(IdentifierRule.rule)")
                    return nil
                }
                return id
            }
            if sampleText == nil {
                reader.fail(.invalidValue, "sample_id", "expected a sample id, found an empty field")
            }
            if let sampleID {
                if let earlier = firstLine[sampleID] {
                    reader.fail(
                        .duplicateSample, "sample_id",
                        "duplicate sample id \(InputError.quoted(sampleID.rawValue)), first used on line \(earlier)",
                        hint: "each row is one sample; replicates of a measurement go in the measurement file")
                } else {
                    firstLine[sampleID] = row.line
                }
            }
            let patient: PatientID? = reader.text("patient_id").flatMap { text in
                guard let id = PatientID(text) else {
                    reader.fail(
                        .invalidIdentifier, "patient_id", "invalid patient pseudonym",
                        hint: "use \(IdentifierRule.rule); never a name or record number")
                    return nil
                }
                return id
            }
            if reader.text("patient_id") == nil {
                reader.fail(.invalidValue, "patient_id", "expected a patient pseudonym, found an empty field")
            }
            let group = reader.vocabulary("group", SampleGroup.self)
            if reader.text("group") == nil {
                reader.fail(.invalidValue, "group", "expected one of case, control, reference, found an empty field")
            }
            let specimen = reader.vocabulary("specimen", Specimen.self) ?? defaultSpecimen
            let date = reader.parsed(
                "collection_date", expectation: CalendarDate.expectation, kind: .invalidDate, hint: CalendarDate.hint
            ) {
                CalendarDate(iso8601: $0)
            }
            let day = reader.parsed(
                "day", expectation: "a whole number of days (negative before the event)", kind: .invalidNumber
            ) { Int($0) }
            let stage = reader.parsed("stage", expectation: TumourStage.expectation) { TumourStage(parsing: $0) }
            let t = reader.parsed("t_stage", expectation: TNMCategory.expectation(.t)) {
                TNMCategory(parsing: $0, as: .t)
            }
            let n = reader.parsed("n_stage", expectation: TNMCategory.expectation(.n)) {
                TNMCategory(parsing: $0, as: .n)
            }
            let m = reader.parsed("m_stage", expectation: TNMCategory.expectation(.m)) {
                TNMCategory(parsing: $0, as: .m)
            }
            let metastasis = reader.parsed("metastasis", expectation: "yes or no") { Self.boolean($0) }
            let response = reader.vocabulary("response", TreatmentResponse.self)
            let method = reader.vocabulary("isolation_method", IsolationMethod.self)
            let volume = reader.parsed("input_volume_ml", expectation: "a positive volume in mL", kind: .invalidNumber)
            { text in
                Double(text).flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
            }
            let temperature = reader.parsed(
                "storage_temp_c", expectation: "a temperature in °C, such as -80", kind: .invalidNumber
            ) { text in
                Double(text).flatMap { $0.isFinite && $0 > -273.15 ? $0 : nil }
            }
            let thaws = reader.parsed("freeze_thaw_cycles", expectation: "a whole number ≥ 0", kind: .invalidNumber) {
                text in
                Int(text).flatMap { $0 >= 0 ? $0 : nil }
            }
            let followUp = reader.parsed(
                Sample.followUpMonthsKey, expectation: "months from diagnosis to the event or the last follow-up (≥ 0)",
                kind: .invalidNumber
            ) { text in Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } }
            let followUpEvent = reader.parsed(
                Sample.followUpEventKey, expectation: "yes (died or progressed) or no (censored)"
            ) { Self.boolean($0) }
            if (followUp == nil) != (followUpEvent == nil), reader.errors.isEmpty {
                reader.fail(
                    .invalidValue, followUp == nil ? Sample.followUpMonthsKey : Sample.followUpEventKey,
                    "follow-up needs both \(Sample.followUpMonthsKey) and \(Sample.followUpEventKey); this row has one",
                    hint: "leave both empty for a sample without follow-up")
            }
            errors += reader.errors
            guard reader.errors.isEmpty, let sampleID, let patient, let group, let specimen else { continue }
            var extra: [String: String] = [:]
            for column in extraColumns { if let value = reader.text(column) { extra[column] = value } }
            if let followUp, let followUpEvent {
                extra[Sample.followUpMonthsKey] = String(followUp)
                extra[Sample.followUpEventKey] = followUpEvent ? "yes" : "no"
            }
            samples.append(
                Sample(
                    id: sampleID, patient: patient, group: group, specimen: specimen,
                    timepoint: Timepoint(
                        label: reader.text("timepoint"), date: date, dayOffset: day, event: reader.text("event")),
                    clinical: ClinicalAttributes(
                        tumourType: reader.text("tumour_type"), stage: stage, t: t, n: n, m: m, metastasis: metastasis,
                        treatment: reader.text("treatment"), response: response),
                    preparation: EVPreparation(
                        method: method, inputVolumeMilliliters: volume, storageTemperatureCelsius: temperature,
                        freezeThawCycles: thaws),
                    extra: extra))
        }
        return (samples, Set(firstLine.keys), errors)
    }

    /// `yes`/`no`, `true`/`false`, `1`/`0`, `y`/`n`.
    static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "y", "true", "1": true
        case "no", "n", "false", "0": false
        default: nil
        }
    }
}

/// Reads the cells of one row by column name, collecting errors with their positions.
struct RowReader {
    let table: DelimitedTable
    let row: DelimitedTable.Row
    let missing: Set<String>
    var errors: [InputError] = []

    init(table: DelimitedTable, row: DelimitedTable.Row, missing: Set<String>) {
        self.table = table
        self.row = row
        self.missing = missing
    }

    /// The cell's text, or `nil` when the column is absent or the cell is a missing value.
    func text(_ column: String) -> String? {
        guard let index = table.columnIndex(column), index < row.fields.count else { return nil }
        let text = row.fields[index].text
        return missing.contains(text) ? nil : text
    }

    func location(_ column: String) -> InputLocation { table.location(row: row, column: table.columnIndex(column)) }

    mutating func fail(_ kind: InputError.Kind, _ column: String, _ message: String, hint: String? = nil) {
        errors.append(InputError(kind, at: location(column), message, hint: hint))
    }

    /// A cell parsed by `parse`; records an error naming the column and what was expected.
    mutating func parsed<T>(
        _ column: String, expectation: String, kind: InputError.Kind = .invalidValue,
        hint: (String) -> String? = { _ in nil }, _ parse: (String) -> T?
    ) -> T? {
        guard let text = text(column) else { return nil }
        guard let value = parse(text) else {
            fail(
                kind, column, "expected \(expectation) in column '\(column)', found \(InputError.quoted(text))",
                hint: hint(text))
            return nil
        }
        return value
    }

    /// A cell from a closed vocabulary, with the nearest spelling as a hint.
    mutating func vocabulary<V: Vocabulary>(_ column: String, _ type: V.Type, kind: InputError.Kind = .invalidValue)
        -> V?
    {
        guard let text = text(column) else { return nil }
        guard let value = V(parsing: text) else {
            fail(
                kind, column,
                "expected one of \(V.spellings.joined(separator: ", ")) in column '\(column)', found \(InputError.quoted(text))",
                hint: EditDistance.didYouMean(text, in: V.spellings))
            return nil
        }
        return value
    }
}
