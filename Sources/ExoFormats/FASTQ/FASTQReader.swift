public import ExoCore
public import Foundation

/// One FASTQ record, as views into the reader's buffer: valid only inside the closure that receives it.
public struct FASTQRecord {
    /// The header after `@`, up to the end of the line.
    public let name: UnsafeBufferPointer<UInt8>
    /// The bases, as written (A, C, G, T, N in either case).
    public let sequence: UnsafeBufferPointer<UInt8>
    /// The quality characters, Phred+33, as long as `sequence`.
    public let quality: UnsafeBufferPointer<UInt8>

}

/// A streaming FASTQ reader: four-line records, Phred+33 qualities, plain or gzip (through ``ByteStream``).
///
/// Records are parsed in place from one growable buffer refilled at record boundaries (as dnaio does), so memory
/// is the buffer — 4 MiB, more only for a record longer than that — whatever the size of the file. Every record
/// is checked before it is handed on: the header starts with `@`; the third line starts with `+` and, when it
/// repeats the name, repeats it exactly; the bases are A, C, G, T or N (either case); the qualities are as many
/// as the bases and lie in Phred+33's `!`…`~`. Lines may end with LF or CR LF. A final record may lack its
/// last line break. Errors name the record number, its line and the byte offset of the record in the
/// (decompressed) data.
///
/// Multi-line FASTQ (sequences wrapped over several lines) is not read: sequencers and their converters write
/// one line each, and the format's `@`/`+` ambiguity makes wrapped files unreliable to parse.
public final class FASTQReader {
    /// The stream the records come from.
    public let stream: ByteStream
    /// How many records have been read so far.
    public private(set) var recordsRead = 0
    /// How many bytes of (decompressed) FASTQ text have been read so far.
    public private(set) var bytesRead = 0

    /// The initial size of the buffer.
    let initialBufferSize: Int
    /// The largest buffer (and so the longest record) accepted.
    static let maximumBufferSize = 1 << 28

