public import ExoCore
public import ExoFormats
import Foundation

extension StudyReportInput {
    /// The EV preparation QC of a study: every preparation's verdict, the size distributions, purity, the reference
    /// material's control charts and the stability study.
    public struct EVQCView: Sendable {
        /// One preparation's size distribution re-binned for plotting (particles/ml per bin).
        public struct Histogram: Sendable {
            public var key: String
            public var centres: [Double]
            public var pooled: [Double]
            public var captures: [[Double]]

            /// Creates a histogram.
            public init(key: String, centres: [Double], pooled: [Double], captures: [[Double]]) {
                self.key = key
                self.centres = centres
                self.pooled = pooled
                self.captures = captures
            }

            /// A size export re-binned to 5 nm up to 600 nm, with each capture's histogram when `captures`.
            public init(key: String, _ size: ParticleSizeExport, captures: Bool) {
                let width = 5.0
                let count = 120
                func rebin(_ values: [Double]) -> [Double] {
                    var bins = Array(repeating: 0.0, count: count)
                    for (centre, value) in zip(size.binCentres, values)
                    where centre >= 0 && centre < width * Double(count) {
                        bins[Int(centre / width)] += value
                    }
                    return bins
                }
                self.init(
                    key: key, centres: (0..<count).map { (Double($0) + 0.5) * width },
                    pooled: rebin(size.pooledConcentrations),
                    captures: captures ? size.binConcentrations.map(rebin) : [])
            }
        }

        /// One preparation's QC verdict as the report shows it: the criteria with reasons and remedies, the MISEV
        /// characterisation, the quantities and the transparency score.
        public struct Preparation: Sendable {
            /// A preparation's overall result.
            public enum Verdict: String, Sendable, Hashable {
                case pass
                case fail
                case notCharacterised = "not characterised"
            }

            /// One acceptance criterion's result.
            public struct Criterion: Sendable {
                public var criterion: String
                public var requirement: String
                public var shown: String
                /// The outcome's name (`pass`, `fail`, `not measured`, `skipped`).
                public var outcome: String
                /// Whether the outcome stops release.
                public var blocks: Bool
                public var reason: String
                public var remedy: String?

                /// Creates a criterion's row.
                public init(
                    criterion: String, requirement: String, shown: String, outcome: String, blocks: Bool,
                    reason: String, remedy: String?
                ) {
                    self.criterion = criterion
                    self.requirement = requirement
                    self.shown = shown
                    self.outcome = outcome
                    self.blocks = blocks
                    self.reason = reason
                    self.remedy = remedy
                }
            }

            /// One MISEV marker category: what was detected and what was tested but not detected.
            public struct MarkerCategory: Sendable {
                public var label: String
                public var detected: [String]
                public var notDetected: [String]

                /// Creates a category's row.
                public init(label: String, detected: [String], notDetected: [String]) {
                    self.label = label
                    self.detected = detected
                    self.notDetected = notDetected
                }
            }

            /// The quantities of the preparations table (`nil` when not measured).
            public struct Summary: Sendable {
                public var particlesPerMl: Double?
                public var modeNm: Double?
                public var fractionInRange: Double?
                public var particlesPerMicrogram: Double?
                public var rnaNanogramsPerBillionParticles: Double?
                public var transparencyPercent: Double?

                /// Creates the row's quantities.
                public init(
                    particlesPerMl: Double?, modeNm: Double?, fractionInRange: Double?, particlesPerMicrogram: Double?,
                    rnaNanogramsPerBillionParticles: Double?, transparencyPercent: Double?
                ) {
                    self.particlesPerMl = particlesPerMl
                    self.modeNm = modeNm
                    self.fractionInRange = fractionInRange
                    self.particlesPerMicrogram = particlesPerMicrogram
                    self.rnaNanogramsPerBillionParticles = rnaNanogramsPerBillionParticles
                    self.transparencyPercent = transparencyPercent
                }
            }

