public import ExoCore
import ExoStats

/// Everything the study report shows; built by the pipeline from the store.
public struct StudyReportInput: Sendable {
    /// What one pipeline stage did, for the "Pipeline" section.
    public struct Stage: Sendable {
        public var name: String
        public var outcome: String

        /// Creates a stage line.
        public init(name: String, outcome: String) {
            self.name = name
            self.outcome = outcome
        }
    }

    /// The analysed amplification curves of one target, and its standard curve when the run had standards.
    public struct QPCRTarget: Sendable {
        public var target: String
        public var curves: [AmplificationPlot.Curve]
        public var windowLower: Double?
        public var windowUpper: Double?
        public var threshold: Double?
        public var meanEfficiency: Double?
        public var amplified: Int
        public var flagged: Int
        /// The target's curves in the run, drawn or not (`curves` may be a subset).
        public var total: Int
        /// The fitted standard curve: its points, slope, intercept, R², efficiency and interval, limit of detection.
        public var standard: Standard?

        /// A fitted standard curve.
        public struct Standard: Sendable {
            public var points: [(log10Quantity: Double, cq: Double)]
            public var slope: Double
            public var intercept: Double
            public var rSquared: Double
            public var efficiency: Double
            public var efficiencyInterval: ClosedRange<Double>?
            public var limitOfDetection: Double?

            /// Creates the standard curve's data.
            public init(
                points: [(log10Quantity: Double, cq: Double)], slope: Double, intercept: Double, rSquared: Double,
                efficiency: Double, efficiencyInterval: ClosedRange<Double>?, limitOfDetection: Double?
            ) {
                self.points = points
                self.slope = slope
                self.intercept = intercept
                self.rSquared = rSquared
                self.efficiency = efficiency
                self.efficiencyInterval = efficiencyInterval
                self.limitOfDetection = limitOfDetection
            }
        }

        /// Creates a target's curve data.
        public init(
            target: String, curves: [AmplificationPlot.Curve], windowLower: Double?, windowUpper: Double?,
            threshold: Double?, meanEfficiency: Double?, amplified: Int, flagged: Int, standard: Standard?,
            total: Int? = nil
        ) {
            self.total = total ?? curves.count
            self.target = target
            self.curves = curves
            self.windowLower = windowLower
            self.windowUpper = windowUpper
            self.threshold = threshold
            self.meanEfficiency = meanEfficiency
            self.amplified = amplified
            self.flagged = flagged
            self.standard = standard
        }
    }

    /// The study's normalisation, the data's recommendation, reference stability and the normalised values.
    public struct NormalizationView: Sendable {
        public var chosen: String
        public var recommended: String
        public var reason: String
        /// geNorm M of each reference candidate with all candidates included.
        public var stability: [(gene: String, m: Double)]
        /// geNorm V_n/n+1.
        public var pairwiseVariation: [(n: Int, v: Double)]
        /// ΔCq per analyte and sample (smaller is more); efficiency-corrected where `amplificationFactors` is not empty.
        public var deltaCq: [String: [SampleID: Double]]
        /// The per-analyte amplification factors the ΔCq were corrected with (LinRegPCR mean PCR efficiency).
        public var amplificationFactors: [(analyte: String, factor: Double)]
        /// NormFinder over the endogenous analytes detected in every sample.
        public var normFinder: NormFinderView?

        /// NormFinder's ranking of candidate references.
        public struct NormFinderView: Sendable {
            /// The sample-sheet groups the stability accounts for; empty when the samples form one group.
            public var groups: [String]
            /// Most stable first: ρ (σ without groups) and the between-group difference.
            public var genes: [(gene: String, stability: Double, groupDifference: Double?)]
            public var bestPair: (first: String, second: String, stability: Double)?
            /// The study's declared references, to mark in the ranking.
            public var references: [String]

            /// Creates the view.
            public init(
                groups: [String], genes: [(gene: String, stability: Double, groupDifference: Double?)],
                bestPair: (first: String, second: String, stability: Double)?, references: [String]
            ) {
                self.groups = groups
                self.genes = genes
                self.bestPair = bestPair
                self.references = references
            }
        }

