import ExoStore
import ExoTestSupport
import Foundation
import GRDB
import Testing

/// SQLite's failures become `StoreError`s that say what happened to which file, never an SQL statement or a value
/// (a database locked by another connection: DatabaseErrorTests, which holds the lock from a second thread).
struct StoreErrorTests {
    static func databasePath() throws -> String {
        try Fixture.temporaryDirectory("exoscope-store-error").appendingPathComponent("exoscope.sqlite").path
    }

    @Test func aFileThatIsNotSQLiteIsNotADatabase() async throws {
        let path = try Self.databasePath()
        try Data(String(repeating: "sample_id\tgroup\nS1\tcase\n", count: 200).utf8).write(
            to: URL(fileURLWithPath: path))
        let error = await #expect(throws: StoreError.self) { _ = try await SQLiteStore(path: path) }
        #expect(error == .notADatabase(path: path))
        #expect(
            error?.description
                == "the file '\(path)' is not an ExoScope database, or it is corrupt; give the right --database, or restore it from a backup"
        )
    }

    @Test func writingAReadOnlyDatabaseCannotWrite() throws {
        let path = try Self.databasePath()
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE t (x TEXT)") }
        var configuration = Configuration()
        configuration.readonly = true
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        do {
            try reader.writeWithoutTransaction { db in
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: ["patient P-17"])
            }
            Issue.record("a read-only connection wrote")
        } catch {
            let mapped = StoreError(error, path: path)
            #expect(mapped == .readOnly(path: path))
            #expect(mapped?.description.hasPrefix("cannot write the database '\(path)': the file") == true)
            #expect(mapped?.description.contains("P-17") == false)
        }
    }

    /// SQLite says SQLITE_FULL when a database reaches its page limit, as when the disk is full.
    @Test func aFullDatabaseIsDiskFull() throws {
        let queue = try DatabaseQueue(path: try Self.databasePath())
        do {
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "CREATE TABLE t (x BLOB)")
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
                try db.execute(sql: "INSERT INTO t VALUES (zeroblob(1000000))")
            }
            Issue.record("the insert went past the page limit")
        } catch {
            #expect(StoreError(error) == .diskFull(path: nil))
            #expect(StoreError(error)?.description.contains("the disk is full") == true)
        }
    }

    /// Errors that are programming errors (a constraint, a syntax error) and errors not from SQLite stay unmapped,
    /// so they remain internal errors with their chain under --debug.
    @Test func otherErrorsAreNotMapped() throws {
        let queue = try DatabaseQueue()
        do {
            try queue.write { db in try db.execute(sql: "SELEC 1") }
            Issue.record("a syntax error ran")
        } catch {
            #expect(StoreError(error) == nil)
        }
        #expect(StoreError(CocoaError(.fileReadNoPermission)) == nil)
    }
}
