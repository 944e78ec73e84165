/// How a small-RNA library kit lays out a read: the 3′ adapter after the insert, a unique molecular identifier
/// (UMI) after the adapter, and random bases to clip from the insert's ends.
///
/// Read 1 of every kit here reads `[clip5 random bases] insert [clip3 random bases] adapter [UMI] …`. The
/// presets follow the kits' manuals as nf-core/smrnaseq (3.x) encodes them:
///
/// | kit | 3′ adapter | UMI | clipped |
/// |---|---|---|---|
/// | Illumina TruSeq small RNA | `TGGAATTCTCGGGTGCCAAGG` | – | – |
/// | NEBNext small RNA | `AGATCGGAAGAGCACACGTCT` | – | – |
/// | QIAseq miRNA | `AACTGTAGGCACCATCAAT` | 12 nt after the adapter | – |
/// | PerkinElmer NEXTflex v3 | `TGGAATTCTCGGGTGCCAAGG` | – | 4 nt at each end of the insert |
/// | PerkinElmer NEXTflex v4 | `TGGAATTCTCGGGTGCCAAGG` | – | – |
/// | Bioo Scientific 4N | `TGGAATTCTCGGGTGCCAAGG` | – | 4 nt at each end of the insert |
/// | Diagenode CATS | poly(A) `AAAAAAAAAA` | – | 3 nt at the 5′ end (template switching) |
///
/// QIAseq's trap (nf-core/smrnaseq#172): its reads also hold Illumina's `AGATCGGAAGAGC` further on, after the
/// UMI; trimming at that one leaves the QIAseq adapter and UMI in every insert. The preset trims at the QIAseq
/// adapter, and the UMI is read from the bases after it before trimming removes them (the fault of
/// nf-core/smrnaseq before PR #506 was to trim first).
public struct LibraryKit: Sendable, Hashable {
    /// The short name used on the command line (`truseq`, `qiaseq`, …).
    public let id: String
    /// The kit's name as its maker writes it.
    public let name: String
    /// The 3′ adapter, upper-case DNA; empty for reads whose adapter was already removed.
    public let adapter: String
    /// The length of the UMI that follows the adapter, 0 for none.
    public let umiLength: Int
    /// Random bases clipped from the insert's 5′ end once the adapter is gone.
    public let clip5: Int
    /// Random bases clipped from the insert's 3′ end once the adapter is gone.
    public let clip3: Int

    /// Creates a layout; `adapter` is upper-cased, `U` read as `T`.
    public init(id: String, name: String, adapter: String, umiLength: Int = 0, clip5: Int = 0, clip3: Int = 0) {
        self.id = id
        self.name = name
        self.adapter = String(adapter.uppercased().map { $0 == "U" ? "T" : $0 })
        self.umiLength = umiLength
        self.clip5 = clip5
        self.clip3 = clip3
    }

    /// Illumina's TruSeq small RNA 3′ adapter (RA3).
    public static let truSeqAdapter = "TGGAATTCTCGGGTGCCAAGG"

    /// The presets, in the order `--adapter` lists them.
    public static let presets: [LibraryKit] = [
        LibraryKit(id: "truseq", name: "Illumina TruSeq Small RNA", adapter: truSeqAdapter),
        LibraryKit(id: "nebnext", name: "NEBNext Small RNA", adapter: "AGATCGGAAGAGCACACGTCT"),
        LibraryKit(id: "qiaseq", name: "QIAseq miRNA", adapter: "AACTGTAGGCACCATCAAT", umiLength: 12),
        LibraryKit(id: "nextflex-v3", name: "NEXTflex Small RNA-Seq v3", adapter: truSeqAdapter, clip5: 4, clip3: 4),
        LibraryKit(id: "nextflex-v4", name: "NEXTflex Small RNA-Seq v4", adapter: truSeqAdapter),
        LibraryKit(id: "bioo-4n", name: "Bioo Scientific 4N small RNA", adapter: truSeqAdapter, clip5: 4, clip3: 4),
        LibraryKit(id: "cats", name: "Diagenode CATS small RNA", adapter: "AAAAAAAAAA", clip5: 3),
    ]

    /// Reads whose adapter was removed before they reached ExoScope (the insert is the whole read).
    public static let trimmed = LibraryKit(id: "none", name: "adapter already removed", adapter: "")

    /// The preset with this id (case-insensitive), or `nil`.
    public static func preset(_ id: String) -> LibraryKit? {
        let key = id.lowercased()
        if key == trimmed.id { return trimmed }
        return presets.first { $0.id == key }
    }

    /// A user-given adapter sequence, or `nil` when it holds anything but A, C, G, T (or U), or is shorter than 6.
    public static func custom(_ sequence: String) -> LibraryKit? {
        let upper = sequence.uppercased()
        guard upper.count >= 6, upper.allSatisfy({ "ACGTU".contains($0) }) else { return nil }
        return LibraryKit(id: "custom", name: "adapter given on the command line", adapter: upper)
    }
}