            /// Sample or lot id.
            public var key: String
            /// The producing cell source of a lot.
            public var source: String?
            public var specimen: String?
            /// The size export's software.
            public var software: String?
            public var captures: Int
            public var specification: String
            public var specificationVersion: String
            /// The small-EV range, nm (lower, upper).
            public var sizeRange: [Double]
            public var verdict: Verdict
            /// Whether no criterion blocks (an uncharacterised preparation passes unless the study requires
            /// characterisation).
            public var passed: Bool
            public var criteria: [Criterion]
            public var summary: Summary
            /// Webber & Clayton's purity band's name, when particles per µg are known.
            public var purityBand: String?
            /// Every metric and read-out, by name.
            public var metrics: [String: Double]
            public var markerCategories: [MarkerCategory]
            /// What the marker characterisation lacks, in words.
            public var markerGaps: [String]
            /// The EV-METRIC transparency score, %, and the applicable items not reported.
            public var transparencyPercent: Double
            public var transparencyMissing: [(number: Int, title: String)]
            /// The instrument's warnings that are not OK.
            public var warnings: [String]

            /// Whether the preparation has a characterisation row or a marker result.
            public var isCharacterised: Bool { verdict != .notCharacterised }
            /// The blocking criteria.
            public var failures: [Criterion] { criteria.filter(\.blocks) }

            /// Creates a preparation's view.
            public init(
                key: String, source: String?, specimen: String?, software: String?, captures: Int,
                specification: String, specificationVersion: String, sizeRange: [Double], verdict: Verdict,
                passed: Bool, criteria: [Criterion], summary: Summary, purityBand: String?, metrics: [String: Double],
                markerCategories: [MarkerCategory], markerGaps: [String], transparencyPercent: Double,
                transparencyMissing: [(number: Int, title: String)], warnings: [String]
            ) {
                self.key = key
                self.source = source
                self.specimen = specimen
                self.software = software
                self.captures = captures
                self.specification = specification
                self.specificationVersion = specificationVersion
                self.sizeRange = sizeRange
                self.verdict = verdict
                self.passed = passed
                self.criteria = criteria
                self.summary = summary
                self.purityBand = purityBand
                self.metrics = metrics
                self.markerCategories = markerCategories
                self.markerGaps = markerGaps
                self.transparencyPercent = transparencyPercent
                self.transparencyMissing = transparencyMissing
                self.warnings = warnings
            }
        }

        /// A reference material's Levey–Jennings chart.
        public struct ControlChart: Sendable {
            /// One run on the chart.
            public struct Point: Sendable {
                public var run: String
                public var value: Double
                /// The Westgard rules the run breaks (`1-2s`, `1-3s`, …).
                public var violations: [String]
                /// Whether a broken rule rejects the run (1-2s only warns).
                public var rejects: Bool
                /// `reject`, `warning` or `in control`.
                public var status: String

                /// Creates a point.
                public init(run: String, value: Double, violations: [String], rejects: Bool, status: String) {
                    self.run = run
                    self.value = value
                    self.violations = violations
                    self.rejects = rejects
                    self.status = status
                }
            }

            public var attribute: String
            public var material: String?
            public var mean: Double
            public var sd: Double
            public var baselineRuns: Int
            /// Whether fewer runs than asked set the mean and SD.
            public var shortBaseline: Bool
            public var points: [Point]

            /// Creates a chart.
            public init(
                attribute: String, material: String?, mean: Double, sd: Double, baselineRuns: Int,
                shortBaseline: Bool, points: [Point]
            ) {
                self.attribute = attribute
                self.material = material
                self.mean = mean
                self.sd = sd
                self.baselineRuns = baselineRuns
                self.shortBaseline = shortBaseline
                self.points = points
            }
        }

        /// One attribute's stability measurements under one storage condition (and lot), with the shelf-life fit.
        public struct StabilitySeries: Sendable {
            /// The ICH Q1E regression and the shelf life it gives.
            public struct Fit: Sendable {
                public var slope: Double
                public var minimum: Double?
                public var maximum: Double?
                /// When the confidence bound meets the limit, months (`nil` beyond 240).
                public var crossing: Double?
                public var extrapolationLimit: Double
                public var shelfLife: Double
                public var limitedByExtrapolation: Bool
                /// The regression mean and its one-sided confidence bound (the lower one against a minimum, else
                /// the upper one) at each plotted time, months.
                public var curve: [(time: Double, mean: Double, bound: Double)]

