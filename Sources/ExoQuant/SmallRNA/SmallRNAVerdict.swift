import Foundation

/// The per-sample gate, in the spirit of the exRNA Atlas's.
///
/// exceRpt passes a sample with more than 100,000 reads on annotated small RNAs and more than half of its
/// genome-mapped reads on them. ExoScope maps to no genome, so the denominator is the length-passing inserts
/// (annotated, spike-in and unassigned): every insert a genome step would try to map. That denominator also holds
/// inserts a genome would not take (bacterial, adapter artefacts), so the fraction is never higher than
/// exceRpt's and the gate is, if anything, stricter. Both thresholds are options.
public struct SmallRNAVerdict: Sendable {
    public var passed: Bool
    public var reason: String

    public init(_ sample: SmallRNASampleCounts, options: SmallRNACountOptions) {
        let annotated = sample.annotatedReads
        let passing = sample.lengthPassingReads
        let fraction = passing > 0 ? Double(annotated) / Double(passing) : 0
        var problems: [String] = []
        if annotated <= options.minimumAnnotatedReads {
            problems.append("\(annotated) annotated reads, not more than \(options.minimumAnnotatedReads)")
        }
        if fraction <= options.minimumAnnotatedFraction {
            problems.append(
                "annotated fraction \(String(format: "%.3f", fraction)), not more than \(options.minimumAnnotatedFraction)"
            )
        }
        passed = problems.isEmpty
        reason = problems.isEmpty ? "" : problems.joined(separator: "; ")
    }
}
