public import ExoCore
import ExoFormats
public import Foundation

/// The references a sample's inserts are matched against, and the order in which they are tried.
///
/// Bundled by default: human miRBase 22 matures (ExoCore's table) on their stem-loops (`hsa_hairpin_miRBase22.fa`),
/// the non-human matures of that table as spike-ins (cel-miR-39-3p, cel-miR-54-3p, cel-miR-238-3p: the usual
/// synthetic calibrators), GtRNAdb's human mature tRNAs and RNAcentral's Ensembl-annotated human rRNAs (see
/// `docs/smallrna.md` for what these lack and where larger libraries come from). Users add FASTA libraries (Y RNA,
/// piRNA, snoRNA…) and choose the priority.
public struct SmallRNALibraries: Sendable {
    /// A class of reference, in priority order.
    public enum Class: Sendable, Hashable {
        /// Spike-ins and calibrators.
        case spikeIn
        /// Mature miRNAs, then their stem-loops (sense, then antisense).
        case miRNA
        /// A named library (`trna`, `rrna`, or the user's).
        case library(String)

        /// The name used in `--priority`.
        public var name: String {
            switch self {
            case .spikeIn: "spike-in"
            case .miRNA: "mirna"
            case .library(let name): name
            }
        }
    }

    /// The miRNA reference.
    public var miRNA: MiRNAReference
    /// The spike-in sequences.
    public var spikeIns: SequenceIndex
    /// Named libraries (sense and antisense indexed).
    public var libraries: [String: SequenceIndex]
    /// The order classes are tried in; the first that matches an insert takes it.
    public var priority: [Class]
    /// Where each reference came from (name → file or `bundled:…`), for provenance.
    public var sources: [String: String]

    /// The default priority: spike-ins, miRNAs, tRNA, rRNA, then user libraries in the order given.
    public static func defaultPriority(libraries: [String]) -> [Class] {
        [.spikeIn, .miRNA] + ["trna", "rrna"].filter(libraries.contains).map(Class.library)
            + libraries.filter { $0 != "trna" && $0 != "rrna" }.map(Class.library)
    }

    /// Creates the libraries from sequences.
    public init(
        miRNA: MiRNAReference, spikeIns: [(name: String, sequence: String)],
        libraries: [(name: String, records: [(name: String, sequence: String)])], priority: [Class]? = nil,
        sources: [String: String] = [:]
    ) {
        self.miRNA = miRNA
        self.spikeIns = SequenceIndex(spikeIns, bothStrands: false)
        var indexes: [String: SequenceIndex] = [:]
        for library in libraries { indexes[library.name] = SequenceIndex(library.records, bothStrands: true) }
        self.libraries = indexes
        self.priority = priority ?? Self.defaultPriority(libraries: libraries.map(\.name))
        self.sources = sources
    }

    /// The bundled references, plus the user's FASTA libraries.
    ///
    /// - Parameters:
    ///   - extra: (name, url, display path) of each user library; a name `trna` or `rrna` replaces the bundled one.
    ///   - matures: mature and stem-loop FASTA files to use instead of miRBase (MirGeneDB's, for instance).
    ///   - priority: class names in order (`spike-in`, `mirna`, library names); `nil` for the default.
    /// - Returns: the libraries, ready to classify inserts.
    /// - Throws: `InputError` from the FASTA files, or `invalidValue` for a priority naming an unknown class or
    ///   leaving one out.
    public static func load(
        extra: [(name: String, url: URL, displayPath: String)] = [],
        matures: (mature: (URL, String), hairpin: (URL, String))? = nil, priority: [String]? = nil
    ) throws(InputError) -> SmallRNALibraries {
        var sources: [String: String] = [:]
        let miRNA: MiRNAReference
        if let matures {
            let mature = try FASTAReader.records(url: matures.mature.0, displayPath: matures.mature.1)
            let hairpin = try FASTAReader.records(url: matures.hairpin.0, displayPath: matures.hairpin.1)
            miRNA = MiRNAReference(matures: mature, hairpins: hairpin)
            sources["mirna"] = "\(matures.mature.1) + \(matures.hairpin.1)"
        } else {
            miRNA = try bundledMiRBase()
            sources["mirna"] = "bundled: miRBase \(MiRNACatalog.release) human matures and stem-loops"
        }
        let spikeIns = MiRNACatalog.bundled.entries.compactMap { entry in
            entry.species == "hsa" ? nil : entry.name.map { (name: $0, sequence: entry.sequence) }
        }
        sources["spike-in"] = "bundled: " + spikeIns.map(\.name).joined(separator: ", ")
        var libraries: [(name: String, records: [(name: String, sequence: String)])] = []
        let given = Set(extra.map(\.name))
        for (name, file, description) in [
            ("trna", "hsa_tRNA_GtRNAdb", "GtRNAdb human mature tRNAs"),
            ("rrna", "hsa_rRNA_RNAcentral_Ensembl", "RNAcentral Ensembl human rRNAs"),
        ] where !given.contains(name) {
            libraries.append((name, try bundledFASTA(file)))
            sources[name] = "bundled: \(description)"
        }
        for library in extra {
            libraries.append(
                (library.name, try FASTAReader.records(url: library.url, displayPath: library.displayPath)))
            sources[library.name] = library.displayPath
        }
        let names = libraries.map(\.name)
        var order: [Class]?
        if let priority {
            let known = ["spike-in", "mirna"] + names
            var classes: [Class] = []
            for name in priority {
                let key = name.lowercased()
                guard known.contains(key) else {
                    throw InputError(
                        .invalidValue, at: InputLocation(path: "--priority"),
                        "unknown read class \(InputError.quoted(name)) in --priority",
                        hint: "the classes are \(known.joined(separator: ", "))")
                }
                classes.append(key == "spike-in" ? .spikeIn : key == "mirna" ? .miRNA : .library(key))
            }
            let missing = known.filter { name in !classes.contains { $0.name == name } }
            guard missing.isEmpty else {
                throw InputError(
                    .invalidValue, at: InputLocation(path: "--priority"),
                    "--priority leaves out \(missing.joined(separator: ", "))",
                    hint: "list every class once: \(known.joined(separator: ","))")
            }
            order = classes
        }
        return SmallRNALibraries(
            miRNA: miRNA, spikeIns: spikeIns, libraries: libraries, priority: order, sources: sources)
    }

    /// The bundled human miRBase reference.
    public static func bundledMiRBase() throws(InputError) -> MiRNAReference {
        let matures = MiRNACatalog.bundled.entries.compactMap { entry in
            entry.species == "hsa" ? entry.name.map { (name: $0, sequence: entry.sequence) } : nil
        }
        return MiRNAReference(matures: matures, hairpins: try bundledFASTA("hsa_hairpin_miRBase22"))
    }

    /// A bundled reference FASTA by name (`hsa_tRNA_GtRNAdb`, `hsa_rRNA_RNAcentral_Ensembl`,
    /// `hsa_hairpin_miRBase22`): its records in file order.
    ///
    /// - Throws: `InputError` when the resource is missing or unreadable.
    public static func bundledFASTA(_ name: String) throws(InputError) -> [(name: String, sequence: String)] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "fa", subdirectory: "SmallRNA") else {
            throw InputError(
                .fileNotFound, at: InputLocation(path: "\(name).fa"), "the bundled reference \(name).fa is missing",
                hint: "reinstall ExoScope")
        }
        return try FASTAReader.records(url: url, displayPath: "bundled:\(name).fa")
    }
}