        /// Creates the section's data.
        public init(
            chosen: String, recommended: String, reason: String, stability: [(gene: String, m: Double)],
            pairwiseVariation: [(n: Int, v: Double)], deltaCq: [String: [SampleID: Double]],
            amplificationFactors: [(analyte: String, factor: Double)] = [], normFinder: NormFinderView? = nil
        ) {
            self.chosen = chosen
            self.recommended = recommended
            self.reason = reason
            self.stability = stability
            self.pairwiseVariation = pairwiseVariation
            self.deltaCq = deltaCq
            self.amplificationFactors = amplificationFactors
            self.normFinder = normFinder
        }
    }

    /// Hemolysis indices and the rule they were judged by.
    public struct Hemolysis: Sendable {
        public var threshold: Double
        /// Sample, index and whether it is above the threshold.
        public var indices: [(sample: SampleID, index: Double, isHemolysed: Bool)]
        public var sensitiveMiRNAs: [String]

        /// Creates the section's data.
        public init(
            threshold: Double, indices: [(sample: SampleID, index: Double, isHemolysed: Bool)],
            sensitiveMiRNAs: [String]
        ) {
            self.threshold = threshold
            self.indices = indices
            self.sensitiveMiRNAs = sensitiveMiRNAs
        }
    }

    /// An input file and its digest.
    public struct File: Sendable {
        public var path: String
        public var role: String
        public var sha256: String
        public var byteCount: Int

        /// Creates a file line.
        public init(path: String, role: String, sha256: String, byteCount: Int) {
            self.path = path
            self.role = role
            self.sha256 = sha256
            self.byteCount = byteCount
        }
    }

    public var studyID: String
    public var title: String
    public var description: String?
    public var tumour: String?
    public var samples: [Sample]
    public var measurements: [SampleMeasurement]
    public var monitored: [String]
    public var files: [File]
    /// One line per miRNA name that was read differently from how it was written.
    public var nameResolutions: [String]
    public var stages: [Stage]
    /// The hemolysis index of each blood sample, computed by the QC stage.
    public var hemolysis: Hemolysis?
    /// qPCR curve analysis per target, when the study has raw-curve files.
    public var qpcr: [QPCRTarget] = []
    /// Normalisation of the Cq values, when the study has any.
    public var normalization: NormalizationView?
    /// The stored biomarker analysis, when the study has a case–control arm.
    public var biomarkers: BiomarkerView?
    /// The EV preparation QC, when the study has one.
    public var evQC: EVQCView?
    /// The monitoring stage's calls, when it ran.
    public var monitoringCalls: MonitoringView?
    /// The sequenced samples' libraries, when the study has read counts.
    public var sequencing: SequencingView?
    public var provenance: Provenance
    /// When the report was made (ISO 8601), shown in the subtitle.
    public var generatedAt: String

    /// Creates the input.
    public init(
        studyID: String, title: String, description: String?, tumour: String?, samples: [Sample],
        measurements: [SampleMeasurement], monitored: [String], files: [File], nameResolutions: [String],
        stages: [Stage], hemolysis: Hemolysis? = nil, provenance: Provenance, generatedAt: String
    ) {
        self.studyID = studyID
        self.title = title
        self.description = description
        self.tumour = tumour
        self.samples = samples
        self.measurements = measurements
        self.monitored = monitored
        self.files = files
        self.nameResolutions = nameResolutions
        self.stages = stages
        self.hemolysis = hemolysis
        self.provenance = provenance
        self.generatedAt = generatedAt
    }
}

/// Builds `report.html` for a study: summary, samples, measurements by group and stage, monitoring
/// trajectories, name resolutions, and provenance.
public enum StudyReport {
    /// The page for `input`.
    public static func page(_ input: StudyReportInput) -> ReportPage {
        let subtitle =
            "Study \(input.studyID)" + (input.tumour.map { " · \($0)" } ?? "")
            + " · ExoScope \(input.provenance.version) · \(input.generatedAt)"
        var sections = [summary(input), pipeline(input)]
        if !input.qpcr.isEmpty { sections.append(qpcr(input)) }
        if let evQC = evQC(input) { sections.append(evQC) }
        if let hemolysis = hemolysis(input) { sections.append(hemolysis) }
        if let normalization = normalization(input) { sections.append(normalization) }
        if let view = input.sequencing { sections.append(sequencing(view)) }
        if let biomarkers = biomarkers(input) { sections.append(biomarkers) }
        sections.append(measurements(input))
        if let view = input.monitoringCalls {
            sections.append(monitoringCalls(input, view))
        } else if let monitoring = monitoring(input) {
            sections.append(monitoring)
        }
        sections += [sampleTable(input), names(input), provenance(input)]
        return ReportPage(title: input.title, subtitle: subtitle, sections: sections)
    }

