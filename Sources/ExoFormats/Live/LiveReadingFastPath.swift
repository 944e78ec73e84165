import ExoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The reading lines of a live stream read without a general JSON parser.
///
/// A chip streams hundreds of thousands of `reading` lines, each a flat object of strings and numbers. This reader
/// takes exactly those: a flat object with the reading's fields (in any order, once each), strings without escapes,
/// integers as plain digits and numbers in JSON's grammar. Anything else — the layout, an escape, a missing or extra
/// field, a number it does not take — returns `nil`, and ``LiveMessageReader`` reads the line with Foundation's
/// parser, which also words every error. A line this reader accepts, that parser reads to the same message: its
/// numbers are read from the line's text by this reader's ``number(in:at:)`` on both paths, correctly rounded (the
/// Foundation parser on Linux is not always), so −0 and every decimal give the same double either way.
enum LiveReadingFastPath {
    /// The reading of a well-formed `reading` line, or `nil` to leave the line to the general parser.
    static func reading(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> LiveReading? {
        var scanner = Scanner(bytes: bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { return nil }
        var type: Substring?
        var run: String?
        var well: String?
        var seq: Int?
        var cycle: Int?
        var fluorescence: Double?
        var seenAt = false
        var first = true
        while true {
            scanner.skipSpace()
            if scanner.consume(UInt8(ascii: "}")) { break }
            if !first { guard scanner.consume(UInt8(ascii: ",")) else { return nil } }
            first = false
            scanner.skipSpace()
            guard let key = scanner.string() else { return nil }
            scanner.skipSpace()
            guard scanner.consume(UInt8(ascii: ":")) else { return nil }
            scanner.skipSpace()
            switch key {
            case "type":
                guard type == nil, let value = scanner.string() else { return nil }
                type = Substring(value)
            case "run":
                guard run == nil, let value = scanner.string(), IdentifierRule.isValid(value) else { return nil }
                run = value
            case "well":
                guard well == nil, let value = scanner.string() else { return nil }
                well = value
            case "seq":
                guard seq == nil, let value = scanner.integer(), value >= 1 else { return nil }
                seq = value
            case "cycle":
                guard cycle == nil, let value = scanner.integer(), value >= 1 else { return nil }
                cycle = value
            case "fluorescence":
                guard fluorescence == nil, let value = scanner.number() else { return nil }
                fluorescence = value
            case "at":
                guard !seenAt, scanner.string() != nil else { return nil }
                seenAt = true
            default: return nil
            }
        }
        scanner.skipSpace()
        guard scanner.atEnd, type == "reading", let run, let well, let seq, let cycle, let fluorescence else {
            return nil
        }
        return LiveReading(run: run, seq: seq, well: well, cycle: cycle, fluorescence: fluorescence, line: line)
    }

    /// The JSON number starting at byte `index` of a line, read as the fast path reads it (correctly rounded), or
    /// `nil` when no number in JSON's grammar starts there.
    static func number(in bytes: [UInt8], at index: Int) -> Double? {
        guard index >= 0, index < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer)
            scanner.index = index
            return scanner.number()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A string without escapes or control characters.
        mutating func string() -> String? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                guard byte != UInt8(ascii: "\\"), byte >= 0x20, byte < 0x80 else { return nil }
                index += 1
            }
            return nil
        }

        /// Plain digits, no sign, no leading zero, at most 15 of them.
        mutating func integer() -> Int? {
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                guard index - start < 15 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            let count = index - start
            guard count > 0, count <= 15, !(count > 1 && bytes[start] == 0x30) else { return nil }
            // A fraction or exponent makes it a number the general parser judges.
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") {
                return nil
            }
            return value
        }

        /// A number in JSON's grammar, finite.
        mutating func number() -> Double? {
            let start = index
            _ = consume(UInt8(ascii: "-"))
            let integerStart = index
            let integerDigits = digits()
            // No digits, or a leading zero ("01"), is not JSON.
            guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == 0x30) else { return nil }
            if consume(UInt8(ascii: ".")) { guard digits() > 0 else { return nil } }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
                guard digits() > 0 else { return nil }
            }
            let length = index - start
            guard length < 64 else { return nil }
            let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double in
                for offset in 0..<length { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
                buffer[length] = 0
                guard let start = buffer.baseAddress else { return .nan }
                return strtod(start, nil)
            }
            return value.isFinite ? value : nil
        }

        private mutating func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
    }
}