                /// Creates the fit's view.
                public init(
                    slope: Double, minimum: Double?, maximum: Double?, crossing: Double?, extrapolationLimit: Double,
                    shelfLife: Double, limitedByExtrapolation: Bool,
                    curve: [(time: Double, mean: Double, bound: Double)]
                ) {
                    self.slope = slope
                    self.minimum = minimum
                    self.maximum = maximum
                    self.crossing = crossing
                    self.extrapolationLimit = extrapolationLimit
                    self.shelfLife = shelfLife
                    self.limitedByExtrapolation = limitedByExtrapolation
                    self.curve = curve
                }
            }

            public var condition: String
            public var lot: String?
            public var attribute: String
            public var times: [Double]
            public var values: [Double]
            /// `nil` when the study gives no limit for the attribute.
            public var fit: Fit?

            /// Creates a series.
            public init(
                condition: String, lot: String?, attribute: String, times: [Double], values: [Double], fit: Fit?
            ) {
                self.condition = condition
                self.lot = lot
                self.attribute = attribute
                self.times = times
                self.values = values
                self.fit = fit
            }
        }

        public var specification: String
        public var specificationVersion: String
        public var sizeRange: ClosedRange<Double>
        public var assessments: [Preparation]
        public var histograms: [Histogram]
        public var controlCharts: [ControlChart]
        public var stability: [StabilitySeries]
        public var provenance: Provenance

        /// Creates the view.
        public init(
            specification: String, specificationVersion: String, sizeRange: ClosedRange<Double>,
            assessments: [Preparation], histograms: [Histogram], controlCharts: [ControlChart],
            stability: [StabilitySeries], provenance: Provenance
        ) {
            self.specification = specification
            self.specificationVersion = specificationVersion
            self.sizeRange = sizeRange
            self.assessments = assessments
            self.histograms = histograms
            self.controlCharts = controlCharts
            self.stability = stability
            self.provenance = provenance
        }
    }
}

extension StudyReport {
    /// "4.1e+10", "0.53", "87.5".
    static func qcNumber(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if abs(value) >= 1e5 { return String(format: "%.2e", value) }
        return String(format: abs(value) >= 100 ? "%.1f" : "%.3g", value)
    }

    /// A preparation's verdict as a table cell.
    static func verdictCell(_ verdict: StudyReportInput.EVQCView.Preparation.Verdict) -> String {
        switch verdict {
        case .pass: "<span class=\"ok\">pass</span>"
        case .fail: "<span class=\"warn\">fail</span>"
        case .notCharacterised: "not characterised"
        }
    }

