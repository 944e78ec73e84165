import Crypto
public import Foundation

/// SHA-256 digests of input files, used to recognise a file that was already imported.
public enum FileDigest {
    /// SHA-256 of `bytes` as 64 lowercase hex digits.
    public static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    /// SHA-256 of a file read in 1 MiB pieces (a FASTQ file of gigabytes is never held whole), with its size.
    ///
    /// - Throws: the error of opening or reading the file.
    public static func sha256Hex(contentsOf url: URL) throws -> (sha256: String, byteCount: Int) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var count = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hasher.update(data: piece)
            count += piece.count
        }
        return (hex(hasher.finalize()), count)
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
