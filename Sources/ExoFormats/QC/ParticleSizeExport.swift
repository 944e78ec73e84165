public import ExoCore
public import Foundation

/// A particle-size distribution export from any instrument, as concentration per size bin for each capture,
/// already multiplied by the recorded dilution.
///
/// NanoSight NTA `ExperimentSummary.csv`, ZetaView size-distribution text exports and the generic size-bin CSV
/// (docs/ev-qc.md; for TRPS, flow or any instrument) all read into this shape.
public struct ParticleSizeExport: Sendable {
    /// The formats ExoScope reads.
    public enum Format: String, Sendable, Codable {
        case nanoSight = "nanosight-nta"
        case zetaView = "zetaview"
        case sizeBins = "size-bins"
    }

    public let path: String
    public let format: Format
    /// The software and version that wrote the file ("NTA 3.4 Build 3.4.003", "ZetaView 8.05.12 SP1").
    public let software: String
    public let captures: [String]
    /// The recorded dilution factor, `nil` when the file records none.
    public let dilution: Double?
    /// Bin centres (nm), increasing.
    public let binCentres: [Double]
    /// Per capture, particles/ml in each bin of the undiluted sample.
    public let binConcentrations: [[Double]]
    /// The instrument's warnings that are not OK: (item, capture, value).
    public let warnings: [(item: String, capture: String, value: String)]
    /// The instrument's check items the file reports on, OK or not (NTA's "Validity of concentration measurement",
    /// "Noise level", …); empty for formats without them.
    public let checkedItems: Set<String>
    /// Per capture, the statistics the instrument printed (NTA); empty for formats that print none.
    public let printed: [SizeStatistics]

    /// Creates an export from its parts.
    public init(
        path: String, format: Format, software: String, captures: [String], dilution: Double?, binCentres: [Double],
        binConcentrations: [[Double]], warnings: [(item: String, capture: String, value: String)] = [],
        checkedItems: Set<String> = [], printed: [SizeStatistics] = []
    ) {
        self.path = path
        self.format = format
        self.software = software
        self.captures = captures
        self.dilution = dilution
        self.binCentres = binCentres
        self.binConcentrations = binConcentrations
        self.warnings = warnings
        self.checkedItems = checkedItems
        self.printed = printed
    }

    /// The warnings as text, "capture: item value".
    public var warningTexts: [String] { warnings.map { "\($0.capture): \($0.item) \($0.value)" } }

    /// The captures' histograms averaged bin by bin.
    public var pooledConcentrations: [Double] {
        binCentres.indices.map { bin in
            binConcentrations.reduce(0) { $0 + $1[bin] } / Double(max(binConcentrations.count, 1))
        }
    }

    /// The coefficient of variation of the captures' total concentrations (`nil` with one capture).
    public var captureCV: Double? {
        let totals = binConcentrations.map { $0.reduce(0, +) }
        guard totals.count > 1 else { return nil }
        let mean = totals.reduce(0, +) / Double(totals.count)
        guard mean > 0 else { return nil }
        let variance = totals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(totals.count - 1)
        return variance.squareRoot() / mean
    }

    /// Reads a size export of any supported format, recognised by its content.
    ///
    /// - Throws: `InputErrorList` with the reader's errors, or an `unreadableFile` error naming the formats when the
    ///   file is none of them.
    public static func read(url: URL, displayPath: String) throws(InputErrorList) -> ParticleSizeExport {
        guard let data = try? Data(contentsOf: url) else {
            throw InputErrorList([
                InputError(
                    .fileNotFound, at: InputLocation(path: displayPath), "cannot read \(InputError.quoted(displayPath))"
                )
            ])
        }
        return try read(data: data, displayPath: displayPath)
    }

    /// Reads a size export already in memory, recognised by its content.
    public static func read(data: Data, displayPath: String) throws(InputErrorList) -> ParticleSizeExport {
        let bytes = [UInt8](data)
        // NTA exports, the large ones, are read from the bytes without decoding the whole file.
        if bytes.starts(with: Array("NTA Experiment Summary File".utf8)) {
            return try NTAExperimentSummary(bytes: bytes, displayPath: displayPath).sizeExport
        }
        return try read(text: TextFile.utf8OrLatin1(data), displayPath: displayPath)
    }

    /// Reads the text of a size export of any supported format.
    public static func read(text: String, displayPath: String) throws(InputErrorList) -> ParticleSizeExport {
        let head = text.prefix(4096)
        if head.hasPrefix("NTA Experiment Summary File") || head.contains("[Experiment Details]") {
            return try NTAExperimentSummary(text: text, displayPath: displayPath).sizeExport
        }
        if ZetaViewExport.recognises(head) {
            return try ZetaViewExport.read(text: text, displayPath: displayPath)
        }
        if SizeBinTable.recognises(head) {
            return try SizeBinTable.read(text: text, displayPath: displayPath)
        }
        throw InputErrorList([
            InputError(
                .unreadableFile, at: InputLocation(path: displayPath, line: 1, column: 1),
                "not a particle-size export: expected a NanoSight ExperimentSummary.csv, a ZetaView size-distribution text export or a size-bin CSV",
                hint:
                    "a size-bin CSV starts with the header 'size_nm' followed by one column per capture (docs/ev-qc.md)"
            )
        ])
    }
}

extension NTAExperimentSummary {
    /// The number-weighted histogram as a format-neutral size export.
    public var sizeExport: ParticleSizeExport {
        ParticleSizeExport(
            path: path, format: .nanoSight, software: software, captures: captures, dilution: dilution,
            binCentres: binCentres, binConcentrations: binConcentrations, warnings: warnings,
            checkedItems: checkedItems,
            printed: captures.indices.map { index in
                func value(_ name: String) -> Double? {
                    printed[name].flatMap { index < $0.count ? $0[index]?.value : nil }
                }
                return SizeStatistics(
                    concentration: index < concentrations.count ? concentrations[index] : nil, mean: value("Mean"),
                    mode: value("Mode"), sd: value("SD"), d10: value("D10"), d50: value("D50"), d90: value("D90"))
            })
    }
}
