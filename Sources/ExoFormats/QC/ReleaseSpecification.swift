public import ExoCore
import Foundation
import Yams

/// Acceptance criteria for EV preparations or lots, read from a YAML specification (docs/ev-qc.md).
///
/// ```yaml
/// name: Reference small-EV lot
/// version: "2026-1"
/// sizeRange: [30, 150]
/// criteria:
///   - metric: mode_nm
///     min: 70
///     max: 150
///   - metric: particles_per_ug
///     min: 2.0e9
///   - readout: ifng_release_fold
///     min: 2
/// markers:
///   categories: [1, 2]
///   required: [CD63, TSG101]
///   absent: [calnexin]
///   maximumSignal: {APOA1: 0.2}
/// imaging: required
/// ```
public struct ReleaseSpecification: Sendable, Hashable {
    /// What a criterion constrains: a computed metric or a read-out column of the characterisation table.
    public enum Subject: Sendable, Hashable, CustomStringConvertible {
        case metric(QCMetric)
        case readout(String)

        public var description: String {
            switch self {
            case .metric(let metric): metric.rawValue
            case .readout(let name): name
            }
        }
    }

    /// One acceptance criterion: a range, open on either side.
    public struct Criterion: Sendable, Hashable {
        public var subject: Subject
        public var minimum: Double?
        public var maximum: Double?
        /// Applies only to these specimens (`hemolysis_dcq` for plasma and serum); empty for all.
        public var specimens: [Specimen]
        /// A missing value passes instead of failing.
        public var optional: Bool
        /// Where the criterion is in the file.
        public var location: InputLocation

        /// Creates a criterion.
        public init(
            subject: Subject, minimum: Double? = nil, maximum: Double? = nil, specimens: [Specimen] = [],
            optional: Bool = false, location: InputLocation
        ) {
            self.subject = subject
            self.minimum = minimum
            self.maximum = maximum
            self.specimens = specimens
            self.optional = optional
            self.location = location
        }

        /// "≥ 2e+09", "70–150", "≤ 7".
        public var rangeText: String {
            switch (minimum, maximum) {
            case (let low?, let high?): "\(Self.format(low))–\(Self.format(high))"
            case (let low?, nil): "≥ \(Self.format(low))"
            case (nil, let high?): "≤ \(Self.format(high))"
            case (nil, nil): "any"
            }
        }

        /// Short numbers for messages: 150, 0.5, 2e+09.
        public static func format(_ value: Double) -> String {
            if abs(value) >= 1e5 { return String(format: "%.3g", value) }
            return value == value.rounded() ? String(Int(value)) : String(format: "%.4g", value)
        }
    }

    public var name: String
    public var version: String
    public var path: String
    /// The small-EV range for `fraction_in_range`, when the specification sets one.
    public var sizeRange: ClosedRange<Double>?
    public var criteria: [Criterion]
    /// MISEV categories in which at least one marker must be detected.
    public var requiredCategories: [MarkerCategory]
    public var requiredMarkers: [EVMarker]
    /// Markers that must not be detected (co-isolates, other compartments).
    public var absentMarkers: [EVMarker]
    /// The largest signal allowed for a contaminant marker (in the marker table's `signal` unit).
    public var maximumSignal: [String: Double]
    /// Whether single-EV imaging (electron or atomic-force microscopy) must be reported.
    public var requiresImaging: Bool

    /// Top-level keys.
    public static let keys = ["name", "version", "sizeRange", "criteria", "markers", "imaging"]
    /// Keys of one criterion.
    public static let criterionKeys = ["metric", "readout", "min", "max", "specimens", "optional"]
    /// Keys under `markers`.
    public static let markerKeys = ["categories", "required", "absent", "maximumSignal"]

