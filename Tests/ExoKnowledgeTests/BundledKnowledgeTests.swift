import ExoCore
import ExoKnowledge
import ExoTestSupport
import Foundation
import Testing

/// The knowledge base ExoScope ships: its file passes the schema check and covers the review.
struct BundledKnowledgeTests {
    static func fileText() throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ExoKnowledge/Resources/curated-review.yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func theCuratedFilePassesTheSchemaCheck() throws {
        do {
            let entries = try CuratedFile.parse(try Self.fileText(), path: "curated-review.yaml")
            #expect(entries.count == KnowledgeBase.bundled.entries.count)
            #expect(entries.count >= 50)
        } catch let error as InputErrorList {
            Issue.record("schema errors:\n\(error.errors.map(\.description).joined(separator: "\n"))")
        }
    }
}

/// Every cargo the review's body names is an entry (the review itself is in ../shared/seed, not in the repository).
struct ReviewCoverageTests {
    /// Names of the review's body (before the reference list) that look like RNA cargo.
    static func rnaNames(in text: String) -> Set<String> {
        let body = text.components(separatedBy: "## 参考文献")[0]
        var names = Set<String>()
        for match in body.matches(of: /(?:miR|mi)-?\s?[0-9]+[a-z]?(?:-[35]p)?/) {
            names.insert(String(match.output).replacingOccurrences(of: " ", with: ""))
        }
        for match in body.matches(of: /circ[A-Z][A-Za-z0-9]+|TUC[0-9]+/) where match.output != "circRNA" {
            names.insert(String(match.output))
        }
        return names
    }

    @Test(.enabled(if: Fixture.seedReview != nil, "../shared/seed is absent in this checkout"))
    func everyRNACargoAndNamedProteinOfTheReviewIsAnEntry() throws {
        let text = try String(contentsOf: try #require(Fixture.seedReview), encoding: .utf8)
        let entries = KnowledgeBase.bundled.entries
        let written = Set(entries.map(\.written))
        let names = Set(entries.flatMap(\.names).map { $0.lowercased() })
        let found = Self.rnaNames(in: text)
        #expect(found.count >= 20, "the pattern finds the review's RNA names: \(found.sorted())")
        for name in found.sorted() {
            let covered =
                written.contains(name) || entries.contains { $0.cargo == name }
                || KnowledgeBase.bundled.search(.init(cargo: name)).count > 0 || names.contains(name.lowercased())
            #expect(covered, "\(name) is named in the review but has no entry")
        }
        // Proteins the review names as exosome cargo or markers.
        for protein in ["CD63", "LAMP1", "LAMP2", "CD44", "PD-L1", "Survivin", "IL-15"] {
            #expect(text.contains(protein), "\(protein) is in the review")
            #expect(entries.contains { $0.written.contains(protein) }, "\(protein) has an entry")
        }
    }

    @Test func theReviewsHeadlineBiomarkersAreThere() {
        let base = KnowledgeBase.bundled
        #expect(base.search(.init(cargo: "miR-4458", tumour: .nonSmallCellLungCancer, direction: .down)).count >= 4)
        #expect(base.search(.init(cargo: "miR-21", tumour: .glioblastoma, role: "diagnostic")).count >= 1)
        #expect(base.search(.init(cargo: "miR-451a", tumour: .glioblastoma, role: "biomarker")).count >= 1)
        // The review calls no HCC cargo a biomarker (ref. 30's title does, its text does not).
        #expect(base.search(.init(tumour: .hepatocellularCarcinoma, role: "biomarker")).isEmpty)
        #expect(base.search(.init(cargo: "miR-4458", role: "prognostic")).isEmpty, "stage only, no outcome")
        #expect(
            Set(base.search(.init(role: "suppresses")).map(\.id)).isSuperset(of: ["R017", "R018", "R052", "R054"]))
        // Every entry names its reference's DOI or says why there is none.
        #expect(base.entries.allSatisfy { $0.doi != nil || $0.note != nil })
    }
}
