/// Mature miRNAs placed on their stem-loops, and the assignment of inserts to them as canonical reads or isomiRs.
///
/// Matures are located on every stem-loop that holds their sequence exactly, so a mature from several loci
/// (`hsa-let-7a-5p` on let-7a-1, -2 and -3) and identical matures with different names (`hsa-miR-199a-3p` and
/// `hsa-miR-199b-3p`) are both found wherever they are. The reference can be miRBase (bundled) or any pair of
/// mature and stem-loop FASTA files (MirGeneDB's `hsa.fas` and `hsa-pre.fas`), names kept as the files write them.
///
/// **Assignment.** An insert is placed on the stem-loops (sense strand) as a templated part followed by a
/// non-templated 3′ tail: the templated part matches the stem-loop with at most one mismatch, and the tail is
/// 0 to 3 bases the stem-loop does not continue with. Of all placements, the best is the one with the fewest
/// mismatches, then the shortest tail. The placement belongs to a mature when its 5′ end is within
/// ``maximum5Shift`` bases of the mature's and its templated 3′ end within ``maximum3Shift`` of the mature's;
/// among the matures that fit, the best has the smallest |5′ shift|, then |3′ shift|. An insert whose best fit is
/// shared by matures of different names is counted once, under their names joined by `/` in alphabetical order;
/// an insert on a stem-loop but near no mature is a precursor read.
public struct MiRNAReference: Sendable {
    /// A mature's place on a stem-loop: `[start, end)`, 0-based.
    public struct Arm: Sendable, Hashable {
        public var mature: String
        public var start: Int
        public var end: Int
    }

    /// How an insert sits on a mature: what mirtop calls its variant.
    public struct Variant: Sendable, Hashable, CustomStringConvertible {
        /// A substitution in the templated part: its 1-based position in the insert, the reference letter and the
        /// insert's.
        public struct Substitution: Sendable, Hashable {
            public var position: Int
            public var reference: Character
            public var read: Character
        }

        /// The insert's 5′ end minus the mature's (negative: the insert starts upstream).
        public var shift5: Int
        /// The templated 3′ end minus the mature's (negative: shorter).
        public var shift3: Int
        /// Non-templated 3′ bases (letters).
        public var tail: String
        /// A substitution in the templated part, if any.
        public var mismatch: Substitution?

        /// Whether the insert is the mature exactly.
        public var isCanonical: Bool { shift5 == 0 && shift3 == 0 && tail.isEmpty && mismatch == nil }

        /// The CIGAR of an insert of `length` bases against its stem-loop, as mirGFF3 writes it: matches `M`, the
        /// substituted base as its letter, the non-templated tail as insertions `I` (`11MA9M2I`).
        public func cigar(length: Int) -> String {
            let templated = length - tail.count
            var cigar = ""
            if let mismatch {
                if mismatch.position > 1 { cigar += "\(mismatch.position - 1)M" }
                cigar += String(mismatch.read)
                if templated > mismatch.position { cigar += "\(templated - mismatch.position)M" }
            } else {
                cigar = "\(templated)M"
            }
            return tail.isEmpty ? cigar : cigar + "\(tail.count)I"
        }

        /// mirtop's variant notation: `iso_3p:+2,iso_5p:-1,iso_add3p:1,iso_snv_seed` (sorted, as mirtop writes it), or
        /// `NA` for the canonical read.
        ///
        /// Since mirGFF3 1.0 the sign says where the end lies against the mature's on the precursor: `iso_5p:-1`
        /// starts one base upstream (one longer), `iso_3p:-2` ends two bases upstream (two shorter).
        public var description: String {
            var parts: [String] = []
            if shift5 != 0 { parts.append("iso_5p:\(shift5 > 0 ? "+" : "")\(shift5)") }
            if shift3 != 0 { parts.append("iso_3p:\(shift3 > 0 ? "+" : "")\(shift3)") }
            if !tail.isEmpty { parts.append("iso_add3p:\(tail.count)") }
            if let mismatch { parts.append(Self.snvClass(mismatch.position)) }
            return parts.isEmpty ? "NA" : parts.sorted().joined(separator: ",")
        }

        /// mirtop's class of a substitution by position in the mature: seed (2–7), central offset (8), central
        /// (9–12), central supplementary (13–17), elsewhere `iso_snv`.
        static func snvClass(_ position: Int) -> String {
            switch position {
            case 2...7: "iso_snv_seed"
            case 8: "iso_snv_central_offset"
            case 9...12: "iso_snv_central"
            case 13...17: "iso_snv_central_supp"
            default: "iso_snv"
            }
        }
    }

    /// Where an insert went.
    public enum Assignment: Sendable, Hashable {
        /// A mature (or several equally, joined by `/`), with the variant and the stem-loop placement behind it.
        case mature(name: String, variant: Variant, hairpin: String, start: Int, end: Int)
        /// A stem-loop, outside its matures.
        case precursor
    }

