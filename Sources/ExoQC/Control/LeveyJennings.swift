public import ExoFormats

/// A Levey–Jennings chart of one reference material across runs, with Westgard's multirules.
///
/// The mean and SD come from the first `baseline` runs (Westgard: at least 20 measurements over at least 10 days)
/// unless given. Every rule is checked on every run (checking the rejection rules only after a 1-2s warning misses
/// shifts such as 4-1s without a 2s excursion). With one measurement of the material per run, the rules that span
/// measurements look back over runs: 2-2s over two runs, 4-1s over four, 10x over ten; R-4s, a within-run rule in
/// Westgard's scheme, compares consecutive runs here and is labelled so.
public struct LeveyJennings: Sendable, Hashable, Codable {
    /// Westgard's rules.
    public enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// One value beyond mean ± 2 SD: a warning.
        case oneTwoS = "1-2s"
        /// One value beyond mean ± 3 SD: reject (random error).
        case oneThreeS = "1-3s"
        /// Two consecutive values beyond the same 2 SD limit: reject (systematic error).
        case twoTwoS = "2-2s"
        /// Consecutive values beyond opposite 2 SD limits: reject (random error).
        case rangeFourS = "R-4s"
        /// Four consecutive values beyond the same 1 SD limit: reject (systematic error).
        case fourOneS = "4-1s"
        /// Ten consecutive values on one side of the mean: reject (systematic error).
        case tenX = "10x"

        /// Whether the rule rejects the run (1-2s only warns).
        public var rejects: Bool { self != .oneTwoS }
    }

    /// One run on the chart.
    public struct Point: Sendable, Hashable, Codable {
        public var run: String
        public var value: Double
        /// (value − mean) / SD.
        public var z: Double
        public var violations: [Rule]
        public var inBaseline: Bool

        /// `reject`, `warning` or `in control`.
        public var status: String {
            violations.contains(where: \.rejects) ? "reject" : violations.isEmpty ? "in control" : "warning"
        }
    }

    public var attribute: String
    /// The reference material charted (`nil` when the runs name none).
    public var material: String?
    public var mean: Double
    public var sd: Double
    public var baselineRuns: Int
    /// Whether fewer runs than asked set the mean and SD (every run is then judged by statistics that include it).
    public var shortBaseline: Bool
    public var points: [Point]

    /// Charts the runs in order; `nil` with fewer than two baseline runs or an SD of zero.
    ///
    /// - Parameters:
    ///   - attribute: what is charted (`concentration_per_ml`).
    ///   - material: the reference material, when the runs name one.
    ///   - runs: (run id, value) in run order.
    ///   - baseline: how many leading runs set the mean and SD.
    ///   - mean: a target mean to use instead.
    ///   - sd: a target SD to use instead.
    public init?(
        attribute: String, material: String? = nil, runs: [(run: String, value: Double)], baseline: Int = 20,
        mean: Double? = nil, sd: Double? = nil
    ) {
        let count = min(baseline, runs.count)
        let base = runs.prefix(count).map(\.value)
        guard mean != nil && sd != nil || base.count >= 2 else { return nil }
        let baseMean = base.reduce(0, +) / Double(max(base.count, 1))
        let centre = mean ?? baseMean
        let spread =
            sd
            ?? (base.reduce(0) { $0 + ($1 - baseMean) * ($1 - baseMean) } / Double(max(base.count - 1, 1)))
            .squareRoot()
        guard spread > 0, spread.isFinite else { return nil }
        self.attribute = attribute
        self.material = material
        shortBaseline = mean == nil && runs.count < baseline
        self.mean = centre
        self.sd = spread
        baselineRuns = count
        let z = runs.map { ($0.value - centre) / spread }
        points = runs.indices.map { index in
            Point(
                run: runs[index].run, value: runs[index].value, z: z[index],
                violations: Self.violations(z, at: index), inBaseline: index < count)
        }
    }

    /// The rules the value at `index` breaks, looking back over earlier runs.
    static func violations(_ z: [Double], at index: Int) -> [Rule] {
        var rules: [Rule] = []
        let value = z[index]
        func window(_ length: Int) -> ArraySlice<Double>? {
            index + 1 >= length ? z[(index + 1 - length)...index] : nil
        }
        if abs(value) > 2 { rules.append(.oneTwoS) }
        if abs(value) > 3 { rules.append(.oneThreeS) }
        if let pair = window(2), pair.allSatisfy({ $0 > 2 }) || pair.allSatisfy({ $0 < -2 }) { rules.append(.twoTwoS) }
        if let pair = window(2), let first = pair.first, let last = pair.last,
            first > 2 && last < -2 || first < -2 && last > 2
        {
            rules.append(.rangeFourS)
        }
        if let four = window(4), four.allSatisfy({ $0 > 1 }) || four.allSatisfy({ $0 < -1 }) { rules.append(.fourOneS) }
        if let ten = window(10), ten.allSatisfy({ $0 > 0 }) || ten.allSatisfy({ $0 < 0 }) { rules.append(.tenX) }
        return rules
    }
}

extension LeveyJennings {
    /// One chart per reference material and charted column of a runs table, runs in file order.
    ///
    /// - Parameters:
    ///   - table: the runs (`run`, optional `material`, value columns).
    ///   - baseline: how many leading runs of each material set its mean and SD.
    /// - Returns: the charts; a material and column with fewer than two runs or no spread has none.
    public static func charts(_ table: QCSeriesTable, baseline: Int = 20) -> [LeveyJennings] {
        let materials = table.distinct("material")
        return table.valueColumns.flatMap { column in
            (materials.isEmpty ? [nil] : materials.map(Optional.some)).compactMap { material in
                let runs = table.rows.filter { material == nil || $0.labels["material"] == material }
                    .compactMap { row in row.values[column].map { (run: row.labels["run"] ?? "", value: $0) } }
                return LeveyJennings(attribute: column, material: material, runs: runs, baseline: baseline)
            }
        }
    }
}