    static func summary(_ input: StudyReportInput) -> ReportPage.Section {
        let patients = Set(input.samples.map(\.patient)).count
        let byGroup = Dictionary(grouping: input.samples, by: \.group)
        let bySpecimen = Dictionary(grouping: input.samples, by: \.specimen)
        let cases = input.samples.filter { $0.group == .case }
        let stages = Dictionary(grouping: cases.compactMap { $0.clinical.stage?.group }, by: { $0 })
        var body = input.description.map { "<p>\(HTML.escape($0))</p>" } ?? ""
        var rows: [[String]] = [
            ["Patients and donors", String(patients)],
            ["Samples", String(input.samples.count)],
        ]
        for group in SampleGroup.allCases where byGroup[group] != nil {
            rows.append(["  \(group.rawValue) samples", String(byGroup[group]?.count ?? 0)])
        }
        for specimen in Specimen.allCases where bySpecimen[specimen] != nil {
            rows.append(["  \(specimen.rawValue)", String(bySpecimen[specimen]?.count ?? 0)])
        }
        for group in stages.keys.sorted() {
            rows.append([
                "  case samples at stage \(["I", "II", "III", "IV"][group - 1])", String(stages[group]?.count ?? 0),
            ])
        }
        let analytes = Set(input.measurements.map(\.analyte.name))
        rows.append(["Measured values", String(input.measurements.count)])
        rows.append(["Analytes", String(analytes.count)])
        rows.append([
            "Values below detection", String(input.measurements.filter { $0.flags.contains(.belowDetection) }.count),
        ])
        let gated = input.measurements.filter { $0.flags.contains(.preparationQC) }
        if !gated.isEmpty {
            // Values and samples: "16 values of 1 sample", not "16 of 1 samples".
            let samples = Set(gated.map(\.sample)).count
            rows.append([
                "Values of failed EV preparations (preparation-qc)",
                "\(gated.count) value\(gated.count == 1 ? "" : "s") of \(samples) sample\(samples == 1 ? "" : "s")",
            ])
        }
        body += HTML.table(header: ["", "count"], rows: rows, numericColumns: [1])
        return ReportPage.Section(id: "summary", title: "Study summary", body: body)
    }

    /// "; 48 of 282 drawn: every flagged curve, then the first of the others" when the plot shows a subset.
    static func drawn(_ target: StudyReportInput.QPCRTarget) -> String {
        guard target.curves.count < target.total else { return "" }
        return "; \(target.curves.count) of \(target.total) drawn: every flagged curve, then the first of the others"
    }

    /// NormFinder's ten most stable candidates and the study's references wherever they rank, with the best pair.
    static func normFinderTable(_ view: StudyReportInput.NormalizationView.NormFinderView) -> String {
        let grouped = !view.groups.isEmpty
        var body = """
            <p class="note">NormFinder stability of every endogenous miRNA detected in all samples (Andersen et al. 2004;
            lower is more stable\(grouped
                ? "; ρ combines the variation within the groups \(HTML.escape(view.groups.joined(separator: ", "))) with the difference between them"
                : "; σ, the samples forming one group")). The study's references are marked.</p>
            """
        let shown = view.genes.enumerated().filter { $0.offset < 10 || view.references.contains($0.element.gene) }
        body += HTML.table(
            header: ["rank", "miRNA", grouped ? "NormFinder ρ" : "NormFinder σ"]
                + (grouped ? ["between-group difference (log2)"] : []),
            rows: shown.map { rank, gene in
                [
                    String(rank + 1),
                    gene.gene + (view.references.contains(gene.gene) ? " (reference)" : ""),
                    formatNumber(gene.stability, decimals: 3),
                ] + (grouped ? [gene.groupDifference.map { formatNumber($0, decimals: 3) } ?? "–"] : [])
            },
            numericColumns: grouped ? [0, 2, 3] : [0, 2])
        if let pair = view.bestPair {
            body +=
                "<p>Most stable pair: <strong>\(HTML.escape(pair.first))</strong> and <strong>\(HTML.escape(pair.second))</strong> (\(grouped ? "ρ" : "σ") = \(formatNumber(pair.stability, decimals: 3)) for their mean).</p>"
        }
        return body
    }

