public import ExoCore
public import ExoFormats
import Foundation

/// The QC verdict of one EV preparation (a study sample's EVs or a lot): every metric, the MISEV checklist, the
/// transparency score, and each acceptance criterion's result with the reason and what would make it pass.
public struct PreparationAssessment: Sendable, Hashable, Codable {
    /// What a criterion's check found.
    public enum Outcome: String, Sendable, Hashable, Codable {
        case pass
        case fail
        /// The value is missing and the criterion is required: the preparation cannot be released on it.
        case notMeasured = "not measured"
        /// The criterion does not apply (another specimen) or is optional and unmeasured.
        case skipped

        /// Whether the outcome stops release.
        public var blocks: Bool { self == .fail || self == .notMeasured }
    }

    /// One criterion's result.
    public struct CriterionResult: Sendable, Hashable, Codable {
        /// The metric, read-out or marker rule (`particles_per_ug`, `markers: category 1`).
        public var criterion: String
        /// What the specification asks (`≥ 1.5e+09`, `detected`).
        public var requirement: String
        public var value: Double?
        /// The value as shown (`8.1e+08 particles/µg`, `CD63, CD81`).
        public var shown: String
        public var outcome: Outcome
        /// Why the outcome is what it is, with the distance to the limit.
        public var reason: String
        /// What would make it pass; `nil` when it passes.
        public var remedy: String?
    }

    /// A preparation's overall result.
    public enum Verdict: String, Sendable, Hashable, Codable {
        case pass
        case fail
        /// Nothing was measured on the preparation: no characterisation row and no marker result.
        case notCharacterised = "not characterised"
    }

    /// Sample or lot id.
    public var key: String
    public var specimen: String?
    /// The producing cell source of a lot.
    public var source: String?
    public var software: String?
    public var sizeFormat: String?
    public var captures: Int
    public var sizeRange: [Double]
    /// Every metric and read-out, by name.
    public var metrics: [String: Double]
    public var purityBand: PurityBand?
    public var checklist: MarkerChecklist
    public var transparency: TransparencyScore
    /// The instrument's warnings that are not OK.
    public var warnings: [String]
    public var specification: String
    public var specificationVersion: String
    public var criteria: [CriterionResult]
    /// `nil` in results stored before ExoScope told uncharacterised preparations apart (all were characterised or
    /// failed then).
    private var characterised: Bool?

    /// Whether the preparation has a characterisation row or a marker result.
    public var isCharacterised: Bool { characterised ?? true }

    /// Whether no criterion blocks: the preparation passes the gate.
    ///
    /// A preparation that is not characterised has no
    /// criteria and passes, unless the study requires characterisation (one blocking `characterisation`
    /// criterion); `verdict` tells it from one that was measured and passed.
    public var passed: Bool { !criteria.contains { $0.outcome.blocks } }

    /// Pass, fail or not characterised.
    public var verdict: Verdict { !isCharacterised ? .notCharacterised : passed ? .pass : .fail }

    /// The blocking criteria.
    public var failures: [CriterionResult] { criteria.filter(\.outcome.blocks) }

