internal import CExoISAL
internal import Crypto
public import ExoCore
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of a file or of standard input, read front to back in pieces, inflated on the way when they are
/// gzip: the one way ExoScope streams large inputs (FASTQ).
///
/// Gzip is recognised by its magic bytes, not by the file name. Every member of a multi-member file is read,
/// so files joined with `cat` and bgzip's blocks come out whole; each member's CRC-32 and length are checked.
/// Inflation is ISA-L's igzip (Debian's libisal), linked as a system library; ExoScope does not decompress by
/// itself. Memory is one read buffer and one inflate state, whatever the size of the file.
///
/// Not `Sendable`: one reader owns it.
public final class ByteStream {
    /// The path as the user spelled it, or `-` for standard input.
    public let displayPath: String
    /// Whether the bytes are gzip.
    public private(set) var isGzip = false
    /// How many bytes came from the file itself (compressed ones, for gzip).
    public private(set) var compressedBytesRead = 0

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let input: UnsafeMutableRawPointer
    private let inputCapacity: Int
    /// The most bytes one read(2) asks for.
    private let readSize: Int
    private var inputStart = 0
    private var inputEnd = 0
    private var endOfFile = false
    private var state: UnsafeMutablePointer<inflate_state>?
    private var memberFinished = false
    private var membersStarted = 0
    private var digest = SHA256()

    /// SHA-256 of the bytes read so far as stored (compressed, for gzip), lowercase hex: the file's hash once it
    /// has been read to the end.
    public var sha256Hex: String { digest.finalize().map { String(format: "%02x", $0) }.joined() }

    /// The size of each read from the file.
    static let readSize = 1 << 20
    /// The bytes kept ready at the start of every gzip member, so that its header is whole in one inflate call:
    /// ISA-L 2.30 loses a header's flags when its extra field (bgzip's) is split across calls and then reads the
    /// data as a file name.
    static let headerRoom = 1 << 16

    /// Opens a file, or standard input when `url` is `nil`.
    ///
    /// - Throws: `InputError` of kind `fileNotFound` or `unreadableFile`.
    public convenience init(url: URL?, displayPath: String) throws(InputError) {
        try self.init(url: url, displayPath: displayPath, readSize: Self.readSize)
    }

    /// Opens a file with reads of `readSize` bytes (tests use tiny ones, so that gzip members straddle reads).
    package init(url: URL?, displayPath: String, readSize: Int) throws(InputError) {
        self.displayPath = displayPath
        self.readSize = max(1, readSize)
        inputCapacity = max(Self.headerRoom, readSize)
        let location = InputLocation(path: displayPath)
        if let url {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw InputError(.fileNotFound, at: location, "file \(InputError.quoted(displayPath)) does not exist")
            }
            guard !isDirectory.boolValue else {
                throw InputError(
                    .unreadableFile, at: location, "\(InputError.quoted(displayPath)) is a folder, expected a file")
            }
            let opened = open(url.path, O_RDONLY)
            guard opened >= 0 else {
                throw InputError(
                    .unreadableFile, at: location, "cannot read \(InputError.quoted(displayPath))",
                    hint: "check the file's permissions")
            }
            descriptor = opened
            ownsDescriptor = true
        } else {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        }
        input = UnsafeMutableRawPointer.allocate(byteCount: inputCapacity, alignment: 16)
        try fillInput(atLeast: Self.headerRoom)
        let head = UnsafeRawBufferPointer(start: input + inputStart, count: inputEnd - inputStart)
        if head.count >= 2, head[0] == 0x1F, head[1] == 0x8B {
            isGzip = true
            let state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
            // Zeroed first: isal_inflate_init leaves some of the gzip-header parser's fields as they were, and a
            // header cut across reads (bgzip's extra field, read a few bytes at a time) then reads garbage.
            state.initialize(to: inflate_state())
            isal_inflate_init(state)
            state.pointee.crc_flag = UInt32(ISAL_GZIP)
            self.state = state
            membersStarted = 1
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
        input.deallocate()
        state?.deallocate()
    }

