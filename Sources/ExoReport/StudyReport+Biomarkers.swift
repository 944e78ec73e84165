public import ExoCore
import Foundation

extension StudyReportInput {
    /// The stored biomarker analysis, in the terms the report draws.
    public struct BiomarkerView: Sendable {
        /// One miRNA's row.
        public struct Marker: Sendable {
            public var feature: String
            public var logFC, p, adjustedP, auc, aucLow, aucHigh: Double?
            public var lateVersusEarlyP, lateVersusEarlyAdjustedP, stageTrendZ, stageTrendP, metastasisP: Double?
            /// Prognosis among cases with follow-up: log-rank p of the median split, Cox hazard ratio with its CI.
            public var survivalLogRankP, hazardRatio, hazardRatioLow, hazardRatioHigh: Double?
            /// What the knowledge base says about the miRNA in this tumour, and a contradiction to flag.
            public var known: String?
            public var contradiction: String?

            /// Creates a row.
            public init(
                feature: String, logFC: Double?, p: Double?, adjustedP: Double?, auc: Double?, aucLow: Double?,
                aucHigh: Double?, lateVersusEarlyP: Double?, lateVersusEarlyAdjustedP: Double?, stageTrendZ: Double?,
                stageTrendP: Double?, metastasisP: Double?, survivalLogRankP: Double? = nil, hazardRatio: Double? = nil,
                hazardRatioLow: Double? = nil, hazardRatioHigh: Double? = nil
            ) {
                self.feature = feature
                self.logFC = logFC
                self.p = p
                self.adjustedP = adjustedP
                self.auc = auc
                self.aucLow = aucLow
                self.aucHigh = aucHigh
                self.lateVersusEarlyP = lateVersusEarlyP
                self.lateVersusEarlyAdjustedP = lateVersusEarlyAdjustedP
                self.stageTrendZ = stageTrendZ
                self.stageTrendP = stageTrendP
                self.metastasisP = metastasisP
                self.survivalLogRankP = survivalLogRankP
                self.hazardRatio = hazardRatio
                self.hazardRatioLow = hazardRatioLow
                self.hazardRatioHigh = hazardRatioHigh
            }
        }

        /// The panel and its nested cross-validation.
        public struct Panel: Sendable {
            public var alpha: Double
            public var lambda: Double
            /// (feature, coefficient, selection frequency) of every feature, selected or not.
            public var members: [(feature: String, coefficient: Double, frequency: Double?)]
            /// Lines of the validation summary (AUC, best single feature, calibration).
            public var validation: [(String, String)]
            public var calibration: [CalibrationPlot.Bin]

            /// Creates the panel's view.
            public init(
                alpha: Double, lambda: Double, members: [(feature: String, coefficient: Double, frequency: Double?)],
                validation: [(String, String)], calibration: [CalibrationPlot.Bin]
            ) {
                self.alpha = alpha
                self.lambda = lambda
                self.members = members
                self.validation = validation
                self.calibration = calibration
            }
        }

        public var caseLabel: String
        public var controlLabel: String
        public var cases: Int
        public var controls: Int
        /// The values analysed (such as "−ΔCq, spike-in cel-miR-39-3p, each patient's first sample").
        public var scale: String
        public var markers: [Marker]
        public var curves: [ROCPlot.Curve]
        public var panel: Panel?
        /// Box plots by stage: (feature, groups).
        public var stageValues: [(feature: String, groups: [GroupComparisonPlot.Group])]
        /// Kaplan–Meier curves of the most prognostic miRNA, with a caption.
        public var survival: (plot: SurvivalPlot, caption: String)?
        /// Whether the hazard ratios are adjusted for stage III–IV.
        public var adjustedForStage = true
        public var notes: [String]
        public var provenance: Provenance

