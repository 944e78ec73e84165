import ExoCore
import ExoFormats
import ExoStats
public import Foundation

/// The example study `exoscope demo` writes: a simulated NSCLC serum-exosome cohort modelled on the
/// review's miR-4458 study, with a treatment-monitoring arm of serial samples.
///
/// Every number comes from the seeded generator and the parameters below (documented in
/// `docs/demo-study.md`), so the same seed writes byte-identical files.
public struct DemoStudy: Sendable {
    /// Generative parameters.
    ///
    /// Cq is the qPCR quantification cycle: one cycle higher is half as much.
    public struct Parameters: Sendable, Hashable, Codable {
        public var seed: UInt64 = 20_260_707
        public var controls = 40
        /// Diagnostic-arm cases by stage I, II, III, IV.
        public var casesByStage = [12, 12, 18, 18]
        public var monitoredPatients = 8
        /// Of the monitored patients, how many respond to treatment.
        public var responders = 5
        /// Of the responders, how many (the last ones) relapse: twice the response for two months, then as fast back.
        public var relapsing = 1
        public var monitoringDays = [0, 28, 56, 84, 112]
        public var technicalReplicates = 2
        /// Cq above which the instrument reports "Undetermined".
        public var limitOfDetectionCq = 37.0
        /// Fraction of samples that are hemolysed (raises red-cell miR-451a by 2.5 cycles' worth).
        public var hemolysisRate = 0.06
        /// Within-subject SD of Cq between visits of one patient (biological, on top of extraction noise).
        public var withinSubjectSD = 0.25

        /// The defaults described in docs/demo-study.md.
        public init() {}
    }

    /// Mean Cq in healthy donors, biological SD, and the shift in cases by early and late stage.
    struct AnalyteModel {
        let name: String
        let controlCq: Double
        let biologicalSD: Double
        let earlyShift: Double
        let lateShift: Double
        let metastasisShift: Double
        /// Shift per 28 days on treatment for a responder (progressors move the other way).
        let responsePerMonth: Double
        let hemolysisShift: Double
    }

    static let analytes = [
        // Lower in NSCLC (higher Cq), lower still in stage III–IV and with distant metastasis (review ref. 17).
        AnalyteModel(
            name: "hsa-miR-4458", controlCq: 27.0, biologicalSD: 0.8, earlyShift: 1.2, lateShift: 2.2,
            metastasisShift: 0.5,
            responsePerMonth: -0.45, hemolysisShift: 0),
        // Higher in tumour-bearing patients (oncomiR; review refs. 26–27).
        AnalyteModel(
            name: "hsa-miR-21-5p", controlCq: 26.0, biologicalSD: 0.9, earlyShift: -0.8, lateShift: -1.3,
            metastasisShift: -0.2,
            responsePerMonth: 0.35, hemolysisShift: 0),
        // Endogenous reference candidate, no group effect.
        AnalyteModel(
            name: "hsa-miR-16-5p", controlCq: 22.0, biologicalSD: 0.6, earlyShift: 0, lateShift: 0, metastasisShift: 0,
            responsePerMonth: 0, hemolysisShift: -0.8),
        // Red-cell miRNA: the hemolysis index is Cq(miR-23a-3p) − Cq(miR-451a), > 7 means hemolysed.
        AnalyteModel(
            name: "hsa-miR-451a", controlCq: 21.5, biologicalSD: 0.6, earlyShift: 0, lateShift: 0, metastasisShift: 0,
            responsePerMonth: 0, hemolysisShift: -2.5),
        AnalyteModel(
            name: "hsa-miR-23a-3p", controlCq: 27.0, biologicalSD: 0.5, earlyShift: 0, lateShift: 0, metastasisShift: 0,
            responsePerMonth: 0, hemolysisShift: 0),
        // Exogenous spike-in added before RNA extraction: varies only with extraction efficiency.
        AnalyteModel(
            name: "cel-miR-39-3p", controlCq: 20.0, biologicalSD: 0, earlyShift: 0, lateShift: 0, metastasisShift: 0,
            responsePerMonth: 0, hemolysisShift: 0),
    ]

    public var parameters: Parameters

