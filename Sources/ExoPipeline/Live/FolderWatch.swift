import ExoCore
public import ExoFormats
public import ExoStore
public import Foundation

#if canImport(Glibc)
    // CoreFoundation: with member import visibility, `stat`'s fields belong to the first module that includes it.
    import CoreFoundation
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Follows a folder an instrument writes its exports into and takes each finished run file into a study.
///
/// A file counts as finished when its size and modification time have not changed for `settleSeconds` and it reads
/// as a complete run (an RDML archive that parses; a partition table that is non-empty); an instrument that writes
/// in place is never read half-written. A finished file is copied, under its own name, into the study's `runs:`
/// folder (through a temporary file and a rename) and the whole pipeline runs. Files already there with the same
/// bytes are skipped, so a restarted watch imports nothing twice.
///
/// One bad entry never stops the watch: each entry is examined with `lstat` before anything opens it, and only
/// regular files are read (a folder, a symbolic link, dangling or not, a FIFO, a socket or a device named like a run
/// file is refused without being opened); a file is opened without following links and without blocking, and
/// checked to be a regular file again once open. An entry that cannot be read or does not read as a run is refused,
/// reported once, and remembered in a ``WatchLedger`` by path, size and modification time, so that it is not tried
/// again, after a restart either, until it changes.
public struct FolderWatch {
    /// What one scan did.
    public struct Scan: Sendable, Equatable {
        /// Files copied into the study (file names).
        public var imported: [String] = []
        /// Entries refused at this scan, with the reason.
        public var refused: [String] = []
        /// Entries that failed before (at an earlier start) and have not changed since, with the reason; each is
        /// listed at the first scan that meets it and then left alone.
        public var skipped: [String] = []
        /// Files still being written.
        public var waiting: [String] = []
    }

    public let folder: URL
    public let studyDirectory: URL
    public let runsFolder: String
    public var settleSeconds: Double
    /// The failures remembered across restarts.
    public private(set) var ledger: WatchLedger
    /// Size and modification time of each file at the last scan.
    private var seen: [String: (size: Int64, modified: Int64, since: Date)] = [:]
    /// Entries already reported by this process, by name, with the state they were reported in.
    private var reported: [String: (size: Int64, modified: Int64)] = [:]

    /// Watches `folder` for `study`.
    ///
    /// - Parameters:
    ///   - folder: the folder the instrument writes into.
    ///   - study: the study.
    ///   - settleSeconds: how long a file must stay unchanged to count as finished.
    ///   - ledgerURL: where failures are remembered (default: ``WatchLedger/fileName`` in the study folder).
    /// - Throws: `InputErrorList` when the study has no `runs:` folder; `CocoaError` when the ledger cannot be read.
    public init(folder: URL, study: LoadedStudy, settleSeconds: Double = 2, ledgerURL: URL? = nil) throws {
        guard let runs = study.definition.runs else { throw RunsFolder.missing(in: study.definition.id) }
        self.folder = folder
        studyDirectory = study.directory
        runsFolder = runs.folder
        self.settleSeconds = settleSeconds
        ledger = try WatchLedger(url: ledgerURL ?? study.directory.appendingPathComponent(WatchLedger.fileName))
    }

