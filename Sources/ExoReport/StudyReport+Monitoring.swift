public import ExoCore
import Foundation

extension StudyReportInput {
    /// The monitoring stage's result as the report shows it.
    ///
    /// Each analyte's series with its calls, and each patient's combined calls; built by the pipeline from the stored
    /// monitoring result.
    public struct MonitoringView: Sendable {
        /// A molecular response class, in the order of the swimmer plot's legend.
        public enum Call: String, Sendable, Hashable, CaseIterable {
            case baseline
            case response = "molecular response"
            case stable
            case progression = "molecular progression"
            case notEvaluable = "not evaluable"
        }

        /// One patient's combined call at one timepoint.
        public struct Timepoint: Sendable {
            public var sample: String
            public var day: Double
            public var call: Call
            /// The series (miRNAs, panels) that decided it.
            public var drivers: [String]

            /// Creates a timepoint.
            public init(sample: String, day: Double, call: Call, drivers: [String]) {
                self.sample = sample
                self.day = day
                self.call = call
                self.drivers = drivers
            }
        }

        /// The reference change value a series is judged against.
        public struct ReferenceChange: Sendable {
            /// The scale of the values: cycles, a locked panel's log-odds, or ratios of quantities.
            public enum Scale: Sendable, Hashable, CaseIterable {
                case cq
                case logOdds
                case logNormal
            }

            public var scale: Scale
            /// SD_A in the scale's terms.
            public var analytical: Double
            /// The upper limit: the critical difference, or the largest insignificant rise.
            public var up: Double
            public var probability: Double
            public var oneSided: Bool

            /// Creates the value.
            public init(scale: Scale, analytical: Double, up: Double, probability: Double, oneSided: Bool) {
                self.scale = scale
                self.analytical = analytical
                self.up = up
                self.probability = probability
                self.oneSided = oneSided
            }
        }

        /// One timepoint of one series, with its evidence.
        public struct SeriesCall: Sendable {
            public var sample: String
            public var day: Double
            public var call: Call
            public var value: Double?
            public var evidence: String

            /// Creates a call.
            public init(sample: String, day: Double, call: Call, value: Double?, evidence: String) {
                self.sample = sample
                self.day = day
                self.call = call
                self.value = value
                self.evidence = evidence
            }
        }

        /// A series' recent trend per 4 weeks with its interval.
        public struct Trend: Sendable {
            public var slope: Double
            public var low: Double?
            public var high: Double?

            /// Creates a trend.
            public init(slope: Double, low: Double?, high: Double?) {
                self.slope = slope
                self.low = low
                self.high = high
            }
        }

        /// One patient's series of one miRNA or panel.
        public struct Series: Sendable {
            public var patient: String
            public var analyte: String
            public var higherIsBetter: Bool
            /// Why this direction means better.
            public var directionSource: String
            public var rcv: ReferenceChange
            public var calls: [SeriesCall]
            public var trend: Trend?
            /// How many of the latest values the trend uses.
            public var trendWindow: Int

            /// Creates a series.
            public init(
                patient: String, analyte: String, higherIsBetter: Bool, directionSource: String, rcv: ReferenceChange,
                calls: [SeriesCall], trend: Trend?, trendWindow: Int
            ) {
                self.patient = patient
                self.analyte = analyte
                self.higherIsBetter = higherIsBetter
                self.directionSource = directionSource
                self.rcv = rcv
                self.calls = calls
                self.trend = trend
                self.trendWindow = trendWindow
            }
        }

        /// An alert raised on a monitored patient, as the report shows it.
        public struct Alert: Sendable {
            public var id: Int64
            public var patient: String
            public var sample: String
            public var kind: String
            public var evidence: String
            public var raisedAt: String
            /// "open", or who acknowledged it when, with the note.
            public var status: String

            /// Creates an alert row.
            public init(
                id: Int64, patient: String, sample: String, kind: String, evidence: String, raisedAt: String,
                status: String
            ) {
                self.id = id
                self.patient = patient
                self.sample = sample
                self.kind = kind
                self.evidence = evidence
                self.raisedAt = raisedAt
                self.status = status
            }
        }

        public var series: [Series]
        public var patients:
            [(patient: String, treatment: String?, calls: [Timepoint], events: [(day: Double, label: String)])]
        public var withinSubject: String
        public var notes: [String]
        public var provenance: Provenance
        /// The study's alerts, oldest first.
        public var alerts: [Alert] = []

