/// What produced a result: ExoScope's version, the parameters, the seed and the input files' hashes.
///
/// Attached to every stored result so a reader can reproduce it exactly.
public struct Provenance: Hashable, Sendable, Codable {
    /// ExoScope's version (``ExoScopeVersion/current``).
    public var version: String
    /// The analysis step (`import`, `demo`, `report`).
    public var step: String
    /// Parameters by name, as strings, sorted by name when encoded.
    public var parameters: [String: String]
    /// The random seed, when the step draws random numbers.
    public var seed: UInt64?
    /// SHA-256 (hex) of each input file, by path relative to the study folder.
    public var inputHashes: [String: String]

    /// Creates a provenance record for the current ExoScope version.
    public init(
        step: String, parameters: [String: String] = [:], seed: UInt64? = nil, inputHashes: [String: String] = [:],
        version: String = ExoScopeVersion.current
    ) {
        self.version = version
        self.step = step
        self.parameters = parameters
        self.seed = seed
        self.inputHashes = inputHashes
    }
}