    /// Assesses one preparation.
    ///
    /// - Parameters:
    ///   - key: the sample or lot id.
    ///   - record: its characterisation row (`nil` when it has none: everything is then not measured).
    ///   - markers: its marker results.
    ///   - sample: the study sample, for specimen, isolation and storage (`nil` for lots).
    ///   - hemolysisIndex: ΔCq miR-23a − miR-451a, when measured.
    ///   - specification: the acceptance criteria.
    ///   - sizeRange: the small-EV range (the specification's own range wins).
    ///   - reporting: study-level transparency items.
    ///   - copiesPerMlBiofluid: each miRNA's copies per ml of the biofluid (qPCR standard curve or dPCR), giving
    ///     `copies_per_particle:<miRNA>` with the particles per ml of biofluid.
    ///   - requireCharacterisation: whether a preparation without a characterisation row and without marker
    ///     results blocks (study.yaml's `qc.requireCharacterisation`); otherwise it is *not characterised* and
    ///     passes the gate with no criteria.
    public init(
        key: String, record: PreparationRecord?, markers: [MarkerObservation], sample: Sample? = nil,
        hemolysisIndex: Double? = nil, specification: ReleaseSpecification, sizeRange: ClosedRange<Double> = 30...150,
        reporting: [String: Bool] = [:], copiesPerMlBiofluid: [String: Double] = [:],
        requireCharacterisation: Bool = false
    ) {
        let range = specification.sizeRange ?? sizeRange
        self.key = key
        specimen = sample?.specimen.rawValue
        source = record?.source
        software = record?.size?.software
        sizeFormat = record?.size?.format.rawValue
        captures = record?.size?.captures.count ?? 0
        self.sizeRange = [range.lowerBound, range.upperBound]
        var metrics: [String: Double] = [:]
        func set(_ metric: QCMetric, _ value: Double?) {
            if let value, value.isFinite { metrics[metric.rawValue] = value }
        }
        // The instrument's own statistics (its printed Average) where the export has them; the share in the
        // small-EV range from the pooled histogram.
        let size = record?.size.map { SizeSummary(file: $0, range: range) }
        set(.concentrationPerMl, size?.concentration)
        set(.meanNm, size?.mean)
        set(.modeNm, size?.mode)
        set(.sdNm, size?.sd)
        set(.d10Nm, size?.d10)
        set(.d50Nm, size?.d50)
        set(.d90Nm, size?.d90)
        set(.span, size?.span)
        set(.concentrationInRangePerMl, size?.histogram?.concentrationInRange)
        set(.fractionInRange, size?.histogram?.fractionInRange)
        set(.captureCV, size?.captureCV)
        set(.unreliableCaptureFraction, record?.size?.flaggedFraction(.unreliableConcentration))
        set(.highNoiseCaptureFraction, record?.size?.flaggedFraction(.highNoise))
        set(.proteinMicrogramsPerMl, record?.proteinMicrogramsPerMl)
        set(.rnaNanogramsPerMl, record?.rnaNanogramsPerMl)
        let concentration = size?.concentration
        let measuredParticles = concentration != nil
        if let concentration, let protein = record?.proteinMicrogramsPerMl, protein > 0 {
            set(.particlesPerMicrogram, concentration / protein)
        }
        if let concentration, concentration > 0, let rna = record?.rnaNanogramsPerMl {
            set(.rnaPerBillionParticles, rna / concentration * 1e9)
        }
        let readouts = record?.readouts ?? [:]
        if let concentration, concentration > 0, let copies = readouts["cargo_copies_per_ml"] {
            let perParticle = copies / concentration
            set(.copiesPerParticle, perParticle)
            if let before = readouts["cargo_copies_per_ml_before"] {
                let particlesBefore = readouts["particles_per_ml_before"] ?? concentration
                if before > 0, particlesBefore > 0 { set(.loadingFold, perParticle / (before / particlesBefore)) }
                if let input = readouts["cargo_input_copies_per_ml"], input > 0 {
                    set(.encapsulationEfficiency, (copies - before) / input)
                }
            }
        }
        // Back to the biofluid: the preparation's particles/ml × the volume they were taken up in ÷ the input volume.
        if let concentration, let resuspension = record?.resuspensionMilliliters,
            let input = sample?.preparation.inputVolumeMilliliters, input > 0
        {
            let particles = concentration * resuspension / input
            set(.particlesPerMlBiofluid, particles)
            for (analyte, copies) in copiesPerMlBiofluid where particles > 0 {
                metrics["copies_per_particle:\(analyte)"] = copies / particles
            }
        }
        set(.hemolysisDeltaCq, hemolysisIndex)
        set(.freezeThawCycles, sample?.preparation.freezeThawCycles.map(Double.init))
        set(.storageTemperatureCelsius, sample?.preparation.storageTemperatureCelsius)
        checklist = MarkerChecklist(
            observations: markers, imaging: record?.imaging, particles: measuredParticles,
            protein: record?.proteinMicrogramsPerMl != nil, rna: record?.rnaNanogramsPerMl != nil)
        transparency = TransparencyScore(
            markers: markers, imaging: record?.imaging, particleAnalysis: measuredParticles,
            isolation: sample?.preparation.method, reporting: reporting)
        set(.transparencyScore, transparency.percent)
        for (name, value) in readouts where metrics[name] == nil && value.isFinite { metrics[name] = value }
        self.metrics = metrics
        purityBand = metrics[QCMetric.particlesPerMicrogram.rawValue].map { PurityBand(particlesPerMicrogram: $0) }
        warnings = record?.size?.warningTexts ?? []
        self.specification = specification.name
        specificationVersion = specification.version
        let score = transparency
        let checks = checklist
        characterised = record != nil || !markers.isEmpty
        if record == nil && markers.isEmpty {
            criteria =
                requireCharacterisation
                ? [
                    CriterionResult(
                        criterion: "characterisation", requirement: "required (qc.requireCharacterisation)",
                        value: nil, shown: "none", outcome: .notMeasured,
                        reason: "no characterisation row and no marker result",
                        remedy:
                            "characterise the preparation (size export, protein, markers) or set qc.requireCharacterisation: no to keep uncharacterised preparations in discovery"
                    )
                ] : []
        } else {
            criteria =
                specification.criteria.map { Self.evaluate($0, metrics: metrics, specimen: sample?.specimen, score) }
                + Self.markerResults(specification, markers: markers, checklist: checks)
        }
    }

