import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// Accounts, memberships and tokens in the store: each change audited (never with a hash), removal revoking tokens.
struct AccountStoreTests {
    @Test func accountsTokensAndRemoval() async throws {
        let store = try await SQLiteStore()
        _ = try await store.importStudy(SQLiteStoreTests.payload())
        let account = AccountRecord(
            name: "ana", role: .analyst, passwordHash: "$2b$12$secret", studies: ["TEST", "TEST"],
            createdAt: "2026-12-04T00:00:00Z")
        try await store.saveAccount(account, actor: "admin")
        #expect(try await store.account(name: "ana")?.studies == ["TEST"])
        var changed = account
        changed.role = .clinician
        changed.studies = []
        try await store.saveAccount(changed, actor: "admin")
        #expect(try await store.account(name: "ana")?.role == .clinician)
        #expect(try await store.account(name: "ana")?.studies == [])
        let token = TokenRecord(
            id: "0123456789ab", account: "ana", secretHash: String(repeating: "f", count: 64), study: nil, label: "t",
            createdAt: "2026-12-04T00:00:00Z", expiresAt: nil)
        try await store.saveToken(token, actor: "admin")
        await #expect(throws: (any Error).self) {
            var orphan = token
            orphan.id = "ba9876543210"
            orphan.account = "nobody"
            try await store.saveToken(orphan, actor: "admin")
        }
        try await store.removeAccount(name: "ana", actor: "admin")
        #expect(try await store.account(name: "ana") == nil)
        #expect(try await store.token(id: "0123456789ab")?.revokedAt != nil)
        await #expect(throws: StoreError.self) { try await store.revokeToken(id: "0123456789ab", actor: "admin") }
        await #expect(throws: StoreError.self) { try await store.removeAccount(name: "ana", actor: "admin") }
        let log = try await store.auditLog()
        #expect(
            log.map(\.action).suffix(4) == ["add-account", "update-account", "add-token", "remove-account"])
        #expect(!log.contains { $0.detail.contains("$2b$") || $0.detail.contains("ffff") })
        #expect(try await store.verifyAuditLog(head: nil).isIntact)
    }
}
