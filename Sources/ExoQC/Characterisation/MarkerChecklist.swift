import ExoCore
public import ExoFormats

/// The MISEV characterisation of one preparation: which marker categories were tested and found, whether single
/// vesicles were imaged, and which independent quantities were measured.
///
/// MISEV2018 asks for at least one transmembrane or GPI-anchored protein (category 1) and one cytosolic protein
/// (category 2) to show lipid-bilayer vesicles with cytosol, at least one non-EV co-isolate (category 3) tested to
/// assess purity, single-vesicle imaging, and particles counted together with a second quantity (protein or RNA)
/// and their ratio; MISEV2023 keeps these. A category 4 protein found speaks of cellular debris.
public struct MarkerChecklist: Sendable, Hashable, Codable {
    /// One category's results.
    public struct CategoryResult: Sendable, Hashable, Codable {
        public var category: Int
        public var label: String
        /// Marker names found, and tested but not found.
        public var detected: [String]
        public var notDetected: [String]
    }

    public var categories: [CategoryResult]
    /// The single-EV imaging method, `nil` when none is reported.
    public var imaging: String?
    /// The independent quantities measured besides particle number (`protein`, `RNA`).
    public var quantities: [String]
    /// What MISEV asks for that is missing or contradicts an EV preparation, one sentence each.
    public var gaps: [String]

    /// Builds the checklist of one preparation.
    ///
    /// - Parameters:
    ///   - observations: the preparation's marker results.
    ///   - imaging: its single-EV imaging, if any.
    ///   - particles: whether particles were counted.
    ///   - protein: whether protein was measured.
    ///   - rna: whether RNA was measured.
    public init(
        observations: [MarkerObservation], imaging: EVImaging?, particles: Bool, protein: Bool, rna: Bool
    ) {
        categories = MarkerCategory.allCases.map { category in
            let inCategory = observations.filter { $0.marker.category == category }
            let detected = Self.names(inCategory.filter(\.detected))
            return CategoryResult(
                category: category.rawValue, label: category.label, detected: detected,
                notDetected: Self.names(inCategory.filter { !$0.detected }).filter { !detected.contains($0) })
        }
        self.imaging = imaging.flatMap { $0 == .none ? nil : $0.rawValue }
        quantities = (protein ? ["protein"] : []) + (rna ? ["RNA"] : [])
        var gaps: [String] = []
        if categories[0].detected.isEmpty {
            gaps.append(
                categories[0].notDetected.isEmpty
                    ? "no transmembrane or GPI-anchored marker (category 1, such as CD9, CD63 or CD81) tested"
                    : "no category 1 marker detected (tested: \(categories[0].notDetected.joined(separator: ", ")))")
        }
        if categories[1].detected.isEmpty {
            gaps.append(
                categories[1].notDetected.isEmpty
                    ? "no cytosolic marker (category 2, such as TSG101, ALIX or syntenin-1) tested"
                    : "no category 2 marker detected (tested: \(categories[1].notDetected.joined(separator: ", ")))")
        }
        if categories[2].detected.isEmpty, categories[2].notDetected.isEmpty {
            gaps.append(
                "no non-EV co-isolate (category 3, such as APOA1, APOB, albumin or uromodulin) tested for purity")
        }
        if !categories[3].detected.isEmpty {
            gaps.append(
                "\(categories[3].detected.joined(separator: ", ")) (category 4, other compartments) detected: cellular debris or co-isolated organelles"
            )
        }
        if self.imaging == nil { gaps.append("no single-EV imaging (electron or atomic-force microscopy) reported") }
        if !particles {
            gaps.append("particles not counted")
        } else if quantities.isEmpty {
            gaps.append(
                "particle number is the only quantity: MISEV asks for a second (protein or RNA) and their ratio")
        }
        self.gaps = gaps
    }

    /// Whether categories 1 and 2 each have a detected marker (the MISEV minimum for calling the particles EVs).
    public var showsEVs: Bool { !categories[0].detected.isEmpty && !categories[1].detected.isEmpty }

    private static func names(_ observations: [MarkerObservation]) -> [String] {
        var seen: [String] = []
        for observation in observations where !seen.contains(observation.marker.name) {
            seen.append(observation.marker.name)
        }
        return seen
    }
}

/// Webber & Clayton's particle-to-protein purity bands (J Extracell Vesicles 2013;2:19861,
/// doi:10.3402/jev.v2i0.19861): NTA particles per µg protein.
public enum PurityBand: String, Sendable, Hashable, Codable {
    /// More than 3 × 10¹⁰ particles/µg.
    case high = "high purity"
    /// 2 × 10⁹ to 2 × 10¹⁰ particles/µg.
    case low = "low purity"
    /// Less than 1.5 × 10⁹ particles/µg.
    case impure
    /// Between the published bands (1.5–2 × 10⁹ or 2–3 × 10¹⁰), which the paper leaves unnamed.
    case between = "between bands"

    /// The band of a ratio.
    public init(particlesPerMicrogram ratio: Double) {
        switch ratio {
        case 3e10...: self = .high
        case 2e9...2e10: self = .low
        case ..<1.5e9: self = .impure
        default: self = .between
        }
    }
}