        /// Creates the view.
        public init(
            series: [Series],
            patients: [(
                patient: String, treatment: String?, calls: [Timepoint], events: [(day: Double, label: String)]
            )],
            withinSubject: String, notes: [String], provenance: Provenance
        ) {
            self.series = series
            self.patients = patients
            self.withinSubject = withinSubject
            self.notes = notes
            self.provenance = provenance
        }
    }
}

extension StudyReport {
    static let callColors: [StudyReportInput.MonitoringView.Call: String] = [
        .baseline: "#5f6b7a", .response: "#2f9e6b", .stable: "#1f6fb2", .progression: "#c23b7a",
        .notEvaluable: "#b8860b",
    ]

    /// The monitoring section: the reference change values, a swimmer plot of every patient's calls, and one page
    /// per patient with the trajectories, the reference change band and each call's evidence.
    static func monitoringCalls(_ input: StudyReportInput, _ view: StudyReportInput.MonitoringView)
        -> ReportPage.Section
    {
        var body = "<p>Each serial sample of each monitored miRNA (−ΔCq, higher = more) is compared with the patient's"
        body +=
            " baseline (the last sample at or before the treatment event) and with the best value so far, against the"
        body += " reference change value Z·√2·√(SD<sub>A</sub>² + SD<sub>I</sub>²). Within-subject SD: "
        body += HTML.escape(view.withinSubject) + ".</p>"
        var analytes: [String] = []
        for item in view.series where !analytes.contains(item.analyte) { analytes.append(item.analyte) }
        body += HTML.table(
            header: ["miRNA or panel", "better when", "why", "SD_A", "critical change", "probability"],
            rows: analytes.compactMap { analyte in
                view.series.first { $0.analyte == analyte }.map { item in
                    [
                        analyte, item.higherIsBetter ? "higher" : "lower", item.directionSource,
                        String(format: "%.3f", item.rcv.analytical),
                        String(format: "±%.2f", item.rcv.up) + (item.rcv.scale == .logOdds ? " log-odds" : " cycles"),
                        "\(item.rcv.probability) \(item.rcv.oneSided ? "one" : "two")-sided",
                    ]
                }
            }, numericColumns: [3, 4])
        body += "<div class=\"plots\"><figure>\(swimmer(view))<figcaption>Calls per patient and visit; a patient's"
        body +=
            " call is progression when any monitored miRNA progresses, else response when any responds.</figcaption></figure></div>"
        if !view.alerts.isEmpty {
            let open = view.alerts.filter { $0.status == "open" }.count
            body += "<h3>Alerts</h3><p>\(view.alerts.count) alert\(view.alerts.count == 1 ? "" : "s"), \(open) open"
            body += " (acknowledge with <code>exoscope alerts acknowledge ID --note …</code>).</p>"
            body += HTML.table(
                header: ["id", "patient", "sample", "kind", "raised", "status", "evidence"],
                rows: view.alerts.map { alert in
                    [
                        String(alert.id),
                        "<a href=\"#patient-\(HTML.escape(alert.patient))\">\(HTML.escape(alert.patient))</a>",
                        HTML.escape(alert.sample), HTML.escape(alert.kind), HTML.escape(alert.raisedAt),
                        HTML.escape(alert.status), HTML.escape(alert.evidence),
                    ]
                }, numericColumns: [0], rawColumns: [1, 2, 3, 4, 5, 6])
        }
        for patient in view.patients {
            body += patientPage(
                patient, series: view.series.filter { $0.patient == patient.patient },
                alerts: view.alerts.filter { $0.patient == patient.patient })
        }
        if !view.notes.isEmpty {
            body += "<p class=\"note\">\(HTML.escape(view.notes.joined(separator: "; "))).</p>"
        }
        body += "<p class=\"note\">Computed by ExoScope \(HTML.escape(view.provenance.version)); "
        body +=
            view.provenance.parameters.sorted { $0.key < $1.key }.map {
                "\(HTML.escape($0.key)): \(HTML.escape($0.value))"
            }
            .joined(separator: "; ") + ".</p>"
        return ReportPage.Section(id: "monitoring", title: "Treatment monitoring", body: body)
    }

