import ExoFormats
public import ExoStore
public import Foundation
import HummingbirdBcrypt

/// Who is asking: an account, its role and the studies it may see.
///
/// Narrowed to one study when it came with a token limited to that study. The CLI and the server decide access with the same rules (docs/access.md).
public struct Principal: Sendable, Equatable {
    public var name: String
    public var role: AccountRole
    /// The account's memberships (an admin's are not consulted).
    public var studies: Set<String>
    /// The study a token is limited to, when the request came with such a token.
    public var tokenStudy: String?

    public init(name: String, role: AccountRole, studies: Set<String>, tokenStudy: String? = nil) {
        self.name = name
        self.role = role
        self.studies = studies
        self.tokenStudy = tokenStudy
    }

    /// Whether the principal may see `study` at all (its token's study, its memberships, or any as admin).
    public func isMember(of study: String) -> Bool {
        if let tokenStudy, tokenStudy != study { return false }
        return role == .admin || studies.contains(study)
    }

    /// Reading a study's data: admins, and analysts and clinicians who are members.
    public func canRead(study: String) -> Bool {
        role != .instrument && isMember(of: study)
    }

    /// Changing a study (imports, pipeline runs, acknowledgements): admins, and analysts who are members.
    public func canWrite(study: String) -> Bool {
        (role == .admin || role == .analyst) && isMember(of: study)
    }

    /// Posting live readings to a run of `study`: instruments and analysts who are members, and admins.
    public func canIngest(study: String) -> Bool {
        role != .clinician && isMember(of: study)
    }

    /// Managing accounts and tokens.
    public var isAdmin: Bool { role == .admin && tokenStudy == nil }
}

/// Local accounts, their passwords (bcrypt) and bearer tokens: `exoscope user …` and the server's login.
public enum AccountOperations {
    /// bcrypt's cost factor: 2¹² rounds, about a quarter of a second a hash here, a standard choice for logins.
    public static let bcryptCost: UInt8 = 12
    /// The shortest password accepted.
    public static let minimumPasswordLength = 12

    /// An account to add or change.
    public struct AccountRequest: Sendable, Equatable {
        public var databasePath: String
        public var name: String
        public var role: AccountRole
        /// Required for every role but `instrument` (which signs in with tokens only).
        public var password: String?
        public var studies: [String]
        public var actor: String

        public init(
            databasePath: String, name: String, role: AccountRole, password: String?, studies: [String],
            actor: String
        ) {
            self.databasePath = databasePath
            self.name = name
            self.role = role
            self.password = password
            self.studies = studies
            self.actor = actor
        }
    }

    /// What `user add` reports: never the password or its hash.
    public struct AccountSummary: Sendable, Encodable, Equatable {
        public var name: String
        public var role: String
        public var studies: [String]
        public var createdAt: String
    }

    /// Adds an account, or replaces one's role, password and memberships.
    ///
    /// - Throws: `OperationError.usage` for a name that is not `[A-Za-z0-9._@-]{1,64}`, a password shorter than
    ///   ``minimumPasswordLength`` or missing for a role that signs in, a study the store does not hold.
    public static func saveAccount(_ request: AccountRequest) async throws -> AccountSummary {
        try checkName(request.name)
        let store = try await openStore(request.databasePath)
        var hash: String?
        if let password = request.password {
            guard password.count >= minimumPasswordLength else {
                throw OperationError.usage("a password needs at least \(minimumPasswordLength) characters")
            }
            hash = Bcrypt.hash(password, cost: bcryptCost)
        } else if request.role != .instrument {
            throw OperationError.usage(
                "a \(request.role.rawValue) account signs in with a password; give one (--password-stdin)")
        }
        let known = Set(try await store.status().studies.map(\.id))
        for study in request.studies where !known.contains(study) {
            throw OperationError.usage("no study '\(study)' in the database; import it first")
        }
        let existing = try await store.account(name: request.name)
        let record = AccountRecord(
            name: request.name, role: request.role, passwordHash: hash ?? existing?.passwordHash,
            studies: request.studies, createdAt: existing?.createdAt ?? timestamp(Date()))
        try await store.saveAccount(record, actor: request.actor)
        return AccountSummary(
            name: record.name, role: record.role.rawValue, studies: record.studies.sorted(),
            createdAt: record.createdAt)
    }

    /// Removes an account and revokes its tokens.
    public static func removeAccount(databasePath: String, name: String, actor: String) async throws {
        let store = try await openStore(databasePath)
        do {
            try await store.removeAccount(name: name, actor: actor)
        } catch StoreError.notFound {
            throw OperationError.notFound("no account '\(name)'")
        }
    }

    /// Every account, without password hashes.
    public static func accounts(databasePath: String) async throws -> [AccountSummary] {
        try await openStore(databasePath).accounts().map {
            AccountSummary(name: $0.name, role: $0.role.rawValue, studies: $0.studies, createdAt: $0.createdAt)
        }
    }