    /// One numeric criterion.
    static func evaluate(
        _ criterion: ReleaseSpecification.Criterion, metrics: [String: Double], specimen: Specimen?,
        _ transparency: TransparencyScore
    ) -> CriterionResult {
        let name = criterion.subject.description
        let metric: QCMetric? = if case .metric(let metric) = criterion.subject { metric } else { nil }
        let unit = metric?.unit ?? ""
        func shown(_ value: Double) -> String {
            ReleaseSpecification.Criterion.format(value) + (unit.isEmpty ? "" : " \(unit)")
        }
        var result = CriterionResult(
            criterion: name, requirement: criterion.rangeText + (unit.isEmpty ? "" : " \(unit)"), value: nil,
            shown: "—", outcome: .pass, reason: "", remedy: nil)
        // A specimen-scoped criterion applies to preparations of those specimens only (a lot has none).
        if !criterion.specimens.isEmpty, !(specimen.map(criterion.specimens.contains) ?? false) {
            result.outcome = .skipped
            result.reason = "applies to \(criterion.specimens.map(\.rawValue).joined(separator: ", ")) only"
            return result
        }
        guard let value = metrics[name] else {
            result.outcome = criterion.optional ? .skipped : .notMeasured
            result.reason = criterion.optional ? "not measured (optional)" : "not measured"
            result.remedy = criterion.optional ? nil : "measure \(name): \(Self.measurementHint(metric, name))"
            return result
        }
        result.value = value
        result.shown = shown(value)
        if let minimum = criterion.minimum, value < minimum {
            result.outcome = .fail
            result.reason = "\(shown(value)) is below the minimum \(shown(minimum))" + Self.shortfall(value, minimum)
            result.remedy = Self.remedy(metric, name, tooLow: true, transparency)
        } else if let maximum = criterion.maximum, value > maximum {
            result.outcome = .fail
            result.reason = "\(shown(value)) is above the maximum \(shown(maximum))" + Self.shortfall(value, maximum)
            result.remedy = Self.remedy(metric, name, tooLow: false, transparency)
        } else {
            result.reason = "within \(result.requirement)"
        }
        return result
    }

    /// ": 0.08 short (16 %)", or "×2.5 short" for ratios over an order of magnitude.
    static func shortfall(_ value: Double, _ limit: Double) -> String {
        let gap = abs(limit - value)
        if value > 0, limit > 0, max(value, limit) / min(value, limit) >= 1.5 {
            return String(format: ": a factor of %.2g away", max(value, limit) / min(value, limit))
        }
        let relative = limit != 0 ? String(format: " (%.0f %%)", 100 * gap / abs(limit)) : ""
        return ": \(ReleaseSpecification.Criterion.format(gap)) away\(relative)"
    }

    /// How to measure a missing quantity.
    static func measurementHint(_ metric: QCMetric?, _ name: String) -> String {
        switch metric {
        case .particlesPerMicrogram:
            "count particles (NTA) and measure protein (BCA or micro-BCA) on the same preparation"
        case .rnaPerBillionParticles: "count particles and measure RNA (fluorometric, after RNase treatment of the EVs)"
        case .hemolysisDeltaCq: "measure hsa-miR-23a-3p and hsa-miR-451a by qPCR"
        case .copiesPerParticle, .loadingFold, .encapsulationEfficiency:
            "give cargo_copies_per_ml (and cargo_copies_per_ml_before, cargo_input_copies_per_ml for loading)"
        case .freezeThawCycles, .storageTemperatureCelsius: "record it in the sample sheet"
        case .unreliableCaptureFraction, .highNoiseCaptureFraction:
            "add a NanoSight NTA export (its [Concentration Warnings] and [Information] sections) as the size_file"
        case .some(let metric) where metric.unit == "nm" || metric == .fractionInRange || metric == .span:
            "add a size export (size_file) for the preparation"
        default: "add the column \(name) to the characterisation table"
        }
    }

