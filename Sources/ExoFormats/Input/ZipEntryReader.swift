import CExoZlib
public import ExoCore
public import Foundation
import ZIPFoundation

/// The one way ExoScope reads entries of a zip archive (RDML, `.xlsx`): with a cap on the inflated size and
/// with each entry's CRC-32 checked.
///
/// A zip entry can inflate a thousand times past its compressed size (a 1 MB entry of newlines is 1 GiB of
/// text), so every entry is refused once it inflates past ``maximumInflatedBytes`` — checked first against
/// the size the archive declares and then against the bytes actually inflated, since a hostile archive can
/// declare any size. The cap defaults to ``defaultMaximumInflatedBytes`` (512 MiB, about a hundred times
/// the largest instrument export we have seen) and is raised for a genuine larger file with the environment
/// variable `EXOSCOPE_MAX_INFLATED_BYTES` (``maximumInflatedBytesVariable``). An entry whose content does not
/// match the CRC-32 the archive records is refused rather than parsed, so an altered or damaged file never
/// reads as if it were fine.
///
/// ZIPFoundation lists the entries; the entries are inflated here, with zlib, from the bytes between an entry's
/// data offset and its compressed size. ZIPFoundation 0.9.20's own inflate loop on Linux reads on past the entry
/// and, given a deflate stream that never ends, asks for more input forever (found by the `rdml` and `xlsx` fuzz
/// targets; upstream weichsel/ZIPFoundation#389 is open): the loop here stops at the entry's last byte.
public struct ZipEntryReader {
    /// The default cap on one entry's inflated size: 512 MiB.
    public static let defaultMaximumInflatedBytes = 512 << 20
    /// The environment variable that sets the cap: a number of bytes, optionally followed by `K`, `M` or
    /// `G` (binary units: `2G` is 2 GiB).
    public static let maximumInflatedBytesVariable = "EXOSCOPE_MAX_INFLATED_BYTES"

    /// The archive's path as shown in messages.
    public let displayPath: String
    /// The largest number of bytes one entry may inflate to.
    public let maximumInflatedBytes: Int
    /// The names of the archive's file entries (not folders or links), in archive order.
    public let entryNames: [String]
    /// The archive's bytes.
    private let data: Data
    /// Each file entry by name: ZIPFoundation's entry (checksum, sizes) and where its compressed bytes are.
    private let entries: [String: (entry: Entry, span: EntrySpan)]