    /// A new token: the text to give the script or instrument, shown this once, and its record.
    public struct IssuedToken: Sendable, Encodable, Equatable {
        /// `exo_<id>_<secret>`.
        public var token: String
        public var id: String
        public var account: String
        public var study: String?
        public var expiresAt: String?
    }

    /// Makes a bearer token for an account, optionally limited to one study (instrument tokens always are) and
    /// expiring after `days`.
    public static func issueToken(
        databasePath: String, account name: String, study: String?, days: Int?, label: String, actor: String,
        now: Date = Date()
    ) async throws -> IssuedToken {
        let store = try await openStore(databasePath)
        guard let account = try await store.account(name: name) else {
            throw OperationError.notFound("no account '\(name)'; add it with 'exoscope user add'")
        }
        if account.role == .instrument, study == nil {
            throw OperationError.usage("an instrument token is limited to one study: give --study")
        }
        if let study, account.role != .admin, !account.studies.contains(study) {
            throw OperationError.usage("'\(name)' is not a member of study '\(study)'")
        }
        if let days, days < 1 { throw OperationError.usage("a token lasts at least 1 day") }
        let id = randomHex(bytes: 6)
        let secret = randomHex(bytes: 32)
        let expires = days.map { timestamp(now.addingTimeInterval(Double($0) * 86_400)) }
        try await store.saveToken(
            TokenRecord(
                id: id, account: name, secretHash: sha256Hex(secret), study: study, label: label,
                createdAt: timestamp(now), expiresAt: expires),
            actor: actor)
        return IssuedToken(token: "exo_\(id)_\(secret)", id: id, account: name, study: study, expiresAt: expires)
    }

    /// Revokes a token by its id (the part after `exo_`, before the secret).
    public static func revokeToken(databasePath: String, id: String, actor: String) async throws {
        let store = try await openStore(databasePath)
        do {
            try await store.revokeToken(id: id, actor: actor)
        } catch StoreError.notFound {
            throw OperationError.notFound("no token '\(id)'")
        }
    }

    /// Why a sign-in was refused: said the same way whatever the cause, so a caller learns nothing about accounts.
    public static let refusal = "unknown account or wrong password or token"

    /// The principal of a bearer token, or `nil` when it is malformed, unknown, revoked, expired, or its account is
    /// gone.
    ///
    /// The secret is compared by its SHA-256 in constant time.
    public static func principal(token text: String, store: any Store, now: Date = Date()) async throws -> Principal? {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "exo", parts[1].count == 12, parts[2].count == 64 else { return nil }
        guard let token = try await store.token(id: String(parts[1])), token.revokedAt == nil else { return nil }
        if let expires = token.expiresAt, expires <= timestamp(now) { return nil }
        guard constantTimeEqual(sha256Hex(String(parts[2])), token.secretHash),
            let account = try await store.account(name: token.account)
        else { return nil }
        return Principal(
            name: account.name, role: account.role, studies: Set(account.studies), tokenStudy: token.study)
    }

    /// The principal of a name and password, or `nil`.
    ///
    /// bcrypt runs even for an unknown name, so the time taken
    /// does not tell whether the account exists.
    public static func principal(name: String, password: String, store: any Store) async throws -> Principal? {
        let account = try await store.account(name: name)
        let hash = account?.passwordHash ?? unknownAccountHash
        guard Bcrypt.verify(password, hash: hash), let account, account.passwordHash != nil else { return nil }
        return Principal(name: account.name, role: account.role, studies: Set(account.studies))
    }

    /// The principal of an account by name (a session's), or `nil` once the account is gone.
    public static func principal(name: String, store: any Store) async throws -> Principal? {
        try await store.account(name: name).map {
            Principal(name: $0.name, role: $0.role, studies: Set($0.studies))
        }
    }

    /// A bcrypt hash of a random password, verified against when the account does not exist.
    private static let unknownAccountHash = Bcrypt.hash(randomHex(bytes: 16), cost: bcryptCost)

    private static func checkName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        guard (1...64).contains(name.count), name.allSatisfy(allowed.contains) else {
            throw OperationError.usage(
                "an account name is 1 to 64 letters, digits, '.', '_', '@' or '-', found '\(name.prefix(64))'")
        }
    }

    private static func openStore(_ path: String) async throws -> any Store {
        guard FileManager.default.fileExists(atPath: path) else {
            throw OperationError.notFound("no database at '\(path)'; pass --database or run 'exoscope import' first")
        }
        return try await SQLiteStore(path: path)
    }

    package static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()  // the operating system's CSPRNG (getrandom on Linux)
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func sha256Hex(_ text: String) -> String {
        FileDigest.sha256Hex(Data(text.utf8))
    }

    package static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
