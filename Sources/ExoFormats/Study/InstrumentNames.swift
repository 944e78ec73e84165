public import ExoCore
import Yams

/// How the names an instrument wrote map onto the study: `sampleMap` (instrument sample name → the sample
/// sheet's `sample_id`) and `targetMap` (instrument target or detector name → analyte, with its type when the
/// name is not a miRNA) in study.yaml.
///
/// They apply to RDML files, instrument Cq exports and dPCR partition files, so a run exported as
/// `pop1_RNase P` can be read without editing it. A name that is not in a map is used as written.
public struct InstrumentNames: Sendable, Hashable {
    /// An analyte an instrument's target name stands for.
    public struct Target: Sendable, Hashable {
        /// The analyte's name, resolved like any analyte name (`miR-21` → `hsa-miR-21-5p`).
        public var analyte: String
        /// The analyte's type, when the name alone does not say it.
        public var kind: AnalyteKind?

        /// Creates a target mapping.
        public init(analyte: String, kind: AnalyteKind? = nil) {
            self.analyte = analyte
            self.kind = kind
        }
    }

    /// Instrument sample name → sample id.
    public var samples: [String: String] = [:]
    /// Instrument sample names mapped to nothing (`NTC: ~`): controls and blanks of an export that does not say
    /// which wells are controls, left out.
    public var leftOut: Set<String> = []
    /// Instrument target name → analyte.
    public var targets: [String: Target] = [:]
    /// The type of every other target that is not a miRNA name (`targetMap: {"*": {type: other}}`): a gene
    /// expression array's assays are then kept as written instead of each needing a line.
    public var otherTargetsKind: AnalyteKind?

    /// Creates maps.
    public init(samples: [String: String] = [:], targets: [String: Target] = [:]) {
        self.samples = samples
        self.targets = targets
    }

    /// The sample id an instrument's sample name stands for; `nil` for a name mapped to nothing.
    public func sample(_ written: String) -> String? { leftOut.contains(written) ? nil : samples[written] ?? written }

    /// The analyte name and type an instrument's target name stands for.
    public func target(_ written: String) -> Target { targets[written] ?? Target(analyte: written) }

    /// The analyte a target that is neither mapped nor a miRNA name stands for, under `"*"`; `nil` without it.
    public func fallback(_ written: String) -> Analyte? {
        guard targets[written] == nil, let kind = otherTargetsKind else { return nil }
        return Analyte(name: written.trimmingWhitespace(), kind: kind)
    }

    /// Keys of a `targetMap` entry written as a mapping.
    static let targetKeys = ["analyte", "type"]

    /// Reads `sampleMap` and `targetMap` from the top level of study.yaml; errors are recorded in `top`.
    static func parse(in top: inout YAMLMapping) -> InstrumentNames {
        var names = InstrumentNames()
        for (key, value, location) in pairs("sampleMap", in: &top) {
            if case .scalar(let scalar) = value, ["~", "null", "Null", "NULL", ""].contains(scalar.string) {
                names.leftOut.insert(key)
                continue
            }
            guard case .scalar(let scalar) = value else {
                top.errors.append(
                    InputError(
                        .wrongType, at: location,
                        "expected a sample id for instrument sample \(InputError.quoted(key)), found \(YAMLMapping.describe(value))",
                        hint: "write 'instrument name: SAMPLE-ID', or 'instrument name: ~' to leave its wells out"))
                continue
            }
            names.samples[key] = scalar.string
        }
        for (key, value, location) in pairs("targetMap", in: &top) {
            switch value {
            case .scalar(let scalar) where !scalar.string.isEmpty:
                names.targets[key] = Target(analyte: scalar.string)
            case .mapping(let mapping) where key == "*":
                var entry = YAMLMapping(mapping, path: top.path, lines: top.lines, validKeys: ["type"])
                names.otherTargetsKind = entry.vocabulary("type", AnalyteKind.self)
                if names.otherTargetsKind == nil, entry.errors.isEmpty {
                    entry.errors.append(
                        InputError(
                            .missingKey, at: location, "the '*' entry of targetMap needs a 'type'",
                            hint: "write '\"*\": {type: other}' to keep every other target with that type"))
                }
                top.errors += entry.errors
            case .mapping(let mapping):
                var entry = YAMLMapping(mapping, path: top.path, lines: top.lines, validKeys: targetKeys)
                let analyte = entry.string("analyte", required: true)
                let kind = entry.vocabulary("type", AnalyteKind.self)
                top.errors += entry.errors
                if let analyte { names.targets[key] = Target(analyte: analyte, kind: kind) }
            default:
                top.errors.append(
                    InputError(
                        .wrongType, at: location,
                        "expected an analyte for instrument target \(InputError.quoted(key)), found \(YAMLMapping.describe(value))",
                        hint: "write 'RNase P: {analyte: RNase P, type: assay-control}' or 'U6 snRNA: U6'"))
            }
        }
        return names
    }

    /// The entries of a top-level mapping of instrument names, with each value's location.
    private static func pairs(_ key: String, in top: inout YAMLMapping) -> [(String, Node, InputLocation)] {
        guard let value = top.value(key) else { return [] }
        guard case .mapping(let mapping) = value else {
            top.errors.append(
                InputError(
                    .wrongType, at: top.location(of: value),
                    "expected a mapping of instrument names for '\(key)', found \(YAMLMapping.describe(value))"))
            return []
        }
        var result: [(String, Node, InputLocation)] = []
        for (name, node) in mapping {
            guard let text = name.string else {
                top.errors.append(
                    InputError(.wrongType, at: top.location(of: name), "expected an instrument name as the key"))
                continue
            }
            result.append((text, node, top.location(of: node)))
        }
        return result
    }
}
