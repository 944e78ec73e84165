import ExoCore
import ExoKnowledge
import Foundation
import Testing

/// Queries and result links on a small knowledge base made from the schema test's file.
struct KnowledgeQueryTests {
    static func base() throws -> KnowledgeBase {
        KnowledgeBase(entries: try CuratedFile.parse(CuratedFileTests.valid, path: "kb.yaml"))
    }

    @Test func queriesMatchSpellingsFamiliesAndParts() throws {
        let base = try Self.base()
        #expect(base.search(.init(cargo: "hsa-mir-21")).map(\.id) == ["R001"])
        #expect(base.search(.init(cargo: "miR-21-5p")).map(\.id) == ["R001"])
        #expect(base.search(.init(cargo: "CIRCGSE1")).map(\.id) == ["R002"])
        #expect(base.search(.init(tumour: .liverCancer)).map(\.id) == ["R002"], "liver cancer finds HCC")
        #expect(base.search(.init(tumour: .glioma)).map(\.id) == ["R001"], "glioma finds glioblastoma")
        #expect(base.search(.init(role: "biomarker")).map(\.id) == ["R001"])
        #expect(base.search(.init(role: "promotes immune evasion")).map(\.id) == ["R002"])
        #expect(base.search(.init(role: "suppresses")).isEmpty)
        #expect(base.search(.init(pathway: "pten")).map(\.id) == ["R001"])
        #expect(base.search(.init(specimen: "csf")).map(\.id) == ["R001"])
        #expect(base.search(.init(direction: .up)).map(\.id) == ["R001"])
        #expect(base.search(.init(text: "regulatory cells")).map(\.id) == ["R002"])
        #expect(base.search(.init(cargo: "miR-21", tumour: .breastCancer)).isEmpty)
    }

    @Test func linksSayWhatIsKnownAndFlagContradictions() throws {
        let base = try Self.base()
        let agrees = KnowledgeLink(feature: "hsa-miR-21-5p", tumour: .glioblastoma, observed: .up, in: base)
        #expect(agrees.summary == "up in glioblastoma: diagnostic biomarker [R001]")
        #expect(agrees.contradictions.isEmpty)
        let against = KnowledgeLink(feature: "hsa-miR-21-5p", tumour: .glioma, observed: .down, in: base)
        #expect(against.contradictions.map(\.id) == ["R001"])
        let elsewhere = KnowledgeLink(feature: "hsa-miR-21-5p", tumour: .breastCancer, observed: .up, in: base)
        #expect(elsewhere.summary == "none known for this tumour (known in glioblastoma)")
        #expect(elsewhere.contradictions.isEmpty)
        let unknown = KnowledgeLink(feature: "hsa-miR-16-5p", tumour: .glioblastoma, observed: nil, in: base)
        #expect(unknown.summary == "none known for this tumour")
    }
}