    static func evQC(_ input: StudyReportInput) -> ReportPage.Section? {
        guard let view = input.evQC else { return nil }
        // Blocked: failed, or not characterised where the study requires characterisation.
        let failed = view.assessments.filter { !$0.passed }
        let verdicts = Dictionary(grouping: view.assessments, by: \.verdict).mapValues(\.count)
        let uncharacterised = view.assessments.filter { !$0.isCharacterised }
        let range = "\(formatNumber(view.sizeRange.lowerBound))–\(formatNumber(view.sizeRange.upperBound)) nm"
        var body =
            "<p>\(view.assessments.count) preparations assessed against <b>\(HTML.escape(view.specification))</b> (version \(HTML.escape(view.specificationVersion))): "
            + "<span class=\"ok\">\(verdicts[.pass] ?? 0) pass</span>, "
            + "<span class=\"warn\">\(verdicts[.fail] ?? 0) fail</span>"
            + (uncharacterised.isEmpty ? "" : ", \(uncharacterised.count) not characterised")
            + ". Every value of a failed preparation carries the flag "
            + "<code>preparation-qc</code>; failed preparations are left out of biomarker discovery, and locked models "
            + "refuse them unless overridden with an audited reason. Small-EV range \(range).</p>"
        if !failed.isEmpty {
            body +=
                "<p>Failed: "
                + failed.map { "<a href=\"#prep-\(HTML.escape($0.key))\">\(HTML.escape($0.key))</a>" }.joined(
                    separator: ", ")
                + ". Each has its own page below: what failed, by how much, and what would make it pass.</p>"
        }
        if !uncharacterised.isEmpty {
            // Whether they block is the study's choice (qc.requireCharacterisation), stated by their criteria.
            let blocking = uncharacterised.contains { !$0.passed }
            body +=
                "<p>Not characterised (no characterisation row and no marker result): "
                + HTML.escape(uncharacterised.map(\.key).joined(separator: ", "))
                + (blocking
                    ? ". The study requires characterisation (<code>qc.requireCharacterisation: yes</code>), so they are left out of biomarker discovery and flagged like failed preparations.</p>"
                    : ". They are kept in biomarker discovery (<code>qc.requireCharacterisation: no</code>), unassessed.</p>")
        }
        body += "<div class=\"plots\">"
        let failedKeys = Set(failed.map(\.key))
        body += figure(
            sizeOverview(view, failedKeys: failedKeys),
            "Size distributions of every preparation (pooled captures, 10⁹ particles/ml per 5 nm); failed ones in orange. "
                + "Shaded: the small-EV range \(range).")
        body += figure(
            purityPlot(view.assessments),
            "Particles per µg protein (log₁₀) with Webber & Clayton's bands: above 3 × 10¹⁰ high purity, 2 × 10⁹–2 × 10¹⁰ low purity, below 1.5 × 10⁹ impure."
        )
        body += "</div>"
        body += "<h3>Preparations</h3><div class=\"scroll\">"
        body += HTML.table(
            header: [
                "preparation", "verdict", "particles/ml", "mode nm", "in range", "particles/µg", "purity", "RNA ng/10⁹",
                "transparency %", "failed criteria",
            ],
            rows: view.assessments.map { assessment in
                let summary = assessment.summary
                return [
                    assessment.passed
                        ? HTML.escape(assessment.key)
                        : "<a href=\"#prep-\(HTML.escape(assessment.key))\">\(HTML.escape(assessment.key))</a>",
                    verdictCell(assessment.verdict),
                    qcNumber(summary.particlesPerMl), qcNumber(summary.modeNm), qcNumber(summary.fractionInRange),
                    qcNumber(summary.particlesPerMicrogram), assessment.purityBand ?? "–",
                    qcNumber(summary.rnaNanogramsPerBillionParticles), qcNumber(summary.transparencyPercent),
                    assessment.failures.map(\.criterion).joined(separator: "; "),
                ]
            }, numericColumns: [2, 3, 4, 5, 7, 8], rawColumns: [0, 1])
        body += "</div>"
        for assessment in failed {
            body += preparationPage(assessment, view: view)
        }
        if !view.controlCharts.isEmpty { body += controlCharts(view.controlCharts) }
        if !view.stability.isEmpty { body += stabilitySection(view.stability) }
        body +=
            "<p class=\"note\">Computed by ExoScope \(HTML.escape(view.provenance.version)); "
            + view.provenance.parameters.sorted { $0.key < $1.key }.map {
                "\(HTML.escape($0.key)): \(HTML.escape($0.value))"
            }.joined(separator: "; ") + ".</p>"
        return ReportPage.Section(id: "ev-qc", title: "EV preparation QC", body: body)
    }

    static func figure(_ plot: XYPlot, _ caption: String) -> String {
        "<figure>\(plot.svg())<figcaption>\(HTML.escape(caption))</figcaption></figure>"
    }

    static func sizeOverview(_ view: StudyReportInput.EVQCView, failedKeys: Set<String>) -> XYPlot {
        let passing = view.histograms.filter { !failedKeys.contains($0.key) }
        let failing = view.histograms.filter { failedKeys.contains($0.key) }
        let series =
            passing.map { histogram in
                XYPlot.Series(
                    points: zip(histogram.centres, histogram.pooled).map { ($0, $1 / 1e9) }, color: "#9fb6cc",
                    width: 0.6)
            }
            + failing.map { histogram in
                XYPlot.Series(
                    label: histogram.key, points: zip(histogram.centres, histogram.pooled).map { ($0, $1 / 1e9) },
                    color: "#d0602b", width: 1.8)
            }
        return XYPlot(
            title: "Particle size, all preparations", xLabel: "diameter (nm)", yLabel: "10⁹ particles/ml per 5 nm",
            series: series, shaded: view.sizeRange)
    }

