import ExoCore
import ExoFormats
import ExoPipeline
import ExoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `FolderWatch` in a folder with hostile entries: each is refused and reported once, the good file is imported,
/// and a refused file is not tried again, after a restart either, until it changes.
struct FolderWatchTests {
    /// A study of two monitored patients with a `runs:` folder, and an empty export folder.
    static func setUp() throws -> (study: LoadedStudy, exports: URL) {
        let folder = try Fixture.temporaryDirectory("exoscope-watch-study")
        let yaml = """
            schema: 1
            id: WATCH
            title: Folder watch test
            specimen: serum
            analytes:
              monitored: [miR-21]
            monitoring:
              withinSubjectSD: 0.3
            runs:
              folder: runs

            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("study.yaml"))
        let sheet = "sample_id\tpatient_id\tgroup\tday\nP1-V1\tP1\tcase\t0\nP1-V2\tP1\tcase\t28\nP2-V1\tP2\tcase\t0\n"
        try Data(sheet.utf8).write(to: folder.appendingPathComponent("samples.tsv"))
        return (try StudyLoader.load(folder), try Fixture.temporaryDirectory("exoscope-watch-exports"))
    }

    /// A finished RDML export of the study's samples.
    static func rdml(_ study: LoadedStudy, seed: UInt64 = 9) throws -> Data {
        let simulator = try ChipSimulator.of(
            study, measurements: [], run: "CHIP-\(seed)", format: .plate96, cycles: 40, seed: seed, failingWell: nil)
        return try RDMLWriter.archive(simulator.rdmlDocument(path: "CHIP-\(seed).rdml"))
    }

    /// The reasons of a scan's list, by entry name.
    static func reasons(_ lines: [String]) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: lines.map { line in
                let parts = line.split(separator: ":", maxSplits: 1)
                return (String(parts[0]), String(parts[1].dropFirst()))
            })
    }

    @Test func hostileEntriesAreRefusedOnceAndTheGoodFileIsImported() throws {
        let (study, exports) = try Self.setUp()
        try Self.rdml(study).write(to: exports.appendingPathComponent("good.rdml"))
        try FileManager.default.createDirectory(
            at: exports.appendingPathComponent("folder.rdml"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(
            atPath: exports.appendingPathComponent("dangling.rdml").path, withDestinationPath: "/nonexistent/x.rdml")
        try FileManager.default.createSymbolicLink(
            atPath: exports.appendingPathComponent("link.rdml").path,
            withDestinationPath: exports.appendingPathComponent("good.rdml").path)
        #expect(mkfifo(exports.appendingPathComponent("pipe.rdml").path, 0o644) == 0)
        try Data("PK\u{03}\u{04} half a zip".utf8).write(to: exports.appendingPathComponent("broken.rdml"))
        try Data().write(to: exports.appendingPathComponent("empty.partitions.tsv"))

        var watch = try FolderWatch(folder: exports, study: study, settleSeconds: 0)
        let first = try watch.scan()
        #expect(first.imported == ["good.rdml"])
        let refused = Self.reasons(first.refused)
        #expect(
            refused.keys.sorted() == [
                "broken.rdml", "dangling.rdml", "empty.partitions.tsv", "folder.rdml", "link.rdml", "pipe.rdml",
            ])
        #expect(refused["folder.rdml"] == "a folder, not a regular file; only files are imported")
        #expect(refused["dangling.rdml"] == "a symbolic link, not a regular file; only files are imported")
        #expect(refused["link.rdml"] == "a symbolic link, not a regular file; only files are imported")
        #expect(refused["pipe.rdml"] == "a named pipe (FIFO), not a regular file; only files are imported")
        #expect(refused["empty.partitions.tsv"] == "empty file")
        #expect(refused["broken.rdml"]?.hasPrefix("broken.rdml") == true)
        #expect(
            FileManager.default.fileExists(
                atPath: study.directory.appendingPathComponent("runs/good.rdml").path))

        // The same process reports nothing twice.
        let second = try watch.scan()
        #expect(second.imported.isEmpty && second.refused.isEmpty && second.skipped.isEmpty)

        // A restarted watch lists each earlier failure once, without reading it again.
        var restarted = try FolderWatch(folder: exports, study: study, settleSeconds: 0)
        let third = try restarted.scan()
        #expect(third.refused.isEmpty && third.imported.isEmpty)
        #expect(Self.reasons(third.skipped) == refused)
        #expect(try restarted.scan().skipped.isEmpty)

        // A file that changed is tried again: the broken export, rewritten whole, is imported.
        try Self.rdml(study, seed: 10).write(to: exports.appendingPathComponent("broken.rdml"))
        let fourth = try restarted.scan()
        #expect(fourth.imported == ["broken.rdml"], "\(fourth)")
        #expect(restarted.ledger.entries[exports.appendingPathComponent("broken.rdml").path] == nil)

        // An entry that disappeared is forgotten.
        try FileManager.default.removeItem(at: exports.appendingPathComponent("folder.rdml"))
        _ = try restarted.scan()
        #expect(restarted.ledger.entries[exports.appendingPathComponent("folder.rdml").path] == nil)
        #expect(restarted.ledger.entries.count == 4)
    }

    /// A file whose reading never finished (the reader crashed or hung and the watch was killed) is not read again
    /// at the next start: it is reported as having stopped the watch.
    @Test func aFileThatStoppedTheWatchIsNotReadAgain() throws {
        let (study, exports) = try Self.setUp()
        let bomb = exports.appendingPathComponent("bomb.rdml")
        try Data("PK\u{03}\u{04} pretend this inflates to 4 GiB".utf8).write(to: bomb)
        let state = try #require(WatchLedger.state(ofEntryAt: bomb.path))
        var ledger = try WatchLedger(url: study.directory.appendingPathComponent(WatchLedger.fileName))
        try ledger.startReading(bomb.path, size: state.size, modifiedNanoseconds: state.modifiedNanoseconds)

        var watch = try FolderWatch(folder: exports, study: study, settleSeconds: 0)
        let scan = try watch.scan()
        #expect(scan.refused.isEmpty)
        #expect(
            scan.skipped == [
                "bomb.rdml: the watch stopped while reading it (it crashed or was killed); not tried again until the file changes"
            ])
    }

    /// A file the watch may not read (permissions) is refused with the system's reason.
    ///
    /// Root reads every file, so this runs only for other users.
    @Test(.enabled(if: getuid() != 0, "root reads files whatever their permissions"))
    func anUnreadableFileIsRefusedWithTheReason() throws {
        let (study, exports) = try Self.setUp()
        let locked = exports.appendingPathComponent("locked.rdml")
        try Self.rdml(study).write(to: locked)
        #expect(chmod(locked.path, 0) == 0)
        var watch = try FolderWatch(folder: exports, study: study, settleSeconds: 0)
        #expect(try watch.scan().refused == ["locked.rdml: cannot open it: Permission denied"])
    }

    /// A ledger that is not JSON is an input error naming the file, not silently an empty ledger.
    @Test func aDamagedLedgerIsAnError() throws {
        let (study, exports) = try Self.setUp()
        try Data("{not json".utf8).write(to: study.directory.appendingPathComponent(WatchLedger.fileName))
        let error = #expect(throws: InputErrorList.self) {
            _ = try FolderWatch(folder: exports, study: study, settleSeconds: 0)
        }
        #expect(error?.errors.first?.kind == .malformedJSON)
        #expect(error?.errors.first?.location.path.hasSuffix(WatchLedger.fileName) == true)
    }
}