    /// Rows of patients, a marker per visit coloured by its call, the day axis and a legend of the calls under it.
    ///
    /// The left column is as wide as the longest patient label; the legend wraps to further rows when it is wider
    /// than the plot.
    static func swimmer(_ view: StudyReportInput.MonitoringView) -> String {
        let rowHeight = 22.0
        let width = 700.0
        let labels = view.patients.map { patient in
            (patient.patient, patient.treatment.map { " " + $0 } ?? "")
        }
        let left = min(width / 2, max(150, 16 + TextWidth.widest(labels.map { $0.0 + $0.1 }, fontSize: 10)))
        let calls = StudyReportInput.MonitoringView.Call.allCases
        // Legend entries: a dot and its call, laid out in rows from the plot's left edge.
        var legend: [(x: Double, row: Int)] = []
        var (legendX, legendRow) = (left, 0)
        for call in calls {
            let entry = 8 + TextWidth.of(call.rawValue, fontSize: 10) + 18
            if legendX + entry > width - 4, legendX > left {
                (legendX, legendRow) = (left, legendRow + 1)
            }
            legend.append((legendX, legendRow))
            legendX += entry
        }
        let axis = 34 + rowHeight * Double(view.patients.count)
        let height = axis + 10 + 16 * Double(legendRow + 1) + 4
        let days = view.patients.flatMap { $0.calls.map(\.day) }
        let x = LinearScale(covering: days + [0], range: (left, width - 20))
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"Swimmer plot\">"
        svg +=
            "<text x=\"\(width / 2)\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\">Molecular response by patient</text>"
        for (row, patient) in view.patients.enumerated() {
            let y = 34 + rowHeight * Double(row)
            let size = SVGFrame.fontSize(labels[row].0 + labels[row].1, fitting: left - 12, preferred: 10)
            svg +=
                "<text x=\"4\" y=\"\(y + 4)\" font-size=\"\(formatNumber(size, decimals: 1))\"><a href=\"#patient-\(HTML.escape(patient.patient))\">\(HTML.escape(patient.patient))</a>\(HTML.escape(labels[row].1))</text>"
            if let first = patient.calls.first?.day, let last = patient.calls.last?.day {
                svg +=
                    "<line x1=\"\(x(first))\" x2=\"\(x(last))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#cfd8e3\" stroke-width=\"8\"/>"
            }
            for call in patient.calls {
                svg +=
                    "<circle cx=\"\(x(call.day))\" cy=\"\(y)\" r=\"6\" fill=\"\(callColors[call.call] ?? "#000")\"><title>\(HTML.escape(call.sample)): \(call.call.rawValue)</title></circle>"
            }
        }
        for tick in x.ticks() {
            svg +=
                "<text x=\"\(x(tick))\" y=\"\(axis)\" text-anchor=\"middle\" font-size=\"10\">\(formatNumber(tick))</text>"
        }
        for (call, place) in zip(calls, legend) {
            let y = axis + 22 + 16 * Double(place.row)
            svg += "<circle cx=\"\(place.x)\" cy=\"\(y - 4)\" r=\"5\" fill=\"\(callColors[call] ?? "#000")\"/>"
            svg += "<text x=\"\(place.x + 8)\" y=\"\(y)\" font-size=\"10\">\(call.rawValue)</text>"
        }
        return svg + "</svg>"
    }

