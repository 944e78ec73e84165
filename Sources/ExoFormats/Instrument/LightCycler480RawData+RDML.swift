import ExoCore
import Foundation

extension LightCycler480RawData {
    /// The RDML sample type of a LightCycler sample role: `Unknown` → `unkn`; `Negative` and `Negative Control`
    /// → `ntc` (LightCycler's negative is the no-template control); `Standard` → `std`; `PosCalibrator`,
    /// `Calibrator`, `Positive` and `Positive Control` → `pos`; anything else → `unkn`.
    public static func sampleKind(role: String) -> RDMLSample.Kind {
        switch role.lowercased() {
        case "negative", "negative control": .ntc
        case "standard": .std
        case "poscalibrator", "calibrator", "positive", "positive control": .pos
        default: .unkn
        }
    }

    /// The curves as an RDML document of one run, to be analysed like any RDML file.
    ///
    /// Each well becomes a reaction numbered on an 8 × 12 plate (16 × 24 when a position lies outside A1–H12),
    /// with one data element per channel. With sample information, a well takes its sample name, its role
    /// (``sampleKind(role:)``), its target (for the channel named in `General:Filt. Comb.`, or for the only
    /// channel) and the target's type (`ref` for `Ref …`, else `toi`); without it, the `SampleName` column, `unkn`
    /// and the channel as the target. A sample name that appears with two roles (the same name used for a
    /// negative control and a calibrator) keeps its name for the first role and is written `NAME (kind)` for the
    /// others, since an RDML sample has one type. The experiment is the name on the file's first line (else
    /// the file's name without extension); the run is the file's name without extension.
    public func rdmlDocument(sampleInformation: LightCycler480SampleInformation? = nil) -> RDMLDocument {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let information = Dictionary(
            (sampleInformation?.entries ?? []).map { ($0.position, $0) }, uniquingKeysWith: { first, _ in first })
        let fitsNinetySix = wells.allSatisfy { well in
            let order = InstrumentLayout.plateOrder(well.position)
            return order[0] <= 8 && order[1] <= 12
        }
        let format = fitsNinetySix ? PlateFormat(rows: 8, columns: 12) : PlateFormat(rows: 16, columns: 24)
        var samples: [RDMLSample] = []
        var kindOfName: [String: RDMLSample.Kind] = [:]
        var targets: [RDMLTarget] = []
        var reactions: [RDMLReaction] = []
        for well in wells {
            let entry = information[well.position]
            let name = entry.map { $0.sampleName.isEmpty ? well.sampleName : $0.sampleName } ?? well.sampleName
            let kind = Self.sampleKind(role: entry?.role ?? "")
            var sampleID = name
            if let first = kindOfName[name], first != kind {
                sampleID = "\(name) (\(kind.rawValue))"
            } else {
                kindOfName[name] = kind
            }
            if !samples.contains(where: { $0.id == sampleID }) {
                samples.append(
                    RDMLSample(
                        id: sampleID, kind: kind, quantity: kind == .std ? entry?.concentration : nil,
                        quantityUnit: kind == .std && entry?.concentration != nil ? "cop" : nil))
            }
            var data: [RDMLReactionData] = []
            for channel in channels {
                guard let points = well.curves[channel] else { continue }
                var targetID = channel
                if let entry, !entry.target.isEmpty, entry.filter == channel || channels.count == 1 {
                    targetID = entry.target
                }
                if !targets.contains(where: { $0.id == targetID }) {
                    var target = RDMLTarget(id: targetID, dye: channel)
                    target.type = entry?.isReference == true && targetID == entry?.target ? "ref" : "toi"
                    targets.append(target)
                }
                data.append(
                    RDMLReactionData(
                        target: targetID, amplification: points, melting: [], location: well.location))
            }
            let number = format.reactionNumber(ofLabel: well.position) ?? reactions.count + 1
            reactions.append(
                RDMLReaction(
                    id: String(number), well: well.position, sample: sampleID, data: data, partitions: nil,
                    location: well.location))
        }
        let run = RDMLRun(experiment: experiment ?? stem, id: stem, format: format, reactions: reactions)
        return RDMLDocument(
            version: "1.3", path: path, entry: nil, dyes: channels, samples: samples, targets: targets, runs: [run])
    }
}
