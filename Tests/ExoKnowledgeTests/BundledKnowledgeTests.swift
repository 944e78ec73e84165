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
        #expect(base.search(.init(role: "candidate biomarker")).map(\.id) == ["R066"])
        #expect(base.search(.init(cargo: "miR-4458", role: "prognostic")).isEmpty, "stage only, no outcome")
        #expect(
            Set(base.search(.init(role: "suppresses")).map(\.id)).isSuperset(of: ["R017", "R018", "R052", "R054"]))
        // Every entry names its reference's DOI or says why there is none.
        #expect(base.entries.allSatisfy { $0.doi != nil || $0.note != nil })
    }
}

/// Every reference of the review with the entries citing it, or the reason it is background the knowledge base
/// leaves out; checked against the review's own reference list when ../shared/seed is present.
struct ReviewReferenceTests {
    /// How the knowledge base uses a reference.
    enum Use {
        /// The ids of the entries citing it.
        case cited([String])
        /// Not cited by any entry, and why.
        case background(String)
    }

    /// The review's reference list (参考文献): number, the DOI printed for it (`nil` where none is), and its use.
    static let references: [(number: Int, doi: String?, use: Use)] = [
        (
            1, "10.1007/s00018-019-03215-0",
            .background(
                "introduction: exosomes carry communication between tumour cells and their surroundings; no cargo, process or tumour named"
            )
        ),
        (2, "10.1016/j.ceb.2009.03.007", .background("2.1: how ILVs and multivesicular bodies form (machinery)")),
        (3, "10.1016/j.molmed.2015.07.004", .cited(["R001", "R002", "R003"])),
        (4, "10.1111/j.1600-0854.2009.00920.x", .background("2.1: ESCRT-dependent and -independent biogenesis")),
        (5, "10.1038/nrm2728", .background("2.1: RAB GTPases in vesicle transport (machinery)")),
        (6, "10.1111/j.1742-4658.2011.08168.x", .background("2.1: SNARE proteins in membrane fusion (machinery)")),
        (7, "10.1155/2022/8392509", .background("2.1: how released exosomes deliver their contents; no effect stated")),
        (8, "10.1016/j.cub.2020.06.081", .background("2.2: immune cells of the TME, not exosomes")),
        (9, "10.1038/nature10803", .background("2.2: the extracellular matrix, not exosomes")),
        (
            10, "10.3390/ijms20194684",
            .background("2.3: the ways cells communicate and exosomes signal; no effect on a tumour stated")
        ),
        (11, nil, .cited(["R056"])),
        (12, "10.1111/cas.15365", .cited(["R057"])),
        (13, "10.1007/s10495-023-01863-z", .cited(["R058"])),
        (14, "10.3390/ijms140714240", .cited(["R059"])),
        (15, "10.3390/biomedicines8070216", .cited(["R004", "R005", "R006", "R007", "R008", "R009", "R010"])),
        (16, "10.3390/cells9051141", .cited(["R011", "R020"])),
        (17, nil, .cited(["R012", "R013", "R014", "R015", "R016", "R017"])),
        (18, "10.1042/bst20120265", .cited(["R019"])),
        (19, "10.1038/s41586-018-0392-8", .cited(["R019"])),
        (20, "10.3389/fonc.2021.758336", .cited(["R022"])),
        (21, nil, .cited(["R061"])),
        (22, "10.1016/j.eng.2021.07.020", .cited(["R023"])),
        (23, "10.1161/circresaha.117.309681", .cited(["R024", "R025", "R026", "R046"])),
        (24, nil, .cited(["R027", "R028", "R029", "R030"])),
        (25, "10.3390/cancers16040823", .cited(["R031", "R032", "R033", "R034", "R035", "R036", "R037"])),
        (26, "10.18632/oncotarget.4699", .cited(["R034", "R035", "R036", "R037"])),
        (27, "10.1371/journal.pone.0078115", .cited(["R034", "R035", "R036", "R037"])),
        (28, nil, .cited(["R034", "R035", "R036", "R037"])),
        (29, "10.1016/j.canlet.2018.08.004", .cited(["R038", "R039"])),
        (30, "10.18632/oncotarget.20881", .cited(["R040", "R041"])),
        (31, "10.1186/s12943-023-01759-1", .cited(["R043"])),
        (32, "10.1016/j.cytogfr.2008.01.005", .cited(["R044"])),
        (33, "10.1016/j.jhep.2017.05.019", .cited(["R063"])),
        (34, "10.1080/10717544.2022.2118898", .cited(["R064"])),
        (35, "10.1038/s41420-023-01660-2", .cited(["R045"])),
        (36, "10.1007/s13402-019-00476-6", .cited(["R047"])),
        (37, "10.1074/jbc.ra120.013805", .cited(["R048"])),
        (38, "10.1126/scisignal.2005189", .cited(["R065"])),
        (
            39, "10.1146/annurev-pathol-020117-043854",
            .background("4.3: what EMT does to epithelial cells, not exosomes")
        ),
        (40, "10.1038/s41388-020-1162-2", .cited(["R049", "R050", "R051"])),
        (41, "10.1016/j.dmpk.2021.100435", .cited(["R052", "R053"])),
        (42, "10.18632/oncotarget.5192", .cited(["R054"])),
        (43, "10.18632/oncotarget.3520", .cited(["R054"])),
        (44, "10.1016/j.apsb.2021.08.016", .cited(["R067"])),
    ]

