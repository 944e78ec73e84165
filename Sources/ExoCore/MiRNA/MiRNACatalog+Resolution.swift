extension MiRNACatalog {
    /// Resolves a written miRNA name to a release-22 mature miRNA, by the documented rules only.
    ///
    /// Rules, tried in order after reading the spelling (see ``MiRNANameParts``):
    /// 1. `current`: the canonical spelling is a release-22 ID.
    /// 2. `release21Alias`: it is the release-21 ID of an accession release 22 renamed
    ///    (`hsa-miR-375` → `hsa-miR-375-3p`); a release-21 ID release 22 removed is `withdrawn`.
    /// 3. `previousID`: miRBase records it as a previous ID of one mature miRNA
    ///    (`hsa-miR-21` → `hsa-miR-21-5p`), from `previous-ids.tsv`.
    /// 4. `onlyCandidate`: every release-22 name that agrees with what *was* written (number, and the
    ///    letter, paralog and arm where given) is a single one (`cel-miR-39` → `cel-miR-39-3p`).
    /// Otherwise several candidates are `ambiguous` (`miR-151a` → 5p or 3p), and none is `unknown`
    /// with the three nearest names by edit distance. A `*` (minor-arm) name is always ambiguous
    /// between the arms, since which arm was minor depended on the release.
    ///
    /// - Complexity: O(n) in the table size for arm-less names and unknown names, O(1) otherwise.
    public func resolve(_ written: String, defaultSpecies: String = "hsa") -> MiRNAResolution {
        guard let parts = MiRNANameParts(parsing: written) else {
            return .unknown(written: written, nearest: nearestNames(to: written))
        }
        let speciesCode = parts.species ?? defaultSpecies
        guard species.contains(speciesCode) else {
            return .unsupportedSpecies(written: written, species: speciesCode)
        }
        let canonical = parts.canonical(defaultSpecies: defaultSpecies)
        if parts.isStar {
            var armless = parts
            armless.arm = nil
            let candidates = candidates(matching: armless, species: speciesCode).filter { $0.hasSuffix("p") }
            return candidates.isEmpty
                ? .unknown(written: written, nearest: nearestNames(to: canonical))
                : .ambiguous(written: written, candidates: candidates)
        }
        func resolved(_ entry: MatureMiRNA, _ rule: ResolvedMiRNA.Rule) -> MiRNAResolution {
            .resolved(ResolvedMiRNA(written: written, entry: entry, rule: rule, corrections: parts.corrections))
        }
        if let entry = entry(named: canonical) { return resolved(entry, .current) }
        if let entry = entry(release21Name: canonical) {
            guard entry.name != nil else { return .withdrawn(written: written, accession: entry.accession) }
            return resolved(entry, .release21Alias)
        }
        if let entry = entry(previousID: canonical) { return resolved(entry, .previousID) }
        let candidates = candidates(matching: parts, species: speciesCode)
        if candidates.count == 1, let only = candidates.first, let entry = entry(named: only) {
            return resolved(entry, .onlyCandidate)
        }
        if candidates.count > 1 { return .ambiguous(written: written, candidates: candidates) }
        return .unknown(written: written, nearest: nearestNames(to: canonical))
    }

    /// Whether `written` is spelled like a miRNA name (`miR-21`, `hsa-let-7a-5p`), resolvable or not; cheap,
    /// unlike ``resolve(_:defaultSpecies:)`` on an unknown name, which looks for the nearest names.
    public func isSpelledLikeMiRNA(_ written: String) -> Bool { MiRNANameParts(parsing: written) != nil }

    /// Current names that agree with every part that `parts` spells out.
    func candidates(matching parts: MiRNANameParts, species speciesCode: String) -> [String] {
        parsedNames.compactMap { index, name in
            guard name.species == speciesCode, name.family == parts.family, name.number == parts.number,
                parts.letter.isEmpty || name.letter == parts.letter,
                parts.paralogs.isEmpty || name.paralogs == parts.paralogs,
                parts.arm == nil || name.arm == parts.arm
            else { return nil }
            return entries[index].name
        }
    }

    /// The three current names nearest to `text` by edit distance.
    func nearestNames(to text: String) -> [String] {
        EditDistance.nearest(to: text, in: currentNames, limit: 3)
    }
}
