import ExoCore
import ExoFormats
import ExoPipeline
import ExoTestSupport
import Foundation
import Testing

/// The examples in the documentation are real: they validate as written.
struct DocumentationTests {
    @Test func studyFormatExampleValidates() throws {
        let doc = try String(
            contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/study-format.md"), encoding: .utf8)
        let example = try #require(doc.range(of: "## Example")).upperBound
        let blocks = doc[example...].matches(of: /```(?:yaml)?\n((?s).*?)```/).map { String($0.output.1) }
        try #require(blocks.count >= 3)
        let folder = try Fixture.temporaryDirectory()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        for (path, text) in zip(["study.yaml", "samples.tsv", "data/qpcr-cq.tsv"], blocks) {
            try text.write(to: folder.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        let study = try Pipeline.validate(folder)
        #expect(study.definition.id == "NSCLC-EXO-2026")
        #expect(study.samples.count == 3)
        #expect(study.measurements.map(\.analyte.name) == ["hsa-miR-4458", "hsa-miR-4458", "hsa-miR-4458"])
        #expect(study.measurements.last?.flags == [.belowDetection])
    }
}
