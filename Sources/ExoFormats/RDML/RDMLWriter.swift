import ExoCore
public import Foundation
import ZIPFoundation

/// Writes RDML 1.3 files: samples, targets, dyes, runs and amplification points, zipped as `rdml_data.xml`.
///
/// Used by the demo study and by tests; what it writes, ``RDMLReader`` and rdmlpython read.
public enum RDMLWriter {
    /// The XML document.
    public static func xml(_ document: RDMLDocument) -> String {
        var xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rdml xmlns=\"\(RDMLReader.namespace)\" version=\"1.3\">\n"
        for dye in document.dyes {
            xml += "<dye id=\"\(escape(dye))\">"
            if let chemistry = document.dyeChemistry[dye] { xml += "<dyeChemistry>\(escape(chemistry))</dyeChemistry>" }
            xml += "</dye>\n"
        }
        for sample in document.samples {
            xml += "<sample id=\"\(escape(sample.id))\"><type>\(sample.kind.rawValue)</type>"
            if let quantity = sample.quantity {
                xml +=
                    "<quantity><value>\(quantity)</value><unit>\(escape(sample.quantityUnit ?? "cop"))</unit></quantity>"
            }
            xml += "</sample>\n"
        }
        for target in document.targets {
            xml += "<target id=\"\(escape(target.id))\"><type>\(escape(target.type ?? "toi"))</type>"
            if let dye = target.dye { xml += "<dyeId id=\"\(escape(dye))\"/>" }
            xml += "</target>\n"
        }
        for (experiment, runs) in Dictionary(grouping: document.runs, by: \.experiment).sorted(by: { $0.key < $1.key })
        {
            xml += "<experiment id=\"\(escape(experiment))\">\n"
            for run in runs {
                xml += "<run id=\"\(escape(run.id))\">"
                if let format = run.format {
                    xml += "<pcrFormat><rows>\(format.rows)</rows><columns>\(format.columns)</columns>"
                    xml +=
                        "<rowLabel>\(format.rowLabel)</rowLabel><columnLabel>\(format.columnLabel)</columnLabel></pcrFormat>"
                }
                xml += "\n"
                for reaction in run.reactions {
                    xml += "<react id=\"\(escape(reaction.id))\"><sample id=\"\(escape(reaction.sample))\"/>"
                    for data in reaction.data {
                        xml += "<data><tar id=\"\(escape(data.target))\"/>"
                        if let excluded = data.excluded { xml += "<excl>\(escape(excluded))</excl>" }
                        for point in data.amplification {
                            xml +=
                                "<adp><cyc>\(format(point.cycle))</cyc><fluor>\(format(point.fluorescence))</fluor></adp>"
                        }
                        xml += "</data>"
                    }
                    xml += "</react>\n"
                }
                xml += "</run>\n"
            }
            xml += "</experiment>\n"
        }
        return xml + "</rdml>\n"
    }

    /// The RDML file: `rdml_data.xml` in a deflated zip archive, byte-identical for the same document.
    ///
    /// - Throws: ZIPFoundation's errors if the archive cannot be built in memory.
    public static func archive(_ document: RDMLDocument) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let bytes = Data(xml(document).utf8)
        // A fixed modification time (2025-01-06 00:00 UTC), so the same document always gives the same bytes.
        try archive.addEntry(
            with: "rdml_data.xml", type: .file, uncompressedSize: Int64(bytes.count),
            modificationDate: Date(timeIntervalSince1970: 1_736_121_600), compressionMethod: .deflate
        ) { position, size in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
        return archive.data ?? Data()
    }

    /// Integers without a fraction, others with up to four decimals.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        let scaled = (value * 10_000).rounded() / 10_000
        return String(scaled)
    }

    /// XML-escapes text for attributes and elements.
    static func escape(_ text: String) -> String { text.escapedForMarkup(apostrophe: "&apos;") }
}
