internal import CExoZlib
public import Foundation

/// gzip compression with zlib's deflate, for the files ExoScope writes itself (the demo study's simulated reads).
///
/// The header carries no file name and a modification time of 0, so the same bytes always give the same file.
public enum Gzip {
    /// One gzip member holding `data`.
    ///
    /// - Parameters:
    ///   - data: the bytes to compress.
    ///   - level: zlib's compression level, 1 (fastest) to 9 (smallest); 6 is gzip's default.
    /// - Returns: the gzip file's bytes.
    /// - Precondition: zlib accepts the stream settings (it always does for levels 1–9).
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var stream = z_stream()
        // 15 window bits + 16 asks deflate for a gzip header and trailer.
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib refused deflateInit2 (\(status))")
        defer { deflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        data.withUnsafeBytes { input in
            // zlib only reads through `next_in`; its header declares it mutable unless built with ZLIB_CONST.
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            var result = Z_OK
            repeat {
                buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    result = deflate(&stream, Z_FINISH)
                    if let base = out.baseAddress { output.append(base, count: out.count - Int(stream.avail_out)) }
                }
            } while result == Z_OK
            precondition(result == Z_STREAM_END, "zlib deflate failed (\(result))")
        }
        return output
    }
}
