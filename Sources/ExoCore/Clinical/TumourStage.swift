/// Overall AJCC/UICC stage group, I–IV, with an optional sub-stage letter (IIIA, IB …).
public struct TumourStage: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// 1 for stage I up to 4 for stage IV.
    public let group: Int
    /// Optional sub-stage: `A`, `B` or `C`.
    public let substage: Character?

    /// Accepted spellings, for messages.
    public static let expectation = "a stage group I, II, III or IV (Roman or 1–4), optionally with A, B or C (IIIA)"

    /// Parses `I`, `IIIA`, `stage IV`, `3b`, `4`.
    public init?(parsing text: String) {
        var body = text.trimmingWhitespace().uppercased()
        if body.hasPrefix("STAGE") { body = String(body.dropFirst(5)).trimmingWhitespace() }
        var letter: Character?
        if let last = body.last, "ABC".contains(last), body.count > 1 {
            letter = last
            body.removeLast()
        }
        let groups = ["I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4]
        guard let group = groups[body] else { return nil }
        self.group = group
        self.substage = letter
    }

    /// Whether the stage is III or IV (the review's "late stage").
    public var isLate: Bool { group >= 3 }

    /// The stage as `I`, `IIIA` and so on.
    public var description: String {
        ["I", "II", "III", "IV"][group - 1] + (substage.map { String($0) } ?? "")
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.group, lhs.substage.map { String($0) } ?? "") < (rhs.group, rhs.substage.map { String($0) } ?? "")
    }

    enum CodingKeys: CodingKey { case stage }
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let stage = TumourStage(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad stage"))
        }
        self = stage
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