    /// The specification ExoScope applies to a study's preparations when study.yaml names none: the MISEV2023
    /// minimum (an EV-bearing membrane and a cytosolic marker, no endoplasmic-reticulum marker), at least half the
    /// particles in the small-EV range, a purity above Webber & Clayton's "impure" band, no hemolysis in blood
    /// samples and at most two freeze–thaw cycles.
    public static let defaultText = """
        name: MISEV2023 minimum for clinical EV preparations
        version: "1"
        criteria:
          - metric: fraction_in_range
            min: 0.5
          - metric: particles_per_ug
            min: 1.5e9
            optional: true
          - metric: hemolysis_dcq
            max: 7
            specimens: [plasma, serum]
            optional: true
          - metric: freeze_thaw_cycles
            max: 2
            optional: true
        markers:
          categories: [1, 2]
          absent: [calnexin]

        """

    /// The default specification.
    public static var standard: ReleaseSpecification {
        // The text above is part of the program; a failure here is a programming error caught by its test.
        let file = try? TextFile(
            bytes: Array(defaultText.utf8), url: URL(fileURLWithPath: "/dev/null"),
            displayPath: "(default specification)")
        return (file.flatMap { try? parse($0) })
            ?? ReleaseSpecification(
                name: "", version: "", path: "", sizeRange: nil, criteria: [], requiredCategories: [],
                requiredMarkers: [], absentMarkers: [], maximumSignal: [:], requiresImaging: false)
    }

