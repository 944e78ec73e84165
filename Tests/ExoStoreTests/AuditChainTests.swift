import ExoCore
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// The audit log's hash chain: what `exoscope audit verify` detects.
struct AuditChainTests {
    /// A store with five audit entries: an import and four recorded decisions.
    static func store() async throws -> SQLiteStore {
        let store = try await SQLiteStore(
            path: try Fixture.temporaryDirectory().appendingPathComponent("audit.sqlite").path)
        _ = try await store.importStudy(SQLiteStoreTests.payload())
        for index in 1...4 {
            try await store.recordAudit(
                actor: "analyst", action: "override-qc", entity: "study:TEST/sample:S\(index)",
                detail: "reason \(index)")
        }
        return store
    }

    /// The hash of a fixed entry equals SHA-256 of the documented encoding, computed outside ExoScope.
    ///
    /// The reference values come from:
    ///
    ///     python3 -c 'import hashlib
    ///     def h(f):
    ///         b = b"exoscope-audit-1"
    ///         for x in f: e = x.encode(); b += str(len(e)).encode() + b":" + e
    ///         return hashlib.sha256(b).hexdigest()
    ///     a = h(["2026-11-27T00:00:00Z", "old", "import", "study:T1", "{}", "0.1.0", "0" * 64]); print(a)
    ///     print(h(["2026-11-28T09:30:00.125Z", "analyst", "acknowledge-alert", "T1/alert:3", "rcv-rise", "0.1.0", a]))'
    @Test func hashIsSHA256OfTheLengthPrefixedFields() {
        let first = AuditChain.hash(
            at: "2026-11-27T00:00:00Z", actor: "old", action: "import", entity: "study:T1", detail: "{}",
            version: "0.1.0", previous: AuditChain.genesis)
        #expect(first == "f66feef57503edde070f7cbd1d7634e144c44c9600fedc4dd37953430ab46826")
        let second = AuditChain.hash(
            at: "2026-11-28T09:30:00.125Z", actor: "analyst", action: "acknowledge-alert", entity: "T1/alert:3",
            detail: "rcv-rise", version: "0.1.0", previous: first)
        #expect(second == "f5c179ffce771662b76f3e62e4e062002e86884f7cf2129712683d8f0ada3936")
        // Moving a character between fields changes the input: the length prefixes keep the fields apart.
        let shifted = AuditChain.hash(
            at: "2026-11-27T00:00:00Z", actor: "ol", action: "dimport", entity: "study:T1", detail: "{}",
            version: "0.1.0", previous: AuditChain.genesis)
        #expect(shifted != first)
    }

    @Test func anUntouchedLogIsIntactAndItsHeadIsTheLastHash() async throws {
        let store = try await Self.store()
        let log = try await store.auditLog()
        let result = try await store.verifyAuditLog(head: nil)
        #expect(result.isIntact && result.problems.isEmpty)
        #expect(result.entries == 5 && result.head == log.last?.hash)
        #expect(log.first?.previousHash == AuditChain.genesis)
        #expect(zip(log.dropFirst(), log).allSatisfy { $0.previousHash == $1.hash })
        // An earlier head is still in the chain after more entries.
        let earlier = try #require(log[2].hash)
        try await store.recordAudit(actor: "analyst", action: "note", entity: "study:TEST", detail: "")
        #expect(try await store.verifyAuditLog(head: earlier).headFound == true)
        // The triggers still refuse a plain UPDATE or DELETE of a hashed entry.
        await #expect(throws: (any Error).self) { try await store.executeForTesting("UPDATE audit SET actor = 'x'") }
        await #expect(throws: (any Error).self) { try await store.executeForTesting("DELETE FROM audit") }
    }

    /// Someone with the database file and the sqlite3 shell: triggers dropped, one row edited.
    @Test func anEditedEntryIsDetected() async throws {
        let store = try await Self.store()
        try await store.executeForTesting(
            """
            DROP TRIGGER auditIsAppendOnlyUpdate;
            UPDATE audit SET detail = 'no reason' WHERE id = 3;
            """)
        let result = try await store.verifyAuditLog(head: nil)
        #expect(!result.isIntact)
        #expect(result.problems.map(\.kind) == [.contentChanged])
        #expect(result.problems.map(\.position) == [3])
        #expect(result.problems.first?.description.contains("was edited") == true)
    }

