import Foundation

/// Writes NanoSight NTA 3.4 `ExperimentSummary.csv` files in the software's layout, for the demo study and the
/// benchmarks: the header, `[Experiment Details]`, the `Filename:` row, `[Conditions]`, `[Results]`,
/// `[Concentration Warnings]`, `[Information]`, `[Size Data]` with the printed statistics, and the number-weighted
/// `Graph Data` histogram (1 nm bins), CRLF line endings.
public enum NTAExperimentSummaryWriter {
    /// What one file holds.
    public struct Content: Sendable {
        public var experiment: String
        public var sampleDescription: String
        /// Capture (video) names.
        public var captures: [String]
        /// The recorded dilution; `nil` writes "Not recorded".
        public var dilution: Double?
        public var temperature: Double
        /// Bin centres (nm) and each capture's particles/ml per bin, already multiplied by the dilution.
        public var binCentres: [Double]
        public var binConcentrations: [[Double]]
        /// The statistics to print under `[Size Data]` per capture, in the order Mean, Mode, SD, D10, D50, D90.
        public var printed: [[Double]]
        /// Per capture, the `[Information]` vibration item ("OK", "Minor vibration", "Moderate vibration").
        public var vibration: [String]

        /// Creates the content of one file.
        public init(
            experiment: String, sampleDescription: String, captures: [String], dilution: Double?, temperature: Double,
            binCentres: [Double], binConcentrations: [[Double]], printed: [[Double]], vibration: [String]
        ) {
            self.experiment = experiment
            self.sampleDescription = sampleDescription
            self.captures = captures
            self.dilution = dilution
            self.temperature = temperature
            self.binCentres = binCentres
            self.binConcentrations = binConcentrations
            self.printed = printed
            self.vibration = vibration
        }
    }

    /// The file's text.
    public static func text(_ content: Content) -> String {
        let count = content.captures.count
        func row(_ label: String, _ values: [String], trailing: Int = 1) -> String {
            ([label] + values).joined(separator: ",") + String(repeating: ",", count: trailing)
        }
        func same(_ value: String) -> [String] { Array(repeating: value, count: count) }
        let totals = content.binConcentrations.map { $0.reduce(0, +) }
        let mean = totals.reduce(0, +) / Double(max(count, 1))
        let standardError =
            count > 1
            ? (totals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)).squareRoot()
                / Double(count).squareRoot() : 0
        var lines = [
            "NTA Experiment Summary File,", "Created with NTA 3.4 Build 3.4.003,", ",", "[Experiment Details],,",
            "Software Version,NTA 3.4 Build 3.4.003,", "Experiment Name,\(content.experiment).nano,",
            "Operator Name,,", "Sample Description,\(content.sampleDescription),", "Diluent,PBS,", ",,",
            row("Filename:", content.captures), row("Processed", same("Yes")), "",
            "[Conditions],,,,,,", row("Temperature/C", same(String(format: "%.3f", content.temperature))),
            row("Camera Type", same("sCMOS")), row("Camera Level", same("14")), ",,,,,,",
            "[Results],,,,,,Average,Standard Error,",
            row(
                "Dilution factor (concentrations adjusted for this factor)",
                same(content.dilution.map { String(format: "%.2e", $0) } ?? "Not recorded"), trailing: 3),
            row(
                "Concentration (Particles / ml)",
                totals.map { String(format: "%.2e", $0) } + [
                    String(format: "%.2e", mean), String(format: "%.2e", standardError),
                ]),
            ",,,,,,,,", "[Concentration Warnings]", row("Validity of concentration measurement", same("OK")),
            row("Completed Tracks", same("OK")), "", "[Information]", row("Completed Tracks", same("OK")),
            row("Vibration detected", content.vibration), "",
            "[Data Included],", "Size distribution - Number weighting - With Percentiles,", ",", "[Size Data],,",
            "Analysis Method,FTLA,", "Weighting,Number,",
            row("Filename", content.captures + ["Average", "Standard Error"]),
        ]
        for (index, name) in ["Mean", "Mode", "SD", "D10", "D50", "D90"].enumerated() {
            let values = content.printed.map { $0[index] }
            let average = values.reduce(0, +) / Double(max(values.count, 1))
            let se =
                values.count > 1
                ? (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count - 1)).squareRoot()
                    / Double(values.count).squareRoot() : 0
            lines.append(row(name, (values + [average, se]).map { String(format: "%.1f", $0) }))
        }
        lines.append("Graph Data,")
        lines.append(
            row(
                "Bin centre (nm)",
                same("Concentration (particles / ml)") + ["Concentration average", "Standard Error"]))
        for (bin, centre) in content.binCentres.enumerated() {
            let values = content.binConcentrations.map { $0[bin] }
            let average = values.reduce(0, +) / Double(max(count, 1))
            let se =
                count > 1
                ? (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(count - 1)).squareRoot()
                    / Double(count).squareRoot() : 0
            lines.append(
                row(
                    String(format: "%.1f", centre),
                    (values + [average, se]).map { String(Int($0.rounded())) }))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
