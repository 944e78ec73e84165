/// The MISEV categories of proteins used to characterise an EV preparation (MISEV2018 Table 3, kept by
/// MISEV2023 section 5): which show that a preparation holds lipid-bilayer vesicles with cytosol, and which
/// show what else came along.
public enum MarkerCategory: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Category 1: transmembrane or GPI-anchored proteins of the plasma membrane or endosomes (CD9, CD63, CD81).
    case transmembrane = 1
    /// Category 2: cytosolic proteins recovered in EVs (TSG101, ALIX, syntenin).
    case cytosolic = 2
    /// Category 3: major components of non-EV structures co-isolated with EVs (APOA1, APOB, albumin, uromodulin).
    case nonEVCoIsolate = 3
    /// Category 4: proteins of compartments other than plasma membrane and endosomes (calnexin, GM130, histones).
    case otherCompartment = 4
    /// Category 5: secreted proteins recovered with EVs (cytokines, growth factors, fibronectin).
    case secreted = 5

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// "transmembrane or GPI-anchored (category 1)".
    public var label: String {
        switch self {
        case .transmembrane: "transmembrane or GPI-anchored (category 1)"
        case .cytosolic: "cytosolic (category 2)"
        case .nonEVCoIsolate: "non-EV co-isolate (category 3)"
        case .otherCompartment: "other intracellular compartment (category 4)"
        case .secreted: "secreted (category 5)"
        }
    }

    /// Whether finding the protein speaks for EVs (1, 2) or against the purity of the preparation (3, 4).
    public var isEVEvidence: Bool { self == .transmembrane || self == .cytosolic }
}

/// A protein named in the MISEV marker categories, with its gene symbol and the names laboratories write.
public struct EVMarker: Sendable, Hashable, Codable {
    /// The name ExoScope reports (`CD63`, `ALIX`, `calnexin`).
    public let name: String
    /// HGNC gene symbol (`PDCD6IP` for ALIX).
    public let gene: String
    public let category: MarkerCategory
    /// Other spellings (`LAMP-3`, `Tamm-Horsfall protein`).
    public let synonyms: [String]

    init(_ name: String, _ gene: String, _ category: MarkerCategory, _ synonyms: [String] = []) {
        self.name = name
        self.gene = gene
        self.category = category
        self.synonyms = synonyms
    }
}

