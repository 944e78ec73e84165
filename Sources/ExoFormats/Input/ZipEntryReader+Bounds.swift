import ExoCore
import Foundation

extension ZipEntryReader {
    /// Where one entry's compressed bytes are, from its central directory header and local header.
    struct EntrySpan {
        /// The offset of the first compressed byte.
        var dataOffset: Int
        /// The number of compressed bytes the central directory declares.
        var compressedSize: UInt64
        /// The compression method: 0 stored, 8 deflated.
        var method: UInt64
    }

    /// Walks the archive's central directory, refusing an archive whose structure points past the end of its
    /// bytes, and returns where each entry's data are.
    ///
    /// ZIPFoundation's in-memory archive traps (`Range requires lowerBound <= upperBound`) when it seeks past the
    /// end of the data, which a damaged or hostile archive makes it do with one wrong offset (found by the `rdml`
    /// fuzz target, Tests/Fixtures/hostile/fuzz/). This walks the same structures ZIPFoundation reads, in the same
    /// order and stopping where it stops, and checks every position it would seek to: each central directory header,
    /// each entry's local header and its data descriptor. The spans it returns are in the order ZIPFoundation lists
    /// the entries, one per entry it lists. Archives with ZIP64 extensions are refused: their 64-bit offsets are
    /// chosen by rules this walk does not repeat, and RDML files and workbooks, far below 4 GiB, never need them.
    ///
    /// - Parameters:
    ///   - data: the archive's bytes.
    ///   - displayPath: the path as shown in messages.
    /// - Returns: each entry's data span, in central directory order.
    /// - Throws: `InputError` of kind `malformedArchive`.
    /// - Complexity: O(1) in the size of the data (the end record is searched for in the last 65,557 bytes),
    ///   O(entries) after it; the bytes are read in place, not copied.
    static func entrySpans(of data: Data, displayPath: String) throws(InputError) -> [EntrySpan] {
        let count = data.count
        func byte(_ offset: Int) -> UInt64 { UInt64(data[data.startIndex + offset]) }
        func refuse(_ what: String, at offset: UInt64) -> InputError {
            InputError(
                .malformedArchive, at: InputLocation(path: displayPath),
                "not a readable zip archive: \(what) is at byte \(offset), past the end of the file (\(count) bytes)",
                hint: "the file is truncated or damaged; copy or export it again")
        }
        func uint16(_ offset: Int) -> UInt64 { byte(offset) | byte(offset + 1) << 8 }
        func uint32(_ offset: Int) -> UInt64 { uint16(offset) | uint16(offset + 2) << 16 }
        func has(_ signature: UInt64, at offset: Int) -> Bool {
            offset >= 0 && offset + 4 <= count && uint32(offset) == signature
        }
        // ZIPFoundation takes the last end-of-central-directory signature, scanning back from 22 bytes before the
        // end, and reads the archive comment after it. An archive without one, or whose comment runs past the end,
        // is refused here: ZIPFoundation 0.9.20 refuses it too but leaks the memory stream it opened (with a copy
        // of the archive) each time, which the `xlsx` fuzz target found as an out-of-memory after 900,000 inputs.
        // The record is in the last 65,557 bytes (22 bytes and a comment of at most 65,535): a longer search only
        // makes a large file that is no archive slow to refuse.
        guard count >= 22,
            let end = stride(from: count - 22, through: max(0, count - 65_557), by: -1).first(where: {
                has(0x0605_4B50, at: $0)
            }),
            end + 22 + Int(uint16(end + 20)) <= count
        else {
            throw InputError(
                .malformedArchive, at: InputLocation(path: displayPath),
                "not a readable zip archive: it is truncated or damaged")
        }
        if has(0x0706_4B50, at: end - 20) {
            throw InputError(
                .malformedArchive, at: InputLocation(path: displayPath),
                "the zip archive uses ZIP64 extensions, which ExoScope does not read",
                hint: "save or export the file again; RDML files and workbooks never need ZIP64")
        }
        var spans: [EntrySpan] = []
        var directory = uint32(end + 16)
        for _ in 0..<uint16(end + 10) {
            guard directory <= UInt64(count) else { throw refuse("the central directory", at: directory) }
            let header = Int(directory)
            guard header + 46 <= count, has(0x0201_4B50, at: header) else { return spans }
            let flags = uint16(header + 8)
            let method = uint16(header + 10)
            let compressedSize = uint32(header + 20)
            let uncompressedSize = uint32(header + 24)
            let nameLength = uint16(header + 28)
            let extraLength = uint16(header + 30)
            let commentLength = uint16(header + 32)
            let localHeader = uint32(header + 42)
            let next = directory + 46 + nameLength + extraLength + commentLength
            guard next <= UInt64(count) else { return spans }
            if hasZIP64Field(in: header + 46 + Int(nameLength), length: Int(extraLength), uint16: uint16) {
                throw InputError(
                    .malformedArchive, at: InputLocation(path: displayPath),
                    "the zip archive uses ZIP64 extensions, which ExoScope does not read",
                    hint: "save or export the file again; RDML files and workbooks never need ZIP64")
            }
            guard localHeader <= UInt64(count) else { throw refuse("an entry's local header", at: localHeader) }
            let local = Int(localHeader)
            guard local + 30 <= count, has(0x0403_4B50, at: local) else { return spans }
            // A local header whose name and extra field run past the end ends the walk, as in ZIPFoundation; the
            // entry's data then starts inside the file.
            let dataOffset = localHeader + 30 + uint16(local + 26) + uint16(local + 28)
            guard dataOffset <= UInt64(count) else { return spans }
            if flags & 0x08 != 0 {
                let descriptor = dataOffset + (method != 0 ? compressedSize : uncompressedSize)
                guard descriptor <= UInt64(count) else { throw refuse("an entry's data descriptor", at: descriptor) }
            }
            // ZIPFoundation lists no entry from an encrypted one on.
            guard flags & 0x01 == 0 else { return spans }
            spans.append(
                EntrySpan(dataOffset: Int(dataOffset), compressedSize: compressedSize, method: method))
            directory = next
        }
        return spans
    }

    /// Whether an extra-field block holds a ZIP64 extended-information field (header id 0x0001).
    private static func hasZIP64Field(in start: Int, length: Int, uint16: (Int) -> UInt64) -> Bool {
        // As ZIPFoundation's scanForZIP64Field: blocks start before the last four bytes and end inside the field.
        var offset = start
        while offset - start < length - 4 {
            let id = uint16(offset)
            let next = offset + 4 + Int(uint16(offset + 2))
            guard next <= start + length else { return false }
            if id == 0x0001 { return true }
            offset = next
        }
        return false
    }
}
