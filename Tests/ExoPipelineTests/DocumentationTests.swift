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

    /// The specification and the size-bin CSV shown in docs/ev-qc.md read as written.
    @Test func evQCExamplesRead() throws {
        let doc = try String(
            contentsOf: Fixture.repositoryRoot.appendingPathComponent("docs/ev-qc.md"), encoding: .utf8)
        let release = try #require(doc.range(of: "## Specifications and release")).upperBound
        let yaml = try #require(doc[release...].firstMatch(of: /```yaml\n((?s).*?)```/)).output.1
        let spec = try ReleaseSpecification.parse(
            TextFile(bytes: Array(yaml.utf8), url: URL(fileURLWithPath: "/dev/null"), displayPath: "spec.yaml"))
        #expect(spec.criteria.count == 4 && spec.requiredMarkers.map(\.name) == ["CD63"] && spec.requiresImaging)
        let csv = try #require(doc.firstMatch(of: /```\n *(# instrument(?s).*?) *```/)).output.1
        let bins = try ParticleSizeExport.read(
            text: csv.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n"),
            displayPath: "bins.csv")
        #expect(bins.captures == ["capture 1", "capture 2"] && bins.binConcentrations[0] == [1.2e9, 3.4e9])
    }
}