    /// The normalisation used, the one the data recommend, geNorm stability of the references, and ΔCq by group.
    static func normalization(_ input: StudyReportInput) -> ReportPage.Section? {
        guard let view = input.normalization else { return nil }
        let agrees = view.chosen == view.recommended
        var body = """
            <p>Normalisation: <strong>\(HTML.escape(view.chosen))</strong>. Recommended from the data:
            <strong>\(HTML.escape(view.recommended))</strong>, because \(HTML.escape(view.reason)).</p>
            """
        if !view.amplificationFactors.isEmpty {
            body += """
                <p class="note">ΔCq are efficiency-corrected, in doubling-equivalent cycles: Cq · log2(E) of the miRNA minus
                that of the normaliser, with each assay's LinRegPCR mean PCR efficiency E (2 = doubling) below.</p>
                """
            body += HTML.table(
                header: ["assay", "PCR efficiency E"],
                rows: view.amplificationFactors.map { [$0.analyte, formatNumber($0.factor, decimals: 3)] },
                numericColumns: [1])
        }
        if !agrees {
            body +=
                "<p class=\"warn\">The study's choice differs from the recommendation; consider the reason above.</p>"
        }
        if !view.stability.isEmpty {
            body +=
                "<p class=\"note\">geNorm stability of the reference candidates (lower is more stable; M &lt; 0.5 is stable in homogeneous samples):</p>"
            body += HTML.table(
                header: ["reference", "geNorm M"],
                rows: view.stability.map { [$0.gene, formatNumber($0.m, decimals: 3)] },
                numericColumns: [1])
            var charts = ThresholdBarPlot(
                title: "Reference stability", yLabel: "geNorm M", bars: view.stability.map { ($0.gene, $0.m) },
                threshold: 0.5, thresholdLabel: "M = 0.5"
            ).svg()
            if !view.pairwiseVariation.isEmpty {
                charts += ThresholdBarPlot(
                    title: "Pairwise variation", yLabel: "V",
                    bars: view.pairwiseVariation.map { ("V\($0.n)/\($0.n + 1)", $0.v) }, threshold: 0.15,
                    thresholdLabel: "V = 0.15"
                ).svg()
            }
            body += "<div class=\"plots\">\(charts)</div>"
            if !view.pairwiseVariation.isEmpty {
                body += HTML.table(
                    header: ["pairwise variation", "V"],
                    rows: view.pairwiseVariation.map { ["V\($0.n)/\($0.n + 1)", formatNumber($0.v, decimals: 3)] },
                    numericColumns: [1])
            }
        }
        if let normFinder = view.normFinder { body += normFinderTable(normFinder) }
        let samples = Dictionary(uniqueKeysWithValues: input.samples.map { ($0.id, $0) })
        let baseline = Set(
            Dictionary(grouping: input.samples, by: \.patient).values.compactMap { group in
                group.min { ($0.timepoint.dayOffset ?? 0, $0.id) < ($1.timepoint.dayOffset ?? 0, $1.id) }?.id
            })
        body += "<div class=\"plots\">"
        for analyte in view.deltaCq.keys.sorted() {
            let values = (view.deltaCq[analyte] ?? [:]).filter { baseline.contains($0.key) }
            func group(_ label: String, _ predicate: (Sample) -> Bool) -> GroupComparisonPlot.Group {
                .init(
                    label: label,
                    values: values.filter { samples[$0.key].map(predicate) ?? false }.sorted { $0.key < $1.key }.map {
                        -$0.value
                    })
            }
            let groups = [
                group("control") { $0.group == .control },
                group("case I–II") { $0.group == .case && $0.clinical.stage.map { !$0.isLate } == true },
                group("case III–IV") { $0.group == .case && $0.clinical.stage?.isLate == true },
            ].filter { !$0.values.isEmpty }
            guard !groups.isEmpty else { continue }
            // One sign convention in every plot: −ΔCq, so that higher is more miRNA.
            let plot = GroupComparisonPlot(
                title: analyte, yLabel: "expression (−ΔCq, higher = more)", groups: groups)
            body +=
                "<figure>\(plot.svg())<figcaption>\(HTML.escape(analyte)) normalised (\(HTML.escape(view.chosen))), each patient's first sample.</figcaption></figure>"
        }
        return ReportPage.Section(id: "normalization", title: "Normalisation", body: body + "</div>")
    }

