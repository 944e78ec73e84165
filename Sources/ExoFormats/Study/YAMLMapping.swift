package import ExoCore
package import Yams

/// Reads a YAML mapping key by key, collecting every problem with its location instead of stopping.
package struct YAMLMapping {
    package let node: Node.Mapping
    package let path: String
    package let lines: [Substring]
    /// Keys this mapping may have.
    package let validKeys: [String]
    package var errors: [InputError] = []

    package init(_ node: Node.Mapping, path: String, lines: [Substring], validKeys: [String]) {
        self.node = node
        self.path = path
        self.lines = lines
        self.validKeys = validKeys
        for (key, _) in node {
            guard let name = key.string, validKeys.contains(name) else {
                let name = key.string ?? "?"
                errors.append(
                    InputError(
                        .unknownKey, at: location(of: key), "unknown key \(InputError.quoted(name))",
                        hint: EditDistance.didYouMean(name, in: validKeys)
                            ?? "valid keys here: \(validKeys.joined(separator: ", "))"))
                continue
            }
        }
    }

    /// The location of a node, with the column counted in UTF-8 bytes.
    package func location(of node: Node) -> InputLocation {
        guard let mark = node.mark else { return InputLocation(path: path) }
        return Self.location(path: path, lines: lines, line: mark.line, scalarColumn: mark.column)
    }

    /// Converts libyaml's Unicode-scalar column into a UTF-8 byte column.
    package static func location(path: String, lines: [Substring], line: Int, scalarColumn: Int) -> InputLocation {
        guard line >= 1, line <= lines.count else { return InputLocation(path: path, line: line, column: scalarColumn) }
        let scalars = lines[line - 1].unicodeScalars.prefix(max(0, scalarColumn - 1))
        return InputLocation(path: path, line: line, column: scalars.reduce(0) { $0 + String($1).utf8.count } + 1)
    }

    /// The mapping's own location.
    package var selfLocation: InputLocation {
        node.mark.map { Self.location(path: path, lines: lines, line: $0.line, scalarColumn: $0.column) }
            ?? InputLocation(path: path, line: 1, column: 1)
    }

    package func value(_ key: String) -> Node? { node[key] }

    /// A scalar string; records `missingKey` or `wrongType` and returns `nil` when it cannot.
    package mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = node[key] else {
            if required {
                errors.append(
                    InputError(.missingKey, at: selfLocation, "missing required key '\(key)'", hint: "add '\(key): …'"))
            }
            return nil
        }
        guard case .scalar(let scalar) = value else {
            errors.append(
                InputError(
                    .wrongType, at: location(of: value), "expected text for '\(key)', found \(Self.describe(value))"))
            return nil
        }
        return scalar.string
    }

    /// An integer scalar.
    package mutating func int(_ key: String, required: Bool = false) -> Int? {
        guard let text = string(key, required: required) else { return nil }
        guard let value = Int(text) else {
            errors.append(
                InputError(
                    .wrongType, at: location(of: node[key] ?? Node("")),
                    "expected a whole number for '\(key)', found \(InputError.quoted(text))"))
            return nil
        }
        return value
    }

    /// A finite number scalar (`1.5e9`, `70`).
    package mutating func number(_ key: String, required: Bool = false) -> Double? {
        guard let text = string(key, required: required) else { return nil }
        guard let value = Double(text), value.isFinite else {
            errors.append(
                InputError(
                    .invalidNumber, at: location(of: node[key] ?? Node("")),
                    "expected a number for '\(key)', found \(InputError.quoted(text))"))
            return nil
        }
        return value
    }

    /// A `[LOW, HIGH]` size range in nm (`nil` when the key is absent or wrong, which is recorded).
    package mutating func sizeRange(_ key: String) -> ClosedRange<Double>? {
        guard let node = node[key] else { return nil }
        let bounds = sequence(key).compactMap { $0.string.flatMap(Double.init) }
        guard bounds.count == 2, bounds[0] >= 0, bounds[0] < bounds[1] else {
            errors.append(
                InputError(
                    .contradictoryRange, at: location(of: node),
                    "expected '\(key): [LOW, HIGH]' in nm with LOW < HIGH", hint: "such as [30, 150]"))
            return nil
        }
        return bounds[0]...bounds[1]
    }

    /// A yes/no flag (`true`, `yes`, `false`, `no`); `nil` when absent, an error when anything else.
    package mutating func flag(_ key: String) -> Bool? {
        guard let text = string(key), let node = node[key] else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            errors.append(
                InputError(
                    .invalidValue, at: location(of: node),
                    "expected yes or no for '\(key)', found \(InputError.quoted(text))"))
            return nil
        }
    }

    /// A value from a closed vocabulary.
    package mutating func vocabulary<V: Vocabulary>(
        _ key: String, _ type: V.Type, kind: InputError.Kind = .invalidValue
    ) -> V? {
        guard let text = string(key), let valueNode = node[key] else { return nil }
        guard let value = V(parsing: text) else {
            errors.append(
                InputError(
                    kind, at: location(of: valueNode),
                    "expected one of \(V.spellings.joined(separator: ", ")) for '\(key)', found \(InputError.quoted(text))",
                    hint: EditDistance.didYouMean(text, in: V.spellings)))
            return nil
        }
        return value
    }

    /// A sequence of nodes (a missing key is an empty list).
    package mutating func sequence(_ key: String) -> [Node] {
        guard let value = node[key] else { return [] }
        guard case .sequence(let items) = value else {
            errors.append(
                InputError(
                    .wrongType, at: location(of: value), "expected a list for '\(key)', found \(Self.describe(value))"))
            return []
        }
        return Array(items)
    }

    /// A nested mapping.
    package mutating func mapping(_ key: String, validKeys: [String]) -> YAMLMapping? {
        guard let value = node[key] else { return nil }
        guard case .mapping(let mapping) = value else {
            errors.append(
                InputError(
                    .wrongType, at: location(of: value),
                    "expected a mapping for '\(key)', found \(Self.describe(value))"))
            return nil
        }
        return YAMLMapping(mapping, path: path, lines: lines, validKeys: validKeys)
    }

    /// "a list", "a mapping", "text 'x'".
    package static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "text \(InputError.quoted(scalar.string))"
        case .sequence: "a list"
        case .mapping: "a mapping"
        case .alias: "an alias"
        }
    }
}