    /// One patient: trajectories relative to baseline with the reference change band, and every call's evidence.
    static func patientPage(
        _ patient: (
            patient: String, treatment: String?, calls: [StudyReportInput.MonitoringView.Timepoint],
            events: [(day: Double, label: String)]
        ),
        series: [StudyReportInput.MonitoringView.Series], alerts: [StudyReportInput.MonitoringView.Alert] = []
    ) -> String {
        let id = HTML.escape(patient.patient)
        let current = patient.calls.last { $0.call != .baseline }?.call ?? .notEvaluable
        var html =
            "<article id=\"patient-\(id)\" style=\"border-top:2px solid \(callColors[current] ?? "#000");margin-top:1.2rem;padding-top:.6rem\">"
        html +=
            "<h3>Patient \(id)\(patient.treatment.map { " · \(HTML.escape($0))" } ?? ""): \(current.rawValue)</h3><div class=\"plots\">"
        let colors = GroupComparisonPlot.palette
        // One plot per scale (miRNAs in cycles, locked-panel scores in log-odds) and per direction: a miRNA that
        // falls with disease and one that rises are never drawn on one axis, where "up" would mean better for one and
        // worse for the other. Every axis keeps −ΔCq (higher = more) and says which way is better.
        for scale in StudyReportInput.MonitoringView.ReferenceChange.Scale.allCases {
            var directions: [Bool] = []
            for item in series where item.rcv.scale == scale && !directions.contains(item.higherIsBetter) {
                directions.append(item.higherIsBetter)
            }
            for higherIsBetter in directions {
                var plotSeries: [XYPlot.Series] = []
                var band = 0.0
                for (index, item) in series.enumerated()
                where item.rcv.scale == scale && item.higherIsBetter == higherIsBetter {
                    guard let baseline = item.calls.first(where: { $0.call == .baseline })?.value else { continue }
                    band = max(band, item.rcv.up)
                    let points = item.calls.compactMap { call in call.value.map { (call.day, $0 - baseline) } }
                    plotSeries.append(
                        XYPlot.Series(
                            label: item.analyte, points: points, color: colors[index % colors.count], dots: true,
                            dotColors: item.calls.filter { $0.value != nil }.map { callColors[$0.call] ?? "#000" }))
                }
                guard !plotSeries.isEmpty else { continue }
                let panel = scale == .logOdds
                let better = higherIsBetter ? "better" : "worse"
                html += figure(
                    XYPlot(
                        title:
                            "\(patient.patient): \(panel ? "panel score" : "change") from baseline, higher is \(better)",
                        xLabel: "day from treatment start",
                        yLabel: panel
                            ? "score − baseline (log-odds; higher = \(better))"
                            : "−ΔCq − baseline (cycles; higher = more = \(better))",
                        series: plotSeries,
                        references: [
                            .init(y: band, label: "+RCV"), .init(y: 0, label: "baseline"),
                            .init(y: -band, label: "−RCV"),
                        ],
                        markers: patient.events.isEmpty
                            ? [(0, "treatment start")] : patient.events.map { ($0.day, $0.label) }),
                    "\(panel ? "Panel scores" : "miRNAs") for which higher is \(better) (the reference change table says why); dots "
                        + "coloured by each \(panel ? "score's" : "miRNA's") call; dashed lines: the baseline and ± the reference "
                        + "change value."
                )
            }
        }
        html += "</div>"
        var rows: [[String]] = []
        for timepoint in patient.calls {
            for item in series {
                guard let call = item.calls.first(where: { $0.sample == timepoint.sample }) else { continue }
                rows.append([
                    HTML.escape(timepoint.sample), formatNumber(timepoint.day), HTML.escape(item.analyte),
                    call.value.map { String(format: "%.2f ± %.2f", $0, item.rcv.analytical) } ?? "–",
                    "<span style=\"color:\(callColors[call.call] ?? "#000")\">\(call.call.rawValue)</span>",
                    HTML.escape(call.evidence),
                ])
            }
            rows.append([
                "<b>\(HTML.escape(timepoint.sample))</b>", formatNumber(timepoint.day), "<b>patient</b>", "",
                "<b style=\"color:\(callColors[timepoint.call] ?? "#000")\">\(timepoint.call.rawValue)</b>",
                timepoint.drivers.isEmpty ? "" : "decided by \(HTML.escape(timepoint.drivers.joined(separator: ", ")))",
            ])
        }
        html += HTML.table(
            header: ["sample", "day", "miRNA or panel", "value ± SD_A", "call", "evidence"], rows: rows,
            numericColumns: [1, 3],
            rawColumns: [0, 2, 4, 5])
        for item in series {
            guard let trend = item.trend else { continue }
            let unit = item.rcv.scale == .logOdds ? "log-odds" : "cycles"
            html +=
                "<p class=\"note\">\(HTML.escape(item.analyte)) trend over the last \(item.trendWindow) values (Theil–Sen): \(String(format: "%+.2f", trend.slope)) \(unit) per 4 weeks"
                + (trend.low.map { String(format: " (95 %% interval %+.2f to %+.2f)", $0, trend.high ?? .nan) } ?? "")
                + ".</p>"
        }
        if !alerts.isEmpty {
            html += "<p class=\"note\">Alerts: "
            html +=
                alerts.map {
                    "#\($0.id) \(HTML.escape($0.kind)) at \(HTML.escape($0.sample)) (\(HTML.escape($0.status)))"
                }
                .joined(separator: "; ") + ".</p>"
        }
        return html + "</article>"
    }
}
