/// How much of the original biofluid ends up in one PCR, so copies per reaction become copies per mL.
///
/// copies/mL biofluid = copies per PCR × (RT reaction volume / cDNA volume in the PCR)
///                      × (RNA elution volume / RNA volume in the RT) / biofluid volume into the EV isolation.
/// Every volume is required: a missing one is a silent factor of 2 to 100, so none is assumed.
public struct DilutionChain: Sendable, Hashable, Codable {
    /// Biofluid put into the EV isolation, mL.
    public var inputVolumeMilliliters: Double
    /// Volume the RNA was eluted in, µL.
    public var elutionVolumeMicroliters: Double
    /// RNA volume put into the reverse transcription, µL.
    public var rtInputMicroliters: Double
    /// Total RT reaction volume (after any dilution of the cDNA), µL.
    public var rtVolumeMicroliters: Double
    /// cDNA volume put into each PCR, µL.
    public var pcrInputMicroliters: Double

    /// Creates a chain.
    public init(
        inputVolumeMilliliters: Double, elutionVolumeMicroliters: Double, rtInputMicroliters: Double,
        rtVolumeMicroliters: Double, pcrInputMicroliters: Double
    ) {
        precondition(
            [
                inputVolumeMilliliters, elutionVolumeMicroliters, rtInputMicroliters, rtVolumeMicroliters,
                pcrInputMicroliters,
            ]
            .allSatisfy { $0 > 0 && $0.isFinite }, "every volume of a dilution chain must be positive")
        self.inputVolumeMilliliters = inputVolumeMilliliters
        self.elutionVolumeMicroliters = elutionVolumeMicroliters
        self.rtInputMicroliters = rtInputMicroliters
        self.rtVolumeMicroliters = rtVolumeMicroliters
        self.pcrInputMicroliters = pcrInputMicroliters
    }

    /// The factor from copies per PCR to copies per mL of biofluid.
    public var copiesPerMilliliterFactor: Double {
        (rtVolumeMicroliters / pcrInputMicroliters) * (elutionVolumeMicroliters / rtInputMicroliters)
            / inputVolumeMilliliters
    }
}
