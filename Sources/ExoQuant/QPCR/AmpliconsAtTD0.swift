public import ExoFormats

/// The number of amplicons a reaction holds at TD0, modelled from its chemistry (N_ampli of RDML-Tools).
///
/// Ncopy, the starting copy number of the later RDML-Tools LinRegPCR, is this number divided back over TD0
/// cycles: Ncopy = N_ampli / E^TD0. N_ampli is a fixed share of what limits fluorescence at TD0, per µL of
/// reaction: for a non-saturating dye 1.5 × its concentration over the amplicon length (one dye molecule per
/// so many base pairs), for a saturating dye 4 % and for a probe assay 10 % of the lower primer concentration;
/// templates not stated as double-stranded count twice. Every input the file leaves out takes RDML-Tools'
/// default, and ``assumed`` names it, so that a copy number built on defaults never passes for a measured one.
/// docs/dev/linregpcr-rdmltools.md §4.2 gives the rules and their check against the expected-results tables.
public struct AmpliconsAtTD0: Sendable, Hashable {
    /// Amplicon copies in the whole reaction at TD0.
    public var copies: Double
    /// The inputs the file did not state, each with the default used (`reaction volume 10 µL`).
    public var assumed: [String]

    /// Copies per µL in one nanomolar (Avogadro's constant × 1e-15).
    static let copiesPerMicrolitrePerNanomolar = 6.02214076e23 * 1e-15

    /// The model for one reaction and target.
    ///
    /// - Parameters:
    ///   - target: the assay (primer and amplicon sequences and concentrations), if the file has it.
    ///   - chemistry: the target dye's chemistry as written (`non-saturating DNA binding dye`, …), if any.
    ///   - dyeConcentration: the dye's `dyeConc` in nM.
    ///   - doubleStranded: the sample's `doubleStranded`.
    ///   - volume: the reaction's `vol` in µL.
    ///   - plateColumns: the run's plate columns (the default volume is 20 µL up to 12 columns, else 10 µL).
    public init(
        target: RDMLTarget?, chemistry: String?, dyeConcentration: Double?, doubleStranded: Bool?, volume: Double?,
        plateColumns: Int?
    ) {
        var assumed: [String] = []
        func given(_ value: Double?, _ fallback: Double, _ description: String) -> Double {
            if let value, value > 0 { return value }
            assumed.append(description)
            return fallback
        }
        let perMicrolitre: Double
        switch chemistry {
        case "saturating DNA binding dye", "hydrolysis probe", "hybridization probe":
            let sequences = target?.sequences
            let forward = given(sequences?.forwardPrimer?.concentration, 250, "forward primer 250 nM")
            let reverse = given(sequences?.reversePrimer?.concentration, 250, "reverse primer 250 nM")
            let share = chemistry == "saturating DNA binding dye" ? 0.04 : 0.10
            perMicrolitre = share * min(forward, reverse) * Self.copiesPerMicrolitrePerNanomolar
        default:
            let dye = given(dyeConcentration, 400, "dye 400 nM")
            let length: Double
            if let count = target?.sequences.amplicon?.sequence?.count, count > 30 {
                length = Double(count)
            } else {
                length = 100
                assumed.append("amplicon 100 bp")
            }
            perMicrolitre = 1.5 * dye * Self.copiesPerMicrolitrePerNanomolar / length
        }
        let reactionVolume: Double
        if let volume, volume > 0 {
            reactionVolume = volume
        } else {
            reactionVolume = (plateColumns ?? 12) <= 12 ? 20 : 10
            assumed.append("reaction volume \(Int(reactionVolume)) µL")
        }
        var strands = 1.0
        if doubleStranded != true {
            strands = 2
            if doubleStranded == nil { assumed.append("single-stranded template") }
        }
        self.copies = strands * perMicrolitre * reactionVolume
        self.assumed = assumed
    }
}