    /// Creates a generator with `parameters`.
    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// The files of the study, by relative path.
    public func files() -> [(path: String, contents: Data)] {
        var rng = SeededGenerator(seed: parameters.seed)
        var sheet = [
            [
                "sample_id", "patient_id", "group", "specimen", "collection_date", "day", "timepoint", "event",
                "tumour_type",
                "stage", "t_stage", "n_stage", "m_stage", "metastasis", "treatment", "response", "isolation_method",
                "input_volume_ml", "storage_temp_c", "freeze_thaw_cycles", Sample.followUpMonthsKey,
                Sample.followUpEventKey,
            ].joined(separator: "\t")
        ]
        // Follow-up has its own generator, so adding it left every other simulated value as it was.
        var followUpRNG = SeededGenerator(seed: parameters.seed &+ 0x5EED)
        // Each reaction: its sample, analyte and model Cq (nil: the template is below detection).
        var reactions: [(sample: String, analyte: String, cq: Double?)] = []
        let baseDate = 20_094  // 2025-01-06, a Monday; fixed so the files never depend on today
        // Every sample's EV preparation, for the QC files.
        var preparations: [(sample: String, date: String)] = []

        func emit(
            sample: String, patient: String, group: String, dayIndex: Int, day: Int?, timepoint: String, stage: Int?,
            metastatic: Bool, treatment: String, response: String, monthsTreated: Double, responder: Bool?,
            patientLevels: [Double], relapse: Bool = false
        ) {
            let date = Self.date(daysSinceEpoch: baseDate + dayIndex)
            preparations.append((sample, date))
            let (t, n, m) = stage.map { Self.tnm(stage: $0, metastatic: metastatic, rng: &rng) } ?? ("", "", "")
            let thaws = rng.nextUnitInterval() < 0.15 ? 2 : 1
            var followUp = ["", ""]
            if day == nil, let stage {
                // Hazard per month rises with stage and with a lower miR-4458 (a higher patient-level Cq).
                let level = patientLevels[Self.analytes.firstIndex { $0.name == "hsa-miR-4458" } ?? 0]
                let hazard = 0.012 * exp(0.45 * Double(stage - 1)) * exp(0.9 * level)
                let time = -log(1 - followUpRNG.nextUnitInterval()) / hazard
                let censored = 6 + 54 * followUpRNG.nextUnitInterval()
                followUp = [String(format: "%.1f", min(time, censored)), time <= censored ? "yes" : "no"]
            }
            sheet.append(
                [
                    sample, patient, group, "serum", date, day.map(String.init) ?? "", timepoint,
                    day == nil ? "" : "treatment start",
                    stage == nil ? "" : "NSCLC", stage.map { ["I", "II", "III", "IV"][$0 - 1] } ?? "", t, n, m,
                    stage == nil ? "" : (metastatic ? "yes" : "no"), treatment, response,
                    "size-exclusion-chromatography", "1.0",
                    "-80", String(thaws),
                ]
                .joined(separator: "\t") + "\t" + followUp.joined(separator: "\t"))
            let extraction = rng.nextNormal(mean: 0, standardDeviation: 0.3)
            let hemolysed = rng.nextUnitInterval() < parameters.hemolysisRate
            for (analyteIndex, model) in Self.analytes.enumerated() {
                var mean = model.controlCq + extraction + patientLevels[analyteIndex]
                if let stage {
                    mean += stage >= 3 ? model.lateShift : model.earlyShift
                    if metastatic { mean += model.metastasisShift }
                }
                if relapse {
                    // Twice the response for two months, then back at the same speed.
                    let effective = monthsTreated <= 2 ? 2 * monthsTreated : 4 - 2 * (monthsTreated - 2)
                    mean += model.responsePerMonth * effective
                } else if let responder {
                    mean += (responder ? 1 : -1) * model.responsePerMonth * monthsTreated
                }
                if hemolysed { mean += model.hemolysisShift }
                let biological =
                    model.biologicalSD > 0 ? rng.nextNormal(mean: 0, standardDeviation: parameters.withinSubjectSD) : 0
                for _ in 1...parameters.technicalReplicates {
                    let value = mean + biological + rng.nextNormal(mean: 0, standardDeviation: 0.15)
                    reactions.append((sample, model.name, value > parameters.limitOfDetectionCq ? nil : value))
                }
            }
        }

        /// Each patient's own level of every analyte (between-subject variation), drawn once per patient.
        func drawPatientLevels() -> [Double] {
            Self.analytes.map { model in
                model.biologicalSD > 0 ? rng.nextNormal(mean: 0, standardDeviation: model.biologicalSD) : 0
            }
        }

        // Diagnostic arm: healthy donors and cases at one time point each.
        for index in 1...max(parameters.controls, 1) where parameters.controls > 0 {
            let id = String(format: "HD%03d", index)
            emit(
                sample: "\(id)-S1", patient: id, group: "control", dayIndex: index * 3, day: nil,
                timepoint: "diagnosis",
                stage: nil, metastatic: false, treatment: "", response: "", monthsTreated: 0, responder: nil,
                patientLevels: drawPatientLevels())
        }
        var caseNumber = 0
        for (stageIndex, count) in parameters.casesByStage.enumerated() {
            for _ in 0..<count {
                caseNumber += 1
                let id = String(format: "LC%03d", caseNumber)
                let stage = stageIndex + 1
                emit(
                    sample: "\(id)-S1", patient: id, group: "case", dayIndex: caseNumber * 3 + 1, day: nil,
                    timepoint: "diagnosis",
                    stage: stage, metastatic: stage == 4, treatment: "", response: "", monthsTreated: 0, responder: nil,
                    patientLevels: drawPatientLevels())
            }
        }
        // Monitoring arm: advanced NSCLC sampled at treatment start and every four weeks.
        for index in 1...max(parameters.monitoredPatients, 1) where parameters.monitoredPatients > 0 {
            let id = String(format: "MT%03d", index)
            let responder = index <= parameters.responders
            let relapse = responder && index > parameters.responders - parameters.relapsing
            let stage = index % 2 == 0 ? 4 : 3
            let treatment = index % 2 == 0 ? "osimertinib" : "cisplatin + pemetrexed"
            let levels = drawPatientLevels()
            for (visit, day) in parameters.monitoringDays.enumerated() {
                let isLast = visit == parameters.monitoringDays.count - 1
                emit(
                    sample: "\(id)-V\(visit + 1)", patient: id, group: "case", dayIndex: 200 + index * 2 + day,
                    day: day,
                    timepoint: visit == 0 ? "baseline" : "week \(day / 7)", stage: stage, metastatic: stage == 4,
                    // The relapsing patient is switched to second-line docetaxel at the last visit.
                    treatment: relapse && isLast ? "docetaxel" : treatment,
                    response: isLast ? (responder && !relapse ? "PR" : "PD") : "",
                    monthsTreated: Double(day) / 28,
                    responder: responder, patientLevels: levels, relapse: relapse)
            }
        }
        let yaml = """
            # ExoScope example study, written by `exoscope demo` (seed \(parameters.seed)).
            # Simulated data; the generative model is documented in docs/demo-study.md.
            schema: 1
            id: NSCLC-EXO-DEMO
            title: Serum exosomal miR-4458 in non-small-cell lung cancer (simulated)
            description: >-
              Simulated serum exosome cohort modelled on the review's miR-4458 study: \(parameters.casesByStage.reduce(0, +)) NSCLC
              patients at stages I-IV and \(parameters.controls) healthy donors, plus \(parameters.monitoredPatients) advanced-stage patients
              sampled every four weeks on treatment. RT-qPCR Cq values with a cel-miR-39-3p spike-in.
            tumour: NSCLC
            specimen: serum
            sampleSheet: samples.tsv
            treatmentEvent: treatment start
            measurements:
              - file: data/qpcr-run.rdml
                assay: qPCR
                description: >-
                  RT-qPCR run (RDML 1.3) with raw amplification curves, \(parameters.technicalReplicates) technical replicates
                  per sample, no-template controls and a miR-4458 standard dilution series; analysed by LinRegPCR
                dilution:
                  elutionVolumeMicroliters: 50
                  rtInputMicroliters: 5
                  rtVolumeMicroliters: 20
                  pcrInputMicroliters: 2
            analytes:
              monitored: [miR-4458, miR-21]
              spikeIns: [cel-miR-39-3p]
              references: [miR-16-5p, miR-23a-3p]
            normalization: spike-in
            \(sequencedSamples.isEmpty ? "" : "sequencing:\n  adapter: auto\n  reads:\n" + sequencedSamples.map { "    \($0): reads/\($0).fastq.gz" }.joined(separator: "\n"))
            runs:
              folder: runs
            monitoring:
              withinSubjectSD: \(parameters.withinSubjectSD)
              probability: 0.95
            qc:
              sizeRange: [30, 150]
              characterisation: qc/characterisation.tsv
              markers: qc/markers.tsv
              specification: qc/specification.yaml
              referenceRuns: qc/reference-runs.tsv
              stability: qc/stability.tsv
              stabilityLimits:
                concentration_per_ml: {min: 8.0e10}
                mode_nm: {max: 130}
              reporting:
                antibody_specifics: yes
                lysate_preparation: yes
                density_gradient_fractions: no
                density_reported: no

            """
        let run = (try? RDMLWriter.archive(qpcrRun(reactions, rng: &rng))) ?? Data()
        return [
            ("study.yaml", Data(yaml.utf8)),
            ("samples.tsv", Data((sheet.joined(separator: "\n") + "\n").utf8)),
            ("data/qpcr-run.rdml", run),
        ] + qcFiles(preparations) + sequencingFiles()
    }