    /// What would bring a failing metric into range.
    static func remedy(_ metric: QCMetric?, _ name: String, tooLow: Bool, _ transparency: TransparencyScore) -> String {
        switch metric {
        case .fractionInRange, .d90Nm, .span:
            "large particles or aggregates: filter (0.22 µm) or add size-exclusion chromatography, measure fresh, and check the dilution and camera level of the size measurement"
        case .modeNm, .meanNm, .d50Nm, .d10Nm, .sdNm:
            tooLow
                ? "small particles dominate (lipoproteins, protein aggregates): add size-exclusion chromatography or a density gradient"
                : "large particles dominate (aggregates, apoptotic bodies, cells): add a 10,000 g clearing spin or 0.22 µm filtration"
        case .particlesPerMlBiofluid:
            tooLow
                ? "low recovery from the biofluid: check the isolation's yield and start from a larger input volume"
                : "more particles than the biofluid plausibly holds: check the resuspension and input volumes"
        case .concentrationPerMl, .concentrationInRangePerMl:
            tooLow
                ? "concentrate the preparation (ultrafiltration) or isolate from a larger input volume"
                : "dilute further before measuring, or check for co-isolated particles"
        case .particlesPerMicrogram:
            "co-isolated protein: add a size-exclusion or density-gradient step or wash the pellet, and re-measure protein after lysis"
        case .rnaPerBillionParticles:
            tooLow
                ? "check RNA extraction and input volume"
                : "extravesicular RNA co-isolated: treat the EVs with RNase (and proteinase) before extraction"
        case .hemolysisDeltaCq:
            "the blood draw is hemolysed: recollect with a clean venepuncture and centrifuge within 2 h; hemolysis-sensitive miRNAs of this sample are flagged"
        case .freezeThawCycles: "use an aliquot thawed fewer times; aliquot preparations before the first freezing"
        case .storageTemperatureCelsius: "store EV preparations at −80 °C"
        case .captureCV: "captures disagree: repeat the measurement with more captures and check drift and dilution"
        case .unreliableCaptureFraction:
            "the instrument could not trust the concentration: dilute or concentrate to 20–100 particles per frame, raise the camera level or lower the detection threshold so that enough tracks complete, and measure again"
        case .highNoiseCaptureFraction:
            "noisy captures: filter the diluent (0.02 µm), clean the flow cell, lower the camera level, and measure again"
        case .transparencyScore:
            "report the missing items: \(transparency.missing.map(\.title).joined(separator: ", "))"
        case .copiesPerParticle, .loadingFold, .encapsulationEfficiency:
            tooLow
                ? "repeat or optimise the loading (electroporation, incubation, transfection of the producer cells)"
                : "remove unencapsulated cargo (RNase treatment, size-exclusion) and re-measure"
        case .proteinMicrogramsPerMl, .rnaNanogramsPerMl, .none:
            "repeat the \(name) assay; if confirmed, investigate the production run"
        }
    }

