public import ExoCore
public import ExoFormats
import ExoQuant
public import ExoStore

/// The quantification stage for RDML files: LinRegPCR on every run, one Cq measurement per study-sample
/// reaction and target.
///
/// A curve that did not amplify gives no value and the `belowDetection` flag; a baseline error, instable
/// baseline, noisy curve or efficiency outlier gives `curveQuality`; an amplified no-template control of the
/// same target in the same run gives `ntcAmplification` to every result of that target in the run.
public enum QPCRStage {
    /// What the stage did, for the pipeline summary and the report.
    public struct Summary: Sendable, Hashable {
        public var curves: Int
        public var amplified: Int
        public var controlsAmplified: [String]
    }

    /// The measurements of every RDML file of a study.
    ///
    /// Where a run has standards of a target (RDML type `std` with a quantity), every Cq of that target is also
    /// read off the standard curve as copies per reaction, and, when the file's entry gives the `dilution`
    /// volumes and the sample sheet the input volume, as copies per mL of biofluid; a value outside the range
    /// of the standards is flagged `outside-standards`.
    ///
    /// - Parameters:
    ///   - files: the RDML files as the loader read them.
    ///   - samples: the study's samples, for their EV input volume.
    /// - Returns: the Cq measurements, every analysed curve for storage, and a summary.
    public static func measurements(_ files: [LoadedStudy.QPCRFile], samples: [Sample] = []) -> (
        measurements: [SampleMeasurement], curves: [StoredCurve], summary: Summary
    ) {
        var measurements: [SampleMeasurement] = []
        var curves: [StoredCurve] = []
        var summary = Summary(curves: 0, amplified: 0, controlsAmplified: [])
        let negativeControls: Set<RDMLSample.Kind> = [.ntc, .nac, .nrt]
        for file in files {
            for run in file.document.runs {
                let analysis = LinRegPCR.analyze(AmplificationCurve.curves(of: run, in: file.document))
                summary.curves += analysis.results.count
                summary.amplified += analysis.results.filter(\.amplified).count
                let kinds = Dictionary(
                    file.document.samples.map { ($0.id, $0.kind) }, uniquingKeysWith: { first, _ in first })
                let contaminated = Set(
                    analysis.results.filter { result in
                        negativeControls.contains(kinds[result.curve.sample] ?? .unkn) && result.amplified
                            && result.cq.isFinite
                    }.map(\.curve.target))
                summary.controlsAmplified += contaminated.sorted().map { "\(file.spec.path) run \(run.id): \($0)" }
                let standardCurves = Self.standardCurves(analysis.results, kinds: kinds, document: file.document)
                let inputVolume = Dictionary(
                    samples.compactMap { sample in sample.preparation.inputVolumeMilliliters.map { (sample.id, $0) } },
                    uniquingKeysWith: { first, _ in first })
                let locations = Dictionary(
                    run.reactions.map { ($0.id, $0.location) }, uniquingKeysWith: { first, _ in first })
                var replicate: [String: Int] = [:]
                let quantities = Dictionary(
                    file.document.samples.compactMap { sample in sample.quantity.map { (sample.id, $0) } },
                    uniquingKeysWith: { first, _ in first })
                for result in analysis.results {
                    let curve = result.curve
                    curves.append(
                        stored(
                            result, path: file.spec.path, run: run.id,
                            sampleType: (kinds[curve.sample] ?? .unkn).rawValue, quantity: quantities[curve.sample],
                            analyte: file.analytes[curve.target]?.name ?? curve.target))
                    guard LoadedStudy.QPCRFile.studySampleKinds.contains(kinds[curve.sample] ?? .unkn),
                        let sample = SampleID(curve.sample), let analyte = file.analytes[curve.target]
                    else { continue }
                    let key = "\(curve.sample)\t\(curve.target)"
                    replicate[key, default: 0] += 1
                    var flags: Set<MeasurementFlag> = []
                    let value: Double? = result.amplified && result.cq.isFinite ? result.cq : nil
                    if value == nil { flags.insert(.belowDetection) }
                    if result.baselineError || result.instableBaseline || result.noisy
                        || result.efficiencyOutlierNoPlateau
                    {
                        flags.insert(.curveQuality)
                    }
                    if contaminated.contains(curve.target) { flags.insert(.ntcAmplification) }
                    if curve.isExcluded { flags.insert(.excluded) }
                    let source = locations[curve.reaction] ?? InputLocation(path: file.spec.path)
                    measurements.append(
                        SampleMeasurement(
                            sample: sample, analyte: analyte, assay: file.spec.assay, value: value, unit: .cq,
                            replicate: replicate[key] ?? 1, flags: flags, source: source))
                    guard let value, let standard = standardCurves[curve.target] else { continue }
                    let copies = standard.quantity(cq: value)
                    var copyFlags = flags
                    if !standard.isWithinRange(copies) { copyFlags.insert(.outsideStandards) }
                    measurements.append(
                        SampleMeasurement(
                            sample: sample, analyte: analyte, assay: file.spec.assay, value: copies,
                            unit: .copiesPerReaction,
                            replicate: replicate[key] ?? 1, flags: copyFlags, source: source))
                    if let volumes = file.spec.dilution, let input = inputVolume[sample] {
                        let chain = DilutionChain(
                            inputVolumeMilliliters: input, elutionVolumeMicroliters: volumes.elutionVolumeMicroliters,
                            rtInputMicroliters: volumes.rtInputMicroliters,
                            rtVolumeMicroliters: volumes.rtVolumeMicroliters,
                            pcrInputMicroliters: volumes.pcrInputMicroliters)
                        measurements.append(
                            SampleMeasurement(
                                sample: sample, analyte: analyte, assay: file.spec.assay,
                                value: copies * chain.copiesPerMilliliterFactor, unit: .copiesPerMilliliter,
                                replicate: replicate[key] ?? 1, flags: copyFlags, source: source))
                    }
                }
            }
        }
        return (measurements, curves, summary)
    }

