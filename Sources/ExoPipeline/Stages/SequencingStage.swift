import ExoCore
import ExoFormats
import ExoQuant
import ExoReport
import ExoStore
import Foundation

/// The counting stage for a study's FASTQ files (`sequencing:`): every sequenced sample counted in one streaming pass
/// (`smallrna count`'s engine), its miRNA and spike-in counts imported as `small-RNA-seq` measurements, its read
/// fates, insert lengths, complexity and verdict stored as the `sequencing-qc` result.
enum SequencingStage {
    /// The kind under which the per-sample QC is stored.
    static let kind = "sequencing-qc"

    /// What is stored: one record per sequenced sample.
    struct Result: Codable {
        struct Sample: Codable {
            var sample: String
            var files: [String]
            var sha256: [String]
            var kit: String
            var adapter: String
            /// How the adapter was chosen: `given`, or the detection's confidence (`high`, `low`, `warn`).
            var adapterConfidence: String
            var reads: Int
            /// Reads per fate label; they sum to `reads`.
            var fates: [String: Int]
            /// Inserts per length (index = length in nt).
            var insertLengths: [Int]
            var distinctInserts: Int
            var lengthPassingReads: Int
            var umiDuplicates: Int
            var miRNAReads: Int
            var passed: Bool
            var verdictReason: String
        }

        var samples: [Sample]
        /// Every fate label in the order the report stacks them.
        var fateOrder: [String]
    }

