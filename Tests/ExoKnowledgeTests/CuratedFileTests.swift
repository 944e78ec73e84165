import ExoCore
import ExoKnowledge
import Foundation
import Testing

/// The curated file's schema check: every problem with its line, column and the nearest valid value.
struct CuratedFileTests {
    static let valid = """
        source:
          citation: "test"
        entries:
          - id: R001
            cargo: miR-21
            written: miR-21
            cargo_type: miRNA
            tumour: glioblastoma
            specimen: [CSF, serum]
            roles: [diagnostic biomarker]
            direction: up
            compared_with: healthy controls
            targets: [PTEN]
            pathways: [PTEN/Akt]
            effect: "raised in patients' CSF"
            evidence: patient cohort
            section: "4.1"
            reference: 17
            doi: "10.1016/j.ceb.2009.03.007"
            sentence: "a sentence"
          - id: R002
            cargo: circGSE1
            written: CircGSE1
            cargo_type: circRNA
            tumour: HCC
            specimen: []
            roles: [immune evasion]
            acts: promotes
            direction: unstated
            effect: "expands regulatory T cells"
            evidence: in vitro
            section: "3.2"
            reference: [12, 13]
            doi: [none, none]
            sentence: "another sentence"
            note: "the review lists no DOI for refs 12 and 13"

        """

