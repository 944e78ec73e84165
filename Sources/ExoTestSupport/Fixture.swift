public import Foundation

/// Paths of the committed fixtures under `Tests/Fixtures/` and scratch folders for tests.
public enum Fixture {
    /// The repository root, found from this file's path (tests run from a source checkout).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<relative>`.
    public static func url(_ relative: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// A reference table under `Tests/Fixtures/` (tab-separated, `#` lines are comments) as rows of fields.
    public static func referenceRows(_ relative: String) throws -> [[String]] {
        try String(contentsOf: url(relative), encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The numbers after the first two fields of the reference row that starts with `kind` and `key`.
    public static func referenceNumbers(_ rows: [[String]], _ kind: String, _ key: String) -> [Double]? {
        rows.first { $0.count >= 2 && $0[0] == kind && $0[1] == key }.map { $0.dropFirst(2).compactMap { Double($0) } }
    }

    /// A fresh, empty temporary folder, unique per call.
    public static func temporaryDirectory(_ label: String = "exoscope-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Copies a fixture folder into a fresh temporary folder (for tests that change files).
    public static func copy(_ relative: String) throws -> URL {
        let destination = try temporaryDirectory().appendingPathComponent(
            URL(fileURLWithPath: relative).lastPathComponent)
        try FileManager.default.copyItem(at: url(relative), to: destination)
        return destination
    }

    /// The shared data folder (`../shared/data`) when present; tests that need it are skipped otherwise.
    public static var sharedData: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The review the knowledge base is curated from (`../shared/seed/…md`) when present.
    public static var seedReview: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent(
            "shared/seed/exosomes-in-tumor-diagnosis-and-therapy.md")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The built `exoscope` executable next to the test bundle, when the build produced it.
    public static var exoscopeExecutable: URL? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
                "exoscope"),
            Bundle.main.bundleURL.appendingPathComponent("exoscope"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("exoscope"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A study folder of three monitored patients (P1–P3) with four visits each (days 0, 28, 56, 84), miR-21 and
    /// miR-4458 monitored, a within-subject SD of 0.3 and a `runs:` folder: the live-run tests' study.
    ///
    /// - Parameters:
    ///   - id: the study id.
    ///   - title: its title.
    /// - Returns: the folder, in a new temporary directory.
    /// - Throws: when the files cannot be written.
    public static func monitoredStudy(id: String, title: String) throws -> URL {
        let folder = try temporaryDirectory("exoscope-\(id.lowercased())")
        let yaml = """
            schema: 1
            id: \(id)
            title: \(title)
            specimen: serum
            analytes:
              monitored: [miR-21, miR-4458]
            monitoring:
              withinSubjectSD: 0.3
            runs:
              folder: runs

            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("study.yaml"))
        var rows = ["sample_id\tpatient_id\tgroup\tday"]
        for patient in 1...3 {
            for (visit, day) in [0, 28, 56, 84].enumerated() {
                rows.append("P\(patient)-V\(visit + 1)\tP\(patient)\tcase\t\(day)")
            }
        }
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("samples.tsv"))
        return folder
    }
}