    /// Amplification efficiency (factor per cycle) of each assay.
    static let efficiencies: [String: Double] = [
        "hsa-miR-4458": 1.93, "hsa-miR-21-5p": 1.95, "hsa-miR-16-5p": 1.96, "hsa-miR-451a": 1.92,
        "hsa-miR-23a-3p": 1.94, "cel-miR-39-3p": 1.97,
    ]

    /// The qPCR run: every sample reaction, two no-template controls per assay and a miR-4458 standard series
    /// (10^2 to 10^7 copies in triplicate), as raw fluorescence over 45 cycles.
    ///
    /// Curve model: F(c) = B + d·c + Fmax · x / (1 + x), x = 0.001 · E^(c − Cq) (exponential growth with
    /// logistic saturation, leaving the baseline near the model Cq), with B ~ U(450, 550), d ~ U(−1, 1),
    /// Fmax ~ U(9000, 11000) and Gaussian noise of 0.2 % of Fmax; a template below detection gives no signal.
    func qpcrRun(_ reactions: [(sample: String, analyte: String, cq: Double?)], rng: inout SeededGenerator)
        -> RDMLDocument
    {
        var all = reactions
        let assays = Self.analytes.map(\.name)
        for assay in assays {
            for _ in 0..<2 { all.append(("NTC", assay, nil)) }
        }
        let standardE = Self.efficiencies["hsa-miR-4458"] ?? 1.93
        for exponent in 2...7 {
            // 1,000 copies reach the model Cq 30; each 10-fold step is 1/log10(E) cycles earlier.
            let cq = 30 - Double(exponent - 3) / log10(standardE)
            for _ in 0..<3 {
                all.append(("STD-1e\(exponent)", "hsa-miR-4458", cq + rng.nextNormal(mean: 0, standardDeviation: 0.1)))
            }
        }
        var rdmlReactions: [RDMLReaction] = []
        for (index, reaction) in all.enumerated() {
            let e = Self.efficiencies[reaction.analyte] ?? 1.95
            let base = 450 + 100 * rng.nextUnitInterval()
            let drift = 2 * rng.nextUnitInterval() - 1
            let fmax = 9_000 + 2_000 * rng.nextUnitInterval()
            let points = (1...45).map { cycle -> (cycle: Double, fluorescence: Double) in
                var signal = 0.0
                if let cq = reaction.cq {
                    let x = 0.001 * pow(e, Double(cycle) - cq)
                    signal = fmax * x / (1 + x)
                }
                let value =
                    base + drift * Double(cycle) + signal + rng.nextNormal(mean: 0, standardDeviation: 0.002 * fmax)
                return (Double(cycle), (value * 1_000).rounded() / 1_000)
            }
            rdmlReactions.append(
                RDMLReaction(id: index + 1, sample: reaction.sample, data: [(reaction.analyte, points)]))
        }
        var samples = Array(Set(reactions.map(\.sample))).sorted().map { RDMLSample(id: $0, kind: .unkn) }
        samples.append(RDMLSample(id: "NTC", kind: .ntc))
        samples += (2...7).map {
            RDMLSample(id: "STD-1e\($0)", kind: .std, quantity: pow(10, Double($0)), quantityUnit: "cop")
        }
        return RDMLDocument(
            path: "data/qpcr-run.rdml", dyes: ["SYBR"], dyeChemistry: ["SYBR": "non-saturating DNA binding dye"],
            samples: samples, targets: assays.map { RDMLTarget(id: $0, dye: "SYBR") },
            runs: [
                RDMLRun(
                    experiment: "NSCLC-EXO-DEMO", id: "run-1", rows: (rdmlReactions.count + 95) / 96, columns: 96,
                    reactions: rdmlReactions)
            ])
    }

