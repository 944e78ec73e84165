/// A value with its unit.
///
/// Conversions exist only within a dimension and are exact powers of ten.
public struct Quantity: Hashable, Sendable, Codable, CustomStringConvertible {
    public var value: Double
    public var unit: MeasurementUnit

    /// Creates a quantity.
    public init(_ value: Double, _ unit: MeasurementUnit) {
        self.value = value
        self.unit = unit
    }

    /// The same amount in `target`, or `nil` when the dimensions differ.
    public func converted(to target: MeasurementUnit) -> Quantity? {
        guard unit != target else { return self }
        guard unit.dimension == target.dimension, let from = Self.scale[unit], let to = Self.scale[target] else {
            return nil
        }
        return Quantity(value * from / to, target)
    }

    /// Size of each unit relative to the first unit of its dimension.
    private static let scale: [MeasurementUnit: Double] = [
        .copiesPerMicroliter: 1_000, .copiesPerMilliliter: 1,
        .microgramsPerMilliliter: 1, .nanogramsPerMicroliter: 1,
    ]

    public var description: String { "\(value) \(unit.rawValue)" }
}
