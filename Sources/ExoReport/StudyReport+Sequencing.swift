import Foundation

extension StudyReportInput {
    /// The sequencing section's data: per-sample libraries and, for samples counted from reads, their fates and
    /// insert lengths.
    public struct SequencingView: Sendable {
        /// One sequenced sample.
        public struct Sample: Sendable {
            public var id: String
            public var group: String
            /// Sum over every feature (reads, or RPM for a table already normalised).
            public var library: Double
            /// Reads (or RPM) on miRNAs.
            public var miRNAReads: Double
            /// miRNAs with at least one read.
            public var detected: Int
            /// TMM factor over every sequenced sample of the study.
            public var factor: Double
            public var belowMinimum: Bool
            /// For a sample counted from reads: unique inserts / length-passing inserts (library complexity).
            public var complexity: Double?
            /// For a sample counted from reads: its verdict (`PASS`, `FAIL`) and why.
            public var verdict: String?

            /// Creates a sample row.
            public init(
                id: String, group: String, library: Double, miRNAReads: Double, detected: Int, factor: Double,
                belowMinimum: Bool, complexity: Double? = nil, verdict: String? = nil
            ) {
                self.id = id
                self.group = group
                self.library = library
                self.miRNAReads = miRNAReads
                self.detected = detected
                self.factor = factor
                self.belowMinimum = belowMinimum
                self.complexity = complexity
                self.verdict = verdict
            }
        }

        /// `counts` or `RPM`.
        public var unit: String
        /// The minimum of miRNA reads, and where it comes from.
        public var minimum: Double
        public var minimumSource: String
        public var samples: [Sample]
        /// The most abundant miRNAs: mean normalised CPM and share of all miRNA CPM.
        public var topMiRNAs: [(name: String, meanCPM: Double, share: Double)]
        /// For samples counted from reads: the fate classes (bottom first) and each sample's reads per class.
        public var fates: (classes: [String], samples: [(id: String, reads: [Double])])?
        /// For samples counted from reads: inserts per length (nt), per sample.
        public var lengths: [(id: String, counts: [(length: Int, inserts: Double)])] = []

        /// Creates the view.
        public init(
            unit: String, minimum: Double, minimumSource: String, samples: [Sample],
            topMiRNAs: [(name: String, meanCPM: Double, share: Double)]
        ) {
            self.unit = unit
            self.minimum = minimum
            self.minimumSource = minimumSource
            self.samples = samples
            self.topMiRNAs = topMiRNAs
        }
    }
}

extension StudyReport {
    /// Read fates, libraries, miRNA share, complexity, top miRNAs and the samples below the minimum of miRNA reads.
    static func sequencing(_ view: StudyReportInput.SequencingView) -> ReportPage.Section {
        let counted = view.unit == "counts"
        let hasReads = view.samples.contains { $0.complexity != nil }
        var body = "<p class=\"note\">"
        body +=
            counted
            ? "Read counts of \(view.samples.count) sequenced samples, normalised with edgeR's TMM over all of them."
            : "Values of \(view.samples.count) sequenced samples as the table gives them (\(HTML.escape(view.unit)): already per million, so the read numbers are unknown), normalised with edgeR's TMM over all of them."
        body +=
            " Discovery normalises again, on the samples it compares (filterByExpr, TMM, limma-voom).</p>"
        let below = view.samples.filter(\.belowMinimum)
        if counted {
            body +=
                "<p>Minimum of miRNA reads: <strong>\(formatNumber(view.minimum, decimals: 0))</strong> (\(HTML.escape(view.minimumSource))). "
            body +=
                below.isEmpty
                ? "Every sample reaches it.</p>"
                : "<strong>\(below.count) sample\(below.count == 1 ? "" : "s") below it</strong>: \(HTML.escape(below.map(\.id).joined(separator: ", "))).</p>"
        }
        body += "<div class=\"plots\">"
        if let fates = view.fates {
            let plot = StackedBarPlot(
                title: "Read fates", yLabel: "reads",
                segments: fates.classes.enumerated().map {
                    ($0.element, StackedBarPlot.palette[$0.offset % StackedBarPlot.palette.count])
                },
                bars: fates.samples.map { .init(label: $0.id, values: $0.reads) }, asShares: true)
            body +=
                "<figure>\(plot.svg())<figcaption>Where each sample's reads ended, as shares of its reads\(plot.labelsBars ? "" : " (samples in the table's order)"); every read is in exactly one class.</figcaption></figure>"
        }
        let share = StackedBarPlot(
            title: counted ? "miRNA reads per sample" : "miRNA share per sample", yLabel: counted ? "reads" : view.unit,
            segments: [("miRNA", "#0072b2"), (hasReads ? "other reads" : "other features", "#c5ccd3")],
            bars: view.samples.map {
                .init(label: $0.id, values: [$0.miRNAReads, max(0, $0.library - $0.miRNAReads)])
            },
            threshold: counted ? (view.minimum, "minimum \(formatNumber(view.minimum, decimals: 0))") : nil)
        body +=
            "<figure>\(share.svg())<figcaption>Reads on miRNAs and on the other counted features\(share.labelsBars ? "" : " (samples in the table's order)").</figcaption></figure>"
        if !view.lengths.isEmpty {
            let series = view.lengths.enumerated().map { index, sample in
                let total = sample.counts.reduce(0) { $0 + $1.inserts }
                return XYPlot.Series(
                    label: view.lengths.count <= 12 ? sample.id : nil,
                    points: sample.counts.map { (Double($0.length), total > 0 ? $0.inserts / total : 0) },
                    color: StackedBarPlot.palette[index % 8])
            }
            let plot = XYPlot(
                title: "Insert length", xLabel: "insert length (nt)", yLabel: "share of inserts", series: series,
                shaded: 20...24)
            body +=
                "<figure>\(plot.svg())<figcaption>Inserts after adapter trimming, by length; mature miRNAs are 20–24 nt (shaded).</figcaption></figure>"
        }
        body += "</div>"
        body += HTML.table(
            header: [
                "sample", "group", hasReads ? "reads" : (counted ? "reads counted" : "total (\(view.unit))"),
                "on miRNAs", "miRNA share",
                "miRNAs detected", "TMM factor",
            ] + (hasReads ? ["complexity", "verdict"] : []) + ["status"],
            rows: view.samples.map { sample in
                [
                    sample.id, sample.group, formatNumber(sample.library, decimals: counted ? 0 : 1),
                    formatNumber(sample.miRNAReads, decimals: counted ? 0 : 1),
                    sample.library > 0 ? formatNumber(sample.miRNAReads / sample.library, decimals: 3) : "–",
                    String(sample.detected), formatNumber(sample.factor, decimals: 3),
                ]
                    + (hasReads
                        ? [sample.complexity.map { formatNumber($0, decimals: 3) } ?? "–", sample.verdict ?? "–"] : [])
                    + [sample.belowMinimum ? "below minimum" : (counted ? "ok" : "–")]
            }, numericColumns: [2, 3, 4, 5, 6, 7])
        body += "<h3>Most abundant miRNAs</h3>"
        body += HTML.table(
            header: ["miRNA", "mean normalised CPM", "share of miRNA reads"],
            rows: view.topMiRNAs.map {
                [$0.name, formatNumber($0.meanCPM, decimals: 0), formatNumber($0.share, decimals: 3)]
            }, numericColumns: [1, 2])
        return ReportPage.Section(id: "sequencing", title: "Small-RNA sequencing", body: body)
    }
}
