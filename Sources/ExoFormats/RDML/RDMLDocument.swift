public import ExoCore

/// The content of an RDML file (RDML 1.0–1.4) that quantification needs.
///
/// RDML is the qPCR data standard of the RDML consortium (Lefever et al. 2009, doi:10.1093/nar/gkp056;
/// Ruijter et al. 2015, doi:10.1016/j.bdq.2015.01.001): a zip archive holding one XML document in the
/// `http://www.rdml.org` namespace. Element names follow the schema; every reaction keeps its position in
/// the XML so errors and results can point at it.
public struct RDMLDocument: Sendable {
    /// The `version` attribute of the root element.
    public var version: String
    /// Where the document came from (the archive path as given).
    public var path: String
    /// The XML entry read inside the archive, or `nil` for a bare XML file.
    public var entry: String?
    public var dyes: [String]
    /// The chemistry of each dye (`hydrolysis probe`, `non-saturating DNA binding dye`, …), RDML 1.3 and later.
    public var dyeChemistry: [String: String] = [:]
    /// The concentration of each dye in the reaction (`dyeConc`, nM), RDML 1.4.
    public var dyeConcentration: [String: Double] = [:]
    public var samples: [RDMLSample]
    public var targets: [RDMLTarget]
    public var runs: [RDMLRun]

    /// The sample with this id.
    public func sample(_ id: String) -> RDMLSample? { samples.first { $0.id == id } }
    /// The target with this id.
    public func target(_ id: String) -> RDMLTarget? { targets.first { $0.id == id } }
    /// Every reaction of every run, in document order.
    public var reactions: [RDMLReaction] { runs.flatMap(\.reactions) }
}

/// An RDML sample: its id, its type and, for standards, its quantity.
public struct RDMLSample: Sendable, Hashable {
    /// Sample types of the RDML schema.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Unknown sample (to be quantified).
        case unkn
        /// Standard of known quantity.
        case std
        /// No-template control.
        case ntc
        /// No-amplification control.
        case nac
        /// No-reverse-transcription control.
        case nrt
        /// Optical calibrator.
        case opt
        /// Positive and negative controls.
        case pos, neg
        /// Reference sample (RDML 1.4: `ref`).
        case ref
    }

    public var id: String
    public var kind: Kind
    /// The template nucleotide (`DNA`, `genomic DNA`, `cDNA`, `RNA`) from `templateQuantity`, RDML 1.3.
    public var nucleotide: String?
    /// For standards: the amount, in `quantityUnit` (`cop`, `fold`, `dil`, `ng`, `nMol`, `other`).
    public var quantity: Double?
    public var quantityUnit: String?
    /// Whether the template is double-stranded (`doubleStranded`, RDML 1.4); `nil` when the file does not say.
    public var doubleStranded: Bool?
}

/// An RDML target (an assay): its id, type, dye and, when the file states it, the amplification efficiency.
public struct RDMLTarget: Sendable, Hashable {
    public var id: String
    /// `toi` (target of interest) or `ref` (reference gene).
    public var type: String?
    public var dye: String?
    /// As written in the file: a percentage (93.9) in some exports, a factor (1.94) in others.
    public var amplificationEfficiency: Double?
    /// Primer, probe and amplicon sequences with their concentrations (`sequences`).
    public var sequences = Sequences()

    /// The oligonucleotides of an assay: each with its sequence and its concentration in the reaction.
    public struct Sequences: Sendable, Hashable {
        public var forwardPrimer: Oligo?
        public var reversePrimer: Oligo?
        public var probe1: Oligo?
        public var probe2: Oligo?
        /// The amplicon (its `oligoConc`, if any, has no meaning).
        public var amplicon: Oligo?

        /// Creates an empty set.
        public init() {}
    }

    /// A sequence and its concentration (`oligoConc`, nM).
    public struct Oligo: Sendable, Hashable {
        public var sequence: String?
        public var concentration: Double?

        /// Creates an oligo.
        public init(sequence: String? = nil, concentration: Double? = nil) {
            self.sequence = sequence
            self.concentration = concentration
        }
    }
}

/// One run (one plate or chip) of an experiment.
public struct RDMLRun: Sendable {
    public var experiment: String
    public var id: String
    /// Plate geometry for turning numeric reaction ids into well labels.
    public var format: PlateFormat?
    public var reactions: [RDMLReaction]
}

/// Plate geometry from `pcrFormat`: rows, columns and how they are labelled (`ABC` letters, `123` numbers).
public struct PlateFormat: Sendable, Hashable {
    public var rows: Int
    public var columns: Int
    public var rowLabel: String
    public var columnLabel: String

    /// Creates a plate format.
    public init(rows: Int, columns: Int, rowLabel: String = "ABC", columnLabel: String = "123") {
        self.rows = rows
        self.columns = columns
        self.rowLabel = rowLabel
        self.columnLabel = columnLabel
    }

