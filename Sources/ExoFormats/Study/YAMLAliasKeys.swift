package import ExoCore

/// Finds YAML aliases used as mapping keys before the document is composed.
///
/// Yams checks a mapping for duplicate keys by hashing every key, and an alias key is hashed with everything
/// it expands to: a few lines of nested anchors (`&a [*b, *b, …]`) used as a key make that exponential and
/// hang the reader. ExoScope's YAML files never need an alias as a key, so the reader refuses them before
/// composing. Aliases as values stay allowed: Yams shares their nodes, and ExoScope's readers look at one level
/// of a value at a time.
///
/// The scan is a small YAML lexer: it skips comments, quoted scalars, block scalars and plain scalars, and
/// looks at the token that starts each node. An alias is a key when it is followed on its line by `:` and a
/// space, a line end or a flow indicator; when it follows the explicit-key indicator `?`; or when it stands
/// at a key position of a flow mapping (after `{` or `,`). Anything it cannot place is treated as a key, so
/// the check errs towards refusing.
package enum YAMLAliasKeys {
    /// The first alias used as a mapping key, with its 1-based line and UTF-8 byte column.
    ///
    /// - Parameter text: the YAML text.
    /// - Returns: the alias name and position, or `nil` when no alias is a key.
    /// - Complexity: O(*n*) in the length of the text.
    package static func first(in text: String) -> (name: String, line: Int, column: Int)? {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.run()
    }

    /// The error for an alias used as a key.
    package static func error(name: String, line: Int, column: Int, path: String) -> InputError {
        InputError(
            .malformedYAML, at: InputLocation(path: path, line: line, column: column),
            "the alias \(InputError.quoted("*" + name)) is used as a mapping key; ExoScope does not accept aliases as keys",
            hint: "write the key out in full; aliases (*name) may stand only as values")
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lineStart = 0
        /// Open flow collections: `true` for a mapping (`{`), `false` for a sequence (`[`).
        var flow: [Bool] = []
        /// The previous token was the explicit-key indicator `?`.
        var afterExplicitKey = false
        /// In a flow mapping, the next node is at a key position.
        var flowKeyPosition = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }
        func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        func isBlankOrEnd(_ byte: UInt8?) -> Bool {
            byte == nil || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
        func isFlowIndicator(_ byte: UInt8?) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
                || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
        }

        mutating func newline() {
            index += 1
            line += 1
            lineStart = index
        }

        mutating func skipToLineEnd() {
            while let byte = current, byte != 0x0A { index += 1 }
        }

        mutating func run() -> (name: String, line: Int, column: Int)? {
            while let byte = current {
                switch byte {
                case 0x0A: newline()
                case 0x20, 0x09, 0x0D: index += 1
                case UInt8(ascii: "#"): skipToLineEnd()
                case UInt8(ascii: "-") where flow.isEmpty && isBlankOrEnd(peek(1)):
                    index += 1
                case UInt8(ascii: "?") where isBlankOrEnd(peek(1)):
                    afterExplicitKey = true
                    index += 1
                case UInt8(ascii: ":") where isBlankOrEnd(peek(1)) || !flow.isEmpty:
                    afterExplicitKey = false
                    flowKeyPosition = false
                    index += 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    flow.append(byte == UInt8(ascii: "{"))
                    flowKeyPosition = byte == UInt8(ascii: "{")
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if !flow.isEmpty { flow.removeLast() }
                    flowKeyPosition = false
                    index += 1
                case UInt8(ascii: ","):
                    flowKeyPosition = flow.last == true
                    index += 1
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    skipQuoted(byte)
                    afterExplicitKey = false
                    flowKeyPosition = false
                case UInt8(ascii: "|"),
                    UInt8(ascii: ">") where flow.isEmpty:
                    skipBlockScalar()
                case UInt8(ascii: "&"), UInt8(ascii: "!"):
                    // An anchor or a tag precedes the node it names: skip it, the node follows.
                    while !isBlankOrEnd(current), !(isFlowIndicator(current) && !flow.isEmpty) { index += 1 }
                case UInt8(ascii: "*"):
                    let column = index - lineStart + 1
                    let start = index + 1
                    index += 1
                    // libyaml's anchor names are letters, digits, '-' and '_'.
                    while let byte = current,
                        byte.isASCIIAlphanumeric || byte == UInt8(ascii: "-")
                            || byte == UInt8(ascii: "_")
                    {
                        index += 1
                    }
                    let end = index
                    let name = String(decoding: bytes[start..<end], as: UTF8.self)
                    if afterExplicitKey || flowKeyPosition || followedByValueIndicator(from: end) {
                        return (name, line, column)
                    }
                    afterExplicitKey = false
                case _:
                    skipPlainScalar()
                    afterExplicitKey = false
                    flowKeyPosition = false
                }
            }
            return nil
        }

        /// Whether `:` follows `position` on the same line, after blanks, as a value indicator.
        func followedByValueIndicator(from position: Int) -> Bool {
            var position = position
            while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
            let next = position + 1 < bytes.count ? bytes[position + 1] : nil
            return isBlankOrEnd(next) || isFlowIndicator(next)
        }

        /// Skips a quoted scalar, which may span lines (`''` escapes a single quote, `\` escapes in double quotes).
        mutating func skipQuoted(_ quote: UInt8) {
            index += 1
            while let byte = current {
                if byte == 0x0A {
                    newline()
                    continue
                }
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == quote {
                    if quote == UInt8(ascii: "'"), peek(1) == quote {
                        index += 2
                        continue
                    }
                    index += 1
                    return
                }
                index += 1
            }
        }

        /// Skips a block scalar: its header line and every following line indented more than the line that
        /// introduced it (or blank).
        mutating func skipBlockScalar() {
            let parentIndent = indent(ofLineAt: lineStart)
            skipToLineEnd()
            while current == 0x0A {
                newline()
                var probe = index
                while probe < bytes.count, bytes[probe] == 0x20 { probe += 1 }
                let isBlank = probe >= bytes.count || bytes[probe] == 0x0A || bytes[probe] == 0x0D
                guard isBlank || probe - index > parentIndent else { return }
                skipToLineEnd()
            }
        }

        func indent(ofLineAt start: Int) -> Int {
            var position = start
            while position < bytes.count, bytes[position] == 0x20 { position += 1 }
            return position - start
        }

        /// Skips a plain scalar: to the line end, a comment, a `: ` value indicator or, in flow context, a flow
        /// indicator.
        mutating func skipPlainScalar() {
            index += 1
            while let byte = current, byte != 0x0A {
                if byte == UInt8(ascii: ":"),
                    isBlankOrEnd(peek(1)) || (!flow.isEmpty && isFlowIndicator(peek(1)))
                {
                    return
                }
                if byte == UInt8(ascii: "#"), index > 0, bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 { return }
                if !flow.isEmpty, isFlowIndicator(byte) { return }
                index += 1
            }
        }
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
