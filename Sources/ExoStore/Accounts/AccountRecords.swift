/// What an account may do (docs/access.md has the whole matrix).
public enum AccountRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Everything, in every study, and the accounts themselves.
    case admin
    /// Reads and writes the studies it is a member of: imports, pipeline runs, alert acknowledgements.
    case analyst
    /// Reads the studies it is a member of; writes nothing.
    case clinician
    /// Posts readings to the live runs of the study its token names, and nothing else.
    case instrument

    public static func < (a: AccountRole, b: AccountRole) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// A local account: its name, role, bcrypt password hash (none for instrument accounts, which use tokens only) and
/// the studies it is a member of.
public struct AccountRecord: Sendable, Equatable {
    public var name: String
    public var role: AccountRole
    /// bcrypt (`$2b$…`); never logged, never returned by the API.
    public var passwordHash: String?
    /// Study ids; an admin sees every study whatever this holds.
    public var studies: [String]
    /// ISO 8601 UTC.
    public var createdAt: String

    public init(name: String, role: AccountRole, passwordHash: String?, studies: [String], createdAt: String) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.studies = studies
        self.createdAt = createdAt
    }
}

/// A bearer token of an account, as stored: its public id and the SHA-256 of its secret (the secret itself is shown
/// once, when made).
public struct TokenRecord: Sendable, Equatable {
    /// The public part of the token (`exo_<id>_<secret>`).
    public var id: String
    public var account: String
    /// The SHA-256 of the secret, in hex.
    public var secretHash: String
    /// The one study the token is limited to, if any.
    public var study: String?
    /// What the token is for, as its maker wrote it.
    public var label: String
    public var createdAt: String
    /// ISO 8601 UTC; after it the token is refused.
    public var expiresAt: String?
    public var revokedAt: String?

    public init(
        id: String, account: String, secretHash: String, study: String?, label: String, createdAt: String,
        expiresAt: String?, revokedAt: String? = nil
    ) {
        self.id = id
        self.account = account
        self.secretHash = secretHash
        self.study = study
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
