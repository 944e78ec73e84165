/// A sample identifier, unique within a study.
public struct SampleID: Identifier {
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}