    /// Amplification curves with the window and Cq, and standard curves.
    static func qpcr(_ input: StudyReportInput) -> ReportPage.Section {
        var body = """
            <p class="note">Raw curves analysed by LinRegPCR (docs/qpcr.md): baseline-corrected fluorescence on a log
            scale, the window of linearity shaded, the run's Cq threshold dashed, each curve's Cq marked on it.
            Blue: samples, orange: standards, grey: no-template controls.</p><div class="plots">
            """
        for target in input.qpcr {
            let plot = AmplificationPlot(
                title: target.target, curves: target.curves, windowLower: target.windowLower,
                windowUpper: target.windowUpper, threshold: target.threshold)
            let efficiency =
                target.meanEfficiency.map { "mean efficiency \(formatNumber($0, decimals: 3))" } ?? "no mean efficiency"
            body +=
                "<figure>\(plot.svg())<figcaption>\(HTML.escape(target.target)): \(target.total) curves, \(target.amplified) amplified, \(target.flagged) flagged; \(efficiency)\(drawn(target)).</figcaption></figure>"
            if let standard = target.standard {
                let curve = StandardCurvePlot(
                    title: "\(target.target) standard curve", points: standard.points, slope: standard.slope,
                    intercept: standard.intercept)
                let interval =
                    standard.efficiencyInterval.map {
                        " (95 % CI \(formatNumber($0.lowerBound * 100, decimals: 1))–\(formatNumber($0.upperBound * 100, decimals: 1)) %)"
                    } ?? ""
                let lod = standard.limitOfDetection.map { "; limit of detection \(formatNumber($0)) copies" } ?? ""
                body +=
                    "<figure>\(curve.svg())<figcaption>Slope \(formatNumber(standard.slope, decimals: 3)), intercept \(formatNumber(standard.intercept, decimals: 2)), R² \(formatNumber(standard.rSquared, decimals: 4)), efficiency \(formatNumber(standard.efficiency * 100, decimals: 1)) %\(interval)\(lod).</figcaption></figure>"
            }
        }
        return ReportPage.Section(id: "qpcr", title: "qPCR curves", body: body + "</div>")
    }

    /// The hemolysis index of every blood sample, with the threshold, and the flagged results.
    static func hemolysis(_ input: StudyReportInput) -> ReportPage.Section? {
        guard let hemolysis = input.hemolysis, !hemolysis.indices.isEmpty else { return nil }
        let indices = hemolysis.indices
        let hemolysed = indices.filter(\.isHemolysed)
        let flaggedResults = input.measurements.filter { $0.flags.contains(.hemolysis) }.count
        let groups = Dictionary(grouping: input.samples, by: \.id)
        let plot = GroupComparisonPlot(
            title: "Hemolysis index", yLabel: "ΔCq miR-23a-3p − miR-451a",
            groups: SampleGroup.allCases.compactMap { group in
                let values = indices.filter { groups[$0.sample]?.first?.group == group }.map(\.index)
                return values.isEmpty ? nil : GroupComparisonPlot.Group(label: group.rawValue, values: values)
            }, referenceLine: (hemolysis.threshold, "\(formatNumber(hemolysis.threshold)): hemolysis risk"))
        var body = """
            <p class="note">Hemolysis index ΔCq = Cq(hsa-miR-23a-3p) − Cq(hsa-miR-451a) of each serum or plasma sample;
            above \(formatNumber(hemolysis.threshold)) the sample is at risk of hemolysis (Blondal et al. 2013) and its
            results for red-cell miRNAs (\(HTML.escape(hemolysis.sensitiveMiRNAs.joined(separator: ", ")))) are flagged.</p>
            <p class="\(hemolysed.isEmpty ? "ok" : "warn")">\(hemolysed.count) of \(indices.count) samples above \(formatNumber(hemolysis.threshold));
            \(flaggedResults) results flagged.</p><div class="plots"><figure>\(plot.svg())</figure></div>
            """
        if !hemolysed.isEmpty {
            body += HTML.table(
                header: ["sample", "hemolysis index"],
                rows: hemolysed.map { [$0.sample.rawValue, formatNumber($0.index)] }, numericColumns: [1])
        }
        return ReportPage.Section(id: "hemolysis", title: "Pre-analytical QC: hemolysis", body: body)
    }

