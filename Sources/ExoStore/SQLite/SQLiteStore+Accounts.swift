import Foundation
import GRDB

extension SQLiteStore {
    public func saveAccount(_ account: AccountRecord, actor: String) async throws {
        try await queue.write { db in
            let existed = try Self.accountRow(account.name, in: db) != nil
            try db.execute(
                sql: """
                    INSERT INTO account (name, role, passwordHash, createdAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET role = excluded.role, passwordHash = excluded.passwordHash
                    """,
                arguments: [account.name, account.role.rawValue, account.passwordHash, account.createdAt])
            try db.execute(sql: "DELETE FROM membership WHERE accountName = ?", arguments: [account.name])
            for study in Set(account.studies).sorted() {
                try db.execute(
                    sql: "INSERT INTO membership (accountName, studyId) VALUES (?, ?)",
                    arguments: [account.name, study])
            }
            let detail =
                "role \(account.role.rawValue); studies \(Set(account.studies).sorted().joined(separator: ","))"
            try AuditRow.append(
                actor: actor, action: existed ? "update-account" : "add-account", entity: "account:\(account.name)",
                detail: detail, in: db)
        }
    }

    public func account(name: String) async throws -> AccountRecord? {
        try await queue.read { db in try Self.accountRow(name, in: db) }
    }

    public func accounts() async throws -> [AccountRecord] {
        try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM account ORDER BY name").compactMap {
                try Self.accountRow($0, in: db)
            }
        }
    }

    public func removeAccount(name: String, actor: String) async throws {
        try await queue.write { db in
            guard try Self.accountRow(name, in: db) != nil else {
                throw StoreError.notFound(table: "account", id: name)
            }
            try db.execute(sql: "DELETE FROM account WHERE name = ?", arguments: [name])
            try db.execute(
                sql: "UPDATE apiToken SET revokedAt = ? WHERE accountName = ? AND revokedAt IS NULL",
                arguments: [Timestamp.now(), name])
            try AuditRow.append(
                actor: actor, action: "remove-account", entity: "account:\(name)", detail: "tokens revoked", in: db)
        }
    }

    public func saveToken(_ token: TokenRecord, actor: String) async throws {
        try await queue.write { db in
            guard try Self.accountRow(token.account, in: db) != nil else {
                throw StoreError.notFound(table: "account", id: token.account)
            }
            try db.execute(
                sql: """
                    INSERT INTO apiToken (id, accountName, secretHash, studyId, label, createdAt, expiresAt, revokedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.account, token.secretHash, token.study, token.label, token.createdAt,
                    token.expiresAt, token.revokedAt,
                ])
            try AuditRow.append(
                actor: actor, action: "add-token", entity: "account:\(token.account)/token:\(token.id)",
                detail: "study \(token.study ?? "any"); expires \(token.expiresAt ?? "never")", in: db)
        }
    }

    public func token(id: String) async throws -> TokenRecord? {
        try await queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE id = ?", arguments: [id]).map(Self.tokenRecord)
        }
    }

    public func tokens(account: String) async throws -> [TokenRecord] {
        try await queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM apiToken WHERE accountName = ? ORDER BY createdAt, id", arguments: [account]
            ).map(Self.tokenRecord)
        }
    }

    public func revokeToken(id: String, actor: String) async throws {
        try await queue.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(table: "token", id: id)
            }
            let token = Self.tokenRecord(row)
            if let at = token.revokedAt { throw StoreError.conflict("token \(id) was already revoked at \(at)") }
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ?", arguments: [Timestamp.now(), id])
            try AuditRow.append(
                actor: actor, action: "revoke-token", entity: "account:\(token.account)/token:\(id)", detail: "",
                in: db)
        }
    }

    private static func accountRow(_ name: String, in db: Database) throws -> AccountRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]) else {
            return nil
        }
        let studies = try String.fetchAll(
            db, sql: "SELECT studyId FROM membership WHERE accountName = ? ORDER BY studyId", arguments: [name])
        return AccountRecord(
            name: row["name"], role: AccountRole(rawValue: row["role"]) ?? .clinician,
            passwordHash: row["passwordHash"],
            studies: studies, createdAt: row["createdAt"])
    }

    private static func tokenRecord(_ row: Row) -> TokenRecord {
        TokenRecord(
            id: row["id"], account: row["accountName"], secretHash: row["secretHash"], study: row["studyId"],
            label: row["label"], createdAt: row["createdAt"], expiresAt: row["expiresAt"], revokedAt: row["revokedAt"])
    }
}