    @Test func aDeletedEntryIsDetected() async throws {
        let store = try await Self.store()
        try await store.executeForTesting(
            """
            DROP TRIGGER auditIsAppendOnlyDelete;
            DELETE FROM audit WHERE id = 2;
            """)
        let result = try await store.verifyAuditLog(head: nil)
        // The entry after the gap no longer follows the one before it.
        #expect(result.problems.map(\.kind) == [.brokenLink])
        #expect(result.problems.first?.id == 3 && result.entries == 4)
    }

    /// Two entries swapped, each moved with its own hashes (content and links): both links break.
    @Test func reorderedEntriesAreDetected() async throws {
        let store = try await Self.store()
        try await store.executeForTesting(
            """
            DROP TRIGGER auditIsAppendOnlyUpdate;
            DROP INDEX auditChainLink;
            CREATE TEMP TABLE swap AS SELECT * FROM audit WHERE id IN (3, 4);
            UPDATE audit SET (at, actor, action, entity, detail, version, previousHash, hash) =
                (SELECT at, actor, action, entity, detail, version, previousHash, hash FROM swap
                 WHERE swap.id = CASE audit.id WHEN 3 THEN 4 ELSE 3 END)
                WHERE id IN (3, 4);
            """)
        let result = try await store.verifyAuditLog(head: nil)
        #expect(result.problems.map(\.kind) == [.brokenLink, .brokenLink, .brokenLink])
        #expect(result.problems.map(\.position) == [3, 4, 5])
    }

    @Test func entriesRemovedFromTheEndAreDetected() async throws {
        let store = try await Self.store()
        try await store.executeForTesting(
            """
            DROP TRIGGER auditIsAppendOnlyDelete;
            DELETE FROM audit WHERE id >= 4;
            """)
        let result = try await store.verifyAuditLog(head: nil)
        #expect(result.problems.map(\.kind) == [.missingAtEnd(2)])
        #expect(result.problems.first?.description.hasPrefix("the last 2 entries were removed") == true)
    }

    /// A rewrite that recomputes every later hash passes the chain alone; the head written down earlier catches it.
    @Test func aRewrittenChainIsCaughtByAnEarlierHead() async throws {
        let store = try await Self.store()
        let head = try await store.verifyAuditLog(head: nil).head
        let log = try await store.auditLog()
        var previous = try #require(log[1].hash)
        var statements = ["DROP TRIGGER auditIsAppendOnlyUpdate;", "DROP INDEX auditChainLink;"]
        for entry in log.dropFirst(2) {
            let detail = entry.id == 3 ? "no reason" : entry.detail
            var edited = entry
            edited.detail = detail
            let hash = AuditChain.hash(of: edited, previous: previous)
            statements.append(
                "UPDATE audit SET detail = '\(detail)', previousHash = '\(previous)', hash = '\(hash)' WHERE id = \(entry.id ?? 0);"
            )
            previous = hash
        }
        try await store.executeForTesting(statements.joined(separator: "\n"))
        #expect(try await store.verifyAuditLog(head: nil).problems.isEmpty)
        let checked = try await store.verifyAuditLog(head: head)
        #expect(checked.headFound == false && !checked.isIntact)
    }

    /// Entries an earlier ExoScope wrote, without hashes, are chained by the migration, in id order.
    @Test func entriesOfAnEarlierSchemaAreChainedByTheMigration() async throws {
        let path = try Fixture.temporaryDirectory().appendingPathComponent("old.sqlite").path
        let old = try await SQLiteStore(path: path, migratingUpTo: "2026-11-29-create-live-run-and-alert")
        try await old.executeForTesting(
            """
            INSERT INTO audit (at, actor, action, entity, detail, version) VALUES
                ('2026-11-27T00:00:00Z', 'old', 'import', 'study:T1', '{}', '0.1.0'),
                ('2026-11-28T09:30:00.125Z', 'analyst', 'acknowledge-alert', 'T1/alert:3', 'rcv-rise', '0.1.0');
            """)
        let migrated = try await SQLiteStore(path: path)
        let log = try await migrated.auditLog()
        // The same hashes as the independent computation above.
        #expect(
            log.map(\.hash) == [
                "f66feef57503edde070f7cbd1d7634e144c44c9600fedc4dd37953430ab46826",
                "f5c179ffce771662b76f3e62e4e062002e86884f7cf2129712683d8f0ada3936",
            ])
        try await migrated.recordAudit(actor: "new", action: "note", entity: "study:T1", detail: "")
        let result = try await migrated.verifyAuditLog(head: nil)
        #expect(result.isIntact && result.entries == 3)
    }
}
