import ArgumentParser
import ExoCLI
import ExoStore
import ExoTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A database the user cannot use (locked, read-only, not a database) is a clear message with its own exit code;
/// `validate --json` on an invalid study prints its problems; the audit actor without `$USER`.
struct DatabaseErrorTests {
    func exoscope(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        return try CommandResult.run(executable, arguments, environment: environment)
    }

    /// A copy of the minimal good study in a folder of its own, with its database path.
    static func study() throws -> (folder: URL, database: String) {
        let folder = try Fixture.temporaryDirectory("exoscope-db-errors").appendingPathComponent("study")
        try FileManager.default.copyItem(at: Fixture.url("good/minimal"), to: folder)
        return (folder, folder.appendingPathComponent("exoscope.sqlite").path)
    }

    @Test func aFileThatIsNotADatabaseExits65() throws {
        let (folder, database) = try Self.study()
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: database))
        let result = try exoscope(["import", folder.path, "--database", database])
        #expect(result.status == 65)
        #expect(
            result.standardError
                == "validate: 3 files, 3 samples, 5 values, no errors\nerror: the file '\(database)' is not an ExoScope database, or it is corrupt; give the right --database, or restore it from a backup\n"
        )
    }

    /// Another connection holding an exclusive transaction on a database file, on a thread of its own, until
    /// `release()` (GRDB does not let a transaction outlive one database access).
    final class LockHolder: @unchecked Sendable {
        private let released = DispatchSemaphore(value: 0)
        private let finished = DispatchSemaphore(value: 0)

        init(path: String) throws {
            let queue = try DatabaseQueue(path: path)
            let locked = DispatchSemaphore(value: 0)
            let released = released
            let finished = finished
            Thread {
                do {
                    try queue.inDatabase { db in
                        try db.execute(sql: "BEGIN EXCLUSIVE")
                        locked.signal()
                        released.wait()
                        try db.execute(sql: "ROLLBACK")
                    }
                } catch {
                    locked.signal()
                }
                finished.signal()
            }
            .start()
            locked.wait()
        }

        func release() {
            released.signal()
            finished.wait()
        }
    }

    @Test func aDatabaseLockedByAnotherProcessExits75() async throws {
        let (folder, database) = try Self.study()
        let store = try await SQLiteStore(path: database)
        let lock = try LockHolder(path: database)
        let result = try exoscope(["import", folder.path, "--database", database])
        // In this process: opening meets the lock, and so does a write through a store already open, whose error
        // has no path but still says what happened, without the values it was writing.
        let opening = await #expect(throws: StoreError.self) { _ = try await SQLiteStore(path: database) }
        var writing: (any Error)?
        do {
            try await store.recordAudit(actor: "t", action: "test", entity: "e", detail: "secret-value")
        } catch {
            writing = error
        }
        lock.release()
        #expect(result.status == 75)
        #expect(
            result.standardError
                == "validate: 3 files, 3 samples, 5 values, no errors\nerror: the database '\(database)' is busy: another process (an import, a watch, a live ingest) holds a lock on it; try again when it has finished\n"
        )
        #expect(opening == .busy(path: database))
        let mapped = try #require(writing.flatMap { StoreError($0) })
        #expect(mapped == .busy(path: nil) && !mapped.description.contains("secret-value"))
        #expect(try exoscope(["import", folder.path, "--database", database, "--quiet"]).status == 0)
    }

    /// Root writes read-only files, so the file-permission case runs for other users; the mapping itself is tested
    /// with a read-only connection in StoreErrorTests.
    @Test(.enabled(if: getuid() != 0, "root writes read-only files"))
    func aReadOnlyDatabaseExits73() async throws {
        let (folder, database) = try Self.study()
        _ = try await SQLiteStore(path: database)
        #expect(chmod(database, 0o444) == 0)
        let result = try exoscope(["import", folder.path, "--database", database])
        #expect(result.status == 73)
        #expect(result.standardError.hasPrefix("error: cannot write the database"))
    }

    @Test func storeErrorsHaveTheirExitCodes() {
        #expect(ExitStatus.of(.busy(path: nil)).rawValue == 75)
        #expect(ExitStatus.of(.readOnly(path: nil)).rawValue == 73)
        #expect(ExitStatus.of(.diskFull(path: nil)).rawValue == 74)
        #expect(ExitStatus.of(.ioFailure(path: nil)).rawValue == 74)
        #expect(ExitStatus.of(.notADatabase(path: nil)).rawValue == 65)
    }

    @Test func validateJSONPrintsTheProblemsOfAnInvalidStudy() throws {
        let result = try exoscope(["validate", Fixture.url("bad/unknown-key").path, "--json"])
        #expect(result.status == 65)
        let problems = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem["file"] as? String == "study.yaml")
        #expect(problem["line"] as? Int == 3 && problem["column"] as? Int == 1)
        #expect(problem["kind"] as? String == "unknownKey")
        #expect(problem["message"] as? String == "unknown key 'titel'")
        #expect(problem["hint"] as? String == "did you mean 'title'?")
        let missing = try exoscope(["validate", "/nonexistent/study", "--json"])
        #expect(missing.status == 66)
        #expect(missing.standardOutput.contains("\"kind\" : \"fileNotFound\""))
    }

    @Test func theActorFallsBackToTheAccountName() throws {
        let account = try #require(accountName(uid: getuid()), "the test user has an account")
        #expect(currentActor(environment: [:], uid: getuid()) == account)
        #expect(currentActor(environment: ["USER": ""], uid: getuid()) == account)
        #expect(
            currentActor(environment: ["USER": "ada", "EXOSCOPE_ACTOR": "lab-robot"], uid: getuid()) == "lab-robot")
        #expect(currentActor(environment: [:], uid: 987_654) == "unknown")
        // Through the command: an import without $USER records the account name in the audit log.
        let (folder, database) = try Self.study()
        let result = try exoscope(
            ["import", folder.path, "--database", database, "--quiet"],
            environment: ["USER": "", "LOGNAME": "", "EXOSCOPE_ACTOR": ""])
        #expect(result.status == 0, "\(result.standardError)")
        let actors = try DatabaseQueue(path: database).read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT actor FROM audit")
        }
        #expect(actors == [account])
    }
}
