public import ExoCore
public import Foundation

/// What `study.yaml` declares: the study's identity, its sample sheet, its data files and its analytes.
///
/// Every key is documented in `docs/study-format.md`.
public struct StudyDefinition: Sendable, Hashable {
    /// The format version this ExoScope reads.
    public static let currentSchema = 1

    public var schema: Int
    /// Short identifier of the study (`NSCLC-EXO-2026`), used as its key in the store.
    public var id: String
    public var title: String
    public var description: String?
    /// Tumour type studied (`NSCLC`).
    public var tumour: String?
    /// The default specimen for samples whose row leaves it empty.
    public var specimen: Specimen?
    /// Path of the sample sheet, relative to the study folder.
    public var sampleSheet: String
    /// Where the sample sheet is named in study.yaml (the top of the file when it is the default).
    public var sampleSheetLocation: InputLocation
    /// The measurement files.
    public var measurements: [MeasurementFileSpec]
    /// miRNAs followed over time (treatment monitoring).
    public var monitored: [Analyte]
    /// Exogenous spike-ins added before extraction (cel-miR-39-3p).
    public var spikeIns: [Analyte]
    /// Endogenous reference miRNAs for normalisation.
    public var references: [Analyte]
    /// How Cq values are normalised before comparison.
    public var normalization: NormalizationChoice
    /// The Cq cut-off of the global mean (`globalMeanMaximumCq:`): the miRNAs with a Cq at or below it in every
    /// sample make up the mean, with `normalization: global-mean` and in the data's recommendation.
    public var globalMeanMaximumCq = NormalizationChoice.defaultGlobalMeanMaximumCq
    /// Sample-sheet columns the study adds beyond the documented ones.
    public var extraColumns: [String]
    /// The event that `day` offsets count from.
    public var treatmentEvent: String
    /// How analyte names in study.yaml that differ from miRBase's spelling were read.
    public var nameResolutions: [ResolvedMiRNA]
    /// The EV preparation QC inputs (`qc:`), when the study has them.
    public var qc: StudyQCFiles? = nil
    /// How serial samples are judged (`monitoring:`).
    public var monitoring = MonitoringSettings()
    /// The folder of finished chip runs (`runs:`), when the study has one.
    public var runs: RunsFolder? = nil
    /// Instrument sample and target names mapped onto the study (`sampleMap`, `targetMap`).
    public var instrumentNames = InstrumentNames()
    /// Shared data folders outside the study folder that its files may come from (`dataFolders:`).
    public var dataFolders: [String] = []
    /// Small-RNA sequencing reads counted at import (`sequencing:`), or `nil`.
    public var sequencing: SequencingReads? = nil
}

/// The `runs:` folder of study.yaml: finished chip runs, written by `exoscope live ingest` and `exoscope watch`.
///
/// Every `*.rdml` file in it is a qPCR measurement file and every `*.partitions.tsv` a dPCR partition-count file,
/// read in name order as if each were listed under `measurements`, with the folder's volumes.
public struct RunsFolder: Sendable, Hashable {
    /// Keys of the `runs:` mapping.
    public static let keys = ["folder", "dilution", "partitionVolumeNanoliters"]

    /// The folder, relative to the study folder.
    public var folder: String
    /// The volume of one dPCR partition in nL, for partition-count runs.
    public var partitionVolumeNanoliters: Double?
    /// The volumes from EV RNA to PCR, for qPCR runs with standards.
    public var dilution: DilutionVolumes?
    /// Where `runs:` is in study.yaml.
    public var location: InputLocation

    /// The error for a study without `runs:`, where live runs and watched exports need one.
    public static func missing(in study: String) -> InputErrorList {
        InputErrorList([
            InputError(
                .missingKey, at: InputLocation(path: StudyFile.fileName),
                "study \(InputError.quoted(study)) has no 'runs:' folder for finished chip runs",
                hint: "add 'runs: {folder: runs}' to study.yaml (docs/study-format.md)")
        ])
    }

