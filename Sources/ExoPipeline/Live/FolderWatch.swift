public import ExoCore
public import ExoFormats
public import ExoStore
public import Foundation

/// Follows a folder an instrument writes its exports into and takes each finished run file into a study.
///
/// A file counts as finished when its size and modification time have not changed for `settleSeconds` and it reads
/// as a complete run (an RDML archive that parses; a partition table that is non-empty); an instrument that writes
/// in place is never read half-written. A finished file is copied, under its own name, into the study's `runs:`
/// folder (through a temporary file and a rename) and the whole pipeline runs. Files already there with the same
/// bytes are skipped, so a restarted watch imports nothing twice. A file that stays unreadable is reported once.
public struct FolderWatch {
    /// What one scan did.
    public struct Scan: Sendable, Equatable {
        /// Files copied into the study (file names).
        public var imported: [String] = []
        /// Files that settled but do not read, with the reason.
        public var refused: [String] = []
        /// Files still being written.
        public var waiting: [String] = []
    }

    public let folder: URL
    public let studyDirectory: URL
    public let runsFolder: String
    public var settleSeconds: Double
    /// Size and modification time of each file at the last scan.
    private var seen: [String: (size: Int, modified: Date, since: Date)] = [:]
    private var refusedBefore: Set<String> = []

    /// Watches `folder` for `study`.
    ///
    /// - Throws: `InputErrorList` when the study has no `runs:` folder.
    public init(folder: URL, study: LoadedStudy, settleSeconds: Double = 2) throws {
        guard let runs = study.definition.runs else { throw RunsFolder.missing(in: study.definition.id) }
        self.folder = folder
        studyDirectory = study.directory
        runsFolder = runs.folder
        self.settleSeconds = settleSeconds
    }

    /// Looks at the folder once and copies every file that has finished into the study.
    ///
    /// - Parameter now: the time of the scan.
    /// - Returns: what was imported, refused and is still being written.
    /// - Throws: a file-system error when the folder or a file cannot be read, or the copy cannot be written.
    public mutating func scan(now: Date = Date()) throws -> Scan {
        var result = Scan()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let target = studyDirectory.appendingPathComponent(runsFolder, isDirectory: true)
        for name in names where Self.isRunFile(name) {
            let url = folder.appendingPathComponent(name)
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = (attributes[.modificationDate] as? Date) ?? now
            var since = now
            if let before = seen[name], before.size == size, before.modified == modified { since = before.since }
            // A file untouched for the settle time before the first scan is finished too.
            if seen[name] == nil, now.timeIntervalSince(modified) >= settleSeconds { since = modified }
            seen[name] = (size, modified, since)
            guard now.timeIntervalSince(since) >= settleSeconds else {
                result.waiting.append(name)
                continue
            }
            let data = try Data(contentsOf: url)
            let destination = target.appendingPathComponent(name)
            if let existing = try? Data(contentsOf: destination), existing == data { continue }
            if let reason = Self.unreadable(data, name: name) {
                if refusedBefore.insert(name).inserted { result.refused.append("\(name): \(reason)") }
                continue
            }
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
                    if refusedBefore.insert(name).inserted { result.refused.append("\(name): \(problem)") }
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
}