    /// Reads a specification.
    ///
    /// - Throws: `InputErrorList`: malformed YAML, unknown keys, an unknown metric or marker (with the nearest),
    ///   a range whose minimum exceeds its maximum, two criteria on one quantity whose ranges do not overlap, or a
    ///   marker both required and absent; each at its line and column.
    public static func parse(_ file: TextFile) throws(InputErrorList) -> ReleaseSpecification {
        let path = file.displayPath
        let root: Node?
        do {
            root = try Yams.compose(yaml: file.text)
        } catch {
            throw InputErrorList([
                InputError(
                    .malformedYAML, at: InputLocation(path: path, line: 1), "invalid YAML: \(error)",
                    hint: "check the indentation and that every 'key: value' has a space after the colon")
            ])
        }
        guard let root, case .mapping(let mapping) = root else {
            throw InputErrorList([
                InputError(
                    .wrongType, at: InputLocation(path: path, line: 1, column: 1),
                    "expected a mapping with 'name' and 'criteria'", hint: "see docs/ev-qc.md for an example")
            ])
        }
        var top = YAMLMapping(mapping, path: path, lines: file.lines, validKeys: keys)
        let name = top.string("name", required: true)
        let version = top.string("version") ?? "1"
        let sizeRange = top.sizeRange("sizeRange")
        var criteria: [Criterion] = []
        for item in top.sequence("criteria") {
            guard case .mapping(let itemMapping) = item else {
                top.errors.append(
                    InputError(
                        .wrongType, at: top.location(of: item),
                        "expected a criterion mapping with 'metric' and 'min' or 'max', found \(YAMLMapping.describe(item))"
                    ))
                continue
            }
            var entry = YAMLMapping(itemMapping, path: path, lines: file.lines, validKeys: criterionKeys)
            var subject: Subject?
            if let metric = entry.string("metric"), let node = entry.value("metric") {
                if let parsed = QCMetric(parsing: metric) {
                    subject = .metric(parsed)
                } else {
                    entry.errors.append(
                        InputError(
                            .invalidValue, at: entry.location(of: node), "unknown metric \(InputError.quoted(metric))",
                            hint: EditDistance.didYouMean(metric, in: QCMetric.spellings)
                                ?? "use 'readout: \(metric)' for a column of the characterisation table"))
                }
            } else if let readout = entry.string("readout") {
                subject = .readout(readout)
            } else {
                entry.errors.append(
                    InputError(
                        .missingKey, at: entry.selfLocation, "a criterion needs 'metric' or 'readout'",
                        hint: "metrics: \(QCMetric.spellings.joined(separator: ", "))"))
            }
            let minimum = entry.number("min")
            let maximum = entry.number("max")
            if entry.value("min") == nil, entry.value("max") == nil {
                entry.errors.append(
                    InputError(.missingKey, at: entry.selfLocation, "a criterion needs 'min', 'max' or both"))
            }
            if let minimum, let maximum, minimum > maximum, let node = entry.value("min") {
                entry.errors.append(
                    InputError(
                        .contradictoryRange, at: entry.location(of: node),
                        "contradictory range for '\(subject?.description ?? "?")': min \(Criterion.format(minimum)) is above max \(Criterion.format(maximum))",
                        hint: "no value can pass; swap min and max or correct one of them"))
            }
            let specimens = entry.sequence("specimens").compactMap { node -> Specimen? in
                guard let text = node.string, let specimen = Specimen(parsing: text) else {
                    entry.errors.append(
                        InputError(
                            .invalidValue, at: entry.location(of: node),
                            "expected a specimen, found \(YAMLMapping.describe(node))",
                            hint: node.string.flatMap { EditDistance.didYouMean($0, in: Specimen.spellings) }))
                    return nil
                }
                return specimen
            }
            let optional = entry.flag("optional") ?? false
            top.errors += entry.errors
            if let subject, entry.errors.isEmpty {
                criteria.append(
                    Criterion(
                        subject: subject, minimum: minimum, maximum: maximum, specimens: specimens, optional: optional,
                        location: entry.selfLocation))
            }
        }
        top.errors += overlapErrors(criteria)
        var categories: [MarkerCategory] = []
        var required: [EVMarker] = []
        var absent: [EVMarker] = []
        var maximumSignal: [String: Double] = [:]
        if var markers = top.mapping("markers", validKeys: markerKeys) {
            for node in markers.sequence("categories") {
                if let number = node.string.flatMap(Int.init), let category = MarkerCategory(rawValue: number) {
                    categories.append(category)
                } else {
                    markers.errors.append(
                        InputError(
                            .invalidValue, at: markers.location(of: node),
                            "expected a MISEV category 1–5, found \(YAMLMapping.describe(node))"))
                }
            }
            func markerList(_ key: String) -> [(EVMarker, Node)] {
                markers.sequence(key).compactMap { node in
                    guard let marker = resolveMarker(node, in: &markers) else { return nil }
                    return (marker, node)
                }
            }
            required = markerList("required").map(\.0)
            let absentNodes = markerList("absent")
            absent = absentNodes.map(\.0)
            for (marker, node) in absentNodes where required.contains(marker) {
                markers.errors.append(
                    InputError(
                        .contradictoryRange, at: markers.location(of: node),
                        "marker '\(marker.name)' is both required and absent",
                        hint: "a preparation cannot both show and lack it; keep it in one list"))
            }
            if let node = markers.value("maximumSignal") {
                if case .mapping(let signals) = node {
                    for (key, value) in signals {
                        guard let marker = resolveMarker(key, in: &markers) else { continue }
                        if let limit = value.string.flatMap(Double.init), limit >= 0 {
                            maximumSignal[marker.name] = limit
                        } else {
                            markers.errors.append(
                                InputError(
                                    .invalidNumber, at: markers.location(of: value),
                                    "expected a signal limit ≥ 0 for '\(marker.name)', found \(YAMLMapping.describe(value))"
                                ))
                        }
                    }
                } else {
                    markers.errors.append(
                        InputError(
                            .wrongType, at: markers.location(of: node),
                            "expected a mapping of marker: largest signal, found \(YAMLMapping.describe(node))"))
                }
            }
            top.errors += markers.errors
        }
        var requiresImaging = false
        if let imaging = top.string("imaging"), let node = top.value("imaging") {
            switch imaging.lowercased() {
            case "required", "true", "yes": requiresImaging = true
            case "optional", "false", "no": requiresImaging = false
            default:
                top.errors.append(
                    InputError(
                        .invalidValue, at: top.location(of: node),
                        "expected 'required' or 'optional' for 'imaging', found \(InputError.quoted(imaging))"))
            }
        }
        guard top.errors.isEmpty, let name else { throw InputErrorList(top.errors) }
        return ReleaseSpecification(
            name: name, version: version, path: path, sizeRange: sizeRange, criteria: criteria,
            requiredCategories: categories, requiredMarkers: required, absentMarkers: absent,
            maximumSignal: maximumSignal, requiresImaging: requiresImaging)
    }

