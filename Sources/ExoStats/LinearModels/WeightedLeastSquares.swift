/// The (weighted) least-squares fit of one feature on a design matrix, as limma's lmFit fits each gene.
public struct WeightedLeastSquares: Sendable, Hashable {
    /// β̂, one per design column (NaN when the design is singular on the samples present).
    public var coefficients: [Double]
    /// √((XᵀWX)⁻¹)ⱼⱼ for each coefficient: its standard deviation divided by σ.
    public var unscaledSD: [Double]
    /// s² = Σ wᵢrᵢ² / (n − p), NaN without residual degrees of freedom.
    public var residualVariance: Double
    /// n − p.
    public var residualDF: Double
    /// Xβ̂ for every sample of the design (also those left out for a missing value).
    public var fitted: [Double]

    /// Fits y on `design` (one row per sample, one column per term) with optional weights; samples with a missing
    /// y (NaN) or a weight that is not positive are left out.
    public init(y: [Double], design: [[Double]], weights: [Double]? = nil) {
        let columns = design.first?.count ?? 0
        let rows = y.indices.filter { !y[$0].isNaN && (weights?[$0] ?? 1) > 0 }
        var information = [[Double]](repeating: [Double](repeating: 0, count: columns), count: columns)
        var score = [Double](repeating: 0, count: columns)
        for row in rows {
            let w = weights?[row] ?? 1
            let x = design[row]
            for a in 0..<columns {
                score[a] += w * x[a] * y[row]
                for b in a..<columns { information[a][b] += w * x[a] * x[b] }
            }
        }
        for a in 0..<columns { for b in 0..<a { information[a][b] = information[b][a] } }
        residualDF = Double(rows.count - columns)
        guard rows.count >= columns, let beta = LinearAlgebra.solve(information, score) else {
            coefficients = [Double](repeating: .nan, count: columns)
            unscaledSD = coefficients
            residualVariance = .nan
            residualDF = max(residualDF, 0)
            fitted = [Double](repeating: .nan, count: y.count)
            return
        }
        coefficients = beta
        unscaledSD = (0..<columns).map { column in
            var unit = [Double](repeating: 0, count: columns)
            unit[column] = 1
            return (LinearAlgebra.solve(information, unit)?[column] ?? .nan).squareRoot()
        }
        fitted = design.map { x in zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        var squares = 0.0
        for row in rows {
            let residual = y[row] - fitted[row]
            squares += (weights?[row] ?? 1) * residual * residual
        }
        residualVariance = residualDF > 0 ? squares / residualDF : .nan
    }

    /// The fit of one coefficient, for the moderated t.
    public func fit(of coefficient: Int) -> ModeratedT.Fit {
        ModeratedT.Fit(
            coefficient: coefficients[coefficient], unscaledSD: unscaledSD[coefficient],
            residualVariance: residualVariance, residualDF: residualDF)
    }
}