    /// A standard curve per target from the run's standards (Cq of amplified `std` reactions with a quantity),
    /// for targets with at least two amplified standard levels.
    static func standardCurves(
        _ results: [LinRegPCRResult], kinds: [String: RDMLSample.Kind], document: RDMLDocument
    ) -> [String: StandardCurve] {
        var points: [String: [StandardCurve.Point]] = [:]
        for result in results where kinds[result.curve.sample] == .std {
            guard let quantity = document.sample(result.curve.sample)?.quantity, quantity > 0 else { continue }
            let cq = result.amplified && result.cq.isFinite ? result.cq : nil
            points[result.curve.target, default: []].append(StandardCurve.Point(quantity: quantity, cq: cq))
        }
        return points.compactMapValues { StandardCurve(points: $0) }
    }

    /// The stored form of an analysed curve, its target named by the study's analyte name.
    static func stored(
        _ result: LinRegPCRResult, path: String, run: String, sampleType: String, quantity: Double?, analyte: String
    ) -> StoredCurve {
        let finite = { (value: Double) -> Double? in value.isFinite ? value : nil }
        var flags: [String] = []
        if result.baselineError { flags.append("baseline error") }
        if result.instableBaseline { flags.append("instable baseline") }
        if !result.plateau { flags.append("no plateau") }
        if result.noisy { flags.append("noisy") }
        if result.efficiencyOutlierNoPlateau { flags.append("efficiency outlier") }
        return StoredCurve(
            sourcePath: path, run: run, well: result.curve.well, sample: result.curve.sample, sampleType: sampleType,
            target: analyte, quantity: quantity, cq: result.amplified ? finite(result.cq) : nil,
            efficiency: finite(result.individualEfficiency), meanEfficiency: finite(result.meanEfficiency),
            n0: finite(result.n0), baseline: finite(result.baseline), windowLower: finite(result.lowerLimit),
            windowUpper: finite(result.upperLimit), threshold: finite(result.commonThreshold),
            amplified: result.amplified,
            flags: flags, fluorescence: result.correctedFluorescence.map(finite))
    }
}
