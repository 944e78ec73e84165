import ExoCore
import ExoKnowledge
import ExoTestSupport
import Foundation
import Testing

/// Imports of public tables in their published layouts (header lines as the databases ship them; rows made
/// for the tests), with every row that cannot be used reported at its line.
struct KnowledgeImportTests {
    static func file(_ name: String, _ text: String, latin1: Bool = false) throws -> URL {
        let url = try Fixture.temporaryDirectory().appendingPathComponent(name)
        try (latin1 ? text.data(using: .isoLatin1) : Data(text.utf8))?.write(to: url)
        return url
    }

    @Test func exoCartaMiRNAsAreNormalisedFilteredAndCheckedRowByRow() throws {
        let text = """
            CONTENT ID\tCONTENT TYPE\tMIRNA ID\tSPECIES\tEXPERIMENT ID\tMETHODS
            1\tmiRNA\tmiR-21\tHomo sapiens\t182\tMicroarray
            2\tmiRNA\tlet-7a\tMus musculus\t75\tqRT-PCR
            3\tmiRNA\tmiR-150*\tHomo sapiens\t182\tMicroarray
            4\tmiRNA\tmiR-99999\tHomo sapiens\t182\tMicroarray
            5\tmiRNA\tmiR-21\tHomo sapiens\t182\tMicroarray
            6\tmiRNA\tmiR-16\tHomo sapien\t182\tMicroarray

            """
        let report = try KnowledgeImport.read(
            try Self.file("EXOCARTA_MIRNA_DETAILS_5.txt", text), displayPath: "EXOCARTA_MIRNA_DETAILS_5.txt")
        #expect(report.source == .exocartaMiRNA && report.rows == 6 && report.otherSpecies == 1)
        #expect(report.entries.map(\.names) == [["hsa-miR-21-5p"], ["hsa-miR-150-5p", "hsa-miR-150-3p"]])
        #expect(report.entries.allSatisfy { $0.origin == "exocarta-mirna" && $0.roles == [.evCargo] })
        #expect(
            report.problems.map(\.description) == [
                "EXOCARTA_MIRNA_DETAILS_5.txt:5: error: miRNA name 'miR-99999' cannot be normalised\n  hint: nearest miRBase names: hsa-miR-9899, hsa-miR-599, hsa-miR-1299",
                "EXOCARTA_MIRNA_DETAILS_5.txt:6: error: duplicate entry: the same record as line 2\n  hint: kept once",
                "EXOCARTA_MIRNA_DETAILS_5.txt:7: error: unknown species 'Homo sapien'\n  hint: did you mean 'homo sapiens'?",
            ])
    }

    @Test func hmddMapsCategoriesToRolesAndDirectionsAndDiseasesToTumours() throws {
        let v3 = """
            category\tmir\tdisease\tpmid\tdescription
            circulation_biomarker_diagnosis_up\thsa-mir-21\tCarcinoma, Hepatocellular\t21749846\tSerum miR-21 was raised in HCC.
            circulation_biomarker_prognosis_down\thsa-mir-4458\tCarcinoma, Non-Small-Cell Lung\t30000001\tLow miR-4458 predicted poor survival.
            genetics_knock down_promote\thsa-mir-16\tHeart Failure\t123\tNot a tumour.

            """
        let report = try KnowledgeImport.read(
            try Self.file("alldata.txt", v3, latin1: true), displayPath: "alldata.txt")
        #expect(report.source == .hmdd && report.notTumour == 1 && report.problems.isEmpty)
        #expect(report.entries.map(\.tumour) == [.hepatocellularCarcinoma, .nonSmallCellLungCancer])
        #expect(report.entries.map(\.direction) == [.up, .down])
        #expect(report.entries.map(\.roles) == [[.diagnosticBiomarker], [.prognosticBiomarker]])
        #expect(report.entries[0].section == "PMID 21749846" && report.entries[0].names == ["hsa-miR-21-5p"])
        let v4 =
            "code\tPMID\tmiRNA\tdisease\tdescription\nexosome\t36835336\thsa-mir-21\tBreast Neoplasms\tExosomal MIR21.\n"
        let four = try KnowledgeImport.read(try Self.file("alldata_v4.txt", v4), displayPath: "alldata_v4.txt")
        #expect(four.entries.map(\.tumour) == [.breastCancer] && four.entries[0].roles == [.association])
    }

    @Test func miRTarBaseCSVWithQuotesAndAByteOrderMark() throws {
        let text =
            "\u{FEFF}miRTarBase ID,miRNA,Species (miRNA),Target Gene,Target Gene (Entrez ID),Species (Target Gene),Experiments,Support Type,References (PMID)\n"
            + "MIRT000002,hsa-miR-20a-5p,hsa,HIF1A,3091.0,hsa,\"Luciferase reporter assay//qRT-PCR\",Functional MTI,18632605.0\n"
        let report = try KnowledgeImport.read(
            try Self.file("miRTarBase_MTI.csv", text), displayPath: "miRTarBase_MTI.csv")
        #expect(report.source == .mirtarbase && report.entries.count == 1)
        #expect(report.entries[0].targets == ["HIF1A"] && report.entries[0].section == "PMID 18632605")
        #expect(report.entries[0].note == "experiments: Luciferase reporter assay//qRT-PCR")
    }

    @Test func missingColumnsUnknownLayoutsAndUnknownSpeciesAreErrors() throws {
        let noSpecies = "CONTENT ID\tCONTENT TYPE\tMIRNA ID\tSPECIE\tEXPERIMENT ID\n1\tmiRNA\tmiR-21\tHomo sapiens\t1\n"
        #expect(
            Fixture.errorMessages {
                _ = try KnowledgeImport.read(try Self.file("x.txt", noSpecies), displayPath: "x.txt")
            } == [
                "x.txt:1: error: missing column 'SPECIES' of the exocarta-mirna layout\n  hint: did you mean 'SPECIE'?"
            ])
        #expect(
            Fixture.errorMessages {
                _ = try KnowledgeImport.read(try Self.file("y.txt", "a\tb\n1\t2\n"), displayPath: "y.txt")
            } == [
                "y.txt:1: error: cannot tell which table this is from its header\n  hint: give --source: exocarta-mirna, exocarta-protein, vesiclepedia-mirna, vesiclepedia-protein, hmdd, mirtarbase"
            ])
        let valid = "CONTENT ID\tCONTENT TYPE\tMIRNA ID\tSPECIES\tEXPERIMENT ID\n1\tmiRNA\tmiR-21\tHomo sapiens\t1\n"
        #expect(
            Fixture.errorMessages {
                _ = try KnowledgeImport.read(
                    try Self.file("z.txt", valid), displayPath: "z.txt", speciesName: "Homo sapien")
            } == ["z.txt: error: unknown species 'Homo sapien'\n  hint: did you mean 'homo sapiens'?"])
    }

    @Test func vesiclepediaProteinsTellTheirSourceFromTheFileName() throws {
        let text = """
            CONTENT ID\tCONTENT TYPE\tENTREZ GENE ID\tGENE SYMBOL\tSPECIES\tEXPERIMENT ID\tMETHODS
            2616\tprotein\t1\tA1BG\tHomo sapiens\t63\tMass spectrometry
            632982\tProtein\t1\tCD63\tHomo sapiens\t1837\tMass spectrometry|Western blotting
            7\tprotein\t3\t-\tHomo sapiens\t1\tMass spectrometry

            """
        let report = try KnowledgeImport.read(
            try Self.file("VESICLEPEDIA_PROTEIN_MRNA_DETAILS_5.1.txt", text),
            displayPath: "VESICLEPEDIA_PROTEIN_MRNA_DETAILS_5.1.txt")
        #expect(report.source == .vesiclepediaProtein)
        #expect(report.entries.map(\.cargo) == ["A1BG", "CD63"] && report.entries[1].cargoType == .protein)
        #expect(report.problems.map(\.message) == ["no gene symbol"])
    }

    @Test func tablesImportedBeforeEntriesHadDOIListsStillRead() throws {
        let written = """
            [{"id": "alldata.txt:2", "cargo": "hsa-mir-21", "written": "hsa-mir-21", "cargoType": "miRNA",
              "names": ["hsa-miR-21-5p"], "tumour": "hepatocellular carcinoma", "specimens": [],
              "roles": ["diagnostic biomarker"], "direction": "up", "targets": [], "pathways": [], "effect": "Up.",
              "evidence": "database", "section": "PMID 1", "references": [], "doi": null, "sentence": "Up.",
              "origin": "hmdd"}]
            """
        let entries = try JSONDecoder().decode([KnowledgeEntry].self, from: Data(written.utf8))
        #expect(entries.count == 1 && entries[0].dois.isEmpty && entries[0].doi == nil && entries[0].acts == nil)
        let again = try JSONDecoder().decode([KnowledgeEntry].self, from: try JSONEncoder().encode(entries))
        #expect(again == entries)
    }
}