    static func pipeline(_ input: StudyReportInput) -> ReportPage.Section {
        let rows = input.stages.map { [$0.name, $0.outcome] }
        return ReportPage.Section(
            id: "pipeline", title: "Pipeline", body: HTML.table(header: ["stage", "outcome"], rows: rows))
    }

    /// Per analyte and unit: cases against controls, and cases by early (I–II) against late (III–IV) stage.
    static func measurements(_ input: StudyReportInput) -> ReportPage.Section {
        let samples = Dictionary(uniqueKeysWithValues: input.samples.map { ($0.id, $0) })
        // Baseline values only: the first sample (lowest day) of each patient, so serial samples do not weigh more.
        let baselineSamples = Set(
            Dictionary(grouping: input.samples, by: \.patient).values.compactMap { group in
                group.min { ($0.timepoint.dayOffset ?? 0, $0.id) < ($1.timepoint.dayOffset ?? 0, $1.id) }?.id
            })
        let keyed = Dictionary(
            // Read counts have their own section (a count matrix holds hundreds of miRNAs).
            grouping: input.measurements.filter {
                $0.value != nil && $0.assay != .smallRNASeq && baselineSamples.contains($0.sample)
            }
        ) {
            "\($0.analyte.name)\t\($0.unit.rawValue)"
        }
        var body = """
            <p class="note">Raw values at each patient's first sample, by sample-sheet group and stage. Replicates are
            averaged per sample. Normalisation and statistics are added by the quantification and discovery stages.</p>
            <div class="plots">
            """
        for key in keyed.keys.sorted() {
            guard let values = keyed[key], let first = values.first else { continue }
            let perSample = Dictionary(grouping: values, by: \.sample).compactMapValues { group in
                Descriptive.mean(group.compactMap(\.value))
            }
            func groupValues(where predicate: (Sample) -> Bool) -> [Double] {
                perSample.filter { samples[$0.key].map(predicate) ?? false }.sorted { $0.key < $1.key }.map(\.value)
            }
            let inverted = first.unit.isInverseScale
            let label = first.unit.rawValue + (inverted ? " (higher = less)" : "")
            let groups = [
                GroupComparisonPlot.Group(label: "control", values: groupValues { $0.group == .control }),
                GroupComparisonPlot.Group(
                    label: "case I–II",
                    values: groupValues { $0.group == .case && $0.clinical.stage.map { !$0.isLate } == true }),
                GroupComparisonPlot.Group(
                    label: "case III–IV", values: groupValues { $0.group == .case && $0.clinical.stage?.isLate == true }
                ),
                GroupComparisonPlot.Group(
                    label: "case M1", values: groupValues { $0.group == .case && $0.clinical.metastasis == true }),
            ].filter { !$0.values.isEmpty }
            let plot = GroupComparisonPlot(
                title: first.analyte.name, yLabel: label, groups: groups, invertedY: inverted)
            body +=
                "<figure>\(plot.svg())<figcaption>\(HTML.escape(first.analyte.name)) (\(first.assay.rawValue), \(first.unit.rawValue)); box: quartiles and median, whiskers: range.</figcaption></figure>"
        }
        return ReportPage.Section(id: "measurements", title: "Measurements by group and stage", body: body + "</div>")
    }

