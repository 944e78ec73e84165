import ExoCore
import ExoFormats
import ExoStore
import Foundation

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

extension ResultDigest {
    /// Whether the store holds a result of this kind computed from exactly these inputs.
    static func isStored(kind: String, study: String, digest: String, in store: any Store) async throws -> Bool {
        try await store.result(study: study, kind: kind)?.inputDigest == digest
    }

    /// Stores a result as sorted-key JSON with its provenance and digest; the store audits it.
    static func save(
        _ result: some Encodable, kind: String, study: String, provenance: Provenance, digest: String,
        in store: any Store, actor: String
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try await store.saveResult(
            StoredResult(
                study: study, kind: kind, json: String(decoding: try encoder.encode(result), as: UTF8.self),
                provenance: provenance, inputDigest: digest),
            actor: actor)
    }
}