    /// Opens an archive held in memory.
    ///
    /// - Parameters:
    ///   - data: the archive's bytes.
    ///   - displayPath: the path as shown in messages.
    ///   - maximumInflatedBytes: the cap on one entry's inflated size; `nil` reads
    ///     `EXOSCOPE_MAX_INFLATED_BYTES`, or uses ``defaultMaximumInflatedBytes`` when it is unset.
    /// - Throws: `InputError` of kind `malformedArchive` when `data` is not a readable zip archive, or
    ///   `invalidValue` when `EXOSCOPE_MAX_INFLATED_BYTES` is not a size.
    public init(data: Data, displayPath: String, maximumInflatedBytes: Int? = nil) throws(InputError) {
        self.displayPath = displayPath
        if let maximumInflatedBytes {
            self.maximumInflatedBytes = maximumInflatedBytes
        } else {
            self.maximumInflatedBytes = try Self.maximumInflatedBytes(
                from: ProcessInfo.processInfo.environment, displayPath: displayPath)
        }
        let spans = try Self.entrySpans(of: data, displayPath: displayPath)
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw InputError(
                .malformedArchive, at: InputLocation(path: displayPath),
                "not a readable zip archive: it is truncated or damaged")
        }
        self.data = data
        var names: [String] = []
        var entries: [String: (entry: Entry, span: EntrySpan)] = [:]
        for (index, entry) in archive.enumerated() where entry.type == .file {
            // The walk lists what ZIPFoundation lists, in its order; an entry it did not reach is not read.
            guard index < spans.count, spans[index].compressedSize == entry.compressedSize,
                entries[entry.path] == nil
            else { continue }
            names.append(entry.path)
            entries[entry.path] = (entry, spans[index])
        }
        entryNames = names
        self.entries = entries
    }

    /// The cap that `environment` sets: ``defaultMaximumInflatedBytes`` when the variable is unset.
    ///
    /// - Parameters:
    ///   - environment: the process environment (a parameter so that tests need not change the real one).
    ///   - displayPath: the file being read, for the error's location.
    /// - Returns: the cap in bytes.
    /// - Throws: `InputError` of kind `invalidValue` when the value is not a positive size.
    public static func maximumInflatedBytes(from environment: [String: String], displayPath: String)
        throws(InputError) -> Int
    {
        guard let text = environment[maximumInflatedBytesVariable] else { return defaultMaximumInflatedBytes }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shift: Int
        switch trimmed.last {
        case "K", "k": shift = 10
        case "M", "m": shift = 20
        case "G", "g": shift = 30
        default: shift = 0
        }
        let digits = shift == 0 ? Substring(trimmed) : trimmed.dropLast()
        guard let count = Int(digits), count > 0, count <= Int.max >> shift else {
            throw InputError(
                .invalidValue, at: InputLocation(path: displayPath),
                "\(maximumInflatedBytesVariable) is \(InputError.quoted(text)), expected a size in bytes such as 1073741824 or 1G",
                hint: "unset it to use the default cap of 512 MiB")
        }
        return count << shift
    }

    /// Whether the archive holds a file entry with this name.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The inflated content of an entry, its CRC-32 checked.
    ///
    /// - Parameter name: the entry's path inside the archive.
    /// - Returns: the content.
    /// - Throws: `InputError` of kind `missingEntry`, `archiveTooLarge` (past ``maximumInflatedBytes``),
    ///   `checksumMismatch` or `malformedArchive` (the compressed data are damaged).
    /// - Complexity: O(n) in the inflated size; memory is the inflated size, at most the cap.
    public func data(of name: String) throws(InputError) -> Data {
        try inflate(name, stoppingAfter: nil)
    }

    /// The first bytes of an entry, to recognise what it holds without inflating all of it; not checked
    /// against the CRC-32, which covers the whole entry.
    ///
    /// - Parameters:
    ///   - name: the entry's path inside the archive.
    ///   - count: how many bytes to return at most.
    /// - Returns: at most `count` bytes from the start of the entry.
    /// - Throws: as ``data(of:)``, except `checksumMismatch`.
    public func prefix(of name: String, count: Int) throws(InputError) -> Data {
        try inflate(name, stoppingAfter: count)
    }

    /// Where messages about an entry point: `archive!entry`.
    public func location(of name: String) -> InputLocation { InputLocation(path: "\(displayPath)!\(name)") }

    private func inflate(_ name: String, stoppingAfter limit: Int?) throws(InputError) -> Data {
        guard let (entry, span) = entries[name] else {
            throw InputError(
                .missingEntry, at: InputLocation(path: displayPath),
                "the archive holds no entry \(InputError.quoted(name))")
        }
        let location = location(of: name)
        let cap = maximumInflatedBytes
        guard entry.uncompressedSize <= UInt64(cap) else { throw tooLarge(location, declared: entry.uncompressedSize) }
        func damaged(_ why: String) -> InputError {
            InputError(
                .malformedArchive, at: location, "entry \(InputError.quoted(name)) cannot be decompressed: \(why)",
                hint: "copy or export the file again")
        }
        guard span.compressedSize <= UInt64(data.count - span.dataOffset) else {
            throw damaged("its data run past the end of the file")
        }
        let start = data.startIndex + span.dataOffset
        let compressed = data[start..<start + Int(span.compressedSize)]
        let content: Data
        switch span.method {
        case 0:
            guard compressed.count <= cap else { throw tooLarge(location, declared: nil) }
            content = Data(compressed.prefix(limit ?? compressed.count))
        case 8:
            let inflated = try Self.inflateRaw(compressed, cap: cap, stoppingAfter: limit, damaged: damaged)
            guard let inflated else { throw tooLarge(location, declared: nil) }
            content = inflated
        default:
            throw damaged("it uses compression method \(span.method); ExoScope reads stored and deflated entries")
        }
        if let limit { return content.prefix(limit) }
        let checksum = content.withUnsafeBytes { bytes in
            crc32(0, bytes.bindMemory(to: Bytef.self).baseAddress, uInt(bytes.count))
        }
        if checksum != uLong(entry.checksum) {
            throw InputError(
                .checksumMismatch, at: location,
                "entry \(InputError.quoted(name)) does not match its CRC-32 (expected \(Self.hex(UInt32(entry.checksum))), found \(Self.hex(UInt32(truncatingIfNeeded: checksum)))): the file was altered or damaged",
                hint: "copy or export the file again; the archive's content cannot be trusted")
        }
        return content
    }

    /// Inflates a raw deflate stream that must end within `compressed`.
    ///
    /// - Returns: the inflated bytes (at least `limit` of them when the stream holds that many), or `nil` when they
    ///   pass `cap`.
    /// - Throws: `damaged(…)` when the stream is corrupt or ends early.
    /// - Complexity: O(n) in the inflated size; every call of `inflate` either ends the stream, fills the output
    ///   buffer or consumes input, so the loop ends with the input.
    private static func inflateRaw(
        _ compressed: Data, cap: Int, stoppingAfter limit: Int?, damaged: (String) -> InputError
    ) throws(InputError) -> Data? {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw damaged("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var content = Data()
        var status = Z_OK
        var pastCap = false
        compressed.withUnsafeBytes { input in
            // zlib only reads through `next_in`; its header declares it mutable unless built with ZLIB_CONST.
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            buffer.withUnsafeMutableBufferPointer { output in
                while status == Z_OK {
                    stream.next_out = output.baseAddress
                    stream.avail_out = uInt(output.count)
                    status = CExoZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = output.count - Int(stream.avail_out)
                    guard content.count + produced <= cap else {
                        pastCap = true
                        return
                    }
                    content.append(contentsOf: output[..<produced])
                    if let limit, content.count >= limit { return }
                }
            }
        }
        if pastCap { return nil }
        switch status {
        case Z_STREAM_END, Z_OK: return content  // Z_OK: the prefix asked for is complete
        case Z_BUF_ERROR: throw damaged("its compressed data end before the entry does")
        default: throw damaged("its compressed data are corrupt")
        }
    }

    private func tooLarge(_ location: InputLocation, declared: UInt64?) -> InputError {
        let cap = Self.size(maximumInflatedBytes)
        let size = declared.map { "declares \($0) bytes, more than" } ?? "inflates past"
        return InputError(
            .archiveTooLarge, at: location, "the entry \(size) the \(cap) cap on an archive entry",
            hint:
                "a file this large is usually a zip bomb; if it is genuine, raise the cap with \(Self.maximumInflatedBytesVariable)=2G (bytes, or K, M, G)"
        )
    }

    /// `512 MiB`, `2 GiB`, `1000 bytes`: a cap as the user would write it.
    static func size(_ bytes: Int) -> String {
        for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)]
        where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