    static var curated: [KnowledgeEntry] { KnowledgeBase.bundled.entries.filter { $0.origin == "curated" } }

    @Test func everyReferenceIsCitedByItsEntriesOrSaidToBeBackground() {
        #expect(Self.references.map(\.number) == Array(1...Self.references.count), "numbered 1, 2, 3… once each")
        for reference in Self.references {
            let citing = Self.curated.filter { $0.references.contains(reference.number) }.map(\.id)
            switch reference.use {
            case .cited(let ids):
                #expect(!ids.isEmpty, "ref \(reference.number): say why it is background instead")
                #expect(citing == ids, "ref \(reference.number) is cited by \(citing), the list says \(ids)")
            case .background(let reason):
                #expect(
                    !reason.isEmpty && citing.isEmpty, "ref \(reference.number) is background but cited by \(citing)")
            }
        }
        for entry in Self.curated {
            #expect(
                entry.references.allSatisfy { (1...Self.references.count).contains($0) },
                "\(entry.id) cites \(entry.references), outside the review's list")
        }
    }

    @Test func everyEntryKeepsTheDOIOfEveryWorkItCites() {
        let dois = Dictionary(uniqueKeysWithValues: Self.references.map { ($0.number, $0.doi) })
        for entry in Self.curated {
            let expected = entry.references.map { dois[$0] ?? nil }
            #expect(entry.dois == expected, "\(entry.id) cites \(entry.references)")
            #expect(expected.allSatisfy { $0 != nil } || entry.note != nil, "\(entry.id) needs a note for no DOI")
        }
    }

    /// The reference list of the review's markdown: number → the DOI printed, `nil` where none is.
    static func referenceList(in text: String) throws -> [Int: String?] {
        let list = try #require(text.components(separatedBy: "## 参考文献").last)
        var result: [Int: String?] = [:]
        let starts = list.matches(of: /^- \[([0-9]+)\]/.anchorsMatchLineEndings())
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].range.lowerBound : list.endIndex
            let item = list[start.range.upperBound..<end]
            let number = try #require(Int(start.output.1))
            #expect(result[number] == nil, "ref \(number) appears twice")
            let doi = item.firstMatch(of: /<https:\/\/doi\.org\/([^>]+)>/).map { String($0.output.1) }
            result[number] = .some(doi)  // kept when there is no DOI (assigning nil would remove the number)
        }
        return result
    }

    @Test(.enabled(if: Fixture.seedReview != nil, "../shared/seed is absent in this checkout"))
    func theCheckedInListIsTheReviewsReferenceList() throws {
        let text = try String(contentsOf: try #require(Fixture.seedReview), encoding: .utf8)
        let parsed = try Self.referenceList(in: text)
        #expect(parsed.count == 44, "the review has 44 references")
        #expect(parsed.keys.sorted() == Self.references.map(\.number))
        for reference in Self.references {
            #expect(parsed[reference.number] == .some(reference.doi), "ref \(reference.number)'s DOI")
        }
        // Every reference is cited in the body ([25]-[28] is a range).
        let body = text.components(separatedBy: "## 参考文献")[0]
        var cited = Set<Int>()
        for match in body.matches(of: /\[([0-9]+)\](?:\s*-\s*\[([0-9]+)\])?/) {
            guard let first = Int(match.output.1) else { continue }
            cited.formUnion(first...(match.output.2.flatMap { Int($0) } ?? first))
        }
        #expect(cited == Set(parsed.keys), "body cites \(cited.sorted())")
    }

    @Test(.enabled(if: Fixture.seedReview != nil, "../shared/seed is absent in this checkout"))
    func everyEntrysSentenceIsTheReviewsOwn() throws {
        let text = try String(contentsOf: try #require(Fixture.seedReview), encoding: .utf8)
        // The body with line and page breaks joined and the reference brackets ([17], [25]-[28], [42] [43]) removed.
        let body = text.components(separatedBy: "## 参考文献")[0].replacingOccurrences(of: "\n", with: "")
            .replacing(/\[[0-9]+\](?:\s*-?\s*\[[0-9]+\])*/, with: "")
        for entry in Self.curated {
            #expect(body.contains(entry.sentence), "\(entry.id)'s sentence is not in the review")
        }
    }
}