    static func purityPlot(_ assessments: [StudyReportInput.EVQCView.Preparation]) -> XYPlot {
        let points = assessments.enumerated().compactMap { index, assessment -> (Double, Double, Bool)? in
            guard let ratio = assessment.summary.particlesPerMicrogram, ratio > 0 else { return nil }
            return (Double(index + 1), log10(ratio), assessment.passed)
        }
        return XYPlot(
            title: "Purity: particles per µg protein", xLabel: "preparation (sample-id order)",
            yLabel: "log₁₀ particles/µg",
            series: [
                XYPlot.Series(
                    points: points.map { ($0.0, $0.1) }, color: "#1f6fb2", line: false, dots: true,
                    dotColors: points.map { $0.2 ? "#1f6fb2" : "#d0602b" })
            ],
            references: [
                .init(y: log10(3e10), label: "high 3e10", color: "#2f9e6b"),
                .init(y: log10(2e10), label: "2e10"), .init(y: log10(2e9), label: "low 2e9"),
                .init(y: log10(1.5e9), label: "impure 1.5e9", color: "#c23b7a"),
            ])
    }

    /// One failed preparation on one page: why it failed and what would make it pass.
    static func preparationPage(
        _ assessment: StudyReportInput.EVQCView.Preparation, view: StudyReportInput.EVQCView
    ) -> String {
        let key = HTML.escape(assessment.key)
        let border = assessment.passed ? "#2f9e6b" : "#d0602b"
        var html =
            "<article id=\"prep-\(key)\" style=\"border-top:2px solid \(border);margin-top:1.2rem;padding-top:.6rem\">"
        html +=
            "<h3>Preparation \(key): "
            + (assessment.passed ? "<span class=\"ok\">passes</span>" : "<span class=\"warn\">fails</span>")
            + " \(HTML.escape(assessment.specification))</h3>"
        html +=
            "<p>Specimen \(HTML.escape(assessment.specimen ?? "–")); size export \(HTML.escape(assessment.software ?? "none"))"
            + " (\(assessment.captures) captures)."
            + (assessment.passed
                ? "</p>"
                : " Fails on: <b>" + HTML.escape(assessment.failures.map(\.criterion).joined(separator: ", "))
                    + "</b>.</p>")
        html += assessment.passed ? "<h4>Criteria</h4>" : "<h4>Why it failed, and what would make it pass</h4>"
        html += HTML.table(
            header: ["criterion", "requirement", "found", "outcome", "reason", "to pass"],
            rows: assessment.criteria.map { result in
                [
                    HTML.escape(result.criterion), HTML.escape(result.requirement), HTML.escape(result.shown),
                    result.blocks
                        ? "<span class=\"warn\">\(result.outcome)</span>"
                        : "<span class=\"ok\">\(result.outcome)</span>",
                    HTML.escape(result.reason), HTML.escape(result.remedy ?? ""),
                ]
            }, rawColumns: [0, 1, 2, 3, 4, 5])
        html += "<div class=\"plots\">"
        if let histogram = view.histograms.first(where: { $0.key == assessment.key }), !histogram.captures.isEmpty {
            let colors = GroupComparisonPlot.palette
            var series = histogram.captures.enumerated().map { index, capture in
                XYPlot.Series(
                    label: "capture \(index + 1)", points: zip(histogram.centres, capture).map { ($0, $1 / 1e9) },
                    color: colors[index % colors.count], width: 1)
            }
            series.append(
                XYPlot.Series(
                    label: "pooled", points: zip(histogram.centres, histogram.pooled).map { ($0, $1 / 1e9) },
                    color: "#1d2733", width: 2))
            html += figure(
                XYPlot(
                    title: "\(assessment.key): particle size", xLabel: "diameter (nm)",
                    yLabel: "10⁹ particles/ml per 5 nm", series: series, shaded: view.sizeRange),
                "Each capture and their mean; shaded: the small-EV range.")
        }
        html += "</div><h4>MISEV characterisation</h4>"
        html += HTML.table(
            header: ["category", "detected", "tested, not detected"],
            rows: assessment.markerCategories.map {
                [$0.label, $0.detected.joined(separator: ", "), $0.notDetected.joined(separator: ", ")]
            })
        if !assessment.markerGaps.isEmpty {
            html += "<ul>" + assessment.markerGaps.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        }
        html += "<h4>Quantities</h4>"
        html += HTML.table(
            header: ["metric", "value"],
            rows: assessment.metrics.sorted { $0.key < $1.key }.map { [$0.key, qcNumber($0.value)] },
            numericColumns: [1])
        let missing = assessment.transparencyMissing.map { "\($0.number). \($0.title)" }
        html +=
            "<p class=\"note\">Transparency (EV-METRIC items): \(qcNumber(assessment.transparencyPercent)) %"
            + (missing.isEmpty ? "" : "; not reported: \(HTML.escape(missing.joined(separator: ", ")))") + ".</p>"
        if !assessment.warnings.isEmpty {
            html +=
                "<p class=\"note\">Instrument warnings: \(HTML.escape(assessment.warnings.joined(separator: "; "))).</p>"
        }
        return html + "</article>"
    }

