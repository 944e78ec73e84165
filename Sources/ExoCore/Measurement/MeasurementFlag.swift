/// A quality flag on one measured value.
///
/// Flags travel with the value into every result.
public enum MeasurementFlag: String, Vocabulary, Codable {
    /// Below the assay's limit of detection.
    case belowDetection = "below-detection"
    /// Above the assay's linear range (saturated).
    case aboveRange = "above-range"
    /// Replicates disagree beyond the assay's tolerance.
    case replicateSpread = "replicate-spread"
    /// The sample is hemolysed and the analyte is hemolysis-sensitive.
    case hemolysis
    /// The operator excluded the value.
    case excluded
    /// The value was imputed, not measured.
    case imputed
    /// Curve analysis found a problem: baseline error, instable baseline, noisy curve or efficiency outlier.
    case curveQuality = "curve-quality"
    /// A no-template control of the same target in the same run amplified: possible contamination.
    case ntcAmplification = "ntc-amplification"
    /// A copy number read off a standard curve outside the range of its standards (extrapolated).
    case outsideStandards = "outside-standards"
    /// The sample's EV preparation failed QC against the study's specification (docs/ev-qc.md).
    case preparationQC = "preparation-qc"

    public var synonyms: [String] {
        switch self {
        case .belowDetection: ["LOD", "<LOD", "undetermined", "ND", "not detected"]
        case .aboveRange: ["saturated", ">ULOQ"]
        case .replicateSpread: ["spread", "CV"]
        case .hemolysis: ["hemolysed", "haemolysis", "haemolysed"]
        case .excluded: ["exclude", "outlier"]
        case .imputed: []
        case .curveQuality: ["curve quality", "baseline error"]
        case .ntcAmplification: ["NTC amplification", "contamination"]
        case .outsideStandards: ["extrapolated", "outside standards"]
        case .preparationQC: ["preparation QC", "EV QC failed", "prep-qc"]
        }
    }
}
