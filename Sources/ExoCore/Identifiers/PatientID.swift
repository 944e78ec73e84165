/// A pseudonymous patient identifier, as written in the sample sheet.
///
/// ExoScope stores no names, dates of birth or record numbers: the id is the lab's pseudonym.
public struct PatientID: Identifier {
    public let rawValue: String
    public init(validated rawValue: String) { self.rawValue = rawValue }
}
