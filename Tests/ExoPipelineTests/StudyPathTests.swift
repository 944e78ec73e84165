import ExoCore
import ExoFormats
import ExoPipeline
import ExoTestSupport
import Foundation
import Testing

/// Every path a study names stays inside the study folder or a shared data folder it lists.
///
/// Symbolic links and `..` are resolved first. Before, `../` paths and links read files anywhere and `runs.folder` wrote anywhere.
struct StudyPathTests {
    /// The plain-cq fixture study with its measurement entry pointing at `path`, and its folder's parent.
    private func study(measurement path: String, extra: String = "") throws -> URL {
        let folder = try Fixture.copy("good/plain-cq")
        try """
        schema: 1
        id: PLAIN-CQ
        title: A plain instrument Cq export
        specimen: serum
        measurements:
          - file: \(path)
            assay: qPCR
        \(extra)
        """.write(to: folder.appendingPathComponent("study.yaml"), atomically: true, encoding: .utf8)
        let outside = folder.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("data/cq-export.csv"), to: outside.appendingPathComponent("cq.csv"))
        return folder
    }

    private func kinds(_ folder: URL) -> [String] {
        Fixture.errorMessages { _ = try Pipeline.validate(folder) }
    }

    @Test(arguments: ["../elsewhere/cq.csv", "data/../../elsewhere/cq.csv"])
    func aRelativePathOutOfTheFolderIsRefused(_ path: String) throws {
        let folder = try study(measurement: path)
        #expect(
            kinds(folder) == [
                "study.yaml:6:11: error: path '\(path)' leads outside the study folder\n"
                    + "  hint: keep data files inside the study folder, or list a shared data folder under "
                    + "'dataFolders:' in study.yaml (docs/study-format.md)"
            ])
    }

    @Test func anAbsolutePathIsRefused() throws {
        let folder = try study(measurement: "/etc/passwd")
        #expect(kinds(folder).first?.hasPrefix("study.yaml:6:11: error: path '/etc/passwd' leads outside") == true)
    }

    @Test func aSymbolicLinkOutOfTheFolderIsRefused() throws {
        let folder = try study(measurement: "data/linked.csv")
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("data/linked.csv"),
            withDestinationURL: folder.deletingLastPathComponent().appendingPathComponent("elsewhere/cq.csv"))
        #expect(kinds(folder).first?.contains("path 'data/linked.csv' leads outside the study folder") == true)
    }

    @Test func aSymbolicLinkInsideTheFolderIsFine() throws {
        let folder = try study(measurement: "data/linked.csv")
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("data/linked.csv"),
            withDestinationURL: folder.appendingPathComponent("data/cq-export.csv"))
        #expect(try Pipeline.validate(folder).measurements.count == 4)
    }

    @Test func aListedSharedDataFolderMayBeReadButNotWrittenTo() throws {
        let folder = try study(measurement: "../elsewhere/cq.csv", extra: "dataFolders: [../elsewhere]")
        #expect(try Pipeline.validate(folder).measurements.count == 4)
        let writing = try study(
            measurement: "../elsewhere/cq.csv", extra: "dataFolders: [../elsewhere]\nruns: {folder: ../elsewhere}")
        #expect(
            kinds(writing).first
                == "study.yaml:9:7: error: path '../elsewhere' leads outside the study folder\n"
                + "  hint: a folder ExoScope writes to must be inside the study folder")
    }

    @Test func theSampleSheetIsConfinedToo() throws {
        let folder = try study(measurement: "data/cq-export.csv", extra: "sampleSheet: ../elsewhere/cq.csv")
        #expect(kinds(folder).first?.contains("path '../elsewhere/cq.csv' leads outside the study folder") == true)
    }

    /// Before, an error in study.yaml stopped validation there, and the data files' errors showed only once it
    /// was fixed.
    @Test func studyYAMLErrorsDoNotHideTheDataFilesErrors() throws {
        let folder = try study(measurement: "data/cq-export.csv", extra: "titel: typo")
        try "Well,Sample,Target,Cq\nA1,S9,miR-4458,29.10\n".write(
            to: folder.appendingPathComponent("data/cq-export.csv"), atomically: true, encoding: .utf8)
        let messages = kinds(folder)
        #expect(messages.count == 2)
        #expect(
            messages.first?.hasPrefix("data/cq-export.csv:2:4: error: sample 'S9' is not in the sample sheet") == true)
        #expect(messages.last?.hasPrefix("study.yaml:8:1: error: unknown key 'titel'") == true)
    }
}
