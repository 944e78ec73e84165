public import ExoFormats
import Foundation

extension AmplificationCurve {
    /// Messages that LinRegPCR itself writes into `<excl>` and `<note>`; a re-analysed file must not read
    /// them as the user's exclusions.
    static let generatedMessages: Set<String> = [
        "amplification in negative control", "plateau in negative control", "no amplification in positive control",
        "baseline error in positive control", "instable baseline", "instable baseline in positive control",
        "no plateau in positive control", "noisy sample in positive control", "Cq < 10, N0 unreliable", "Cq > 34",
        "no indiv PCR eff can be calculated", "PCR efficiency outlier", "no amplification", "baseline error",
        "no plateau", "noisy sample", "Cq too high", "N0 unreliable",
    ]

    /// The user's own exclusion reasons in an `<excl>` text, without LinRegPCR's generated messages.
    static func userExclusion(_ text: String?) -> String {
        guard let text else { return "" }
        return text.split(separator: ";").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { part in
            !part.isEmpty && !generatedMessages.contains(part) && !part.hasPrefix("indiv PCR eff is")
                && !(part.hasPrefix("only ") && part.hasSuffix(" values in log phase"))
        }.joined(separator: ";")
    }

    /// The amplification curves of one RDML run: one per `<data>`, in document order, as LinRegPCR counts
    /// them (a `<data>` without points is a curve that did not amplify); none for a run without any
    /// amplification points (melting-only or digital PCR).
    ///
    /// - Parameters:
    ///   - run: the run.
    ///   - document: the document, for sample types, nucleotides and dye chemistries.
    /// - Returns: the curves.
    public static func curves(of run: RDMLRun, in document: RDMLDocument) -> [AmplificationCurve] {
        guard run.reactions.contains(where: { $0.data.contains { !$0.amplification.isEmpty } }) else { return [] }
        var curves: [AmplificationCurve] = []
        for reaction in run.reactions {
            let sample = document.sample(reaction.sample)
            for data in reaction.data {
                let target = document.target(data.target)
                let dye = target?.dye
                let chemistryText = dye.flatMap { document.dyeChemistry[$0] }
                let chemistry = chemistryText.flatMap(Chemistry.init(rawValue:)) ?? .nonSaturatingDye
                var curve =
                    AmplificationCurve(
                        reaction: reaction.id, well: reaction.well, sample: reaction.sample,
                        sampleType: sample?.kind.rawValue ?? "unkn", nucleotide: sample?.nucleotide ?? "cDNA",
                        target: data.target, chemistry: chemistry, isExcluded: !userExclusion(data.excluded).isEmpty,
                        points: data.amplification.map { Point(cycle: $0.cycle, fluorescence: $0.fluorescence) })
                curve.amplicons = AmpliconsAtTD0(
                    target: target, chemistry: chemistryText,
                    dyeConcentration: dye.flatMap { document.dyeConcentration[$0] },
                    doubleStranded: sample?.doubleStranded,
                    volume: reaction.volume, plateColumns: run.format?.columns)
                curves.append(curve)
            }
        }
        return curves
    }
}
