/// miRTop's mirGFF3 (format version 1.2): one line per distinct read sequence of a miRNA, with its counts in every
/// sample, as `mirtop` and the tools it converts from write it.
///
/// Header lines `## mirGFF3. VERSION`, `## source-ontology`, `## COLDATA` (the samples, comma-separated) and
/// `## TOOLS`; then tab-separated GFF3 columns: the precursor, the database, `ref_miRNA` or `isomiR`, 1-based
/// start and end on the precursor, `.`, `+`, `.`, and the attributes `UID` (the sequence's MINTplates license
/// plate), `Read`, `Name`, `Parent`, `Variant`, `Cigar`, `Expression` (one count per COLDATA sample), `Filter`
/// and `Hits`, joined by `; `. Reads with an N are left out: a license plate encodes A, C, G and T only.
public enum MirGFF3 {
    /// The format version written.
    public static let version = "1.2"

    /// One line: a read sequence of a miRNA.
    public struct Record: Sendable, Hashable {
        public var precursor: String
        public var start: Int
        public var end: Int
        public var isReference: Bool
        public var sequence: String
        public var name: String
        public var variant: String
        public var cigar: String
        public var expression: [Int]
        /// How many miRNAs the read fits equally (the names joined in `name`).
        public var hits: Int

        public init(
            precursor: String, start: Int, end: Int, isReference: Bool, sequence: String, name: String,
            variant: String, cigar: String, expression: [Int], hits: Int
        ) {
            self.precursor = precursor
            self.start = start
            self.end = end
            self.isReference = isReference
            self.sequence = sequence
            self.name = name
            self.variant = variant
            self.cigar = cigar
            self.expression = expression
            self.hits = hits
        }
    }

    /// The text of a mirGFF3 file.
    ///
    /// - Parameters:
    ///   - records: the lines, in the order to write them.
    ///   - database: the reference (`miRBasev22`, `MirGeneDB`), written as each line's source.
    ///   - samples: the COLDATA names, in the order of every record's expression.
    ///   - tool: name and version for `## TOOLS`.
    /// - Returns: the file's text.
    public static func text(records: [Record], database: String, samples: [String], tool: String) -> String {
        let ontology =
            database.lowercased().contains("mirbase")
            ? "doi:10.25504/fairsharing.hmgte8"
            : database.lowercased().contains("mirgenedb") ? "http://mirgenedb.org" : "Custom."
        var text = "## mirGFF3. VERSION \(version)\n"
        text += "## source-ontology: \(database) \(ontology)\n"
        text += "## COLDATA: \(samples.joined(separator: ","))\n"
        text += "## TOOLS: \(tool)\n"
        for record in records {
            // MINTplates encode A, C, G and T only: a read with an N has no UID, so no line.
            guard let uid = MINTplate.encode(record.sequence) else { continue }
            let attributes = [
                "UID=\(uid)", "Read=\(record.sequence)", "Name=\(record.name)",
                "Parent=\(record.precursor)", "Variant=\(record.variant)", "Cigar=\(record.cigar)",
                "Expression=\(record.expression.map(String.init).joined(separator: ","))", "Filter=Pass",
                "Hits=\(record.hits)",
            ]
            text +=
                [
                    record.precursor, database, record.isReference ? "ref_miRNA" : "isomiR", String(record.start),
                    String(record.end), ".", "+", ".", attributes.joined(separator: "; "),
                ].joined(separator: "\t") + "\n"
        }
        return text
    }
}

/// MINTplates license plates of sequences (Loher, Telonis & Rigoutsos, Sci Rep 2017), the `UID` of mirGFF3.
///
/// A plate is `iso-<length>-` followed by a code per 5 bases: a whole 5-mer's index (A 0, C 1, G 2, T 3, base 4,
/// first base most significant) as two digits of the 32-letter alphabet `BD0EF1HI2JK3LM4NO5PQ6RS7UV8WX9YZ`; a last
/// piece of 1–4 bases as `offset + index` in the same digits without leading `B`, the offsets being 0, 4, 20 and 84
/// for 1, 2, 3 and 4 bases (each after the previous lengths' 4, 16 and 64 codes).
public enum MINTplate {
    static let digits = Array("BD0EF1HI2JK3LM4NO5PQ6RS7UV8WX9YZ".utf8)

    /// The plate of an A/C/G/T sequence (U read as T), prefixed `iso`; `nil` for an empty sequence or one with
    /// any other letter.
    public static func encode(_ sequence: String) -> String? {
        var values: [Int] = []
        values.reserveCapacity(sequence.utf8.count)
        for byte in sequence.utf8 {
            switch byte {
            case UInt8(ascii: "A"), UInt8(ascii: "a"): values.append(0)
            case UInt8(ascii: "C"), UInt8(ascii: "c"): values.append(1)
            case UInt8(ascii: "G"), UInt8(ascii: "g"): values.append(2)
            case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "U"), UInt8(ascii: "u"): values.append(3)
            default: return nil
            }
        }
        guard !values.isEmpty else { return nil }
        var plate = Array("iso-\(values.count)-".utf8)
        var start = 0
        while start < values.count {
            let piece = values[start..<min(start + 5, values.count)]
            let index = piece.reduce(0) { $0 * 4 + $1 }
            if piece.count == 5 {
                plate.append(digits[index / 32])
                plate.append(digits[index % 32])
            } else {
                // Offsets 0, 4, 20 and 84 for pieces of 1 to 4 bases; digits without a leading `B` (zero).
                var value = [0, 0, 4, 20, 84][piece.count] + index
                var code: [UInt8] = []
                repeat {
                    code.append(digits[value % 32])
                    value /= 32
                } while value > 0
                plate.append(contentsOf: code.reversed())
            }
            start += 5
        }
        return String(decoding: plate, as: UTF8.self)
    }
}
