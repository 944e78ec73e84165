/// Recommends a normalisation for exosomal miRNA qPCR from the data, with the reason.
///
/// Rules, in order (MIQE and the miRNA literature):
/// 1. Twenty or more miRNAs with a Cq ≤ the cut-off (default 35) in every sample: the **global mean** (Mestdagh et al. 2009,
///    doi:10.1186/gb-2009-10-6-r64, found it best for profiling panels of that size).
/// 2. At least two endogenous references whose two most stable members have geNorm M < 0.5 (the
///    threshold for homogeneous samples, Hellemans et al. 2007, doi:10.1186/gb-2007-8-2-r19): the **references**.
/// 3. A spike-in: the **spike-in**, which corrects extraction and reverse-transcription yield but not the
///    amount of input vesicles.
/// 4. Otherwise none is justified by the data.
public enum NormalizationAdvisor {
    /// A recommendation and why.
    public struct Advice: Sendable, Hashable {
        public var normalization: Normalization?
        public var reason: String
    }

    /// The recommendation for a study's Cq values.
    ///
    /// - Parameters:
    ///   - matrix: mean Cq per sample and analyte.
    ///   - spikeIns: spike-in analyte names of the study.
    ///   - references: endogenous reference candidates of the study.
    ///   - maximumCq: the global mean's Cq cut-off (the study's `globalMeanMaximumCq`).
    /// - Returns: the advice.
    public static func recommend(
        _ matrix: CqMatrix, spikeIns: [String], references: [String], globalMeanMaximumCq maximumCq: Double = 35
    ) -> Advice {
        let expressed = matrix.analytes.filter { analyte in
            !spikeIns.contains(analyte)
                && matrix.samples.allSatisfy { (matrix[$0, analyte] ?? .infinity) <= maximumCq }
        }
        if expressed.count >= 20 {
            let cutOff =
                maximumCq == maximumCq.rounded() && maximumCq < 1e9 ? String(Int(maximumCq)) : String(maximumCq)
            return Advice(
                normalization: .globalMean(maximumCq: maximumCq),
                reason:
                    "\(expressed.count) miRNAs have a Cq ≤ \(cutOff) in every sample; the global mean is the most robust normaliser for panels of 20 or more"
            )
        }
        if references.count >= 2, let stability = GeNorm.analyze(matrix, genes: references),
            let best = stability.stabilities.last
        {
            let pair = stability.order.suffix(2).joined(separator: " and ")
            if best < 0.5 {
                return Advice(
                    normalization: .references(Array(stability.order.suffix(max(stability.optimalNumber, 2)))),
                    reason: "the references \(pair) are stable together (geNorm M = \(format(best)) < 0.5)")
            }
            if let spikeIn = spikeIns.first {
                return Advice(
                    normalization: .spikeIn(spikeIn),
                    reason:
                        "the endogenous references vary (best pair \(pair): geNorm M = \(format(best)) ≥ 0.5); the spike-in \(spikeIn) corrects extraction and RT yield"
                )
            }
        }
        if let spikeIn = spikeIns.first {
            return Advice(
                normalization: .spikeIn(spikeIn),
                reason:
                    "fewer than two endogenous references to judge; the spike-in \(spikeIn) corrects extraction and RT yield"
            )
        }
        return Advice(
            normalization: nil, reason: "no spike-in, no stable references and fewer than 20 expressed miRNAs")
    }

    static func format(_ value: Double) -> String { String((value * 1000).rounded() / 1000) }
}
