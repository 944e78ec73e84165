#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Natural logarithm from the C library (correctly rounded on glibc for the values used here).
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
/// Cosine from the C library.
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