    /// The well label (`A1`, `P24`) of a 1-based reaction number, counting across each row.
    public func label(ofReaction number: Int) -> String? {
        guard number >= 1, number <= rows * columns, columns > 0 else { return nil }
        let row = (number - 1) / columns
        let column = (number - 1) % columns
        return Self.label(row, style: rowLabel) + Self.label(column, style: columnLabel)
    }

    /// The 1-based reaction number of a well label (`A1`, `CR96`) on this plate with letter rows and number columns,
    /// or `nil` when the label is not on it.
    public func reactionNumber(ofLabel label: String) -> Int? {
        let bytes = Array(label.utf8)
        var index = 0
        var row = 0
        while index < bytes.count, bytes[index] >= 0x41, bytes[index] <= 0x5A, index < 4 {
            row = row * 26 + Int(bytes[index] - 0x40)
            index += 1
        }
        let letters = index
        var column = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, index - letters < 6 {
            column = column * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        guard letters > 0, index > letters, index == bytes.count, bytes[letters] != 0x30, row <= rows, column >= 1,
            column <= columns
        else { return nil }
        return (row - 1) * columns + column
    }

    private static func label(_ index: Int, style: String) -> String {
        guard style.uppercased() == "ABC" else { return String(index + 1) }
        var text = ""
        var value = index
        repeat {
            text = String(UnicodeScalar(UInt8(65 + value % 26))) + text
            value = value / 26 - 1
        } while value >= 0
        return text
    }
}

/// One reaction (well or chip chamber) of a run.
public struct RDMLReaction: Sendable {
    /// The `id` attribute as written (`4`, or `A1` in some vendor exports).
    public var id: String
    /// The well label: the id itself when it is already a label, otherwise derived from the plate format.
    public var well: String
    public var sample: String
    /// The reaction volume (`vol`, µL), RDML 1.4.
    public var volume: Double?
    public var data: [RDMLReactionData]
    /// Digital-PCR partition counts, when the reaction was partitioned.
    public var partitions: RDMLPartitions?
    /// Where the `<react>` element starts.
    public var location: InputLocation
}

/// The data of one target in one reaction: the stored Cq, exclusion, amplification and melting points.
public struct RDMLReactionData: Sendable {
    public var target: String
    /// The Cq the instrument software stored, if any.
    public var cq: Double?
    /// The exclusion reason, when the reaction must not be evaluated.
    public var excluded: String?
    public var note: String?
    /// Amplification points: cycle and fluorescence, in document order.
    public var amplification: [(cycle: Double, fluorescence: Double)]
    /// Melting points: temperature and fluorescence.
    public var melting: [(temperature: Double, fluorescence: Double)]
    /// Where the `<data>` element starts.
    public var location: InputLocation
}

/// Digital-PCR partitions of a reaction (RDML 1.3 and later).
public struct RDMLPartitions: Sendable {
    /// Volume of one partition in nanolitres, as the file states it.
    public var volumeNanoliters: Double?
    public var data: [Counts]

    /// Partition counts for one target.
    public struct Counts: Sendable, Hashable {
        public var target: String
        public var positives: Int
        public var negatives: Int
        public var undefined: Int
        public var excludedPartitions: Int
        public var excluded: String?
        public var location: InputLocation
    }
}

extension RDMLDocument {
    /// Creates a document (for writing RDML).
    public init(
        version: String = "1.3", path: String, dyes: [String], dyeChemistry: [String: String] = [:],
        samples: [RDMLSample],
        targets: [RDMLTarget], runs: [RDMLRun]
    ) {
        self.init(version: version, path: path, entry: nil, dyes: dyes, samples: samples, targets: targets, runs: runs)
        self.dyeChemistry = dyeChemistry
    }
}

extension RDMLSample {
    /// Creates a sample.
    public init(id: String, kind: Kind, quantity: Double? = nil, quantityUnit: String? = nil) {
        self.init(id: id, kind: kind, nucleotide: nil, quantity: quantity, quantityUnit: quantityUnit)
    }
}

extension RDMLTarget {
    /// Creates a target.
    public init(id: String, dye: String?) {
        self.init(id: id, type: "toi", dye: dye, amplificationEfficiency: nil)
    }
}

extension RDMLRun {
    /// Creates a run.
    public init(experiment: String, id: String, rows: Int, columns: Int, reactions: [RDMLReaction]) {
        self.init(
            experiment: experiment, id: id,
            format: PlateFormat(rows: rows, columns: columns, rowLabel: "ABC", columnLabel: "123"),
            reactions: reactions)
    }
}

extension RDMLReaction {
    /// Creates a reaction with the amplification points of its targets.
    public init(id: Int, sample: String, data: [(target: String, points: [(cycle: Double, fluorescence: Double)])]) {
        self.init(
            id: String(id), well: String(id), sample: sample,
            data: data.map {
                RDMLReactionData(
                    target: $0.target, amplification: $0.points, melting: [], location: InputLocation(path: ""))
            }, partitions: nil, location: InputLocation(path: ""))
    }
}