        /// Creates the view.
        public init(
            caseLabel: String, controlLabel: String, cases: Int, controls: Int, scale: String, markers: [Marker],
            curves: [ROCPlot.Curve], panel: Panel?,
            stageValues: [(feature: String, groups: [GroupComparisonPlot.Group])],
            survival: (plot: SurvivalPlot, caption: String)? = nil, notes: [String], provenance: Provenance
        ) {
            self.caseLabel = caseLabel
            self.controlLabel = controlLabel
            self.cases = cases
            self.controls = controls
            self.scale = scale
            self.markers = markers
            self.curves = curves
            self.panel = panel
            self.stageValues = stageValues
            self.survival = survival
            self.notes = notes
            self.provenance = provenance
        }
    }
}

extension StudyReport {
    /// Differential expression, ROC, the panel and the stage association of the case–control arm.
    static func biomarkers(_ input: StudyReportInput) -> ReportPage.Section? {
        guard let view = input.biomarkers else { return nil }
        let number = { (value: Double?, decimals: Int) in value.map { formatNumber($0, decimals: decimals) } ?? "–" }
        let pValue = { (value: Double?) in value.map { String(format: "%.2g", $0) } ?? "–" }
        var body = """
            <p>\(view.cases) cases (\(HTML.escape(view.caseLabel))) against \(view.controls) controls
            (\(HTML.escape(view.controlLabel))),
            on \(HTML.escape(view.scale)). Moderated t (limma's empirical Bayes) with Benjamini–Hochberg adjusted p;
            AUC with DeLong 95 % interval, the direction read from the medians (a first look: the panel below is judged
            by nested cross-validation instead).</p>
            """
        let volcano = VolcanoPlot(
            title: "Differential expression",
            points: view.markers.compactMap { marker in
                guard let logFC = marker.logFC, let p = marker.p, let adjusted = marker.adjustedP else { return nil }
                return .init(label: marker.feature, logFC: logFC, p: p, adjustedP: adjusted)
            })
        body +=
            "<div class=\"plots\"><figure>\(volcano.svg())<figcaption>Coloured: adjusted p &lt; 0.05 (red up, blue down in \(HTML.escape(view.caseLabel))).</figcaption></figure>"
        if !view.curves.isEmpty {
            body += "<figure>\(ROCPlot(title: "Best single miRNAs", curves: view.curves).svg())"
            body +=
                "<figcaption>Shaded: 95 % bootstrap band of sensitivity at each specificity (500 stratified resamples).</figcaption></figure>"
        }
        body += "</div>"
        let ranked = view.markers.sorted { ($0.adjustedP ?? 2, $0.feature) < ($1.adjustedP ?? 2, $1.feature) }
        body += HTML.table(
            header: [
                "miRNA", "log2 FC", "p", "adjusted p", "AUC", "95 % CI", "III–IV vs I–II p (adj.)", "trend z", "M1 p",
                "known (curated knowledge base)",
            ],
            rows: ranked.map { marker in
                let known =
                    HTML.escape(marker.known ?? "–")
                    + (marker.contradiction.map { " <strong class=\"warn\">\(HTML.escape($0))</strong>" } ?? "")
                return [
                    marker.feature, number(marker.logFC, 2), pValue(marker.p), pValue(marker.adjustedP),
                    number(marker.auc, 3),
                    marker.aucLow.map { "\(formatNumber($0, decimals: 3))–\(number(marker.aucHigh, 3))" } ?? "–",
                    "\(pValue(marker.lateVersusEarlyP)) (\(pValue(marker.lateVersusEarlyAdjustedP)))",
                    number(marker.stageTrendZ, 2), pValue(marker.metastasisP), known,
                ]
            }, numericColumns: [1, 2, 3, 4, 7, 8], rawColumns: [9])
        if view.markers.contains(where: { $0.contradiction != nil }) {
            body +=
                "<p class=\"warn\">A finding runs against the knowledge base (flagged in the table): check the assay, the normalisation and the cohort before reading it as new.</p>"
        }
        if let panel = view.panel {
            body += "<h3>Multi-miRNA panel</h3>"
            body += """
                <p class="note">Penalised logistic regression (α = \(formatNumber(panel.alpha, decimals: 2)), λ =
                \(String(format: "%.3g", panel.lambda)) chosen by 10-fold cross-validation, the largest within one standard
                error of the smallest deviance). Selection frequency: the share of the nested cross-validation's models that
                kept the miRNA.</p>
                """
            let shown = panel.members.filter { $0.coefficient != 0 || ($0.frequency ?? 0) > 0 }
                .sorted { (abs($0.coefficient), $0.frequency ?? 0) > (abs($1.coefficient), $1.frequency ?? 0) }
            let known = Dictionary(view.markers.map { ($0.feature, $0.known ?? "–") }, uniquingKeysWith: { a, _ in a })
            body += HTML.table(
                header: [
                    "miRNA", "coefficient (log-odds per unit)", "selection frequency", "known (curated knowledge base)",
                ],
                rows: shown.map { member in
                    let frequency = member.frequency ?? 0
                    let bar =
                        "<span class=\"bar\" style=\"display:inline-block;width:\(Int(frequency * 80))px;height:8px;background:#1f6fb2\"></span> "
                    return [
                        member.feature, formatNumber(member.coefficient, decimals: 3),
                        bar + formatNumber(frequency * 100, decimals: 0) + " %", known[member.feature] ?? "–",
                    ]
                }, numericColumns: [1], rawColumns: [2])
            body += HTML.table(header: ["nested cross-validation", ""], rows: panel.validation.map { [$0.0, $0.1] })
            if !panel.calibration.isEmpty {
                body +=
                    "<div class=\"plots\"><figure>\(CalibrationPlot(title: "Panel calibration", bins: panel.calibration).svg())<figcaption>Fifths of the out-of-fold probabilities with Wilson 95 % intervals.</figcaption></figure></div>"
            }
        }
        if view.markers.contains(where: { $0.hazardRatio != nil }) {
            body += "<h3>Prognosis</h3>"
            body += """
                <p class="note">Among cases with follow-up: log-rank test of the samples above against at or below each
                miRNA's median, and the Cox hazard ratio per unit of expression \(view.adjustedForStage
                    ? "adjusted for stage III–IV" : "not adjusted for stage (some cases lack one)") (below 1: more
                expression, lower hazard).</p>
                """
            body += HTML.table(
                header: ["miRNA", "log-rank p", "hazard ratio", "95 % CI"],
                rows: view.markers.filter { $0.hazardRatio != nil }.map { marker in
                    [
                        marker.feature, pValue(marker.survivalLogRankP), number(marker.hazardRatio, 2),
                        "\(number(marker.hazardRatioLow, 2))–\(number(marker.hazardRatioHigh, 2))",
                    ]
                }, numericColumns: [1, 2])
            if let survival = view.survival {
                body +=
                    "<div class=\"plots\"><figure>\(survival.plot.svg())<figcaption>\(HTML.escape(survival.caption))</figcaption></figure></div>"
            }
        }
        if !view.stageValues.isEmpty {
            body += "<div class=\"plots\">"
            for (feature, groups) in view.stageValues {
                let plot = GroupComparisonPlot(
                    title: feature, yLabel: "expression (−ΔCq, higher = more)", groups: groups)
                body += "<figure>\(plot.svg())<figcaption>\(HTML.escape(feature)) by stage.</figcaption></figure>"
            }
            body += "</div>"
        }
        for note in view.notes { body += "<p class=\"note\">\(HTML.escape(note))</p>" }
        let parameters = view.provenance.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
        body +=
            "<p class=\"note\">Provenance: ExoScope \(HTML.escape(view.provenance.version)), seed \(view.provenance.seed.map(String.init) ?? "–"), \(HTML.escape(parameters.joined(separator: ", "))).</p>"
        return ReportPage.Section(id: "biomarkers", title: "Biomarkers", body: body)
    }
}
