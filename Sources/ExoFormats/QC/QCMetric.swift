public import ExoCore

/// The quantities ExoScope computes for an EV preparation, by the name specifications and reports use.
public enum QCMetric: String, Vocabulary, Codable {
    case concentrationPerMl = "concentration_per_ml"
    case concentrationInRangePerMl = "concentration_in_range_per_ml"
    case meanNm = "mean_nm"
    case modeNm = "mode_nm"
    case sdNm = "sd_nm"
    case d10Nm = "d10_nm"
    case d50Nm = "d50_nm"
    case d90Nm = "d90_nm"
    case span
    case fractionInRange = "fraction_in_range"
    case captureCV = "capture_cv"
    /// The share of captures whose concentration the instrument called unreliable (NTA's "Validity of concentration
    /// measurement: Unreliable"), 0–1.
    case unreliableCaptureFraction = "unreliable_capture_fraction"
    /// The share of captures the instrument found noisy (NTA's "Noise level: High noise"), 0–1.
    case highNoiseCaptureFraction = "high_noise_capture_fraction"
    case proteinMicrogramsPerMl = "protein_ug_per_ml"
    case rnaNanogramsPerMl = "rna_ng_per_ml"
    /// Particles per ml of the original biofluid: concentration × resuspension volume ÷ input volume.
    case particlesPerMlBiofluid = "particles_per_ml_biofluid"
    /// Particles per µg protein (Webber & Clayton 2013).
    case particlesPerMicrogram = "particles_per_ug"
    /// ng RNA per 10⁹ particles.
    case rnaPerBillionParticles = "rna_ng_per_1e9_particles"
    /// Copies of the measured cargo (a miRNA by qPCR or dPCR, or a loaded cargo) per particle.
    case copiesPerParticle = "copies_per_particle"
    /// Cargo copies per particle after loading divided by before.
    case loadingFold = "loading_fold"
    /// Cargo found in the EVs after loading and clean-up as a fraction of the cargo put in.
    case encapsulationEfficiency = "encapsulation_efficiency"
    /// ΔCq miR-23a-3p − miR-451a (≥ 7 suggests hemolysis; Blondal et al. 2013).
    case hemolysisDeltaCq = "hemolysis_dcq"
    case freezeThawCycles = "freeze_thaw_cycles"
    case storageTemperatureCelsius = "storage_temp_c"
    /// The EV-METRIC-style transparency score, 0–100 (docs/ev-qc.md).
    case transparencyScore = "transparency_score"

    /// The unit shown beside values, empty for ratios and counts.
    public var unit: String {
        switch self {
        case .concentrationPerMl, .concentrationInRangePerMl: "particles/ml"
        case .particlesPerMlBiofluid: "particles/ml biofluid"
        case .meanNm, .modeNm, .sdNm, .d10Nm, .d50Nm, .d90Nm: "nm"
        case .proteinMicrogramsPerMl: "µg/ml"
        case .rnaNanogramsPerMl: "ng/ml"
        case .particlesPerMicrogram: "particles/µg"
        case .rnaPerBillionParticles: "ng per 10⁹ particles"
        case .copiesPerParticle: "copies/particle"
        case .hemolysisDeltaCq: "ΔCq"
        case .storageTemperatureCelsius: "°C"
        case .transparencyScore: "%"
        case .span, .fractionInRange, .captureCV, .unreliableCaptureFraction, .highNoiseCaptureFraction, .loadingFold,
            .encapsulationEfficiency, .freezeThawCycles:
            ""
        }
    }
}
