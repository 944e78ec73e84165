import ExoCore
public import Foundation

/// The files of a watched folder that failed, remembered across restarts so that none is tried again until it
/// changes.
///
/// Kept as a small JSON file in the study folder (`.exoscope-watch.json`), not in the database: the failures are
/// about the instrument's folder, not the study's data; the watch must remember them even when the database cannot
/// be opened or the pipeline fails; and a state file needs no schema migration. Each entry is keyed by the file's
/// absolute path and holds its size and modification time (nanoseconds) when it failed: a file whose size or time
/// differs is a new file and is tried again. An entry is written as `reading` before a file is read and replaced
/// once the outcome is known, so a file that crashes or hangs the reader (a decompression bomb, say) is found
/// still `reading` at the next start and counted as failed rather than read again forever. The file is rewritten
/// through a temporary file and a rename, so a crash never leaves it half-written.
public struct WatchLedger: Sendable {
    /// One remembered file.
    public struct Entry: Codable, Sendable, Equatable {
        public var size: Int64
        public var modifiedNanoseconds: Int64
        /// Why it failed; empty while it is being read.
        public var reason: String
        /// `true` from just before the file is read until its outcome is recorded.
        public var reading: Bool
    }

    /// Where the ledger lives.
    public let url: URL
    /// Entries by absolute path.
    public private(set) var entries: [String: Entry] = [:]

    /// The name of the state file in the study folder.
    public static let fileName = ".exoscope-watch.json"

    /// Loads the ledger at `url`; a missing file is an empty ledger.
    ///
    /// - Throws: `CocoaError` when the file exists but cannot be read; `InputErrorList` with `malformedJSON` when
    ///   it is not a ledger.
    public init(url: URL) throws {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let data = try Data(contentsOf: url)
        do {
            entries = try JSONDecoder().decode([String: Entry].self, from: data)
        } catch {
            throw InputErrorList([
                InputError(
                    .malformedJSON, at: InputLocation(path: url.path),
                    "expected the watch's list of failed files (JSON), found something else",
                    hint: "delete the file to try every file of the folder again")
            ])
        }
    }

    /// The size and modification time (nanoseconds) `lstat` gives for a folder entry, as the ledger records them;
    /// `nil` when the entry does not exist.
    public static func state(ofEntryAt path: String) -> (size: Int64, modifiedNanoseconds: Int64)? {
        FolderWatch.EntryStatus(path: path).map { ($0.size, $0.modifiedNanoseconds) }
    }

    /// The reason a file failed before, or `nil` when it did not or has changed since.
    ///
    /// A file still marked as being read failed too: the watch stopped while reading it.
    public func failure(_ path: String, size: Int64, modifiedNanoseconds: Int64) -> String? {
        guard let entry = entries[path], entry.size == size, entry.modifiedNanoseconds == modifiedNanoseconds else {
            return nil
        }
        return entry.reading
            ? "the watch stopped while reading it (it crashed or was killed); not tried again until the file changes"
            : entry.reason
    }

    /// Records that `path` is about to be read.
    public mutating func startReading(_ path: String, size: Int64, modifiedNanoseconds: Int64) throws {
        entries[path] = Entry(size: size, modifiedNanoseconds: modifiedNanoseconds, reason: "", reading: true)
        try save()
    }

    /// Records that `path` failed.
    public mutating func recordFailure(_ path: String, size: Int64, modifiedNanoseconds: Int64, reason: String) throws {
        entries[path] = Entry(size: size, modifiedNanoseconds: modifiedNanoseconds, reason: reason, reading: false)
        try save()
    }

    /// Forgets `path` (it was read and taken).
    public mutating func forget(_ path: String) throws {
        guard entries.removeValue(forKey: path) != nil else { return }
        try save()
    }

    /// Forgets the entries under `folder` whose file is no longer there.
    ///
    /// - Parameters:
    ///   - folder: the watched folder's path.
    ///   - present: the paths of the entries the folder holds now.
    /// - Throws: a file-system error when the ledger cannot be written.
    public mutating func prune(under folder: String, keeping present: Set<String>) throws {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let gone = entries.keys.filter { $0.hasPrefix(prefix) && !present.contains($0) }
        guard !gone.isEmpty else { return }
        for path in gone { entries.removeValue(forKey: path) }
        try save()
    }

    private func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try encoder.encode(entries).write(to: url, options: .atomic)
    }
}