extension EVMarker {
    /// The proteins MISEV2018 Table 3 lists by category, those MISEV2023 names as examples, and the common
    /// tissue-specific members of category 1b, by their reported name.
    public static let catalog: [EVMarker] = [
        // Category 1a: non-tissue-specific transmembrane or GPI-anchored.
        EVMarker("CD9", "CD9", .transmembrane, ["TSPAN29", "MRP-1"]),
        EVMarker("CD63", "CD63", .transmembrane, ["LAMP-3", "LAMP3", "TSPAN30"]),
        EVMarker("CD81", "CD81", .transmembrane, ["TAPA-1", "TSPAN28"]),
        EVMarker("CD82", "CD82", .transmembrane, ["TSPAN27"]),
        EVMarker("CD47", "CD47", .transmembrane),
        EVMarker("MHC class I", "HLA-A", .transmembrane, ["HLA-ABC", "HLA class I", "MHC-I", "HLA-B", "HLA-C"]),
        EVMarker("integrin beta-1", "ITGB1", .transmembrane, ["CD29", "ITGB1"]),
        EVMarker("integrin alpha-4", "ITGA4", .transmembrane, ["CD49d"]),
        EVMarker("transferrin receptor 2", "TFR2", .transmembrane, ["TfR2"]),
        EVMarker("LAMP1", "LAMP1", .transmembrane, ["CD107a", "LAMP-1"]),
        EVMarker("LAMP2", "LAMP2", .transmembrane, ["CD107b", "LAMP-2"]),
        EVMarker("syndecan-1", "SDC1", .transmembrane, ["CD138", "SDC1"]),
        EVMarker("EMMPRIN", "BSG", .transmembrane, ["CD147", "basigin"]),
        EVMarker("ADAM10", "ADAM10", .transmembrane),
        EVMarker("CD73", "NT5E", .transmembrane, ["5'-nucleotidase", "ecto-5'-nucleotidase"]),
        EVMarker("CD55", "CD55", .transmembrane, ["DAF"]),
        EVMarker("CD59", "CD59", .transmembrane),
        EVMarker("sonic hedgehog", "SHH", .transmembrane),
        // Category 1b: cell- or tissue-specific.
        EVMarker("TSPAN8", "TSPAN8", .transmembrane, ["CO-029"]),
        EVMarker("CD37", "CD37", .transmembrane),
        EVMarker("CD53", "CD53", .transmembrane),
        EVMarker("PECAM1", "PECAM1", .transmembrane, ["CD31"]),
        EVMarker("ERBB2", "ERBB2", .transmembrane, ["HER2", "HER-2/neu"]),
        EVMarker("EPCAM", "EPCAM", .transmembrane, ["CD326", "EpCAM"]),
        EVMarker("CD90", "THY1", .transmembrane, ["Thy-1"]),
        EVMarker("CD45", "PTPRC", .transmembrane),
        EVMarker("CD41", "ITGA2B", .transmembrane, ["integrin alpha-IIb"]),
        EVMarker("CD42a", "GP9", .transmembrane),
        EVMarker("glycophorin A", "GYPA", .transmembrane, ["CD235a"]),
        EVMarker("CD14", "CD14", .transmembrane),
        EVMarker("MHC class II", "HLA-DRA", .transmembrane, ["HLA-DR", "MHC-II", "HLA class II"]),
        EVMarker("CD3", "CD3E", .transmembrane, ["CD3e"]),
        EVMarker("acetylcholinesterase", "ACHE", .transmembrane, ["AChE"]),
        EVMarker("amyloid precursor protein", "APP", .transmembrane, ["APP", "amyloid beta A4"]),
        EVMarker("L1CAM", "L1CAM", .transmembrane, ["CD171"]),
        EVMarker("PD-L1", "CD274", .transmembrane, ["CD274", "B7-H1"]),
        EVMarker("EGFR", "EGFR", .transmembrane, ["ERBB1", "HER1"]),
        EVMarker("glypican-1", "GPC1", .transmembrane, ["GPC1"]),
        // Category 2a: cytosolic, with lipid- or membrane-protein-binding ability.
        EVMarker("TSG101", "TSG101", .cytosolic, ["TSG-101"]),
        EVMarker("ALIX", "PDCD6IP", .cytosolic, ["AIP1", "PDCD6IP", "ALG-2-interacting protein X"]),
        EVMarker("syntenin-1", "SDCBP", .cytosolic, ["syntenin", "SDCBP", "MDA-9"]),
        EVMarker("CHMP4B", "CHMP4B", .cytosolic),
        EVMarker("VPS4A", "VPS4A", .cytosolic),
        EVMarker("VPS4B", "VPS4B", .cytosolic),
        EVMarker("ARRDC1", "ARRDC1", .cytosolic),
        EVMarker("flotillin-1", "FLOT1", .cytosolic, ["FLOT1", "flotillin"]),
        EVMarker("flotillin-2", "FLOT2", .cytosolic, ["FLOT2"]),
        EVMarker("caveolin-1", "CAV1", .cytosolic, ["CAV1", "caveolin"]),
        EVMarker("EHD4", "EHD4", .cytosolic),
        EVMarker("RHOA", "RHOA", .cytosolic),
        EVMarker("annexin A2", "ANXA2", .cytosolic, ["ANXA2"]),
        EVMarker("annexin A5", "ANXA5", .cytosolic, ["ANXA5"]),
        EVMarker("HSC70", "HSPA8", .cytosolic, ["HSPA8", "HSP73"]),
        EVMarker("HSP90AB1", "HSP90AB1", .cytosolic, ["HSP84", "HSP90-beta"]),
        EVMarker("ARF6", "ARF6", .cytosolic),
        EVMarker("tau", "MAPT", .cytosolic, ["MAPT"]),
        // Category 2b: cytosolic, promiscuously incorporated.
        EVMarker("HSP70", "HSPA1A", .cytosolic, ["HSPA1A", "HSP72"]),
        EVMarker("beta-actin", "ACTB", .cytosolic, ["actin", "ACTB"]),
        EVMarker("tubulin", "TUBA1A", .cytosolic, ["alpha-tubulin", "beta-tubulin", "TUBB"]),
        EVMarker("GAPDH", "GAPDH", .cytosolic),
        // Category 3: non-EV co-isolated structures.
        EVMarker("APOA1", "APOA1", .nonEVCoIsolate, ["apolipoprotein A1", "apoA-I", "ApoA-1"]),
        EVMarker("APOA2", "APOA2", .nonEVCoIsolate, ["apolipoprotein A2", "apoA-II"]),
        EVMarker("APOB", "APOB", .nonEVCoIsolate, ["apolipoprotein B", "APOB100", "ApoB-100", "APOB48"]),
        EVMarker("APOE", "APOE", .nonEVCoIsolate, ["apolipoprotein E"]),
        EVMarker("albumin", "ALB", .nonEVCoIsolate, ["ALB", "serum albumin", "HSA", "BSA"]),
        EVMarker("uromodulin", "UMOD", .nonEVCoIsolate, ["UMOD", "Tamm-Horsfall protein", "THP"]),
        EVMarker("ribosomal protein S6", "RPS6", .nonEVCoIsolate, ["RPS6", "ribosomal proteins"]),
        // Category 4: other intracellular compartments.
        EVMarker("histone H3", "H3C1", .otherCompartment, ["histones", "histone", "H3"]),
        EVMarker("lamin A/C", "LMNA", .otherCompartment, ["LMNA", "lamin"]),
        EVMarker("IMMT", "IMMT", .otherCompartment, ["mitofilin"]),
        EVMarker("cytochrome c", "CYCS", .otherCompartment, ["CYCS", "CYC1"]),
        EVMarker("TOMM20", "TOMM20", .otherCompartment),
        EVMarker("prohibitin", "PHB1", .otherCompartment, ["PHB"]),
        EVMarker("calnexin", "CANX", .otherCompartment, ["CANX"]),
        EVMarker("GRP94", "HSP90B1", .otherCompartment, ["HSP90B1", "endoplasmin", "gp96"]),
        EVMarker("BiP", "HSPA5", .otherCompartment, ["HSPA5", "GRP78"]),
        EVMarker("GM130", "GOLGA2", .otherCompartment, ["GOLGA2"]),
        EVMarker("ATG9A", "ATG9A", .otherCompartment),
        EVMarker("actinin-4", "ACTN4", .otherCompartment, ["ACTN4", "actinin-1", "ACTN1"]),
        EVMarker("cytokeratin 18", "KRT18", .otherCompartment, ["KRT18", "CK18"]),
        EVMarker("argonaute-2", "AGO2", .otherCompartment, ["AGO2", "EIF2C2"]),
        // Category 5: secreted proteins recovered with EVs.
        EVMarker("TGF-beta1", "TGFB1", .secreted, ["TGFB1", "TGF-β1"]),
        EVMarker("IFN-gamma", "IFNG", .secreted, ["IFNG", "IFN-γ"]),
        EVMarker("VEGF-A", "VEGFA", .secreted, ["VEGFA", "VEGF"]),
        EVMarker("FGF2", "FGF2", .secreted, ["bFGF"]),
        EVMarker("IL-15", "IL15", .secreted, ["IL15"]),
        EVMarker("fibronectin", "FN1", .secreted, ["FN1"]),
        EVMarker("MFGE8", "MFGE8", .secreted, ["lactadherin"]),
        EVMarker("galectin-3-binding protein", "LGALS3BP", .secreted, ["LGALS3BP", "90K"]),
        EVMarker("survivin", "BIRC5", .secreted, ["BIRC5"]),
    ]

