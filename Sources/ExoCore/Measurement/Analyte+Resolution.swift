extension Analyte {
    /// Well-known lncRNA gene symbols in exosome studies, recognised without an `lncRNA` prefix.
    public static let knownLncRNASymbols: Set<String> = [
        "H19", "HOTAIR", "MALAT1", "UCA1", "PVT1", "MEG3", "GAS5", "HULC", "TUG1", "NEAT1", "XIST", "CRNDE",
        "ZFAS1", "HOTTIP", "SNHG1", "SNHG3", "PCAT1", "ATB", "ARSR", "lncARSR",
    ]

    /// Reads a written analyte name: an lncRNA or circRNA keeps its name and type, a miRNA is resolved
    /// against miRBase, and anything else is only accepted with an explicit `kind`.
    ///
    /// - Parameters:
    ///   - written: the name as written (`miR-4458`, `circCCAR1`, `lncRNA H19`).
    ///   - kind: the analyte kind when the file says it; `nil` lets the name decide.
    ///   - catalog: the miRBase table.
    /// - Returns: the analyte, or the miRNA resolution that failed.
    public static func resolve(
        _ written: String, kind: AnalyteKind? = nil, catalog: MiRNACatalog = .bundled
    ) -> Result<(analyte: Analyte, resolution: ResolvedMiRNA?), AnalyteResolutionFailure> {
        let text = written.trimmingWhitespace()
        switch kind ?? inferredKind(of: text) {
        case .protein, .particle, .other:
            return .success((Analyte(name: text, kind: kind ?? .protein), nil))
        case .snRNA, .snoRNA, .spikeIn, .assayControl:
            return .success((Analyte(name: text, kind: kind ?? inferredKind(of: text) ?? .assayControl), nil))
        case .circRNA:
            return .success((Analyte(name: canonicalCircRNA(text), kind: .circRNA), nil))
        case .lncRNA:
            return .success((Analyte(name: canonicalLncRNA(text), kind: .lncRNA), nil))
        case .miRNA, nil:
            switch catalog.resolve(text) {
            case .resolved(let resolved):
                return .success(
                    (Analyte(name: resolved.name, kind: .miRNA, accession: resolved.entry.accession), resolved))
            case let failure:
                return .failure(AnalyteResolutionFailure(resolution: failure))
            }
        }
    }

    /// The kind a name implies by its spelling, or `nil` (then it is read as a miRNA).
    ///
    /// Beside lncRNA and circRNA names, the small non-coding references and the assay controls of miRNA
    /// RT-qPCR are recognised by their usual assay names: `U6`, `RNU6B`, `RNU6-2` (snRNA); `RNU44`, `RNU48`,
    /// `SNORD48`, `SNORA74A`, `SCARNA17` (snoRNA); `RNase P`, `RPPH1` (assay control); `ERCC-00130`, `UniSp6`
    /// (spike-in). HGNC numbers the snRNA genes RNU1, RNU2, RNU4, RNU5, RNU6, RNU7, RNU11 and RNU12; the other
    /// RNU numbers (RNU24, RNU43, RNU44, RNU48, RNU49, RNU58 …) are the snoRNAs' former symbols.
    public static func inferredKind(of text: String) -> AnalyteKind? {
        let lower = text.lowercased()
        if lower.hasPrefix("circ") || lower.contains("_circ_") { return .circRNA }
        if lower.hasPrefix("lnc") || lower.hasPrefix("linc") || knownLncRNASymbols.contains(text) { return .lncRNA }
        return smallRNAOrControlKind(of: lower)
    }

    /// snRNA, snoRNA, spike-in or assay control, from a lowercased name.
    private static func smallRNAOrControlKind(of lower: String) -> AnalyteKind? {
        let compact = String(lower.unicodeScalars.filter { $0 != " " && $0 != "_" })
        if compact == "rnasep" || compact.hasPrefix("rpph1") || compact == "ipc" { return .assayControl }
        if compact.hasPrefix("ercc-") || compact.hasPrefix("unisp") { return .spikeIn }
        for prefix in ["snord", "snora", "scarna"] where compact.hasPrefix(prefix) {
            return compact.dropFirst(prefix.count).first?.isNumber == true ? .snoRNA : nil
        }
        if compact == "u6" || compact == "u6snrna" || compact == "7sk" || compact == "rn7sk" { return .snRNA }
        guard compact.hasPrefix("rnu") else { return nil }
        let digits = compact.dropFirst(3).prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        return [1, 2, 4, 5, 6, 7, 11, 12].contains(number) ? .snRNA : .snoRNA
    }

    /// `circCCAR1` for `CircCCAR1`, `circ-CCAR1` or `circRNA CCAR1`; `hsa_circ_0001649` unchanged.
    static func canonicalCircRNA(_ text: String) -> String {
        guard text.lowercased().hasPrefix("circ") else { return text }
        var rest = text.dropFirst(4)
        if rest.lowercased().hasPrefix("rna") { rest = rest.dropFirst(3) }
        return "circ" + rest.drop(while: { $0 == " " || $0 == "-" || $0 == "_" })
    }

    /// `H19` for `lncRNA H19` or `lnc-H19`; `LINC00152` unchanged.
    static func canonicalLncRNA(_ text: String) -> String {
        let lower = text.lowercased()
        guard lower.hasPrefix("lnc"), !lower.hasPrefix("linc") else { return text }
        var rest = text.dropFirst(3)
        if rest.lowercased().hasPrefix("rna") { rest = rest.dropFirst(3) }
        let symbol = rest.drop(while: { $0 == " " || $0 == "-" || $0 == "_" })
        return symbol.isEmpty ? text : String(symbol)
    }
}

/// A written analyte name that did not resolve to one miRNA.
public struct AnalyteResolutionFailure: Error, Hashable, Sendable {
    /// The failed miRBase resolution.
    public let resolution: MiRNAResolution

    /// The error kind to report.
    public var kind: InputError.Kind {
        if case .ambiguous = resolution { return .ambiguousAnalyte }
        return .unknownAnalyte
    }

    /// What was found, for the message.
    public var message: String {
        switch resolution {
        case .resolved(let resolved): "'\(resolved.written)' resolved"
        case .ambiguous(let written, let candidates):
            "miRNA name \(InputError.quoted(written)) is ambiguous: it fits \(candidates.joined(separator: " and "))"
        case .withdrawn(let written, let accession):
            "miRNA \(InputError.quoted(written)) (\(accession)) was removed from miRBase in release 22"
        case .unknown(let written, _):
            "unknown analyte \(InputError.quoted(written)): not a miRBase release 22 miRNA, lncRNA or circRNA name"
        case .unsupportedSpecies(let written, let species):
            "miRNA \(InputError.quoted(written)) is from species '\(species)', which the bundled miRBase table does not cover"
        }
    }

    /// How to fix it.
    public var hint: String? {
        switch resolution {
        case .ambiguous(_, let candidates): "write the arm explicitly, for example '\(candidates[0])'"
        case .unknown(_, let nearest) where !nearest.isEmpty:
            "nearest miRBase names: \(nearest.joined(separator: ", ")); for another analyte add an analyte_type column (\(AnalyteKind.spellings.filter { $0 != "miRNA" }.joined(separator: ", "))) or map the name with targetMap in study.yaml"
        case .unsupportedSpecies:
            "the table covers human (hsa) and the spike-ins cel-miR-39-3p, cel-miR-54-3p, cel-miR-238-3p"
        case .withdrawn: "use a current miRBase name, or drop the analyte"
        default: nil
        }
    }
}
