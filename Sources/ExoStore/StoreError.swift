import GRDB

/// Failures of the store that are not input errors.
///
/// SQLite's own failures reach users as the last five cases (see ``init(_:path:)``); their descriptions name the
/// database file when it is known and never an SQL statement, its arguments or any stored value (GRDB's
/// `publicStatementArguments` rule).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database was written by a newer ExoScope (it has migrations this build does not know).
    case migrationMismatch(applied: [String], known: [String])
    /// The requested entity does not exist.
    case notFound(table: String, id: String)
    /// The database file cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The change contradicts what is stored (an alert acknowledged twice).
    case conflict(String)
    /// Another connection holds a lock on the database (SQLite's `SQLITE_BUSY`, `SQLITE_LOCKED`): trying again
    /// later may work.
    case busy(path: String?)
    /// The database cannot be written: the file or its folder is read-only, or permission is denied
    /// (`SQLITE_READONLY`, `SQLITE_PERM`, `SQLITE_CANTOPEN`).
    case readOnly(path: String?)
    /// The disk or the file system's quota is full (`SQLITE_FULL`).
    case diskFull(path: String?)
    /// The file is not an SQLite database, or its pages are damaged (`SQLITE_NOTADB`, `SQLITE_CORRUPT`).
    case notADatabase(path: String?)
    /// Reading or writing the file failed below SQLite (`SQLITE_IOERR`): a failing disk or a vanished network
    /// share.
    case ioFailure(path: String?)

    public var description: String {
        switch self {
        case .migrationMismatch(let applied, let known):
            let unknown = applied.filter { !known.contains($0) }
            return
                "the database has migrations this ExoScope does not know (\(unknown.joined(separator: ", "))); use a newer ExoScope"
        case .notFound(let table, _): return "no such \(table)"
        case .cannotOpen(let path, let reason): return "cannot open database '\(path)': \(reason)"
        case .conflict(let message): return message
        case .busy(let path):
            return
                "the database\(Self.named(path)) is busy: another process (an import, a watch, a live ingest) holds a lock on it; try again when it has finished"
        case .readOnly(let path):
            return
                "cannot write the database\(Self.named(path)): the file or its folder is read-only, or permission is denied; check its permissions or give another --database"
        case .diskFull(let path):
            return
                "cannot write the database\(Self.named(path)): the disk is full; free some space and run the command again (nothing was half-written)"
        case .notADatabase(let path):
            return
                "the file\(Self.named(path)) is not an ExoScope database, or it is corrupt; give the right --database, or restore it from a backup"
        case .ioFailure(let path):
            return
                "cannot read or write the database\(Self.named(path)): the disk or file system reported an I/O error"
        }
    }

    /// ` 'path'`, or nothing when the path is unknown.
    private static func named(_ path: String?) -> String { path.map { " '\($0)'" } ?? "" }

    /// The store error for an SQLite failure the user can act on, or `nil` for any other error (a programming
    /// error, such as a constraint violation, stays internal).
    ///
    /// - Parameters:
    ///   - error: any error; only GRDB's `DatabaseError` is mapped.
    ///   - path: the database file, when the caller knows it.
    public init?(_ error: any Error, path: String? = nil) {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN: self = .readOnly(path: path)
        case .SQLITE_FULL: self = .diskFull(path: path)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: self = .notADatabase(path: path)
        case .SQLITE_IOERR: self = .ioFailure(path: path)
        default: return nil
        }
    }
}
