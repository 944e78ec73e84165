import ExoPipeline
import ExoTestSupport
import Foundation
import Testing

/// `Pipeline.writeAtomically`, behind every `--output`, `--qc`, `--report`: whole files through a rename, but never a
/// rename over a device or a link (as root, `-o /dev/null` once left a regular file in place of the device).
@Suite struct AtomicWriteTests {
    @Test func aRegularFileIsReplacedWhole() throws {
        let url = try Fixture.temporaryDirectory().appendingPathComponent("sub/out.tsv")
        try Pipeline.writeAtomically("a\n", to: url)
        try Pipeline.writeAtomically("b\n", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "b\n")
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetGetsTheText() throws {
        let folder = try Fixture.temporaryDirectory()
        let target = folder.appendingPathComponent("target.tsv")
        try Data("old\n".utf8).write(to: target)
        let link = folder.appendingPathComponent("link.tsv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        try Pipeline.writeAtomically("new\n", to: link)
        let type = try FileManager.default.attributesOfItem(atPath: link.path)[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
    }

    @Test func devNullStaysADevice() throws {
        try Pipeline.writeAtomically("discarded\n", to: URL(fileURLWithPath: "/dev/null"))
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }
}
