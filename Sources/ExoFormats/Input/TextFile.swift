public import ExoCore
public import Foundation

/// A user file read whole into memory: its bytes, SHA-256, and its text as lines.
///
/// Text must be UTF-8; a UTF-8 byte-order mark is dropped, and LF, CR LF and a lone CR all end a line.
/// Study files are small (sample sheets, Cq tables); streaming readers for large data live elsewhere.
public struct TextFile: Sendable {
    /// The path as shown to the user (relative to the study folder).
    public let displayPath: String
    /// The file's location on disk.
    public let url: URL
    /// SHA-256 of the bytes as stored on disk, lowercase hex.
    public let sha256: String
    /// Size in bytes.
    public let byteCount: Int
    /// The lines, without line terminators; line `i` of the file is `lines[i - 1]`.
    public let lines: [Substring]
    /// Whether the file ends with a line break (or is empty); a table whose last line does not, and is short, was
    /// most likely cut off while being copied or written.
    public let endsWithLineBreak: Bool

    /// Reads and decodes a file.
    ///
    /// - Throws: `InputError` of kind `fileNotFound`, `unreadableFile` or `invalidEncoding` (with the line
    ///   and byte column of the first byte that is not UTF-8).
    public init(url: URL, displayPath: String) throws(InputError) {
        let location = InputLocation(path: displayPath)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw InputError(
                .fileNotFound, at: location, "file \(InputError.quoted(displayPath)) does not exist",
                hint: "paths in study.yaml are relative to the study folder")
        }
        guard !isDirectory.boolValue else {
            throw InputError(
                .unreadableFile, at: location, "\(InputError.quoted(displayPath)) is a folder, expected a file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError(
                .unreadableFile, at: location, "cannot read \(InputError.quoted(displayPath))",
                hint: "check the file's permissions")
        }
        let bytes = [UInt8](data)
        try self.init(bytes: bytes, url: url, displayPath: displayPath)
    }

    /// Decodes bytes already in memory (tests, and files read once for hashing and parsing).
    public init(bytes: [UInt8], url: URL, displayPath: String) throws(InputError) {
        self.displayPath = displayPath
        self.url = url
        self.byteCount = bytes.count
        self.sha256 = FileDigest.sha256Hex(bytes)
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let ranges = Self.lineRanges(body)
        endsWithLineBreak = body.last.map { $0 == 0x0A || $0 == 0x0D } ?? true
        if let offset = Self.firstInvalidUTF8Offset(body) {
            let lineIndex = ranges.lastIndex { $0.lowerBound <= offset } ?? 0
            let lineStart = ranges.isEmpty ? body.startIndex : ranges[lineIndex].lowerBound
            throw InputError(
                .invalidEncoding,
                at: InputLocation(path: displayPath, line: lineIndex + 1, column: offset - lineStart + 1),
                "expected UTF-8 text, found byte 0x\(String(body[offset], radix: 16, uppercase: true))",
                hint: "save the file as UTF-8 (in Excel: 'CSV UTF-8' or 'Unicode Text'; or iconv -f latin1 -t utf-8)")
        }
        self.lines = ranges.map { Substring(String(decoding: body[$0], as: UTF8.self)) }
    }

    /// The byte ranges of the lines, without terminators.
    ///
    /// Splits on bytes, not Characters (Swift reads
    /// CR LF as one Character, which never equals "\n"); LF, CR LF and a lone CR (classic Mac, as some
    /// QuantaSoft exports have) all end a line.
    static func lineRanges(_ body: ArraySlice<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = body.startIndex
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == 0x0A || byte == 0x0D {
                ranges.append(start..<index)
                if byte == 0x0D, index + 1 < body.endIndex, body[index + 1] == 0x0A { index += 1 }
                start = index + 1
            }
            index += 1
        }
        if start < body.endIndex { ranges.append(start..<body.endIndex) }
        return ranges
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, or `nil`.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.endIndex else { return index }
            for continuation in bytes[(index + 1)..<(index + length)] where continuation & 0xC0 != 0x80 {
                return index
            }
            if length == 3 {
                let second = bytes[index + 1]
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) { return index }
            } else if length == 4 {
                let second = bytes[index + 1]
                if (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F) { return index }
            }
            index += length
        }
        return nil
    }

    /// The text of the whole file, lines joined with LF.
    public var text: String { lines.joined(separator: "\n") }
}

extension TextFile {
    /// The text of a database or instrument export that may be Latin-1 (ExoCarta, Vesiclepedia, HMDD, NanoSight):
    /// UTF-8 when the bytes are valid UTF-8, else ISO 8859-1, which decodes any byte.
    package static func utf8OrLatin1(_ data: Data) -> String {
        String(data: data, encoding: .utf8) ?? String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
    }

    /// Bytes as text: UTF-8 where valid, else Latin-1 (every byte one character).
    package static func utf8OrLatin1(bytes: some Collection<UInt8>) -> String {
        String(validating: bytes, as: UTF8.self) ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

extension TextFile {
    /// The same file with its lines replaced (lines keep their numbers).
    init(lines: [Substring], like file: TextFile) {
        displayPath = file.displayPath
        url = file.url
        sha256 = file.sha256
        byteCount = file.byteCount
        self.lines = lines
        endsWithLineBreak = file.endsWithLineBreak
    }
}
