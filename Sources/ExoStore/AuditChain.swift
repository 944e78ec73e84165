import Crypto
import Foundation

/// The audit log as a hash chain: each entry carries the hash of the entry before it and a hash of its own content
/// and that link, so that editing, deleting or reordering stored entries is detected (`exoscope audit verify`).
///
/// An entry's hash is SHA-256, in lower-case hex, of `exoscope-audit-1` followed by seven fields, each written as
/// its UTF-8 byte count in decimal, `:` and its bytes: the timestamp, actor, action, entity, detail, version and
/// the previous entry's hash (64 zeros for the first entry). Length prefixes make the encoding unambiguous, so no
/// two different entries share an input. The row id is not hashed: the order is the chain itself.
///
/// What the chain cannot show alone: someone who can write the database may rewrite every entry after the one they
/// changed, hashes included. A head (the last hash, which `audit verify` prints) written down elsewhere closes that
/// gap: `audit verify --head H` checks that H is still in the chain.
public enum AuditChain {
    /// The previous hash of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an entry whose previous entry's hash is `previous`.
    public static func hash(
        at: String, actor: String, action: String, entity: String, detail: String, version: String, previous: String
    ) -> String {
        var input = Data("exoscope-audit-1".utf8)
        for field in [at, actor, action, entity, detail, version, previous] {
            let bytes = Data(field.utf8)
            input.append(contentsOf: "\(bytes.count):".utf8)
            input.append(bytes)
        }
        return SHA256.hash(data: input).map { String(format: "%02x", $0) }.joined()
    }

    /// The hash an entry should carry after `previous`.
    public static func hash(of entry: AuditEntry, previous: String) -> String {
        hash(
            at: entry.at, actor: entry.actor, action: entry.action, entity: entry.entity, detail: entry.detail,
            version: entry.version, previous: previous)
    }

    /// Checks a log, oldest first.
    ///
    /// - Parameters:
    ///   - entries: the stored entries in id order, with their stored `previousHash` and `hash`.
    ///   - lastAssignedID: the largest id the store ever assigned to an entry (SQLite's `sqlite_sequence`), when
    ///     known: an id above the last entry's means entries were removed from the end.
    ///   - head: a hash written down earlier, which must still be one of the entries' hashes.
    /// - Returns: every fault found, the entries' count and head, and whether `head` was found.
    public static func verify(_ entries: [AuditEntry], lastAssignedID: Int64? = nil, head: String? = nil)
        -> AuditVerification
    {
        var problems: [AuditVerification.Problem] = []
        var expectedPrevious = genesis
        for (index, entry) in entries.enumerated() {
            let position = index + 1
            guard let stored = entry.hash, let previous = entry.previousHash else {
                problems.append(.init(position: position, id: entry.id, kind: .unhashed))
                expectedPrevious = entry.hash ?? hash(of: entry, previous: expectedPrevious)
                continue
            }
            if previous != expectedPrevious {
                problems.append(.init(position: position, id: entry.id, kind: .brokenLink))
            }
            if hash(of: entry, previous: previous) != stored {
                problems.append(.init(position: position, id: entry.id, kind: .contentChanged))
            }
            expectedPrevious = stored
        }
        if let lastAssignedID, lastAssignedID > (entries.last?.id ?? 0) {
            problems.append(
                .init(
                    position: entries.count + 1, id: lastAssignedID,
                    kind: .missingAtEnd(Int(lastAssignedID - (entries.last?.id ?? 0)))))
        }
        var headFound: Bool?
        if let head {
            headFound = entries.contains { $0.hash == head.lowercased() }
        }
        return AuditVerification(
            entries: entries.count, head: entries.last?.hash ?? genesis, problems: problems, headFound: headFound)
    }
}

/// The outcome of checking the audit log's hash chain.
public struct AuditVerification: Sendable, Equatable, Encodable {
    /// One fault, at an entry.
    public struct Problem: Sendable, Equatable, Encodable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable, Encodable {
            /// The entry's content no longer gives its hash: it was edited.
            case contentChanged
            /// The entry's previous hash is not the hash of the entry before it: an entry before it was deleted,
            /// or entries were reordered or inserted.
            case brokenLink
            /// The entry has no hash: written around ExoScope.
            case unhashed
            /// This many entries were removed from the end (the store had assigned larger ids).
            case missingAtEnd(Int)
        }

        /// 1 for the oldest entry.
        public var position: Int
        /// The entry's row id.
        public var id: Int64?
        public var kind: Kind

        public var description: String {
            let entry = "entry \(position)" + (id.map { " (id \($0))" } ?? "")
            switch kind {
            case .contentChanged: return "\(entry): its content does not give its hash: the entry was edited"
            case .brokenLink:
                return
                    "\(entry): it does not follow the entry before it: an entry before it was deleted, or entries were reordered or inserted"
            case .unhashed: return "\(entry): it has no hash: it was written around ExoScope"
            case .missingAtEnd(let count):
                return
                    "the last \(count) \(count == 1 ? "entry was" : "entries were") removed (the store assigned id \(id ?? 0))"
            }
        }

        private enum CodingKeys: String, CodingKey { case position, id, kind, message }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(position, forKey: .position)
            try container.encodeIfPresent(id, forKey: .id)
            let name =
                switch kind {
                case .contentChanged: "content-changed"
                case .brokenLink: "broken-link"
                case .unhashed: "unhashed"
                case .missingAtEnd: "missing-at-end"
                }
            try container.encode(name, forKey: .kind)
            try container.encode(description, forKey: .message)
        }
    }

    /// How many entries the log holds.
    public var entries: Int
    /// The last entry's hash (the genesis hash for an empty log): write it down to check later with `--head`.
    public var head: String
    public var problems: [Problem]
    /// Whether the `--head` given is still in the chain (`nil` when none was given).
    public var headFound: Bool?

    /// No fault, and the head given (if any) found.
    public var isIntact: Bool { problems.isEmpty && headFound != false }
}