    static func controlCharts(_ charts: [StudyReportInput.EVQCView.ControlChart]) -> String {
        var html = "<h3>Reference material: Levey–Jennings charts</h3><div class=\"plots\">"
        for chart in charts {
            let scale = chart.mean >= 1e5 ? 1e9 : 1
            let unit = scale == 1 ? "" : " (10⁹)"
            let colors = chart.points.map { point in
                point.rejects
                    ? "#c23b7a" : point.violations.isEmpty ? "#1f6fb2" : "#b8860b"
            }
            var references: [XYPlot.Reference] = [.init(y: chart.mean / scale, label: "mean", color: "#2f9e6b")]
            for k in [1.0, 2, 3] {
                references.append(.init(y: (chart.mean + k * chart.sd) / scale, label: "+\(Int(k))s"))
                references.append(.init(y: (chart.mean - k * chart.sd) / scale, label: "−\(Int(k))s"))
            }
            let plot = XYPlot(
                title: chart.material.map { "\($0): \(chart.attribute)" } ?? chart.attribute, xLabel: "run",
                yLabel: chart.attribute + unit,
                series: [
                    XYPlot.Series(
                        points: chart.points.enumerated().map { (Double($0.offset + 1), $0.element.value / scale) },
                        color: "#9fb6cc", line: true, dots: true, width: 0.8, dotColors: colors)
                ], references: references)
            let flagged = chart.points.filter { !$0.violations.isEmpty }.map {
                "\($0.run): \($0.violations.joined(separator: ", ")) (\($0.status))"
            }
            html += figure(
                plot,
                "Mean and SD from the first \(chart.baselineRuns) runs"
                    + (chart.shortBaseline
                        ? " (fewer than the 20 Westgard asks for; each run is judged by statistics that include it)"
                        : "")
                    + ". Westgard rules: "
                    + (flagged.isEmpty ? "none broken." : flagged.joined(separator: "; ") + "."))
        }
        return html + "</div>"
    }

    static func stabilitySection(_ series: [StudyReportInput.EVQCView.StabilitySeries]) -> String {
        var html = "<h3>Stability and shelf life (ICH Q1E)</h3><div class=\"plots\">"
        var rows: [[String]] = []
        var attributes: [String] = []
        for item in series where !attributes.contains(item.attribute) { attributes.append(item.attribute) }
        for attribute in attributes {
            let items = series.filter { $0.attribute == attribute }
            let scale = (items.flatMap(\.values).max() ?? 0) >= 1e5 ? 1e9 : 1
            var plotSeries: [XYPlot.Series] = []
            var markers: [(x: Double, label: String)] = []
            var references: [XYPlot.Reference] = []
            for (index, item) in items.enumerated() {
                let color = GroupComparisonPlot.palette[index % GroupComparisonPlot.palette.count]
                let label = item.condition + (item.lot.map { " · \($0)" } ?? "")
                plotSeries.append(
                    XYPlot.Series(
                        label: label, points: zip(item.times, item.values).map { ($0, $1 / scale) },
                        color: color, line: false, dots: true))
                if let shelf = item.fit {
                    plotSeries.append(
                        XYPlot.Series(points: shelf.curve.map { ($0.time, $0.mean / scale) }, color: color, width: 1))
                    plotSeries.append(
                        XYPlot.Series(
                            points: shelf.curve.map { ($0.time, $0.bound / scale) }, color: color, width: 1,
                            dashed: true))
                    if shelf.crossing != nil, !shelf.limitedByExtrapolation {
                        markers.append(
                            (shelf.shelfLife, "\(label) \(formatNumber(shelf.shelfLife, decimals: 1)) mo"))
                    }
                    if references.isEmpty {
                        if let minimum = shelf.minimum {
                            references.append(.init(y: minimum / scale, label: "min", color: "#c23b7a"))
                        }
                        if let maximum = shelf.maximum {
                            references.append(.init(y: maximum / scale, label: "max", color: "#c23b7a"))
                        }
                    }
                    rows.append([
                        attribute, label, String(item.times.count), qcNumber(shelf.slope),
                        shelf.crossing.map { formatNumber($0, decimals: 1) } ?? "beyond 240",
                        formatNumber(shelf.extrapolationLimit, decimals: 1), formatNumber(shelf.shelfLife, decimals: 1),
                        shelf.limitedByExtrapolation ? "extrapolation limit" : "confidence bound meets the limit",
                    ])
                }
            }
            html += figure(
                XYPlot(
                    title: "Stability: \(attribute)", xLabel: "months",
                    yLabel: attribute + (scale == 1 ? "" : " (10⁹)"),
                    series: plotSeries, references: references, markers: markers),
                "Points per storage condition, the regression line and its one-sided 95 % confidence bound (dashed).")
        }
        html += "</div>"
        if !rows.isEmpty {
            html += HTML.table(
                header: [
                    "attribute", "condition", "n", "slope per month", "bound meets limit (mo)", "Q1E limit (mo)",
                    "shelf life (mo)", "set by",
                ], rows: rows, numericColumns: [2, 3, 4, 5, 6])
        }
        return html
    }
}