    /// The measurement entries of the files now in the folder, in name order.
    ///
    /// - Parameter directory: the study folder.
    /// - Returns: one entry per run file; none when the folder does not exist yet.
    public func specs(in directory: URL) -> [MeasurementFileSpec] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path)) ?? []
        return names.sorted().compactMap { name in
            let path = folder + "/" + name
            if name.lowercased().hasSuffix(".rdml") {
                return MeasurementFileSpec(
                    path: path, assay: .qPCR, unit: nil, description: "finished chip run",
                    partitionVolumeNanoliters: nil, dilution: dilution, location: location)
            }
            if name.lowercased().hasSuffix(".partitions.tsv") {
                return MeasurementFileSpec(
                    path: path, assay: .digitalPCR, unit: nil, description: "finished digital-PCR chip run",
                    partitionVolumeNanoliters: partitionVolumeNanoliters, dilution: nil, location: location)
            }
            return nil
        }
    }
}

/// The `monitoring:` settings of study.yaml: the variation and probability of the reference change value, the trend
/// window, and directions that override the knowledge base's.
public struct MonitoringSettings: Sendable, Hashable, Codable {
    /// Within-subject biological SD of the monitored values in cycles; estimated from stable patients when absent.
    public var withinSubjectSD: Double?
    /// The probability of the reference change value.
    public var probability: Double = 0.95
    /// Whether the reference change value is one-sided (a change in the expected direction only).
    public var oneSided = false
    /// How many of the latest values the trend uses.
    public var trendWindow = 4
    /// Analyte → whether a rise is good, overriding the knowledge base.
    public var higherIsBetter: [String: Bool] = [:]
    /// A locked model (`exoscope stats panel --lock`) whose score each serial sample gets, relative to the study.
    public var panel: String?

    /// The defaults.
    public init() {}

    /// Keys of the `monitoring:` mapping.
    public static let keys = ["withinSubjectSD", "probability", "oneSided", "trendWindow", "direction", "panel"]
}

/// The EV-QC files of a study (`qc:` in study.yaml), each path relative to the study folder.
public struct StudyQCFiles: Sendable, Hashable {
    /// The small-EV size range for `fraction_in_range`, nm.
    public var sizeRange: ClosedRange<Double>
    /// One row per sample's preparation: size export, protein, RNA, imaging, read-outs.
    public var characterisation: String
    /// Marker results, one row per sample and marker.
    public var markers: String?
    /// The acceptance criteria; the default MISEV2023 minimum when absent.
    public var specification: String?
    /// Runs of a reference EV material (Levey–Jennings).
    public var referenceRuns: String?
    /// A stability study of a reference EV material.
    public var stability: String?
    /// Study-level reporting items for the transparency score (EV-METRIC), by item key.
    public var reporting: [String: Bool]
    /// Acceptance limits of the stability study's attributes, by column name.
    public var stabilityLimits: [String: Limit]
    /// Whether a sample whose preparation has no characterisation row and no marker result is left out of discovery
    /// like a failed one (`requireCharacterisation: yes`); by default it is reported as not characterised and kept.
    public var requireCharacterisation = false
    /// Where `qc:` is in study.yaml.
    public var location: InputLocation

    /// The study-level EV-METRIC items `reporting:` may state (the others come from the data): a density gradient
    /// with at least three fractions analysed, the density of the EV fractions, ultracentrifugation specifics
    /// (g-force, time, rotor, k-factor), antibody specifics (clone or catalogue number, dilution) and the lysate
    /// preparation.
    public static let reportingItems = [
        "density_gradient_fractions", "density_reported", "ultracentrifugation_specifics", "antibody_specifics",
        "lysate_preparation",
    ]

    /// Keys of the `qc:` mapping.
    public static let keys = [
        "sizeRange", "characterisation", "markers", "specification", "referenceRuns", "stability", "stabilityLimits",
        "reporting", "requireCharacterisation",
    ]

    /// An acceptance range, open on either side.
    public struct Limit: Sendable, Hashable, Codable {
        public var minimum: Double?
        public var maximum: Double?

