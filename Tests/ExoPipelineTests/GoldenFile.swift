import ExoTestSupport
import Foundation
import Testing

/// Golden files: expected outputs stored under `Tests/ExoPipelineTests/Golden/`, reviewed like code and compared byte
/// for byte (argument-parser's `assertSnapshot`, cutadapt's `tests/cut`).
///
/// `EXO_RECORD_GOLDEN=1` writes the actual output over the golden file instead, and fails the test on purpose, so that
/// a recording run is never mistaken for a passing one; review the change with `git diff` before committing it.
enum GoldenFile {
    /// The folder of the golden files.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Whether this run records (`EXO_RECORD_GOLDEN=1`).
    static var isRecording: Bool { ProcessInfo.processInfo.environment["EXO_RECORD_GOLDEN"] == "1" }

    /// Expects `actual` to equal `Golden/<name>` byte for byte; on a difference, says where the first one is and
    /// attaches a unified diff (lines broken between tags, so that a long SVG line shows its changed element).
    static func expect(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if isRecording {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            Issue.record(
                "recorded \(name) (EXO_RECORD_GOLDEN=1): review it with git diff", sourceLocation: sourceLocation)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record(
                "no golden file \(name); record it with EXO_RECORD_GOLDEN=1 and review it",
                sourceLocation: sourceLocation)
            return
        }
        let expected = Array(data)
        let bytes = Array(actual.utf8)
        guard bytes != expected else { return }
        let first =
            (0..<min(bytes.count, expected.count)).first { bytes[$0] != expected[$0] }
            ?? min(bytes.count, expected.count)
        func context(_ text: [UInt8]) -> String {
            String(decoding: text[max(0, first - 60)..<min(text.count, first + 60)], as: UTF8.self)
        }
        let line = expected[..<min(first, expected.count)].filter { $0 == UInt8(ascii: "\n") }.count + 1
        Issue.record(
            """
            \(name) differs from its golden file at byte \(first) (line \(line)); \(bytes.count) bytes against \
            \(expected.count).
            golden: …\(context(expected))…
            actual: …\(context(bytes))…
            If the change is intended, record it with EXO_RECORD_GOLDEN=1 and review the diff.
            """, sourceLocation: sourceLocation)
        Attachment.record(try unifiedDiff(expected: data, actual: actual, name: name), named: "\(name).diff")
    }

    /// `diff -u` of the two texts with a line break added between adjacent tags.
    private static func unifiedDiff(expected: Data, actual: String, name: String) throws -> String {
        let folder = try Fixture.temporaryDirectory("exoscope-golden-diff")
        defer { try? FileManager.default.removeItem(at: folder) }
        let split = { (text: String) in Data(text.replacingOccurrences(of: "><", with: ">\n<").utf8) }
        let (old, new) = (folder.appendingPathComponent("golden"), folder.appendingPathComponent("actual"))
        try split(String(decoding: expected, as: UTF8.self)).write(to: old)
        try split(actual).write(to: new)
        let diff = URL(fileURLWithPath: "/usr/bin/diff")
        guard FileManager.default.isExecutableFile(atPath: diff.path) else { return "(no diff installed)" }
        return try CommandResult.run(
            diff, ["-u", "--label", "golden/\(name)", "--label", "actual", old.path, new.path]
        )
        .standardOutput
    }
}
