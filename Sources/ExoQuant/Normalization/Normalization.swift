public import ExoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How exosomal miRNA Cq values are normalised before comparison.
///
/// Every method returns ΔCq = Cq(miRNA) − Cq(normaliser) per sample; a smaller ΔCq is more miRNA. The relative
/// quantity is (1 + E)^(−ΔCq) with the assay's efficiency E (1 for doubling).
public enum Normalization: Sendable, Hashable, Codable {
    /// An exogenous spike-in added before RNA extraction (cel-miR-39-3p): corrects extraction and RT yield,
    /// not the amount of input EVs.
    case spikeIn(String)
    /// The mean Cq of endogenous reference miRNAs (the geometric mean of their quantities, as geNorm advises).
    case references([String])
    /// The mean Cq of every miRNA expressed (Cq ≤ `maximumCq`) in all samples (Mestdagh et al. 2009,
    /// doi:10.1186/gb-2009-10-6-r64); for profiling panels of dozens of miRNAs or more.
    case globalMean(maximumCq: Double)

    /// The analytes the normaliser is made of: the spike-in, the references, or for the global mean every
    /// analyte with Cq ≤ `maximumCq` in all samples.
    public func analytes(in matrix: CqMatrix) -> [String] {
        switch self {
        case .spikeIn(let name): [name]
        case .references(let names): names
        case .globalMean(let maximumCq):
            matrix.analytes.filter { analyte in
                matrix.samples.allSatisfy { (matrix[$0, analyte] ?? .infinity) <= maximumCq }
            }
        }
    }

    /// The normaliser's Cq in each sample, or `nil` where it is missing.
    ///
    /// With `amplificationFactors` (per analyte, LinRegPCR's mean PCR efficiency, 2 for doubling; an analyte
    /// without one counts as 2), every Cq is first scaled to doubling-equivalent cycles, Cq · log2(E), so that
    /// the mean over references is the geometric mean of their efficiency-corrected quantities E^(−Cq).
    public func normaliserCq(_ matrix: CqMatrix, amplificationFactors: [String: Double] = [:]) -> [SampleID: Double?] {
        let scaled = { (sample: SampleID, analyte: String) -> Double? in
            matrix[sample, analyte].map { $0 * Self.log2Factor(amplificationFactors[analyte]) }
        }
        switch self {
        case .spikeIn(let name):
            return Dictionary(uniqueKeysWithValues: matrix.samples.map { ($0, scaled($0, name)) })
        case .references(let names):
            return Dictionary(
                uniqueKeysWithValues: matrix.samples.map { sample in
                    let values = names.map { scaled(sample, $0) }
                    return (
                        sample,
                        values.contains { $0 == nil } || values.isEmpty
                            ? nil : values.compactMap { $0 }.reduce(0, +) / Double(values.count)
                    )
                })
        case .globalMean:
            let expressed = analytes(in: matrix)
            return Dictionary(
                uniqueKeysWithValues: matrix.samples.map { sample in
                    (
                        sample,
                        expressed.isEmpty
                            ? nil : expressed.compactMap { scaled(sample, $0) }.reduce(0, +) / Double(expressed.count)
                    )
                })
        }
    }

    /// ΔCq of `analyte` in every sample where both it and the normaliser have a Cq.
    ///
    /// With `amplificationFactors`, the efficiency-corrected ΔCq in doubling-equivalent cycles:
    /// Cq · log2(E) of the analyte minus that of the normaliser, so that 2^(−ΔCq) is the normalised relative
    /// quantity of qbase (Hellemans et al. 2007, doi:10.1186/gb-2007-8-2-r19) and the ratio of two samples is
    /// Pfaffl's. Without factors (or with all factors 2) it is the plain ΔCq.
    public func deltaCq(_ matrix: CqMatrix, analyte: String, amplificationFactors: [String: Double] = [:])
        -> [SampleID: Double]
    {
        let normaliser = normaliserCq(matrix, amplificationFactors: amplificationFactors)
        let factor = Self.log2Factor(amplificationFactors[analyte])
        var result: [SampleID: Double] = [:]
        for sample in matrix.samples {
            if let cq = matrix[sample, analyte], let reference = normaliser[sample] ?? nil {
                result[sample] = cq * factor - reference
            }
        }
        return result
    }

    /// log2 of an amplification factor; 1 for none.
    private static func log2Factor(_ factor: Double?) -> Double {
        guard let factor else { return 1 }
        precondition(factor > 1, "amplification factors must exceed 1")
        return log2(factor)
    }
}

/// The efficiency-corrected relative expression ratio of Pfaffl (2001), doi:10.1093/nar/29.9.e45.
///
/// ratio = E_target^(Cq_target(control) − Cq_target(sample)) / E_reference^(Cq_reference(control) − Cq_reference(sample)),
/// with E the amplification factor per cycle (2 for doubling; LinRegPCR's "PCR efficiency").
public func pfafflRatio(
    targetFactor: Double, targetCqControl: Double, targetCqSample: Double, referenceFactor: Double,
    referenceCqControl: Double, referenceCqSample: Double
) -> Double {
    precondition(targetFactor > 1 && referenceFactor > 1, "amplification factors must exceed 1")
    return Double.pow(targetFactor, targetCqControl - targetCqSample)
        / Double.pow(referenceFactor, referenceCqControl - referenceCqSample)
}

extension Double {
    fileprivate static func pow(_ base: Double, _ exponent: Double) -> Double { exp(exponent * log(base)) }
}
