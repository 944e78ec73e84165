public import ExoCore

/// One claim about an exosomal cargo: what it is, where it comes from and goes, in which tumour and fluid, what
/// it does, which way it changes, how strong the evidence is, and where it is written.
public struct KnowledgeEntry: Sendable, Hashable, Codable {
    /// `R001`… for curated entries, `<source>:<line>` for imported ones.
    public var id: String
    /// The cargo's name (for miRNAs as the source writes it, typos corrected; see `names`).
    public var cargo: String
    /// Exactly as written in the source.
    public var written: String
    public var cargoType: CargoType
    /// For miRNAs, the release-22 miRBase names the cargo can mean (one, or several when the source names no
    /// arm and miRBase does not settle it); for other cargo, the cargo itself.
    public var names: [String]
    public var tumour: Tumour
    public var sourceCell: String?
    public var recipientCell: String?
    public var specimens: [String]
    public var roles: [KnowledgeRole]
    public var direction: KnowledgeDirection
    public var comparedWith: String?
    public var targets: [String]
    public var pathways: [String]
    /// The effect and mechanism, one sentence.
    public var effect: String
    public var evidence: Evidence
    /// The review's section, or the source's record.
    public var section: String
    public var references: [Int]
    /// The DOI of the (first) reference; `nil` when the source gives none (then `note` says so).
    public var doi: String?
    /// The source sentence the entry came from, for checking.
    public var sentence: String
    public var note: String?
    /// Where the entry comes from: `curated` (the review, by hand) or the name of an imported table.
    public var origin: String

    /// "PTEN → PTEN/Akt" style mechanism: targets and pathways, or the effect when neither is named.
    public var mechanism: String {
        let parts = [targets.joined(separator: ", "), pathways.joined(separator: ", ")].filter { !$0.isEmpty }
        return parts.isEmpty ? effect : parts.joined(separator: "; ") + ": " + effect
    }
}

/// What kind of molecule the cargo is.
public enum CargoType: String, Vocabulary, Codable {
    case miRNA, lncRNA, circRNA, protein, other
}

/// Which way the cargo changes in disease (or in the source), as the source states it.
public enum KnowledgeDirection: String, Vocabulary, Codable {
    case up, down, unstated

    public var synonyms: [String] {
        switch self {
        case .up: ["higher", "increased", "upregulated", "raised"]
        case .down: ["lower", "decreased", "downregulated", "reduced"]
        case .unstated: ["none", "not stated"]
        }
    }
}

/// How the claim was established.
public enum Evidence: String, Vocabulary, Codable {
    case patientCohort = "patient cohort"
    case inVitro = "in vitro"
    case animalModel = "animal model"
    case reviewStatement = "review statement"
    /// A record of an imported database (its own evidence codes are kept in the note).
    case database
}

/// What the cargo does or is used for.
public enum KnowledgeRole: String, Vocabulary, Codable {
    case diagnosticBiomarker = "diagnostic biomarker"
    case prognosticBiomarker = "prognostic biomarker"
    /// Named by the source as an opening for biomarker development, without a study of it as one.
    case candidateBiomarker = "candidate biomarker"
    case therapeuticTarget = "therapeutic target"
    case therapeuticCargo = "therapeutic cargo"
    case drugResistance = "drug resistance"
    case immuneEvasion = "immune evasion"
    case angiogenesis
    case metabolism
    case emt = "EMT"
    case proliferation
    case metastasis
    case invasion
    case tumourMicroenvironment = "tumour microenvironment"
    case biogenesisMarker = "biogenesis marker"
    /// A marker of cancer stem cells.
    case stemness = "cancer stemness"
    /// A disease association of an imported table without a finer role.
    case association
    /// Found in extracellular vesicles (ExoCarta, Vesiclepedia).
    case evCargo = "EV cargo"
    /// A validated miRNA–target interaction (miRTarBase).
    case targetInteraction = "target interaction"

    /// Whether the role is a biomarker of any kind (`--role biomarker`).
    public var isBiomarker: Bool { rawValue.hasSuffix("biomarker") }
}

/// The tumour a claim is about, with the families queries widen to (asking for HCC finds "liver cancer" claims
/// too, and the other way round).
public enum Tumour: String, Vocabulary, Codable {
    case glioblastoma, glioma
    case brainTumour = "brain tumour"
    case hepatocellularCarcinoma = "hepatocellular carcinoma"
    case liverCancer = "liver cancer"
    case breastCancer = "breast cancer"
    case tripleNegativeBreastCancer = "triple-negative breast cancer"
    case nonSmallCellLungCancer = "non-small-cell lung cancer"
    case lungCancer = "lung cancer"
    case colorectalCancer = "colorectal cancer"
    case gastricCancer = "gastric cancer"
    case pancreaticCancer = "pancreatic cancer"
    case ovarianCancer = "ovarian cancer"
    case prostateCancer = "prostate cancer"
    case melanoma
    case leukaemia, lymphoma
    case bladderCancer = "bladder cancer"
    case cervicalCancer = "cervical cancer"
    case oesophagealCancer = "oesophageal cancer"
    case headAndNeckCancer = "head and neck cancer"
    case oralSquamousCellCarcinoma = "oral squamous cell carcinoma"
    case nasopharyngealCarcinoma = "nasopharyngeal carcinoma"
    case renalCancer = "renal cancer"
    case panCancer = "pan-cancer"
    /// No tumour named (imported EV-cargo and target tables).
    case unspecified

    public var synonyms: [String] {
        switch self {
        case .glioblastoma: ["GBM", "glioblastoma multiforme"]
        case .brainTumour: ["brain tumor", "brain cancer"]
        case .hepatocellularCarcinoma: ["HCC"]
        case .liverCancer: ["hepatic cancer", "liver tumour", "liver tumor"]
        case .tripleNegativeBreastCancer: ["TNBC"]
        case .nonSmallCellLungCancer: ["NSCLC", "non-small cell lung cancer"]
        case .colorectalCancer: ["CRC", "colon cancer"]
        case .leukaemia: ["leukemia", "AML", "CML"]
        case .oesophagealCancer: ["esophageal cancer"]
        case .renalCancer: ["kidney cancer", "RCC"]
        case .oralSquamousCellCarcinoma: ["OSCC", "oral cancer"]
        case .panCancer: ["cancer", "tumour", "tumor", "pan cancer"]
        default: []
        }
    }

    /// The tumours a query for this one also finds: its organ family.
    public var family: Set<Tumour> {
        let families: [Set<Tumour>] = [
            [.glioblastoma, .glioma, .brainTumour], [.hepatocellularCarcinoma, .liverCancer],
            [.breastCancer, .tripleNegativeBreastCancer], [.nonSmallCellLungCancer, .lungCancer],
            [.headAndNeckCancer, .oralSquamousCellCarcinoma, .nasopharyngealCarcinoma],
        ]
        return families.first { $0.contains(self) } ?? [self]
    }
}
