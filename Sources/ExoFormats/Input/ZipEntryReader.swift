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
    private let archive: Archive

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
        try Self.checkBounds(of: data, displayPath: displayPath)
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw InputError(
                .malformedArchive, at: InputLocation(path: displayPath),
                "not a readable zip archive: it is truncated or damaged")
        }
        entryNames = archive.filter { $0.type == .file }.map(\.path)
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
    public func contains(_ name: String) -> Bool { entryNames.contains(name) }

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

    /// Why inflating stopped early.
    private enum Stop: Error {
        case capExceeded
        case prefixComplete
    }

    private func inflate(_ name: String, stoppingAfter limit: Int?) throws(InputError) -> Data {
        guard let entry = archive[name], entry.type == .file else {
            throw InputError(
                .missingEntry, at: InputLocation(path: displayPath),
                "the archive holds no entry \(InputError.quoted(name))")
        }
        let location = location(of: name)
        let cap = maximumInflatedBytes
        guard entry.uncompressedSize <= UInt64(cap) else { throw tooLarge(location, declared: entry.uncompressedSize) }
        var content = Data()
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: limit != nil) { chunk in
                guard content.count + chunk.count <= cap else { throw Stop.capExceeded }
                content.append(chunk)
                if let limit, content.count >= limit { throw Stop.prefixComplete }
            }
        } catch Stop.prefixComplete {
            return content.prefix(limit ?? content.count)
        } catch Stop.capExceeded {
            throw tooLarge(location, declared: nil)
        } catch {
            throw InputError(
                .malformedArchive, at: location,
                "entry \(InputError.quoted(name)) cannot be decompressed: it is damaged",
                hint: "copy or export the file again")
        }
        if limit == nil, checksum != entry.checksum {
            throw InputError(
                .checksumMismatch, at: location,
                "entry \(InputError.quoted(name)) does not match its CRC-32 (expected \(Self.hex(entry.checksum)), found \(Self.hex(checksum))): the file was altered or damaged",
                hint: "copy or export the file again; the archive's content cannot be trusted")
        }
        return content
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

    private static func hex(_ value: CRC32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