    /// Largest |5′ shift| of an isomiR.
    public static let maximum5Shift = 3
    /// Largest |3′ shift| of an isomiR.
    public static let maximum3Shift = 5
    /// Longest non-templated 3′ tail.
    public static let maximumTail = 3

    /// The stem-loops.
    public let hairpins: SequenceIndex
    /// The matures on each stem-loop.
    public let arms: [[Arm]]
    /// Every mature name, with its sequence.
    public let matures: [(name: String, sequence: String)]

    /// Places matures on stem-loops.
    ///
    /// Matures found on no stem-loop are reported in ``unplaced``.
    public init(matures: [(name: String, sequence: String)], hairpins: [(name: String, sequence: String)]) {
        let index = SequenceIndex(hairpins, bothStrands: true)
        var arms = [[Arm]](repeating: [], count: hairpins.count)
        var unplaced: [String] = []
        for mature in matures {
            let codes = DNA.codes(mature.sequence)
            var placed = false
            for placement in index.placements(of: codes) where !placement.antisense && placement.mismatches == 0 {
                arms[placement.sequence].append(
                    Arm(mature: mature.name, start: placement.start, end: placement.start + codes.count))
                placed = true
            }
            if !placed { unplaced.append(mature.name) }
        }
        self.hairpins = index
        self.arms = arms
        self.matures = matures
        self.unplaced = unplaced
    }

    /// Matures that lie on no stem-loop (too short to seed, or absent from the stem-loop file); never counted.
    public let unplaced: [String]

    /// Assigns an insert (2-bit codes), or `nil` when it lies on no stem-loop's sense strand.
    public func assign(_ insert: [UInt8]) -> Assignment? {
        // Every sense placement's best split into a templated part and a tail: (hairpin, start, mismatches, tail,
        // where the mismatch is).
        var placements: [(hairpin: Int, start: Int, mismatches: Int, tail: Int, mismatchAt: Int?)] = []
        for entry in hairpins.candidates(insert) where entry >> 62 == 0 {
            let hairpin = Int((entry >> 32) & 0x3FFF_FFFF)
            let start = Int(entry & 0xFFFF_FFFF)
            let target = hairpins.sequences[hairpin]
            var chosen: (mismatches: Int, tail: Int, mismatchAt: Int?)?
            for tail in 0...max(0, min(Self.maximumTail, insert.count - 2 * SequenceIndex.k)) {
                let templated = insert.count - tail
                guard start + templated <= target.count else { continue }
                var mismatches = 0
                var mismatchAt: Int?
                for index in 0..<templated where insert[index] != target[start + index] || insert[index] > 3 {
                    mismatches += 1
                    mismatchAt = index
                    if mismatches > 1 { break }
                }
                guard mismatches <= 1 else { continue }
                if let current = chosen, (current.mismatches, current.tail) <= (mismatches, tail) { continue }
                chosen = (mismatches, tail, mismatchAt)
            }
            if let chosen { placements.append((hairpin, start, chosen.mismatches, chosen.tail, chosen.mismatchAt)) }
        }
        guard let bestKey = placements.map({ ($0.mismatches, $0.tail) }).min(by: <) else { return nil }
        // The matures near the best placements, each with its shifts.
        var fits: [(arm: Arm, hairpin: Int, start: Int, end: Int, mismatchAt: Int?, key: (Int, Int))] = []
        for placement in placements where (placement.mismatches, placement.tail) == bestKey {
            let end = placement.start + insert.count - placement.tail
            for arm in arms[placement.hairpin] {
                let shift5 = placement.start - arm.start
                let shift3 = end - arm.end
                guard abs(shift5) <= Self.maximum5Shift, abs(shift3) <= Self.maximum3Shift else { continue }
                fits.append(
                    (arm, placement.hairpin, placement.start, end, placement.mismatchAt, (abs(shift5), abs(shift3))))
            }
        }
        guard let top = fits.map(\.key).min(by: <) else { return .precursor }
        let best = fits.filter { $0.key == top }
        let names = Set(best.map(\.arm.mature)).sorted()
        // The placement written out (mirGFF3's precursor and coordinates): the first stem-loop by name.
        guard let shown = best.min(by: { hairpins.names[$0.hairpin] < hairpins.names[$1.hairpin] }) else {
            return .precursor
        }
        let tailLength = bestKey.1
        let tail = DNA.text(insert.suffix(tailLength))
        let mismatch = shown.mismatchAt.map { at in
            Variant.Substitution(
                position: at + 1,
                reference: Character(
                    Unicode.Scalar(DNA.letter[Int(min(hairpins.sequences[shown.hairpin][shown.start + at], 4))])),
                read: Character(Unicode.Scalar(DNA.letter[Int(min(insert[at], 4))])))
        }
        let variant = Variant(
            shift5: shown.start - shown.arm.start, shift3: shown.end - shown.arm.end, tail: tail, mismatch: mismatch)
        return .mature(
            name: names.joined(separator: "/"), variant: variant, hairpin: hairpins.names[shown.hairpin],
            start: shown.start, end: shown.end + tailLength)
    }
}
