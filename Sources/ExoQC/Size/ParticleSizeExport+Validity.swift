public import ExoFormats

extension ParticleSizeExport {
    /// The instrument's check items that a specification can require, and the value that flags a capture.
    ///
    /// NTA writes "Validity of concentration measurement: Unreliable" in `[Concentration Warnings]` when too few
    /// particles were tracked or the noise was too high for the concentration to be trusted, and "Noise level: High
    /// noise" in `[Concentration Warnings]` or `[Information]`.
    public enum ValidityCheck: Sendable, CaseIterable {
        case unreliableConcentration
        case highNoise

        /// The item's name in the export.
        public var item: String {
            switch self {
            case .unreliableConcentration: "Validity of concentration measurement"
            case .highNoise: "Noise level"
            }
        }

        /// The value that flags a capture.
        public var flag: String {
            switch self {
            case .unreliableConcentration: "Unreliable"
            case .highNoise: "High noise"
            }
        }
    }

    /// The share of captures the instrument flagged on `check` (0–1): a capture counts once however many sections
    /// flag it; `nil` when the export does not report the item (ZetaView, size-bin CSV, NTA files without it).
    public func flaggedFraction(_ check: ValidityCheck) -> Double? {
        guard checkedItems.contains(check.item), !captures.isEmpty else { return nil }
        let flagged = Set(warnings.filter { $0.item == check.item && $0.value == check.flag }.map(\.capture))
        return Double(flagged.count) / Double(captures.count)
    }
}
