/// How the extracellular vesicles of a sample were isolated and kept.
public struct EVPreparation: Hashable, Sendable, Codable {
    /// The isolation method.
    public var method: IsolationMethod?
    /// Volume of biofluid put into the isolation, in millilitres.
    public var inputVolumeMilliliters: Double?
    /// Storage temperature in °C (−80 for a −80 °C freezer).
    public var storageTemperatureCelsius: Double?
    /// Number of freeze–thaw cycles before analysis.
    public var freezeThawCycles: Int?

    /// Creates a preparation record.
    public init(
        method: IsolationMethod? = nil, inputVolumeMilliliters: Double? = nil,
        storageTemperatureCelsius: Double? = nil, freezeThawCycles: Int? = nil
    ) {
        self.method = method
        self.inputVolumeMilliliters = inputVolumeMilliliters
        self.storageTemperatureCelsius = storageTemperatureCelsius
        self.freezeThawCycles = freezeThawCycles
    }
}

/// EV isolation methods named by MISEV2023.
public enum IsolationMethod: String, Vocabulary, Codable {
    case ultracentrifugation
    case densityGradient = "density-gradient"
    case sizeExclusionChromatography = "size-exclusion-chromatography"
    case precipitation
    case immunoaffinity
    case ultrafiltration
    case tangentialFlowFiltration = "tangential-flow-filtration"
    case microfluidic
    case commercialKit = "commercial-kit"

    public var synonyms: [String] {
        switch self {
        case .ultracentrifugation: ["UC", "differential ultracentrifugation", "dUC"]
        case .densityGradient: ["DGUC", "density gradient ultracentrifugation", "iodixanol gradient"]
        case .sizeExclusionChromatography: ["SEC"]
        case .precipitation: ["PEG precipitation", "polymer precipitation", "ExoQuick"]
        case .immunoaffinity: ["immunocapture", "affinity capture"]
        case .ultrafiltration: ["UF"]
        case .tangentialFlowFiltration: ["TFF"]
        case .microfluidic: ["chip", "microfluidics"]
        case .commercialKit: ["kit", "exoRNeasy"]
        }
    }
}
