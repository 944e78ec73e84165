import ExoCore
import ExoFormats
import ExoStore

/// What a stored analysis depends on, as one SHA-256.
///
/// Its kind, the ExoScope version, the stage's own parameters and every input file's path and digest; a stage whose
/// digest is unchanged does not recompute.
enum ResultDigest {
    static func of(kind: String, files: [StoredInputFile], extra: [String] = []) -> String {
        let text =
            ([kind, ExoScopeVersion.current] + extra
            + files.sorted { $0.path < $1.path }.map { "\($0.path)\t\($0.sha256)" })
            .joined(separator: "\n")
        return FileDigest.sha256Hex(Array(text.utf8))
    }
}
