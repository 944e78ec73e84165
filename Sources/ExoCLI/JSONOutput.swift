import Foundation

/// Prints a value as pretty, key-sorted JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// A number for JSON, which has no spelling for NaN or infinity: the value when finite, else `nil` (null).
func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