    /// Looks at the folder once and copies every file that has finished into the study.
    ///
    /// - Parameter now: the time of the scan.
    /// - Returns: what was imported, refused, skipped and is still being written.
    /// - Throws: a file-system error when the folder cannot be listed, the ledger cannot be written or a copy cannot
    ///   be written into the study; never for one entry of the folder.
    public mutating func scan(now: Date = Date()) throws -> Scan {
        var result = Scan()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter(Self.isRunFile)
        try ledger.prune(under: folder.path, keeping: Set(names.map { folder.appendingPathComponent($0).path }))
        let target = studyDirectory.appendingPathComponent(runsFolder, isDirectory: true)
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let status = EntryStatus(path: url.path) else { continue }  // gone since the listing
            if let before = reported[name], before == (status.size, status.modifiedNanoseconds) { continue }
            if let reason = ledger.failure(url.path, size: status.size, modifiedNanoseconds: status.modifiedNanoseconds)
            {
                reported[name] = (status.size, status.modifiedNanoseconds)
                result.skipped.append("\(name): \(reason)")
                continue
            }
            /// Refuses the entry: reported now, remembered in the ledger.
            func refuse(_ reason: String) throws {
                reported[name] = (status.size, status.modifiedNanoseconds)
                result.refused.append("\(name): \(reason)")
                try ledger.recordFailure(
                    url.path, size: status.size, modifiedNanoseconds: status.modifiedNanoseconds, reason: reason)
            }
            guard status.kind == .regular else {
                try refuse("\(status.kind.rawValue), not a regular file; only files are imported")
                continue
            }
            var since = now
            if let before = seen[name], before.size == status.size, before.modified == status.modifiedNanoseconds {
                since = before.since
            }
            // A file untouched for the settle time before the first scan is finished too.
            if seen[name] == nil, now.timeIntervalSince(status.modified) >= settleSeconds { since = status.modified }
            seen[name] = (status.size, status.modifiedNanoseconds, since)
            guard now.timeIntervalSince(since) >= settleSeconds else {
                result.waiting.append(name)
                continue
            }
            let data: Data
            do {
                data = try Self.readRegularFile(url.path)
            } catch {
                try refuse(error.reason)
                continue
            }
            let destination = target.appendingPathComponent(name)
            if let existing = try? Data(contentsOf: destination), existing == data { continue }
            try ledger.startReading(url.path, size: status.size, modifiedNanoseconds: status.modifiedNanoseconds)
            if let reason = Self.unreadable(data, name: name) {
                try refuse(reason)
                continue
            }
            // The reader finished: the file is no longer one that stopped the watch.
            try ledger.forget(url.path)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try data.write(to: destination, options: .atomic)
            // The file must also fit the study (its samples in the sheet, its targets known): one that does not is
            // taken out again, so the study stays usable.
            do {
                _ = try StudyLoader.load(studyDirectory)
            } catch {
                let path = "\(runsFolder)/\(name)"
                if let problem = error.errors.first(where: { $0.location.path.hasPrefix(path) }) {
                    try? FileManager.default.removeItem(at: destination)
                    try refuse(problem.description)
                    continue
                }
            }
            result.imported.append(name)
        }
        return result
    }

    /// The run files of the study's `runs:` folder that the store does not hold as they are now (copied in, but the
    /// pipeline never ran on them: the process stopped between the copy and the analysis).
    ///
    /// - Parameters:
    ///   - study: the study as it is on disk.
    ///   - stored: the input files the store recorded at the last import.
    /// - Returns: their paths.
    public static func unimported(_ study: LoadedStudy, stored: [StoredInputFile]) -> [String] {
        guard let runs = study.definition.runs else { return [] }
        let digests = Dictionary(stored.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        return study.files.filter { $0.path.hasPrefix(runs.folder + "/") && digests[$0.path] != $0.sha256 }.map(\.path)
    }

    /// Whether a file name is a run file the `runs:` folder takes.
    static func isRunFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return !name.hasPrefix(".") && (lower.hasSuffix(".rdml") || lower.hasSuffix(".partitions.tsv"))
    }

    /// Why a settled file cannot be taken, or `nil` when it reads.
    static func unreadable(_ data: Data, name: String) -> String? {
        if name.lowercased().hasSuffix(".rdml") {
            do {
                let document = try RDMLReader.read(data: data, displayPath: name)
                return document.runs.isEmpty ? "the RDML file holds no run" : nil
            } catch {
                return error.errors.first.map(\.description) ?? "not a readable RDML file"
            }
        }
        return data.isEmpty ? "empty file" : nil
    }

    /// A file's bytes, read only when it is a regular file: opened without following a link and without blocking
    /// (a FIFO put in place after the `lstat` does not hang the watch), then checked with `fstat`.
    ///
    /// - Throws: ``EntryError`` with the reason.
    static func readRegularFile(_ path: String) throws(EntryError) -> Data {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw EntryError(reason: "cannot open it: \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw EntryError(reason: "not a regular file once opened; only files are imported")
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw EntryError(reason: "cannot read it: \(error.localizedDescription)")
        }
    }

    /// Why one entry of the folder cannot be taken.
    struct EntryError: Error {
        let reason: String
    }

    /// What `lstat` says about a folder entry (a symbolic link is described, never followed).
    struct EntryStatus {
        enum Kind: String {
            case regular = "a file"
            case directory = "a folder"
            case symbolicLink = "a symbolic link"
            case fifo = "a named pipe (FIFO)"
            case socket = "a socket"
            case device = "a device"
        }

        let kind: Kind
        let size: Int64
        /// The modification time in nanoseconds since 1970.
        let modifiedNanoseconds: Int64

        var modified: Date { Date(timeIntervalSince1970: Double(modifiedNanoseconds) / 1e9) }

        /// The entry's status, or `nil` when it no longer exists.
        init?(path: String) {
            var status = stat()
            guard lstat(path, &status) == 0 else { return nil }
            switch status.st_mode & S_IFMT {
            case S_IFREG: kind = .regular
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .symbolicLink
            case S_IFIFO: kind = .fifo
            case S_IFSOCK: kind = .socket
            default: kind = .device
            }
            size = Int64(status.st_size)
            #if canImport(Darwin)
                let time = status.st_mtimespec
            #else
                let time = status.st_mtim
            #endif
            modifiedNanoseconds = Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        }
    }
}