    /// The marker and imaging rules of a specification.
    static func markerResults(
        _ specification: ReleaseSpecification, markers: [MarkerObservation], checklist: MarkerChecklist
    ) -> [CriterionResult] {
        var results: [CriterionResult] = []
        for category in specification.requiredCategories {
            let status = checklist.categories[category.rawValue - 1]
            let examples = EVMarker.catalog.filter { $0.category == category }.prefix(3).map(\.name)
            if status.detected.isEmpty {
                results.append(
                    CriterionResult(
                        criterion: "markers: category \(category.rawValue)", requirement: "one detected",
                        value: nil, shown: status.notDetected.isEmpty ? "none tested" : "none detected",
                        outcome: status.notDetected.isEmpty ? .notMeasured : .fail,
                        reason: status.notDetected.isEmpty
                            ? "no \(category.label) marker tested"
                            : "\(status.notDetected.joined(separator: ", ")) tested, none detected",
                        remedy:
                            "blot for a \(category.label) marker such as \(examples.joined(separator: ", ")), loading lysate of ≥ 10⁹ particles"
                    ))
            } else {
                results.append(
                    CriterionResult(
                        criterion: "markers: category \(category.rawValue)", requirement: "one detected", value: nil,
                        shown: status.detected.joined(separator: ", "), outcome: .pass,
                        reason: "\(status.detected.joined(separator: ", ")) detected", remedy: nil))
            }
        }
        func observed(_ marker: EVMarker) -> [MarkerObservation] { markers.filter { $0.marker == marker } }
        let presence =
            specification.requiredMarkers.map { ($0, true) } + specification.absentMarkers.map { ($0, false) }
        for (marker, wanted) in presence {
            let found = observed(marker)
            let detected = found.contains(where: \.detected)
            let outcome: Outcome = found.isEmpty ? .notMeasured : detected == wanted ? .pass : .fail
            let reason =
                found.isEmpty
                ? "\(marker.name) not tested"
                : detected
                    ? "\(marker.name), \(marker.category.label), detected by \(found.filter(\.detected).map(\.method.rawValue).joined(separator: ", "))"
                    : "\(marker.name) tested and not detected"
            let remedy: String? =
                switch (outcome, wanted) {
                case (.pass, _), (.skipped, _): nil
                case (.notMeasured, true), (.fail, true):
                    "test \(marker.name) (\(marker.gene)) on this preparation; if it stays absent, the isolation lost the vesicles that carry it"
                case (.notMeasured, false): "test \(marker.name) on this preparation as a purity control"
                case (.fail, false): Self.contaminantRemedy(marker)
                }
            results.append(
                CriterionResult(
                    criterion: "marker \(marker.name)", requirement: wanted ? "detected" : "not detected", value: nil,
                    shown: found.isEmpty ? "not tested" : detected ? "detected" : "not detected", outcome: outcome,
                    reason: reason, remedy: remedy))
        }
        for (name, limit) in specification.maximumSignal.sorted(by: { $0.key < $1.key }) {
            guard let marker = EVMarker.named(name) else { continue }
            let found = observed(marker)
            let signals = found.filter(\.detected).compactMap(\.signal)
            let detectedUnquantified = found.contains { $0.detected && $0.signal == nil }
            let highest = signals.max()
            var result = CriterionResult(
                criterion: "signal \(marker.name)", requirement: "≤ \(ReleaseSpecification.Criterion.format(limit))",
                value: highest, shown: highest.map { ReleaseSpecification.Criterion.format($0) } ?? "—", outcome: .pass,
                reason: "", remedy: nil)
            if found.isEmpty {
                result.outcome = .notMeasured
                result.reason = "\(marker.name) not tested"
                result.remedy = "measure \(marker.name) with a quantitative signal"
            } else if let highest, highest > limit {
                result.outcome = .fail
                result.reason =
                    "signal \(ReleaseSpecification.Criterion.format(highest)) above the maximum \(ReleaseSpecification.Criterion.format(limit))"
                    + shortfall(highest, limit)
                result.remedy = Self.contaminantRemedy(marker)
            } else if detectedUnquantified && highest == nil {
                result.outcome = .notMeasured
                result.shown = "detected"
                result.reason = "detected without a quantitative signal"
                result.remedy =
                    "quantify the \(marker.name) signal (densitometry against a loading reference, or ELISA)"
            } else {
                result.reason = highest == nil ? "not detected" : "within the maximum"
            }
            results.append(result)
        }
        if specification.requiresImaging {
            results.append(
                CriterionResult(
                    criterion: "single-EV imaging", requirement: "reported", value: nil,
                    shown: checklist.imaging ?? "none", outcome: checklist.imaging == nil ? .notMeasured : .pass,
                    reason: checklist.imaging.map { "imaged by \($0)" } ?? "no single-EV imaging reported",
                    remedy: checklist.imaging == nil
                        ? "image the preparation by TEM or cryo-EM (wide-field and close-up) and record it in the imaging column"
                        : nil))
        }
        return results
    }

    /// What to do when a contaminant marker was found.
    static func contaminantRemedy(_ marker: EVMarker) -> String {
        switch marker.category {
        case .nonEVCoIsolate:
            "\(marker.name) co-isolated (lipoproteins or soluble protein): add size-exclusion chromatography or a density gradient"
        case .otherCompartment:
            "\(marker.name) shows cellular debris or organelles: clear at 2,000 g and 10,000 g before isolation and avoid cell lysis"
        default: "\(marker.name) should not be in this preparation: review the isolation"
        }
    }
}
