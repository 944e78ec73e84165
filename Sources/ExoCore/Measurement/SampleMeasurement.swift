/// One measured value in long form: which sample, which analyte, which assay, the value, its unit and flags.
///
/// `value` is `nil` when the assay ran but gave no number (a Cq of "Undetermined"); such a value always
/// carries a flag saying why (`belowDetection`).
public struct SampleMeasurement: Hashable, Sendable, Codable {
    public var sample: SampleID
    public var analyte: Analyte
    public var assay: Assay
    public var value: Double?
    public var unit: MeasurementUnit
    /// Technical replicate number, 1-based.
    public var replicate: Int
    public var flags: Set<MeasurementFlag>
    /// Where the value came from: the input file and its line.
    public var source: InputLocation

    /// Creates a measurement.
    public init(
        sample: SampleID, analyte: Analyte, assay: Assay, value: Double?, unit: MeasurementUnit, replicate: Int = 1,
        flags: Set<MeasurementFlag> = [], source: InputLocation
    ) {
        self.sample = sample
        self.analyte = analyte
        self.assay = assay
        self.value = value
        self.unit = unit
        self.replicate = replicate
        self.flags = flags
        self.source = source
    }

    /// The value with its unit, when there is a value.
    public var quantity: Quantity? { value.map { Quantity($0, unit) } }
}
