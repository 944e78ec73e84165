public import ExoCore
public import Foundation

/// Reads a FASTA file (plain or gzip) of reference sequences: a `>` header line, then the sequence on one or
/// more lines.
///
/// The name is the header's first word. Letters may be any IUPAC code in either case (reference libraries carry
/// R, Y, …); `U` is kept as written, so RNA files read as they are. Blank lines are skipped; CR LF line ends are
/// accepted. The whole file is held in memory: reference libraries are megabytes, not the gigabytes reads are.
public enum FASTAReader {
    /// The records of a file, in order.
    ///
    /// - Throws: `InputError` of kind `malformedRecord` (a sequence line before any header, a header with no
    ///   name, a character that is not a letter, a record with no sequence), `emptyTable`, `fileNotFound`,
    ///   `unreadableFile` or `malformedCompression`.
    public static func records(url: URL, displayPath: String) throws(InputError) -> [(name: String, sequence: String)] {
        let stream = try ByteStream(url: url, displayPath: displayPath)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try stream.read(into: chunk)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return try parse(bytes, displayPath: displayPath)
    }

    /// Parses FASTA text already in memory.
    public static func parse(_ bytes: [UInt8], displayPath: String) throws(InputError) -> [(
        name: String, sequence: String
    )] {
        var records: [(name: String, sequence: String)] = []
        var name: String?
        var headerLine = 0
        var sequence: [UInt8] = []
        var lineNumber = 0
        func finish() throws(InputError) {
            guard let current = name else { return }
            guard !sequence.isEmpty else {
                throw InputError(
                    .malformedRecord, at: InputLocation(path: displayPath, line: headerLine),
                    "record \(records.count + 1) (\(InputError.quoted(current))) has no sequence",
                    hint: "a FASTA record is a '>' header line followed by its sequence")
            }
            records.append((current, String(decoding: sequence, as: UTF8.self)))
            sequence.removeAll(keepingCapacity: true)
        }
        for range in TextFile.lineRanges(bytes[...]) {
            lineNumber += 1
            let line = bytes[range]
            guard let first = line.first else { continue }
            if first == UInt8(ascii: ">") {
                try finish()
                let header = String(decoding: line.dropFirst(), as: UTF8.self)
                guard let word = header.split(whereSeparator: { $0 == " " || $0 == "\t" }).first else {
                    throw InputError(
                        .malformedRecord, at: InputLocation(path: displayPath, line: lineNumber, column: 2),
                        "record \(records.count + 1)'s header has no name",
                        hint: "write the sequence's name right after '>'")
                }
                name = String(word)
                headerLine = lineNumber
                continue
            }
            guard name != nil else {
                let why =
                    first == UInt8(ascii: "@")
                    ? "the file starts with '@', expected '>': this looks like FASTQ (reads), not FASTA (references)"
                    : "expected a '>' header line before any sequence"
                throw InputError(
                    .malformedRecord, at: InputLocation(path: displayPath, line: lineNumber, column: 1), why,
                    hint: "reference libraries are FASTA: '>' name lines, each followed by its sequence")
            }
            for (offset, byte) in line.enumerated() {
                if (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
                    sequence.append(byte & 0xDF)
                } else if byte == UInt8(ascii: "*") || byte == UInt8(ascii: "-") {
                    continue
                } else {
                    throw InputError(
                        .malformedRecord, at: InputLocation(path: displayPath, line: lineNumber, column: offset + 1),
                        "record \(records.count + 1)'s sequence has \(FASTQReader.describe(byte)), expected a letter",
                        hint: "FASTA sequences are letters (A, C, G, T/U and IUPAC codes)")
                }
            }
        }
        try finish()
        guard !records.isEmpty else {
            throw InputError(
                .emptyTable, at: InputLocation(path: displayPath),
                "\(InputError.quoted(displayPath)) holds no sequences",
                hint: "a FASTA file is '>' header lines, each followed by its sequence")
        }
        return records
    }
}
