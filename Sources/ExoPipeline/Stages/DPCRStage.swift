public import ExoCore
public import ExoFormats
import ExoQuant

/// The quantification stage for digital-PCR partition counts: replicate wells of a sample and target are
/// merged (their partitions pooled) and quantified by Poisson statistics with the study's partition volume.
///
/// Flags: no positive partition → `below-detection` (value 0); fewer than 3 → `below-detection` with the value
/// kept; every partition positive → `above-range` (no value).
public enum DPCRStage {
    /// One copies/µL measurement per sample and target of every partition-count file.
    public static func measurements(_ files: [LoadedStudy.DPCRFile]) -> [SampleMeasurement] {
        var measurements: [SampleMeasurement] = []
        for file in files {
            let quantifier = DigitalPCRQuantifier(partitionVolumeNanoliters: file.partitionVolumeNanoliters)
            var order: [String] = []
            var groups: [String: [(well: PartitionExport.Well, sample: SampleID, analyte: Analyte)]] = [:]
            for entry in file.wells {
                let key = "\(entry.sample.rawValue)\t\(entry.analyte.name)"
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(entry)
            }
            for key in order {
                guard let wells = groups[key], let first = wells.first else { continue }
                let result = quantifier.quantifyMerged(wells.map { ($0.well.positives, $0.well.partitions) })
                var flags: Set<MeasurementFlag> = []
                if result.flags.contains(.noPositives) || result.flags.contains(.fewPositives) {
                    flags.insert(.belowDetection)
                }
                if result.flags.contains(.saturated) { flags.insert(.aboveRange) }
                measurements.append(
                    SampleMeasurement(
                        sample: first.sample, analyte: first.analyte, assay: .digitalPCR,
                        value: result.copiesPerMicroliter,
                        unit: .copiesPerMicroliter, flags: flags, source: first.well.location))
            }
        }
        return measurements
    }
}