        /// Creates a limit.
        public init(minimum: Double? = nil, maximum: Double? = nil) {
            self.minimum = minimum
            self.maximum = maximum
        }
    }
}

/// One measurement file named in `study.yaml`.
public struct MeasurementFileSpec: Sendable, Hashable {
    /// Path relative to the study folder.
    public var path: String
    public var assay: Assay
    /// The unit of every value, unless the file has a `unit` column.
    public var unit: MeasurementUnit?
    public var description: String?
    /// For digital-PCR partition counts: the volume of one partition in nanolitres.
    public var partitionVolumeNanoliters: Double?
    /// For qPCR with standards: the volumes from EV RNA to PCR, to report copies per mL of biofluid.
    public var dilution: DilutionVolumes?
    /// Where the entry is in study.yaml.
    public var location: InputLocation
    /// The worksheet to read, for an `.xlsx` file (the first sheet when `nil`).
    public var sheet: String? = nil
    /// Numbers are written with a decimal comma (`decimal: comma`).
    public var decimalComma = false
    /// For LightCycler 480 raw data: its sample information export, relative to the study folder.
    public var sampleInformation: String? = nil
}

/// The normalisation a study asks for (`normalization:` in study.yaml).
public enum NormalizationChoice: String, Vocabulary, Codable {
    /// ΔCq against the first spike-in of `analytes.spikeIns`.
    case spikeIn = "spike-in"
    /// ΔCq against the mean Cq of `analytes.references`.
    case references
    /// ΔCq against the mean of every miRNA with a Cq at or below `globalMeanMaximumCq` (default 35) in all samples.
    case globalMean = "global-mean"
    /// Raw Cq.
    case none

    /// The default Cq cut-off of the global mean, 35 cycles.
    ///
    /// The limit of reliable detection Mestdagh et al. used (Genome Biol 2009;10:R64, doi:10.1186/gb-2009-10-6-r64).
    public static let defaultGlobalMeanMaximumCq = 35.0
}

/// The volumes between the EV RNA and one PCR, from study.yaml's `dilution:` mapping (all in µL).
public struct DilutionVolumes: Sendable, Hashable {
    /// Volume the EV RNA was eluted in.
    public var elutionVolumeMicroliters: Double
    /// RNA volume put into the reverse transcription.
    public var rtInputMicroliters: Double
    /// Total RT reaction volume (after any dilution of the cDNA).
    public var rtVolumeMicroliters: Double
    /// cDNA volume put into each PCR.
    public var pcrInputMicroliters: Double

    /// The keys of the mapping.
    public static let keys = [
        "elutionVolumeMicroliters", "rtInputMicroliters", "rtVolumeMicroliters", "pcrInputMicroliters",
    ]
}

extension MeasurementFileSpec {
    /// Creates a measurement file entry, as a study.yaml `measurements` item would.
    public init(
        path: String, assay: Assay, unit: MeasurementUnit? = nil, location: InputLocation, sheet: String? = nil,
        decimalComma: Bool = false
    ) {
        self.init(
            path: path, assay: assay, unit: unit, description: nil, partitionVolumeNanoliters: nil, dilution: nil,
            location: location)
        self.sheet = sheet
        self.decimalComma = decimalComma
    }
}

/// The FASTQ files of a study's sequenced samples and how to count them (`sequencing:` in study.yaml).
public struct SequencingReads: Sendable, Hashable {
    /// One sample's files: several are lanes of one library.
    public struct Sample: Sendable, Hashable {
        public var sample: String
        public var files: [String]
        /// Where the sample's entry is in study.yaml.
        public var location: InputLocation
    }

    /// Keys allowed under `sequencing`.
    public static let keys = ["reads", "adapter"]

    public var samples: [Sample]
    /// A kit id, an adapter sequence, `auto` (the default) or `none`.
    public var adapter: String
    /// Where `sequencing:` is in study.yaml.
    public var location: InputLocation
}
