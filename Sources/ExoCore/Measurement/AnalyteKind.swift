/// What sort of molecule an analyte is.
public enum AnalyteKind: String, Vocabulary, Codable {
    case miRNA
    case lncRNA
    case circRNA
    /// Small nuclear RNA: the U6 (RNU6B, RNU6-1, RNU6-2 …) references of most miRNA RT-qPCR studies.
    case snRNA
    /// Small nucleolar RNA: RNU44 (SNORD44), RNU48 (SNORD48), RNU43, SNORD…, SNORA…, SCARNA….
    case snoRNA
    /// An exogenous molecule added at a known amount: ERCC, UniSp, synthetic spike-ins.
    case spikeIn = "spike-in"
    /// An assay control measured in every sample: RNase P (RPPH1), internal positive controls.
    case assayControl = "assay-control"
    case protein
    case particle
    /// Any other target an instrument run holds (a genomic DNA amplicon, a dye channel), named as written.
    case other

    public var synonyms: [String] {
        switch self {
        case .spikeIn: ["spike", "spikein", "exogenous control"]
        case .assayControl: ["control", "IPC", "internal control", "endogenous control"]
        case .snRNA: ["small nuclear RNA"]
        case .snoRNA: ["small nucleolar RNA", "scaRNA"]
        default: []
        }
    }

    /// Whether values of this kind are reference or control measurements rather than candidate biomarkers.
    public var isReferenceOrControl: Bool {
        switch self {
        case .snRNA, .snoRNA, .spikeIn, .assayControl: true
        case .miRNA, .lncRNA, .circRNA, .protein, .particle, .other: false
        }
    }
}