    /// Trajectories of monitored analytes for patients with two or more samples.
    static func monitoring(_ input: StudyReportInput) -> ReportPage.Section? {
        let samples = Dictionary(uniqueKeysWithValues: input.samples.map { ($0.id, $0) })
        let serialPatients = Dictionary(grouping: input.samples.filter { $0.timepoint.dayOffset != nil }, by: \.patient)
            .filter { $0.value.count >= 2 }
        guard !serialPatients.isEmpty else { return nil }
        var body =
            "<p class=\"note\">Each line is one patient's serial samples (\(serialPatients.count) patients); day 0 is the treatment event of the sample sheet. Values of samples whose EV preparation failed QC (preparation-qc) are left out of the lines. Response calls arrive with the monitoring stage.</p><div class=\"plots\">"
        let monitored =
            input.monitored.isEmpty ? Array(Set(input.measurements.map(\.analyte.name))).sorted() : input.monitored
        for analyte in monitored {
            let values = input.measurements.filter {
                $0.analyte.name == analyte && $0.value != nil && !$0.flags.contains(.preparationQC)
            }
            guard let unit = values.first?.unit else { continue }
            var series: [TrajectoryPlot.Series] = []
            for patient in serialPatients.keys.sorted() {
                let patientValues = values.filter { samples[$0.sample]?.patient == patient }
                let bySample = Dictionary(grouping: patientValues, by: \.sample)
                let points: [(day: Double, value: Double)] = bySample.compactMap { sample, group in
                    guard let day = samples[sample]?.timepoint.dayOffset,
                        let mean = Descriptive.mean(group.compactMap(\.value))
                    else {
                        return nil
                    }
                    return (Double(day), mean)
                }
                if points.count >= 2 { series.append(TrajectoryPlot.Series(label: patient.rawValue, points: points)) }
            }
            guard !series.isEmpty else { continue }
            let plot = TrajectoryPlot(
                title: analyte, yLabel: unit.rawValue, series: series, invertedY: unit.isInverseScale)
            body +=
                "<figure>\(plot.svg())<figcaption>\(HTML.escape(analyte)) over time, \(unit.rawValue).</figcaption></figure>"
        }
        return ReportPage.Section(id: "monitoring", title: "Treatment monitoring", body: body + "</div>")
    }

    static func sampleTable(_ input: StudyReportInput) -> ReportPage.Section {
        let rows = input.samples.map { sample in
            [
                sample.id.rawValue, sample.patient.rawValue, sample.group.rawValue, sample.specimen.rawValue,
                sample.timepoint.label ?? "", sample.timepoint.dayOffset.map(String.init) ?? "",
                sample.clinical.stage?.description ?? "",
                [sample.clinical.t, sample.clinical.n, sample.clinical.m].compactMap { $0?.description }.joined(
                    separator: " "),
                sample.clinical.metastasis.map { $0 ? "yes" : "no" } ?? "", sample.clinical.treatment ?? "",
                sample.clinical.response?.rawValue ?? "", sample.preparation.method?.rawValue ?? "",
                sample.preparation.inputVolumeMilliliters.map { formatNumber($0) } ?? "",
            ]
        }
        let table = HTML.table(
            header: [
                "sample", "patient", "group", "specimen", "timepoint", "day", "stage", "TNM", "metastasis", "treatment",
                "response", "isolation", "input mL",
            ],
            rows: rows, numericColumns: [5, 12])
        return ReportPage.Section(id: "samples", title: "Samples", body: "<div class=\"scroll\">\(table)</div>")
    }

    static func names(_ input: StudyReportInput) -> ReportPage.Section {
        let body =
            input.nameResolutions.isEmpty
            ? "<p class=\"ok\">Every analyte was written as its miRBase release 22 name.</p>"
            : "<p class=\"note\">Names written differently from miRBase release 22, and how each was read (rules in docs/mirna-names.md):</p><ul>"
                + input.nameResolutions.map { "<li><code>\(HTML.escape($0))</code></li>" }.joined() + "</ul>"
        return ReportPage.Section(id: "names", title: "miRNA names", body: body)
    }

    static func provenance(_ input: StudyReportInput) -> ReportPage.Section {
        var body = HTML.table(
            header: ["file", "role", "bytes", "SHA-256"],
            rows: input.files.map { [$0.path, $0.role, String($0.byteCount), $0.sha256] }, numericColumns: [2])
        let parameters = input.provenance.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        body +=
            "<p class=\"note\">ExoScope \(HTML.escape(input.provenance.version)); step \(HTML.escape(input.provenance.step))"
        if let seed = input.provenance.seed { body += "; seed \(seed)" }
        if !parameters.isEmpty { body += "; " + HTML.escape(parameters.joined(separator: ", ")) }
        return ReportPage.Section(id: "provenance", title: "Provenance", body: body + ".</p>")
    }
}