    /// Counts every sequenced sample of the study; `nil` when it has none.
    ///
    /// Each file's SHA-256, computed while it is read, must equal the one validation recorded (a file that changed
    /// in between stops the import).
    ///
    /// - Throws: `InputErrorList` with every bad file (nothing is imported then) or a changed file.
    static func count(_ study: LoadedStudy, progress: any PipelineProgress) throws -> (
        measurements: [SampleMeasurement], result: Result
    )? {
        guard let sequencing = study.definition.sequencing, !study.sequencedSamples.isEmpty else { return nil }
        var request = SmallRNAOperations.CountRequest(
            files: study.sequencedSamples.flatMap { $0.files.map(\.url.path) })
        request.samples = study.sequencedSamples.flatMap { sample in sample.files.map { _ in sample.sample.rawValue } }
        request.adapter = sequencing.adapter
        let counted: SmallRNAOperations.CountResult
        do {
            counted = try SmallRNAOperations.count(request, progress: progress)
        } catch let error as OperationError {
            throw InputErrorList([
                InputError(
                    .invalidValue, at: sequencing.location, "sequencing: \(error.message)",
                    hint:
                        "'adapter:' takes a kit (\(LibraryKit.presets.map(\.id).joined(separator: ", "))), an adapter sequence, auto or none"
                )
            ])
        }
        // The hashes read while counting against those validated.
        let validated = Dictionary(study.files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
        let displayed = Dictionary(
            study.sequencedSamples.flatMap { $0.files.map { ($0.url.path, $0.path) } },
            uniquingKeysWith: { first, _ in first })
        for sample in counted.samples {
            for input in sample.inputs {
                let path = displayed[input.path] ?? input.path
                guard validated[path] == input.sha256 else {
                    throw InputErrorList([
                        InputError(
                            .fileChanged, at: InputLocation(path: path),
                            "file \(InputError.quoted(path)) changed after it was validated; nothing was imported",
                            hint: "run the import again once the file is no longer being written")
                    ])
                }
            }
        }
        return (measurements(counted), result(counted, displayed: displayed))
    }

    /// One measurement per sequenced sample and miRNA (or spike-in) counted in any of them, zeros included.
    static func measurements(_ counted: SmallRNAOperations.CountResult) -> [SampleMeasurement] {
        var miRNAs = Set<String>()
        var spikeIns = Set<String>()
        for sample in counted.samples {
            miRNAs.formUnion(sample.miRNAs.filter { $0.value > 0 }.keys)
            spikeIns.formUnion(sample.spikeIns.filter { $0.value > 0 }.keys)
        }
        // A multi-name (`hsa-miR-A/hsa-miR-B`, equal fits) stays one miRNA analyte without an accession.
        let analytes =
            miRNAs.sorted().map { name -> (String, Analyte, Bool) in
                if case .success(let resolved) = Analyte.resolve(name, kind: .miRNA) {
                    return (name, resolved.analyte, true)
                }
                return (name, Analyte(name: name, kind: .miRNA), true)
            } + spikeIns.sorted().map { ($0, Analyte(name: $0, kind: .spikeIn), false) }
        var measurements: [SampleMeasurement] = []
        for sample in counted.samples {
            let location = InputLocation(path: sample.inputs.first?.path ?? sample.sample)
            for (name, analyte, isMiRNA) in analytes {
                measurements.append(
                    SampleMeasurement(
                        sample: SampleID(validated: sample.sample), analyte: analyte, assay: .smallRNASeq,
                        value: Double((isMiRNA ? sample.miRNAs[name] : sample.spikeIns[name]) ?? 0), unit: .counts,
                        source: location))
            }
        }
        return measurements
    }

    /// The per-sample QC record.
    static func result(_ counted: SmallRNAOperations.CountResult, displayed: [String: String]) -> Result {
        // Bottom first: what the library is for, then other small RNAs, then what was lost.
        let libraries = counted.sources.keys.filter { $0 != "mirna" && $0 != "spike-in" }.sorted()
        let order =
            ["mature_mirna", "precursor_sense", "precursor_antisense"]
            + libraries.flatMap { ["\($0)_sense", "\($0)_antisense"] }
            + ["spike_in", "unassigned", "no_adapter", "too_short", "too_long", "adapter_dimer", "umi_incomplete"]
        let samples = zip(counted.samples, counted.layouts).map { sample, layout in
            let verdict = SmallRNAVerdict(sample, options: counted.options)
            return Result.Sample(
                sample: sample.sample, files: sample.inputs.map { displayed[$0.path] ?? $0.path },
                sha256: sample.inputs.map(\.sha256), kit: layout.kit.id,
                adapter: layout.kit.adapter.isEmpty ? "none" : layout.kit.adapter,
                adapterConfidence: layout.detection.map(\.confidence.rawValue) ?? "given", reads: sample.reads,
                fates: Dictionary(uniqueKeysWithValues: sample.fates.map { ($0.key.label, $0.value) }),
                insertLengths: sample.insertLengths, distinctInserts: sample.distinctInserts,
                lengthPassingReads: sample.lengthPassingReads, umiDuplicates: sample.umiDuplicates,
                miRNAReads: sample.miRNAReads, passed: verdict.passed, verdictReason: verdict.reason)
        }
        return Result(samples: samples, fateOrder: order)
    }

    /// A digest of what the result depends on.
    static func digest(files: [StoredInputFile]) -> String { ResultDigest.of(kind: kind, files: files) }

    /// Stores the QC record with provenance; returns the outcome line.
    static func save(
        _ result: Result, study: String, adapter: String, store: any Store, files: [StoredInputFile], actor: String
    ) async throws -> String {
        let provenance = Provenance(
            step: kind,
            parameters: [
                "adapter": adapter, "lengths": "16–30 nt", "errorRate": "0.1, minimum overlap 3",
                "reference": "miRBase 22 (hsa), GtRNAdb hg38 tRNAs, RNAcentral/Ensembl rRNAs",
                "verdict": "PASS: > 100,000 annotated reads and > 0.5 of length-passing inserts annotated",
            ], inputHashes: Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) }))
        try await ResultDigest.save(
            result, kind: kind, study: study, provenance: provenance, digest: digest(files: files), in: store,
            actor: actor)
        return outcome(result)
    }

    /// "4 samples, 120,000 reads, 81,200 on miRNAs; 1 FAIL".
    static func outcome(_ result: Result) -> String {
        let reads = result.samples.reduce(0) { $0 + $1.reads }
        let miRNA = result.samples.reduce(0) { $0 + $1.miRNAReads }
        let failed = result.samples.filter { !$0.passed }.count
        return "\(result.samples.count) samples, \(reads) reads, \(miRNA) on miRNAs"
            + (failed > 0 ? "; \(failed) FAIL" : "; all PASS")
    }

    /// The stored result.
    static func decode(_ stored: StoredResult) throws -> Result {
        try JSONDecoder().decode(Result.self, from: Data(stored.json.utf8))
    }

    /// Adds the read fates, insert lengths, complexity and verdicts to the report's sequencing view.
    static func add(_ result: Result, to view: inout StudyReportInput.SequencingView) {
        let bySample = Dictionary(uniqueKeysWithValues: result.samples.map { ($0.sample, $0) })
        for index in view.samples.indices {
            guard let sample = bySample[view.samples[index].id] else { continue }
            // Counted from reads: the share is of every read sequenced, not only of those counted on features.
            view.samples[index].library = Double(sample.reads)
            view.samples[index].complexity =
                sample.lengthPassingReads > 0
                ? Double(sample.distinctInserts) / Double(sample.lengthPassingReads) : nil
            view.samples[index].verdict = sample.passed ? "PASS" : "FAIL: \(sample.verdictReason)"
        }
        let used = result.fateOrder.filter { label in result.samples.contains { ($0.fates[label] ?? 0) > 0 } }
        view.fates = (
            used.map { $0.replacingOccurrences(of: "_", with: " ") },
            result.samples.map { sample in (sample.sample, used.map { Double(sample.fates[$0] ?? 0) }) }
        )
        view.lengths = result.samples.map { sample in
            (
                sample.sample,
                sample.insertLengths.enumerated().filter { $0.offset >= 10 && $0.offset <= 40 }.map {
                    (length: $0.offset, inserts: Double($0.element))
                }
            )
        }
    }
}