extension StudyReport {
    /// A release certificate: one page per lot with the decision, every criterion's result and reason, what would
    /// make a rejected lot pass, the MISEV characterisation, the quantities, and the provenance.
    ///
    /// - Parameters:
    ///   - assessments: the lots, assessed against one specification.
    ///   - provenance: version, parameters and input hashes of the assessment.
    ///   - issued: the date printed on the certificate.
    ///   - histograms: each lot's size distribution, for its size plot.
    /// - Returns: the certificate page.
    public static func certificate(
        _ assessments: [StudyReportInput.EVQCView.Preparation], provenance: Provenance, issued: String,
        histograms: [StudyReportInput.EVQCView.Histogram] = []
    ) -> ReportPage {
        let specification = assessments.first.map { "\($0.specification) (version \($0.specificationVersion))" } ?? "–"
        var sections = [
            ReportPage.Section(
                id: "decisions", title: "Decisions",
                body: HTML.table(
                    header: ["lot", "source", "decision", "blocking criteria"],
                    rows: assessments.map { lot in
                        [
                            "<a href=\"#prep-\(HTML.escape(lot.key))\">\(HTML.escape(lot.key))</a>",
                            lot.source ?? "–",
                            lot.passed ? "<span class=\"ok\">RELEASED</span>" : "<span class=\"warn\">REJECTED</span>",
                            lot.failures.map(\.criterion).joined(separator: "; "),
                        ]
                    }, rawColumns: [0, 2]))
        ]
        for lot in assessments {
            let view = StudyReportInput.EVQCView(
                specification: lot.specification, specificationVersion: lot.specificationVersion,
                sizeRange: (lot.sizeRange.first ?? 30)...(lot.sizeRange.last ?? 150), assessments: [lot],
                histograms: histograms.filter { $0.key == lot.key }, controlCharts: [], stability: [],
                provenance: provenance)
            var body = preparationPage(lot, view: view)
            body = body.replacingOccurrences(
                of: "<span class=\"ok\">passes</span>", with: "<span class=\"ok\">released</span> under"
            )
            .replacingOccurrences(
                of: "<span class=\"warn\">fails</span>", with: "<span class=\"warn\">rejected</span> under")
            body +=
                "<p class=\"note\">Reviewed by: ____________________ &nbsp; Date: __________ &nbsp; Released by (QP): ____________________</p>"
            sections.append(ReportPage.Section(id: "lot-\(lot.key)", title: "Lot \(lot.key)", body: body))
        }
        sections.append(
            ReportPage.Section(
                id: "provenance", title: "Provenance",
                body: "<p class=\"note\">ExoScope \(HTML.escape(provenance.version)); "
                    + provenance.parameters.sorted { $0.key < $1.key }.map {
                        "\(HTML.escape($0.key)): \(HTML.escape($0.value))"
                    }.joined(separator: "; ") + "; inputs: "
                    + provenance.inputHashes.sorted { $0.key < $1.key }.map {
                        "\(HTML.escape($0.key)) sha256 \($0.value)"
                    }.joined(separator: ", ") + ".</p>"))
        return ReportPage(
            title: "EV lot release certificate", subtitle: "\(specification) · issued \(issued)", sections: sections)
    }
}
