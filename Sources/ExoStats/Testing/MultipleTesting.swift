/// Adjusting p-values for many simultaneous tests.
public enum MultipleTesting {
    /// Benjamini–Hochberg adjusted p-values, R's `p.adjust(method = "BH")`.
    ///
    /// For the i-th smallest of m p-values: min over j ≥ i of m·p₍ⱼ₎/j, capped at 1. NaN p-values stay NaN and
    /// do not count in m.
    public static func benjaminiHochberg(_ p: [Double]) -> [Double] {
        let order = p.indices.filter { !p[$0].isNaN }.sorted { p[$0] < p[$1] }
        let m = Double(order.count)
        var adjusted = [Double](repeating: .nan, count: p.count)
        var running = 1.0
        for rank in stride(from: order.count - 1, through: 0, by: -1) {
            let index = order[rank]
            running = min(running, m * p[index] / Double(rank + 1))
            adjusted[index] = running
        }
        return adjusted
    }
}
