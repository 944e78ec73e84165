/// Input the user can fix; printed as `path:line:column: error: message` with an optional hint line.
///
/// `kind` is stable and tested; the wording of `message` may improve over time. Messages never carry
/// measured values or patient identifiers beyond the token that is wrong (STYLE.md, privacy).
public struct InputError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// What is wrong, as a stable, machine-readable category.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case fileNotFound
        case unreadableFile
        case invalidEncoding
        case malformedYAML
        case wrongType
        case unknownKey
        case missingKey
        case emptyTable
        case missingColumn
        case duplicateColumn
        case wrongFieldCount
        case duplicateSample
        case unknownSample
        case invalidIdentifier
        case invalidDate
        case invalidNumber
        case invalidValue
        case unknownUnit
        case unknownAnalyte
        case ambiguousAnalyte
        case duplicateMeasurement
        case fileChanged
        case malformedArchive
        /// A zip entry inflates past the configured size cap (a zip bomb, or a genuine file above the cap).
        case archiveTooLarge
        /// An input would need more memory to read than the machine has left.
        case tooLargeForMemory
        /// A zip entry's content does not match the CRC-32 its archive records (altered or damaged).
        case checksumMismatch
        case missingEntry
        case malformedXML
        case notRDML
        case unsupportedVersion
        case duplicateIdentifier
        case danglingReference
        case tooFewCycles
        case unknownMarker
        case contradictoryRange
        case malformedJSON
        case unknownWell
        case cycleOrder
        case missingLayout
        case conflictingReading
        case outsideStudyFolder
        /// Compressed data that cannot be inflated: damaged, truncated, or followed by bytes that are not gzip.
        case malformedCompression
        /// A sequencing record (FASTQ) that breaks the format: its header, separator, letters or lengths.
        case malformedRecord
        /// A file that ends part-way through a record.
        case truncatedRecord
    }

    /// The stable category of the problem.
    public var kind: Kind
    /// Where the problem is.
    public var location: InputLocation
    /// What was expected and what was found.
    public var message: String
    /// How to fix it, often the nearest valid name.
    public var hint: String?

    /// Creates an input error.
    public init(_ kind: Kind, at location: InputLocation, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `path:line:column: error: message`, then `  hint: …` on its own line when there is a hint.
    ///
    /// Control and bidirectional-override characters in the path, message and hint are shown as escapes
    /// (``Swift/StringProtocol/escapingControlCharacters(keepingNewlines:)``), so a value from a hostile file
    /// can neither act on the terminal nor forge a line of output.
    public var description: String {
        let hintLine = hint.map { "\n  hint: \($0.escapingControlCharacters(keepingNewlines: true))" } ?? ""
        return "\(location.description.escapingControlCharacters()): error: "
            + message.escapingControlCharacters(keepingNewlines: true) + hintLine
    }
}

extension InputError {
    /// Shortens a user token for quoting in a message (about 60 characters, as STYLE.md asks), with its
    /// control characters, line breaks included, written as escapes.
    public static func quoted(_ token: some StringProtocol, limit: Int = 60) -> String {
        let text = String(token)
        guard text.count > limit else { return "'\(text.escapingControlCharacters())'" }
        return "'\(text.prefix(limit - 1).escapingControlCharacters())…'"
    }
}
