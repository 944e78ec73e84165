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
    /// Which way the cargo changes the processes among its roles (proliferation, metastasis, angiogenesis…), as the
    /// source states it; `nil` when no role is a process (biomarkers, markers, therapeutic uses).
    public var acts: KnowledgeAction?
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
    /// The DOI of each reference, in the order of `references`; `nil` where the source's reference list prints none
    /// (then `note` says so).
    public var dois: [String?]
    /// The source sentence the entry came from, for checking.
    public var sentence: String
    public var note: String?
    /// Where the entry comes from: `curated` (the review, by hand) or the name of an imported table.
    public var origin: String

    /// The DOI of the first reference that has one.
    public var doi: String? { dois.lazy.compactMap { $0 }.first }

    /// The roles as phrases, each process role with the way the cargo acts on it (`suppresses invasion`).
    public var rolePhrases: [String] {
        roles.map { role in
            if role.isProcess, let acts { "\(acts.rawValue) \(role.rawValue)" } else { role.rawValue }
        }
    }

    /// "PTEN → PTEN/Akt" style mechanism: targets and pathways, or the effect when neither is named.
    public var mechanism: String {
        let parts = [targets.joined(separator: ", "), pathways.joined(separator: ", ")].filter { !$0.isEmpty }
        return parts.isEmpty ? effect : parts.joined(separator: "; ") + ": " + effect
    }
}

extension KnowledgeEntry {
    /// Decodes an entry; tables imported before entries had `dois` and `acts` still read (their `doi` was always
    /// empty, as imported entries cite no reference).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        cargo = try container.decode(String.self, forKey: .cargo)
        written = try container.decode(String.self, forKey: .written)
        cargoType = try container.decode(CargoType.self, forKey: .cargoType)
        names = try container.decode([String].self, forKey: .names)
        tumour = try container.decode(Tumour.self, forKey: .tumour)
        sourceCell = try container.decodeIfPresent(String.self, forKey: .sourceCell)
        recipientCell = try container.decodeIfPresent(String.self, forKey: .recipientCell)
        specimens = try container.decode([String].self, forKey: .specimens)
        roles = try container.decode([KnowledgeRole].self, forKey: .roles)
        acts = try container.decodeIfPresent(KnowledgeAction.self, forKey: .acts)
        direction = try container.decode(KnowledgeDirection.self, forKey: .direction)
        comparedWith = try container.decodeIfPresent(String.self, forKey: .comparedWith)
        targets = try container.decode([String].self, forKey: .targets)
        pathways = try container.decode([String].self, forKey: .pathways)
        effect = try container.decode(String.self, forKey: .effect)
        evidence = try container.decode(Evidence.self, forKey: .evidence)
        section = try container.decode(String.self, forKey: .section)
        references = try container.decode([Int].self, forKey: .references)
        dois = try container.decodeIfPresent([String?].self, forKey: .dois) ?? []
        sentence = try container.decode(String.self, forKey: .sentence)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        origin = try container.decode(String.self, forKey: .origin)
    }
}

/// Which way a cargo changes the processes it takes part in (its roles that are processes).
public enum KnowledgeAction: String, Vocabulary, Codable {
    case promotes, suppresses
    /// The source says the cargo regulates or takes part in the process, not which way.
    case regulates
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
    /// The cargo's level differs with the tumour's stage (TNM stage, T or M category), without a study of outcome.
    case diseaseStage = "disease stage"
    /// Named by the source as an opening for biomarker development, without a study of it as one.
    case candidateBiomarker = "candidate biomarker"
    case therapeuticTarget = "therapeutic target"
    case therapeuticCargo = "therapeutic cargo"
    /// Exosomes or vesicles as carriers that deliver drugs or therapeutic molecules.
    case deliveryVehicle = "delivery vehicle"
    case drugResistance = "drug resistance"
    case immuneEvasion = "immune evasion"
    case angiogenesis
    case metabolism
    case emt = "EMT"
    case proliferation
    /// Survival of tumour cells against apoptosis (suppressing it is inducing apoptosis).
    case survival = "cell survival"
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

    /// Whether the role is a process a cargo promotes, suppresses or regulates (the entry's `acts` says which),
    /// rather than a use or a marker.
    public var isProcess: Bool {
        switch self {
        case .drugResistance, .immuneEvasion, .angiogenesis, .metabolism, .emt, .proliferation, .survival,
            .metastasis, .invasion, .tumourMicroenvironment:
            true
        default: false
        }
    }
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