    static func messages(_ text: String) -> [String] {
        do {
            _ = try CuratedFile.parse(text, path: "kb.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aValidFileGivesNormalisedEntries() throws {
        let entries = try CuratedFile.parse(Self.valid, path: "kb.yaml")
        #expect(entries.count == 2)
        #expect(entries[0].names == ["hsa-miR-21-5p"] && entries[0].specimens == ["CSF", "serum"])
        #expect(entries[1].tumour == .hepatocellularCarcinoma && entries[1].references == [12, 13])
        #expect(entries[1].doi == nil && entries[1].dois == [nil, nil] && entries[1].origin == "curated")
        #expect(entries[0].dois == ["10.1016/j.ceb.2009.03.007"] && entries[0].acts == nil)
        #expect(entries[1].acts == .promotes && entries[1].rolePhrases == ["promotes immune evasion"])
    }

    @Test func eachSchemaProblemIsReportedWithItsLocationAndNearestValue() {
        let broken = Self.valid
            .replacingOccurrences(of: "tumour: glioblastoma", with: "tumour: glioblastma")
            .replacingOccurrences(of: "roles: [immune evasion]", with: "roles: [immune evasoin]")
            .replacingOccurrences(of: "specimen: [CSF, serum]", with: "specimen: [CSF, serun]")
            .replacingOccurrences(
                of: "doi: \"10.1016/j.ceb.2009.03.007\"", with: "doi: \"https://doi.org/10.1016/j.ceb.2009.03.007\""
            )
            .replacingOccurrences(of: "cargo: miR-21\n", with: "cargo: miR-21x\n")
        #expect(
            Self.messages(broken) == [
                "kb.yaml:5:12: error: miRNA 'miR-21x' is not a current human miRBase name\n  hint: nearest miRBase names: hsa-miR-206, hsa-miR-521, hsa-miR-610",
                "kb.yaml:8:13: error: expected one of glioblastoma, glioma, brain tumour, hepatocellular carcinoma, liver cancer, breast cancer, triple-negative breast cancer, non-small-cell lung cancer, lung cancer, colorectal cancer, gastric cancer, pancreatic cancer, ovarian cancer, prostate cancer, melanoma, leukaemia, lymphoma, bladder cancer, cervical cancer, oesophageal cancer, head and neck cancer, oral squamous cell carcinoma, nasopharyngeal carcinoma, renal cancer, pan-cancer, unspecified for 'tumour', found 'glioblastma'\n  hint: did you mean 'glioblastoma'?",
                "kb.yaml:9:21: error: expected one of serum, plasma, blood, CSF, urine, saliva, tissue, cell line, cell culture medium, animal model in 'specimen', found 'serun'\n  hint: did you mean 'serum'?",
                "kb.yaml:19:10: error: expected a DOI such as 10.1016/j.ceb.2009.03.007 (or none), found 'https://doi.org/10.1016/j.ceb.2009.03.007'\n  hint: did you mean '10.1016/j.ceb.2009.03.007'?",
                "kb.yaml:27:13: error: expected one of diagnostic biomarker, prognostic biomarker, disease stage, candidate biomarker, therapeutic target, therapeutic cargo, delivery vehicle, drug resistance, immune evasion, angiogenesis, metabolism, EMT, proliferation, cell survival, metastasis, invasion, tumour microenvironment, biogenesis marker, cancer stemness, association, EV cargo, target interaction in 'roles', found 'immune evasoin'\n  hint: did you mean 'immune evasion'?",
            ])
    }

    @Test func missingKeysDuplicatesAndDOIWithoutNoteAreErrors() {
        let noDOI = Self.valid.replacingOccurrences(of: "    doi: \"10.1016/j.ceb.2009.03.007\"\n", with: "")
        #expect(Self.messages(noDOI) == ["kb.yaml:4:5: error: missing required key 'doi'\n  hint: add 'doi: …'"])
        let noNote = Self.valid.replacingOccurrences(
            of: "    note: \"the review lists no DOI for refs 12 and 13\"\n", with: "")
        #expect(
            Self.messages(noNote) == [
                "kb.yaml:34:10: error: 'doi: none' needs a 'note' saying why the reference has no DOI"
            ])
        let repeatedID = Self.valid.replacingOccurrences(of: "id: R002", with: "id: R001")
        #expect(Self.messages(repeatedID) == ["kb.yaml:21:5: error: entry id 'R001' is used twice (first on line 4)"])
        let first = Self.valid.components(separatedBy: "  - id: R002")[0]
        let twice =
            first + first.components(separatedBy: "entries:\n")[1].replacingOccurrences(of: "R001", with: "R003")
        #expect(
            Self.messages(twice) == [
                "kb.yaml:21:5: error: entry 'R003' repeats 'R001': same cargo, tumour, direction, comparison, specimen, roles, reference and sentence\n  hint: merge the two entries"
            ])
    }

    @Test func processRolesNeedActsAndEveryReferenceItsDOI() {
        let noActs = Self.valid.replacingOccurrences(of: "    acts: promotes\n", with: "")
        #expect(
            Self.messages(noActs) == [
                "kb.yaml:21:5: error: missing key 'acts', which says whether the cargo promotes, suppresses or regulates its process roles (immune evasion)\n  hint: add 'acts: promotes' (or suppresses, regulates) as the source says"
            ])
        let actsWithoutProcess = Self.valid.replacingOccurrences(
            of: "    direction: up\n", with: "    acts: suppresses\n    direction: up\n")
        #expect(
            Self.messages(actsWithoutProcess) == [
                "kb.yaml:11:11: error: 'acts' says which way the cargo changes a process, and none of this entry's roles is one\n  hint: remove 'acts'"
            ])
        let oneDOIForTwo = Self.valid.replacingOccurrences(of: "doi: [none, none]", with: "doi: none")
        #expect(
            Self.messages(oneDOIForTwo) == [
                "kb.yaml:34:10: error: expected 2 DOIs in 'doi', one (or none) for each reference (12, 13), found 1\n  hint: list every cited work's DOI in the order of 'reference'"
            ])
        let doiWithoutReference = Self.valid.replacingOccurrences(of: "reference: 17", with: "reference: []")
        #expect(
            Self.messages(doiWithoutReference) == [
                "kb.yaml:19:10: error: a DOI without a reference number\n  hint: add the review's reference number to 'reference', or write 'doi: none'"
            ])
        let unknownAction = Self.valid.replacingOccurrences(of: "acts: promotes", with: "acts: promote")
        #expect(
            Self.messages(unknownAction) == [
                "kb.yaml:28:11: error: expected one of promotes, suppresses, regulates for 'acts', found 'promote'\n  hint: did you mean 'promotes'?"
            ])
    }
}