    /// Criteria on read-outs that the characterisation table does not have (a read-out is one of its numeric
    /// columns, a computed metric, or `copies_per_particle:<miRNA>`), each with the nearest column.
    public func unknownReadoutErrors(columns: [String]) -> [InputError] {
        criteria.compactMap { criterion in
            guard case .readout(let name) = criterion.subject, !columns.contains(name),
                QCMetric(rawValue: name) == nil, !name.hasPrefix("copies_per_particle:")
            else { return nil }
            return InputError(
                .missingColumn, at: criterion.location,
                "read-out \(InputError.quoted(name)) is not a column of the characterisation table",
                hint: EditDistance.didYouMean(name, in: columns)
                    ?? (columns.isEmpty
                        ? "the table has no read-out columns" : "read-out columns: \(columns.joined(separator: ", "))"))
        }
    }

    /// A marker named in the file, or `nil` with an `unknownMarker` error suggesting the nearest names.
    private static func resolveMarker(_ node: Node, in mapping: inout YAMLMapping) -> EVMarker? {
        guard let text = node.string else {
            mapping.errors.append(
                InputError(
                    .wrongType, at: mapping.location(of: node),
                    "expected a marker name, found \(YAMLMapping.describe(node))"
                ))
            return nil
        }
        guard let marker = EVMarker.named(text) else {
            mapping.errors.append(
                InputError(
                    .unknownMarker, at: mapping.location(of: node), "unknown marker \(InputError.quoted(text))",
                    hint: EVMarker.unknownMarkerHint(text)))
            return nil
        }
        return marker
    }

    /// Two criteria on the same quantity that apply together to some specimen (the same specimens, overlapping
    /// ones, or one of them for all) and whose ranges share no value.
    static func overlapErrors(_ criteria: [Criterion]) -> [InputError] {
        var errors: [InputError] = []
        for (index, first) in criteria.enumerated() {
            for second in criteria[(index + 1)...] where second.subject == first.subject {
                guard
                    first.specimens.isEmpty || second.specimens.isEmpty
                        || !Set(first.specimens).isDisjoint(with: second.specimens)
                else { continue }
                let low = max(first.minimum ?? -.infinity, second.minimum ?? -.infinity)
                let high = min(first.maximum ?? .infinity, second.maximum ?? .infinity)
                if low > high {
                    errors.append(
                        InputError(
                            .contradictoryRange, at: second.location,
                            "contradictory ranges for '\(first.subject)': \(first.rangeText) (line \(first.location.line)) and \(second.rangeText) do not overlap",
                            hint: "no value can pass both; merge them into one criterion"))
                }
            }
        }
        return errors
    }
}

extension EVMarker {
    /// "did you mean 'CD63', 'CD3' or 'CD9'? …" for a marker the catalogue lacks.
    public static func unknownMarkerHint(_ text: String) -> String {
        let nearest = nearestNames(to: text)
        let names = nearest.map { "'\($0)'" }
        let suggestion: String
        switch names.count {
        case 0: suggestion = ""
        case 1: suggestion = "did you mean \(names[0])? "
        default: suggestion = "did you mean \(names.dropLast().joined(separator: ", ")) or \(names[names.count - 1])? "
        }
        return suggestion + "markers are named as in MISEV2018 Table 3 or by HGNC gene symbol (docs/ev-qc.md)"
    }
}
