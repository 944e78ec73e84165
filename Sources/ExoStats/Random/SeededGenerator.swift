/// A seeded, platform-independent random number generator: xoshiro256** (Blackman & Vigna 2018,
/// doi:10.1145/3460772), its state filled from the seed by SplitMix64 as the authors recommend.
///
/// The same seed gives the same stream on every machine and Swift version, which
/// `SystemRandomNumberGenerator` does not promise. Not for cryptography.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose stream is fixed by `seed`.
    public init(seed: UInt64) {
        var splitMix = SplitMix64(state: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in 0 ..< `count`, from the top 53 bits (bias below 2⁻⁴⁰ for the sizes used here).
    public mutating func index(below count: Int) -> Int {
        min(Int(nextUnitInterval() * Double(count)), count - 1)
    }

    /// A standard normal deviate by the Box–Muller transform (one of the pair; deterministic per call).
    public mutating func nextStandardNormal() -> Double {
        var u1 = nextUnitInterval()
        while u1 == 0 { u1 = nextUnitInterval() }
        let u2 = nextUnitInterval()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// A normal deviate with the given mean and standard deviation.
    public mutating func nextNormal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * nextStandardNormal()
    }

    private func rotateLeft(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }
}

/// SplitMix64 (Steele, Lea & Flood 2014), used to expand a 64-bit seed into generator state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    /// Creates a generator at `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
