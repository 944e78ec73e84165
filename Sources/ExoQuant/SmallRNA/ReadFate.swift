/// Where a read ends up: every read of a sample falls in exactly one fate.
///
/// The first six are decided by the read's layout (adapter, UMI, length); the others by what the insert matches,
/// tried in the order of ``SmallRNACountOptions/priority``.
public enum ReadFate: Hashable, Sendable {
    /// The adapter starts where the insert would (insert length 0 after clipping): an adapter dimer.
    case adapterDimer
    /// An insert shorter than the minimum length.
    case tooShort
    /// An insert longer than the maximum length.
    case tooLong
    /// No adapter in the read, so the insert's end is unknown.
    case noAdapter
    /// The adapter was found but the read ends before the whole UMI after it (UMI kits only).
    case umiIncomplete
    /// A synthetic spike-in or calibrator.
    case spikeIn
    /// A mature miRNA or one of its isomiRs.
    case matureMiRNA
    /// A miRNA stem-loop (precursor) outside its matures, sense or antisense.
    case precursor(antisense: Bool)
    /// A sequence of a reference library (tRNA, rRNA, the user's), sense or antisense.
    case library(String, antisense: Bool)
    /// A length-passing insert that matches nothing.
    case unassigned

    /// The column name in per-sample tables (`trna_sense`, `rrna_antisense`, `mature_mirna`, …).
    public var label: String {
        switch self {
        case .adapterDimer: "adapter_dimer"
        case .tooShort: "too_short"
        case .tooLong: "too_long"
        case .noAdapter: "no_adapter"
        case .umiIncomplete: "umi_incomplete"
        case .spikeIn: "spike_in"
        case .matureMiRNA: "mature_mirna"
        case .precursor(let antisense): antisense ? "precursor_antisense" : "precursor_sense"
        case .library(let name, let antisense): "\(name)_\(antisense ? "antisense" : "sense")"
        case .unassigned: "unassigned"
        }
    }

    /// Whether the fate is an annotated endogenous small RNA (the exRNA-Atlas-style numerator): miRNAs, precursors
    /// and libraries; not spike-ins, which the lab added.
    public var isAnnotated: Bool {
        switch self {
        case .matureMiRNA, .precursor, .library: true
        default: false
        }
    }
}