    /// Whether a byte may appear in a sequence line (1) or not (0), read without bounds checks in the per-base loop.
    private let baseTable: UnsafeMutablePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        table.initialize(repeating: 0, count: 256)
        for byte in "ACGTNacgtn".utf8 { table[Int(byte)] = 1 }
        return table
    }()

    deinit { baseTable.deallocate() }

    /// Reads from an open stream.
    public convenience init(stream: ByteStream) {
        self.init(stream: stream, bufferSize: 1 << 22)
    }

    /// Reads from an open stream with a buffer of `bufferSize` bytes to begin with (tests use tiny ones, so that
    /// records straddle every refill).
    package init(stream: ByteStream, bufferSize: Int) {
        self.stream = stream
        initialBufferSize = max(1, bufferSize)
    }

    /// Opens a file (plain or gzip), or standard input when `url` is `nil`.
    public convenience init(url: URL?, displayPath: String) throws(InputError) {
        self.init(stream: try ByteStream(url: url, displayPath: displayPath))
    }

    /// Calls `body` with every record, in order.
    ///
    /// - Throws: `InputError` of kind `malformedRecord` (with the record, line, column and byte offset),
    ///   `truncatedRecord`, `emptyTable` (no records at all), `malformedCompression` or `unreadableFile`.
    ///   Records before the faulty one have been passed to `body`; a caller that must not keep partial results
    ///   discards them.
    /// - Complexity: O(n) in the size of the data; memory O(longest record) beyond the 4 MiB buffer.
    ///
    /// - Parameters:
    ///   - maximumRecords: stop after this many records (the rest of the file is not read or checked).
    ///   - body: called with each record.
    public func forEachRecord(maximumRecords: Int = .max, _ body: (FASTQRecord) -> Void) throws(InputError) {
        var capacity = initialBufferSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        var atEnd = false
        var base = 0  // byte offset in the data of buffer[0]
        while true {
            // Fill the buffer to the top, or to the end of the data.
            while filled < capacity, !atEnd {
                let count = try stream.read(
                    into: UnsafeMutableRawBufferPointer(start: buffer + filled, count: capacity - filled))
                if count == 0 { atEnd = true } else { filled += count }
            }
            if base == 0, filled == 0 {
                throw InputError(
                    .emptyTable, at: InputLocation(path: stream.displayPath),
                    "\(InputError.quoted(stream.displayPath)) holds no reads",
                    hint: "check that the sequencer's export finished; an empty FASTQ cannot be counted")
            }
            let consumed = try parse(
                UnsafeRawBufferPointer(start: buffer, count: filled), base: base, atEnd: atEnd,
                maximumRecords: maximumRecords, body: body)
            if recordsRead >= maximumRecords { return }
            if atEnd {
                bytesRead = base + filled
                return
            }
            if consumed == 0 {
                // No whole record fits: grow the buffer (a very long record), up to the cap.
                guard capacity < Self.maximumBufferSize else {
                    throw malformed(
                        "a record is longer than \(Self.maximumBufferSize >> 20) MiB; this is not short-read FASTQ",
                        record: recordsRead + 1, line: 4 * recordsRead + 1, column: nil, offset: base)
                }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                grown.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
                continue
            }
            let left = filled - consumed
            if left > 0 { buffer.copyMemory(from: buffer + consumed, byteCount: left) }
            filled = left
            base += consumed
        }
    }

    /// Parses the whole records in `bytes`.
    ///
    /// - Returns: how many bytes they take. With `atEnd`, everything must parse.
    private func parse(
        _ bytes: UnsafeRawBufferPointer, base: Int, atEnd: Bool, maximumRecords: Int, body: (FASTQRecord) -> Void
    ) throws(InputError) -> Int {
        guard let address = bytes.baseAddress else { return 0 }
        let start = address.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        var position = 0
        // The end (exclusive, without CR) and the next line's start of each of the record's four lines.
        var ends = (0, 0, 0, 0)
        while position < count, recordsRead < maximumRecords {
            if atEnd,
                UnsafeBufferPointer(start: start + position, count: count - position).allSatisfy({
                    $0 == 0x0A || $0 == 0x0D
                })
            {
                return count  // blank lines after the last record
            }
            var cursor = position
            var complete = true
            for line in 0..<4 {
                guard cursor < count || (atEnd && line == 3 && cursor == count) else {
                    complete = false
                    break
                }
                let newline: UnsafeMutableRawPointer? =
                    cursor < count ? memchr(start + cursor, 0x0A, count - cursor) : nil
                var lineEnd: Int
                if let newline {
                    lineEnd = UnsafeRawPointer(newline) - UnsafeRawPointer(start)
                } else if atEnd && line == 3 {
                    lineEnd = count
                } else {
                    complete = false
                    break
                }
                let next = lineEnd + 1
                if lineEnd > cursor, start[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                switch line {
                case 0: ends.0 = lineEnd
                case 1: ends.1 = lineEnd
                case 2: ends.2 = lineEnd
                default: ends.3 = lineEnd
                }
                cursor = next
            }
            let record = recordsRead + 1
            if !complete {
                guard atEnd else { return position }
                throw InputError(
                    .truncatedRecord, at: InputLocation(path: stream.displayPath, line: 4 * recordsRead + 1),
                    "record \(record) (byte offset \(base + position)) is cut off: the data end before its four lines do",
                    hint: "the file was cut off while being copied or written; copy or download it again")
            }
            try check(start, from: position, ends: ends, base: base)
            let headerStart = position + 1
            let sequenceStart = skipLineBreak(start, ends.0)
            let qualityStart = skipLineBreak(start, ends.2)
            let recordView = FASTQRecord(
                name: UnsafeBufferPointer(start: start + headerStart, count: ends.0 - headerStart),
                sequence: UnsafeBufferPointer(start: start + sequenceStart, count: ends.1 - sequenceStart),
                quality: UnsafeBufferPointer(start: start + qualityStart, count: ends.3 - qualityStart))
            body(recordView)
            recordsRead += 1
            position = min(cursor, count)
        }
        return position
    }

    /// The start of the line after the one ending (before any CR) at `end`.
    private func skipLineBreak(_ start: UnsafePointer<UInt8>, _ end: Int) -> Int {
        start[end] == 0x0D ? end + 2 : end + 1
    }

    /// Checks one record's four lines.
    private func check(_ start: UnsafePointer<UInt8>, from position: Int, ends: (Int, Int, Int, Int), base: Int)
        throws(InputError)
    {
        let record = recordsRead + 1
        let firstLine = 4 * recordsRead + 1
        let offset = base + position
        let header = start[position]
        if header != UInt8(ascii: "@") {
            let found = Self.describe(header)
            let why: String
            if header == UInt8(ascii: ">") {
                why = "record \(record) starts with '>', expected '@': this is FASTA, not FASTQ"
            } else if header < 0x09 || header >= 0x80 {
                why = "record \(record) starts with \(found), expected '@': this is not FASTQ text (binary data)"
            } else {
                why = "record \(record)'s header starts with \(found), expected '@'"
            }
            let hint =
                header == UInt8(ascii: ">")
                ? "give FASTA libraries with --library NAME=FILE; reads must be FASTQ (with qualities)"
                : "a FASTQ record is four lines: @name, bases, +, qualities"
            throw malformed(why, record: record, line: firstLine, column: 1, offset: offset, hint: hint)
        }
        let sequenceStart = skipLineBreak(start, ends.0)
        let separatorStart = skipLineBreak(start, ends.1)
        let qualityStart = skipLineBreak(start, ends.2)
        let length = ends.1 - sequenceStart
        // Branch-free over the line; the position is looked for only when a byte failed.
        var valid: UInt8 = 1
        for index in 0..<length { valid &= baseTable[Int(start[sequenceStart + index])] }
        if valid == 0, let index = (0..<length).first(where: { baseTable[Int(start[sequenceStart + $0])] == 0 }) {
            throw malformed(
                "record \(record)'s sequence has \(Self.describe(start[sequenceStart + index])) at position \(index + 1), expected A, C, G, T or N",
                record: record, line: firstLine + 1, column: index + 1, offset: offset)
        }
        guard separatorStart < ends.2, start[separatorStart] == UInt8(ascii: "+") else {
            throw malformed(
                "record \(record)'s third line starts with \(Self.describe(start[separatorStart])), expected '+'",
                record: record, line: firstLine + 2, column: 1, offset: offset,
                hint: "a FASTQ record is four lines: @name, bases, +, qualities; wrapped (multi-line) FASTQ is not read"
            )
        }
        let repeated = ends.2 - separatorStart - 1
        if repeated > 0 {
            let name = UnsafeBufferPointer(start: start + position + 1, count: ends.0 - position - 1)
            let again = UnsafeBufferPointer(start: start + separatorStart + 1, count: repeated)
            if !name.elementsEqual(again) {
                throw malformed(
                    "record \(record)'s '+' line repeats a different name than its header",
                    record: record, line: firstLine + 2, column: 2, offset: offset,
                    hint: "the file's records may be interleaved or spliced")
            }
        }
        let qualities = ends.3 - qualityStart
        if qualities != length {
            throw malformed(
                "record \(record) has \(length) bases but \(qualities) quality characters",
                record: record, line: firstLine + 3, column: min(qualities, length) + 1, offset: offset,
                hint: "every base needs one quality character; the record was cut or edited")
        }
        var outside = false
        for index in 0..<qualities {
            let value = start[qualityStart + index] &- 33
            outside = outside || value > 93
        }
        if outside, let index = (0..<qualities).first(where: { start[qualityStart + $0] &- 33 > 93 }) {
            throw malformed(
                "record \(record)'s quality has \(Self.describe(start[qualityStart + index])) at position \(index + 1), outside Phred+33 ('!' to '~')",
                record: record, line: firstLine + 3, column: index + 1, offset: offset,
                hint: "ExoScope reads Phred+33 qualities (Illumina 1.8 and later); convert older files first")
        }
    }

    private func malformed(
        _ why: String, record: Int, line: Int, column: Int?, offset: Int,
        hint: String? = "a FASTQ record is four lines: @name, bases, +, qualities"
    ) -> InputError {
        InputError(
            .malformedRecord, at: InputLocation(path: stream.displayPath, line: line, column: column),
            "\(why) (byte offset \(offset)\(stream.isGzip ? " of the decompressed data" : ""))", hint: hint)
    }

    /// A byte as a message shows it: the character when printable, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte)
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