    /// Every accepted spelling → marker, compared case-insensitively without spaces, `-` and `_`.
    private static let index: [String: EVMarker] = {
        var index: [String: EVMarker] = [:]
        for marker in catalog {
            for spelling in [marker.name, marker.gene] + marker.synonyms where index[foldedKey(spelling)] == nil {
                index[foldedKey(spelling)] = marker
            }
        }
        return index
    }()

    /// The marker a laboratory's spelling names (`Alix`, `PDCD6IP`, `Tamm-Horsfall protein`), or `nil`.
    public static func named(_ text: String) -> EVMarker? { index[foldedKey(text)] }

    /// Up to three catalogue markers nearest to an unknown spelling, for "did you mean" hints: the marker's name,
    /// with the spelling that was near in parentheses when it is another (`PECAM1 (CD31)`).
    public static func nearestNames(to text: String) -> [String] {
        let spellings = catalog.flatMap { [$0.name, $0.gene] + $0.synonyms }
        let nearest = EditDistance.nearest(to: text, in: spellings, limit: 9, maximumDistance: max(2, text.count / 2))
        var seen: Set<String> = []
        var labels: [String] = []
        for spelling in nearest {
            guard let name = named(spelling)?.name, seen.insert(name).inserted else { continue }
            labels.append(foldedKey(spelling) == foldedKey(name) ? name : "\(name) (\(spelling))")
        }
        return Array(labels.prefix(3))
    }

    /// Compared as vocabulary values are.
    private static func foldedKey(_ text: String) -> String { vocabularyKey(text) }
}
