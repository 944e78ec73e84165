public import ExoCore

/// A sample id known to be valid in a test; traps with the offending text otherwise.
public func testSampleID(_ text: String) -> SampleID {
    guard let id = SampleID(text) else { preconditionFailure("'\(text)' is not a valid sample id") }
    return id
}

/// A patient pseudonym known to be valid in a test; traps with the offending text otherwise.
public func testPatientID(_ text: String) -> PatientID {
    guard let id = PatientID(text) else { preconditionFailure("'\(text)' is not a valid patient id") }
    return id
}
