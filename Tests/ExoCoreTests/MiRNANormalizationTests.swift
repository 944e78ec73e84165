import ExoCore
import ExoTestSupport
import Foundation
import Testing

struct MiRNANormalizationTests {
    let catalog = MiRNACatalog.bundled

    /// Every cargo name written in the review (`shared/seed/`), spelled as the review spells it,
    /// with what it must become.
    ///
    /// Arm-less names resolve only by a documented rule.
    @Test(arguments: [
        ("miR-4458", "hsa-miR-4458", ResolvedMiRNA.Rule.current),
        ("miR-665", "hsa-miR-665", .current),
        ("mi-665", "hsa-miR-665", .current),
        ("miR-3174", "hsa-miR-3174", .current),
        ("miR-5100", "hsa-miR-5100", .current),
        ("miR-516a-3p", "hsa-miR-516a-3p", .current),
        ("miR-2682-3p", "hsa-miR-2682-3p", .current),
        ("miR-19b-3p", "hsa-miR-19b-3p", .current),
        ("miR-135b-5p", "hsa-miR-135b-5p", .current),
        ("miR-654-5p", "hsa-miR-654-5p", .current),
        ("mi-654-5p", "hsa-miR-654-5p", .current),
        ("miR101-3p", "hsa-miR-101-3p", .current),
        ("hsa-MiR-101-3p", "hsa-miR-101-3p", .current),
        ("miR-21", "hsa-miR-21-5p", .previousID),
        ("miRNA-21", "hsa-miR-21-5p", .previousID),
        ("mir-21", "hsa-miR-21-5p", .previousID),
        ("miR-451", "hsa-miR-451a", .previousID),
        ("miR-210", "hsa-miR-210-3p", .previousID),
        ("miR-134", "hsa-miR-134-5p", .previousID),
        ("miR-503", "hsa-miR-503-5p", .previousID),
        ("miR-146a", "hsa-miR-146a-5p", .previousID),
        ("let-7a", "hsa-let-7a-5p", .previousID),
    ])
    func reviewCargoNamesResolve(written: String, expected: String, rule: ResolvedMiRNA.Rule) throws {
        guard case .resolved(let resolved) = catalog.resolve(written) else {
            Issue.record("\(written) did not resolve: \(catalog.resolve(written))")
            return
        }
        #expect(resolved.name == expected)
        #expect(resolved.rule == rule)
    }

    @Test func reviewTyposAreReportedAsCorrections() throws {
        guard case .resolved(let typo) = catalog.resolve("mi-665"),
            case .resolved(let hyphen) = catalog.resolve("miR101-3p")
        else {
            Issue.record("typos did not resolve")
            return
        }
        #expect(typo.corrections == ["read 'mi' as 'miR' (a typo)"])
        #expect(hyphen.corrections == ["added the missing '-' after 'miR'"])
        #expect(typo.explanation == "'mi-665' -> hsa-miR-665 (the miRBase release 22 ID; read 'mi' as 'miR' (a typo))")
    }

