/// Failures of the store that are not input errors.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database was written by a newer ExoScope (it has migrations this build does not know).
    case migrationMismatch(applied: [String], known: [String])
    /// The requested entity does not exist.
    case notFound(table: String, id: String)
    /// The database file cannot be opened.
    case cannotOpen(path: String, reason: String)
    /// The change contradicts what is stored (an alert acknowledged twice).
    case conflict(String)

    public var description: String {
        switch self {
        case .migrationMismatch(let applied, let known):
            let unknown = applied.filter { !known.contains($0) }
            return
                "the database has migrations this ExoScope does not know (\(unknown.joined(separator: ", "))); use a newer ExoScope"
        case .notFound(let table, _): return "no such \(table)"
        case .cannotOpen(let path, let reason): return "cannot open database '\(path)': \(reason)"
        case .conflict(let message): return message
        }
    }
}