    /// Reads the next bytes into `buffer`, inflated when the input is gzip.
    ///
    /// - Returns: the number of bytes written, 0 only at the end of the data.
    /// - Throws: `InputError` of kind `unreadableFile` (a read failed) or `malformedCompression` (damaged or
    ///   truncated gzip, with the compressed byte offset).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let output = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        guard let state else {
            if inputStart == inputEnd {
                if endOfFile { return 0 }
                try fillInput()
            }
            let count = min(buffer.count, inputEnd - inputStart)
            output.copyMemory(from: input + inputStart, byteCount: count)
            inputStart += count
            return count
        }
        var written = 0
        while written == 0 {
            if memberFinished {
                // Another member may follow (`cat a.gz b.gz`, bgzip); anything else after a member is an error.
                if inputStart == inputEnd, !endOfFile { try fillInput() }
                if inputStart == inputEnd { return 0 }
                let pending = UnsafeRawBufferPointer(start: input + inputStart, count: inputEnd - inputStart)
                if pending.allSatisfy({ $0 == 0 }) {
                    // Zero padding after the last member, as some tape and block tools write, is not data (a member
                    // after it would be refused below, as gzip does).
                    inputStart = inputEnd
                    continue
                }
                if pending.count < Self.headerRoom, !endOfFile {
                    try fillInput(atLeast: Self.headerRoom)
                }
                let next = UnsafeRawBufferPointer(start: input + inputStart, count: inputEnd - inputStart)
                guard next.count >= 2, next[0] == 0x1F, next[1] == 0x8B else {
                    throw damaged(
                        "bytes that are not gzip follow member \(membersStarted)",
                        offset: compressedBytesRead - (inputEnd - inputStart))
                }
                isal_inflate_reset(state)
                state.pointee.crc_flag = UInt32(ISAL_GZIP)
                memberFinished = false
                membersStarted += 1
            }
            if inputStart == inputEnd {
                if endOfFile {
                    throw damaged(
                        "the file ends inside member \(membersStarted): it was cut off while being copied or written",
                        offset: compressedBytesRead)
                }
                try fillInput()
                continue
            }
            state.pointee.next_in = input.assumingMemoryBound(to: UInt8.self) + inputStart
            state.pointee.avail_in = UInt32(inputEnd - inputStart)
            state.pointee.next_out = output.assumingMemoryBound(to: UInt8.self) + written
            state.pointee.avail_out = UInt32(buffer.count - written)
            let status = isal_inflate(state)
            let consumed = (inputEnd - inputStart) - Int(state.pointee.avail_in)
            inputStart += consumed
            written = buffer.count - Int(state.pointee.avail_out)
            switch status {
            case ISAL_DECOMP_OK, ISAL_END_INPUT, ISAL_OUT_OVERFLOW: break
            case ISAL_INCORRECT_CHECKSUM:
                throw damaged(
                    "member \(membersStarted) does not match its CRC-32 or length: the file was altered or damaged",
                    offset: compressedBytesRead - (inputEnd - inputStart))
            default:
                throw damaged(
                    "member \(membersStarted) is not valid gzip/deflate data (ISA-L status \(status))",
                    offset: compressedBytesRead - (inputEnd - inputStart))
            }
            if state.pointee.block_state == ISAL_BLOCK_FINISH { memberFinished = true }
        }
        return written
    }

    private func damaged(_ why: String, offset: Int) -> InputError {
        InputError(
            .malformedCompression, at: InputLocation(path: displayPath),
            "gzip data damaged at compressed byte offset \(offset): \(why)",
            hint: "check the file with `gzip -t`; download or copy it again")
    }

    /// Moves what is left of the input to the front and reads after it until `atLeast` bytes are there (at most
    /// the buffer's size) or the file ends; each read(2) asks for at most `readSize` bytes.
    private func fillInput(atLeast minimum: Int = 1) throws(InputError) {
        if inputStart > 0 {
            let left = inputEnd - inputStart
            if left > 0 { input.copyMemory(from: input + inputStart, byteCount: left) }
            inputStart = 0
            inputEnd = left
        }
        let target = min(inputCapacity, inputEnd + max(1, minimum - inputEnd))
        while inputEnd < target, !endOfFile {
            let count = readBytes(descriptor, input + inputEnd, min(readSize, inputCapacity - inputEnd))
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(
                    .unreadableFile, at: InputLocation(path: displayPath),
                    "reading \(InputError.quoted(displayPath)) failed after \(compressedBytesRead) bytes",
                    hint: "check the disk or the program writing to standard input")
            }
            if count == 0 {
                endOfFile = true
            } else {
                digest.update(bufferPointer: UnsafeRawBufferPointer(start: input + inputEnd, count: count))
                inputEnd += count
                compressedBytesRead += count
            }
        }
    }
}

/// read(2), named apart from ``ByteStream/read(into:)``.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