    /// Writes the study into `directory`, creating it; existing demo files are replaced.
    public func write(to directory: URL) throws {
        for (path, contents) in files() {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, options: .atomic)
        }
    }

    /// T, N and M categories consistent with an overall stage (AJCC 8th edition, simplified).
    static func tnm(stage: Int, metastatic: Bool, rng: inout SeededGenerator) -> (String, String, String) {
        let pick = { (options: [String], rng: inout SeededGenerator) in
            options[Int(rng.nextUnitInterval() * Double(options.count))]
        }
        switch stage {
        case 1: return (pick(["T1a", "T1b", "T1c", "T2a"], &rng), "N0", "M0")
        case 2: return (pick(["T2b", "T3", "T1b"], &rng), pick(["N0", "N0", "N1"], &rng), "M0")
        case 3: return (pick(["T3", "T4", "T2a"], &rng), pick(["N1", "N2", "N3"], &rng), "M0")
        default:
            return (
                pick(["T2a", "T3", "T4"], &rng), pick(["N1", "N2", "N3"], &rng),
                metastatic ? pick(["M1a", "M1b", "M1c"], &rng) : "M0"
            )
        }
    }

    /// Two decimals, as instrument software exports Cq.
    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func date(daysSinceEpoch days: Int) -> String { CalendarDate(daysSinceEpoch: days).description }
}