    @Test func reviewsArmlessMiR151aIsAmbiguousWithBothArms() {
        #expect(
            catalog.resolve("miR-151a")
                == .ambiguous(written: "miR-151a", candidates: ["hsa-miR-151a-3p", "hsa-miR-151a-5p"]))
    }

    @Test func starNotationIsAmbiguousBetweenArms() {
        #expect(
            catalog.resolve("miR-21*")
                == .ambiguous(written: "miR-21*", candidates: ["hsa-miR-21-5p", "hsa-miR-21-3p"]))
    }

    @Test func everyHumanRelease22NameRoundTripsToItself() {
        let names = catalog.entries.filter { $0.species == "hsa" }.compactMap(\.name)
        #expect(names.count == 2656)  // hsa_matures_miRBase_v22.fa: grep -c '>' → 2656
        for name in names {
            guard case .resolved(let resolved) = catalog.resolve(name), resolved.name == name, resolved.rule == .current
            else {
                Issue.record("\(name) does not round-trip: \(catalog.resolve(name))")
                continue
            }
        }
    }

    @Test func release21NamesAreAliases() throws {
        // hsa_mature_r21_RNA.fa has MIMAT0000728 as hsa-miR-375; release 22 calls it hsa-miR-375-3p.
        guard case .resolved(let resolved) = catalog.resolve("hsa-miR-375") else {
            Issue.record("hsa-miR-375 did not resolve")
            return
        }
        #expect(resolved.name == "hsa-miR-375-3p")
        #expect(resolved.rule == .release21Alias)
        #expect(resolved.entry.accession == "MIMAT0000728")
        #expect(catalog.resolve("hsa-miR-566") == .withdrawn(written: "hsa-miR-566", accession: "MIMAT0003230"))
    }

    @Test func sequencesMatchMiRBase() {
        // shared/data/mirbase/README.md, "Example sequences".
        #expect(catalog.entry(named: "hsa-miR-21-5p")?.sequence == "UAGCUUAUCAGACUGAUGUUGA")
        #expect(catalog.entry(named: "hsa-let-7a-5p")?.sequence == "UGAGGUAGUAGGUUGUAUAGUU")
        #expect(catalog.entry(named: "hsa-miR-451a")?.sequence == "AAACCGUUACCAUUACUGAGUU")
        #expect(catalog.entry(named: "hsa-miR-1246")?.accession == "MIMAT0005898")
    }

    @Test func unknownNamesGetTheNearestKnownOnes() {
        guard case .unknown(_, let nearest) = catalog.resolve("miR-44588") else {
            Issue.record("expected unknown")
            return
        }
        #expect(nearest.first == "hsa-miR-4458")
        #expect(catalog.resolve("CD63") == .unknown(written: "CD63", nearest: catalog.nearestNamesForTesting("CD63")))
    }

    @Test func spikeInsResolveByTheirOnlyArm() {
        guard case .resolved(let resolved) = catalog.resolve("cel-miR-39") else {
            Issue.record("cel-miR-39 did not resolve")
            return
        }
        #expect(resolved.name == "cel-miR-39-3p")
        #expect(resolved.rule == .onlyCandidate)
        #expect(catalog.resolve("mmu-miR-21a-5p") == .unsupportedSpecies(written: "mmu-miR-21a-5p", species: "mmu"))
    }

    @Test(arguments: [
        ("circCCAR1", "circCCAR1", AnalyteKind.circRNA), ("CircGSE1", "circGSE1", .circRNA),
        ("circTMEM45A", "circTMEM45A", .circRNA), ("hsa_circ_0001649", "hsa_circ_0001649", .circRNA),
        ("lncRNA H19", "H19", .lncRNA), ("HOTAIR", "HOTAIR", .lncRNA), ("LINC00152", "LINC00152", .lncRNA),
    ])
    func lncAndCircRNANamesKeepTheirType(written: String, name: String, kind: AnalyteKind) throws {
        let analyte = try Analyte.resolve(written).get().analyte
        #expect(analyte.name == name)
        #expect(analyte.kind == kind)
    }
}

extension MiRNACatalog {
    /// The nearest names exactly as `resolve` computes them, for comparing suggestions.
    func nearestNamesForTesting(_ text: String) -> [String] {
        guard case .unknown(_, let nearest) = resolve(text) else { return [] }
        return nearest
    }
}

/// Every miRNA-like token in the review itself (`shared/seed/`), read from the file when it is present.
struct ReviewTextTests {
    static var reviewText: String? {
        guard let data = Fixture.sharedData else { return nil }
        let seed = data.deletingLastPathComponent().appendingPathComponent("seed")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: seed.path)) ?? []
        return files.filter { $0.hasSuffix(".md") }.compactMap {
            try? String(contentsOf: seed.appendingPathComponent($0), encoding: .utf8)
        }.first
    }

    @Test(.enabled(if: reviewText != nil, "../shared/seed/ is absent in this checkout"))
    func everyMiRNANameInTheReviewResolvesOrIsAmbiguous() throws {
        let text = try #require(Self.reviewText)
        // Tokens such as miR-21, miR101-3p, mi-665, hsa-MiR-101-3p, miRNA-21, let-7a (not "miRNA" alone).
        let pattern = /(?:hsa-)?(?:[Mm]i[Rr](?:NA)?-?|mi-|let-)\d+[a-z]?(?:-[35]p|-\d(?:-[35]p)?)?/
        let tokens = Set(text.matches(of: pattern).map { String($0.output) })
        #expect(tokens.count >= 20, "found \(tokens.sorted())")
        for token in tokens.sorted() {
            switch MiRNACatalog.bundled.resolve(token) {
            case .resolved, .ambiguous: continue
            case let other: Issue.record("\(token): \(other)")
            }
        }
    }
}
