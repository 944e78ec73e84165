/// The kind of assay that produced a measurement.
public enum Assay: String, Vocabulary, Codable {
    case qPCR
    case digitalPCR = "dPCR"
    case smallRNASeq = "small-RNA-seq"
    case nanoparticleTracking = "NTA"
    case westernBlot = "western-blot"
    case elisa = "ELISA"
    case flowCytometry = "flow-cytometry"
    case proteinAssay = "protein-assay"

    public var synonyms: [String] {
        switch self {
        case .qPCR: ["RT-qPCR", "qRT-PCR", "real-time PCR"]
        case .digitalPCR: ["ddPCR", "digital PCR", "droplet digital PCR"]
        case .smallRNASeq: ["smallRNAseq", "RNA-seq", "sequencing", "NGS"]
        case .nanoparticleTracking: ["nanoparticle tracking analysis", "NanoSight", "ZetaView"]
        case .westernBlot: ["WB", "western"]
        case .elisa: []
        case .flowCytometry: ["flow", "FCM", "nanoFCM"]
        case .proteinAssay: ["BCA", "micro BCA", "Bradford", "Qubit protein"]
        }
    }

    /// The units this assay can report.
    public var admissibleUnits: Set<MeasurementUnit> {
        switch self {
        case .qPCR: [.cq, .copiesPerReaction, .copiesPerMicroliter, .copiesPerMilliliter, .relativeQuantity]
        case .digitalPCR: [.copiesPerMicroliter, .copiesPerMilliliter, .copiesPerReaction]
        case .smallRNASeq: [.counts, .readsPerMillion]
        case .nanoparticleTracking, .flowCytometry: [.particlesPerMilliliter, .nanometers]
        case .westernBlot: [.relativeQuantity]
        case .elisa, .proteinAssay: [.microgramsPerMilliliter, .nanogramsPerMicroliter]
        }
    }
}
