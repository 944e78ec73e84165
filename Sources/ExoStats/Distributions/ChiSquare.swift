/// The chi-square distribution.
public struct ChiSquare: Sendable, Hashable {
    public let degreesOfFreedom: Double

    /// Creates the distribution with ν > 0 degrees of freedom.
    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "degrees of freedom \(degreesOfFreedom) must be positive")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(X > x), the upper tail: Q(ν/2, x/2).
    public func upperTail(_ x: Double) -> Double {
        x <= 0 ? 1 : SpecialFunctions.regularizedUpperIncompleteGamma(degreesOfFreedom / 2, x / 2)
    }
}
