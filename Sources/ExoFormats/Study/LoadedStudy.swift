public import ExoCore
public import Foundation

/// A study folder read and validated: its definition, samples, measurements and the files they came from.
public struct LoadedStudy: Sendable {
    /// One input file with its digest, so a re-import can tell whether it changed.
    public struct InputFile: Sendable, Hashable, Codable {
        /// Path relative to the study folder.
        public let path: String
        public let sha256: String
        public let byteCount: Int
        /// `study`, `sampleSheet` or `measurements`.
        public let role: String
    }

    public let directory: URL
    public let definition: StudyDefinition
    public let samples: [Sample]
    public let measurements: [SampleMeasurement]
    /// qPCR runs read from RDML files, analysed into Cq values by the quantification stage.
    public let qpcrFiles: [QPCRFile]
    /// Digital-PCR partition-count files, quantified by the Poisson stage.
    public let dpcrFiles: [DPCRFile]
    public let files: [InputFile]
    /// How each non-canonical miRNA name was read (for the report and `validate`).
    public let nameResolutions: [ResolvedMiRNA]
    /// The EV preparation QC inputs, when study.yaml has `qc:`.
    public var qc: QCInputs? = nil
    /// The sequenced samples' FASTQ files (`sequencing:`), counted by the import; empty without them.
    public var sequencedSamples: [SequencedSample] = []

    /// One sequenced sample: its id and its FASTQ files (lanes), checked to exist and hashed.
    public struct SequencedSample: Sendable {
        public let sample: SampleID
        /// Each file as study.yaml names it, and where it is.
        public let files: [(path: String, url: URL)]
    }

    /// The EV-QC inputs of a study, read and checked.
    public struct QCInputs: Sendable {
        public let files: StudyQCFiles
        /// One record per characterised preparation, keyed by sample id.
        public let preparations: [PreparationRecord]
        public let markers: [MarkerObservation]
        /// The study's specification, or the default one.
        public let specification: ReleaseSpecification
        public let referenceRuns: QCSeriesTable?
        public let stability: QCSeriesTable?
    }

    /// An RDML file of a study, with each target resolved to an analyte.
    public struct QPCRFile: Sendable {
        public let spec: MeasurementFileSpec
        public let document: RDMLDocument
        /// Target id → analyte.
        public let analytes: [String: Analyte]
        /// RDML sample types whose reactions are study samples (the others are controls and standards).
        public static let studySampleKinds: Set<RDMLSample.Kind> = [.unkn, .pos, .neg, .ref]
    }

    /// A digital-PCR partition-count file, with each well's sample and analyte resolved.
    public struct DPCRFile: Sendable {
        public let spec: MeasurementFileSpec
        /// Volume of one partition, nL (from study.yaml; required).
        public let partitionVolumeNanoliters: Double
        public let wells: [(well: PartitionExport.Well, sample: SampleID, analyte: Analyte)]
    }

    /// Patients in id order.
    public var patients: [PatientID] { Array(Set(samples.map(\.patient))).sorted() }
}
