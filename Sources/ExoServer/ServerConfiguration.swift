import ExoCore
public import Foundation

/// Where `exoscope serve` listens and what it serves: from flags, the environment and a file, in that order of
/// precedence (docs/server.md).
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind; loopback unless set.
    public var host = "127.0.0.1"
    public var port = 8080
    /// The SQLite database the server reads and writes.
    public var databasePath: String
    /// The study folder the server was started for (its runs folder, its study.yaml), if any.
    public var studyDirectory: URL?
    /// The largest request body accepted, in bytes.
    public var maximumBodyBytes = 1 << 20
    /// Whether the session cookie is marked `Secure` (sent over HTTPS only): set it when a TLS proxy is in front.
    public var secureCookies = false
    /// swift-log's level name: `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
    public var logLevel = "info"

    public init(databasePath: String, studyDirectory: URL? = nil) {
        self.databasePath = databasePath
        self.studyDirectory = studyDirectory
    }

    /// The keys a configuration file and the environment (`EXOSCOPE_` + the key in upper snake case) may set.
    public static let keys = ["host", "port", "database", "study", "maxBodyBytes", "logLevel", "secureCookies"]

    /// A problem with a configuration value, said with where it came from.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var source: String
        public var message: String
        public var hint: String?

        public var description: String {
            "\(source): \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
        }
    }

    /// Applies `values` (from one source, named by `source`) over this configuration.
    ///
    /// - Throws: ``Problem`` for an unknown key (with the nearest known one) or a value that is not valid.
    public mutating func apply(_ values: [String: String], source: String, relativeTo base: URL? = nil) throws(Problem)
    {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "host":
                guard !value.isEmpty, !value.contains(where: \.isWhitespace) else {
                    throw Problem(source: source, message: "host '\(value)' is not a host name or address")
                }
                host = value
            case "port":
                guard let number = Int(value), (0...65_535).contains(number) else {
                    throw Problem(
                        source: source, message: "port '\(value)' is not a port number",
                        hint: "a whole number from 1 to 65535 (0 picks a free port)")
                }
                port = number
            case "database":
                databasePath = Self.path(value, relativeTo: base)
            case "study":
                studyDirectory = URL(fileURLWithPath: Self.path(value, relativeTo: base), isDirectory: true)
            case "maxBodyBytes":
                guard let number = Int(value), number >= 1_024 else {
                    throw Problem(
                        source: source, message: "maxBodyBytes '\(value)' is not a size in bytes of at least 1024")
                }
                maximumBodyBytes = number
            case "secureCookies":
                guard let flag = ["true": true, "yes": true, "false": false, "no": false][value.lowercased()] else {
                    throw Problem(source: source, message: "secureCookies '\(value)' is not true or false")
                }
                secureCookies = flag
            case "logLevel":
                let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
                guard levels.contains(value) else {
                    throw Problem(
                        source: source, message: "logLevel '\(value)' is not a log level",
                        hint: "one of \(levels.joined(separator: ", "))")
                }
                logLevel = value
            default:
                let nearest = EditDistance.nearest(to: key, in: Self.keys, limit: 1, maximumDistance: 3).first
                let keys = "the keys are \(Self.keys.joined(separator: ", "))"
                throw Problem(
                    source: source, message: "unknown key '\(key)'",
                    hint: nearest.map { "did you mean '\($0)'? \(keys)" } ?? keys)
            }
        }
    }

    /// The values the environment sets: `EXOSCOPE_HOST`, `EXOSCOPE_PORT`, `EXOSCOPE_DATABASE`, `EXOSCOPE_STUDY`,
    /// `EXOSCOPE_MAX_BODY_BYTES`, `EXOSCOPE_LOG_LEVEL`.
    public static func environmentValues(_ environment: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for key in keys {
            let name = "EXOSCOPE_" + key.replacing(/([a-z])([A-Z])/) { "\($0.1)_\($0.2)" }.uppercased()
            if let value = environment[name], !value.isEmpty { values[key] = value }
        }
        return values
    }

    /// The values of a configuration file: one `key: value` per line, `#` comments and blank lines skipped (a flat
    /// YAML mapping of scalars).
    ///
    /// - Throws: ``Problem`` naming the file and line of a line that is not `key: value`.
    public static func fileValues(_ text: String, path: String) throws(Problem) -> [String: String] {
        var values: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw Problem(
                    source: "\(path):\(index + 1)", message: "expected 'key: value', found '\(line.prefix(60))'",
                    hint: "the keys are \(keys.joined(separator: ", "))")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard values[key] == nil else {
                throw Problem(source: "\(path):\(index + 1)", message: "'\(key)' is set twice")
            }
            values[key] = value
        }
        return values
    }

    private static func path(_ value: String, relativeTo base: URL?) -> String {
        guard let base, !value.hasPrefix("/") else { return value }
        return base.appendingPathComponent(value).standardizedFileURL.path
    }
}
