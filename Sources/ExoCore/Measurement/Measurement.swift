/// One measured value in long form: which sample, which analyte, which assay, the quantity, its flags.
public struct Measurement: Hashable, Sendable, Codable {
    public var sample: SampleID
    public var analyte: Analyte
    public var assay: Assay
    public var quantity: Quantity
    /// Technical replicate number, 1-based, when the file records replicates separately.
    public var replicate: Int
    public var flags: Set<MeasurementFlag>
    /// Where the value came from: the input file and its line.
    public var source: InputLocation

    /// Creates a measurement.
    public init(
        sample: SampleID, analyte: Analyte, assay: Assay, quantity: Quantity, replicate: Int = 1,
        flags: Set<MeasurementFlag> = [], source: InputLocation
    ) {
        self.sample = sample
        self.analyte = analyte
        self.assay = assay
        self.quantity = quantity
        self.replicate = replicate
        self.flags = flags
        self.source = source
    }
}
