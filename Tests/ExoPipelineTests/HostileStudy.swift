import ExoCore
import ExoDiagnosis
import ExoPipeline
import ExoStore
import ExoTestSupport
import Foundation
import Testing

/// One hostile string written into one field of a study or a lot table.
struct HostilePayload: Sendable, CustomStringConvertible {
    /// Where it was written (`study.yaml title`).
    let field: String
    /// The number its scripts would write into `data-pwned`.
    let number: Int
    let text: String

    var description: String { "\(number) (\(field))" }

    /// Script that marks the page when it runs.
    ///
    /// `data-pwned` grows by `-number` each time one runs, so every field whose script ran is named. No quote,
    /// comma, space or slash, so it fits an unquoted attribute and every table format.
    static func mark(_ number: Int) -> String { "document.documentElement.dataset.pwned+=-\(number)" }

    /// Every attack on one line, for fields that are free text.
    ///
    /// Each `<` and `>` of a tag follows a prepend scalar (U+0600 and the next scalar are one `Character`, which
    /// a per-`Character` escaper passed through): `<img onerror>` and quotes that leave an attribute; unless
    /// `fileName` (a name has at most 255 bytes and no `/`) also `<svg onload>`, `<script>`, a combining mark after
    /// `<`, U+2028 (unless `lineSeparator` is false: instrument files are read line by line, and Swift counts
    /// U+2028 as a line break) and `javascript:`. No tab, comma or line feed.
    static func text(_ number: Int, fileName: Bool, lineSeparator: Bool) -> String {
        let mark = mark(number)
        var text = "\u{0600}<img src=x onerror=\(mark) x=\u{0600}> \u{0600}\"\u{0600}' onfocus=\(mark) x=\u{0600}>"
        guard !fileName else { return text }
        text += " \u{0600}<svg onload=\(mark) x=\u{0600}> <\u{0301}b> a\(lineSeparator ? "\u{2028}" : " ")b"
        return text + " javascript:\(mark) \u{0600}<script x=\u{0600}>\(mark)//\u{0600}</script x=\u{0600}>"
    }
}

/// A small demo study and a release lot table with a hostile string in every field that accepts free text, run
/// through the pipeline (`report.html`) and `exoscope qc release --certificate`.
///
/// Identifiers (study, sample and patient ids) are ASCII letters, digits, `.`, `_` and `-` by rule and cannot hold
/// markup; every other field a user writes does here.
struct HostileStudy: Sendable {
    /// A written page and the payloads that must appear in it as text.
    struct Page: Sendable {
        let name: String
        let url: URL
        let payloads: [HostilePayload]
    }

    let pages: [Page]

    /// Hands out numbered payloads and remembers which field got each.
    final class Payloads {
        private(set) var all: [HostilePayload] = []
        let offset: Int

        /// Payloads numbered from `offset + 1`.
        init(offset: Int = 0) { self.offset = offset }

        /// A new payload for `field`: a short one for a `fileName`, one without U+2028 for a line of an
        /// instrument file (without `lineSeparator`).
        func next(_ field: String, fileName: Bool = false, lineSeparator: Bool = true) -> String {
            let number = offset + all.count + 1
            let text = HostilePayload.text(number, fileName: fileName, lineSeparator: lineSeparator)
            all.append(HostilePayload(field: field, number: number, text: text))
            return text
        }
    }

    /// Writes both pages into a new folder.
    static func write() async throws -> HostileStudy {
        let folder = try Fixture.temporaryDirectory("exoscope-hostile")
        let report = try await writeReport(in: folder.appendingPathComponent("study"))
        let certificate = try writeCertificate(in: folder.appendingPathComponent("lots"))
        return HostileStudy(pages: [report, certificate])
    }

    /// A double-quoted YAML scalar: every non-ASCII scalar as `\uXXXX`, so U+2028 is not read as a line break.
    static func yaml(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                result +=
                    scalar.isASCII ? String(scalar) : "\\u" + String(format: "%04X", scalar.value)
            }
        }
        return result + "\""
    }

    /// Replaces a top-level key of a YAML file (with its indented continuation lines) by `key: value`.
    static func setKey(_ key: String, to value: String, in url: URL) throws {
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("\(key):") }) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no \(key) in \(url.path)"])
        }
        var end = start + 1
        while end < lines.count, lines[end].hasPrefix("  ") { end += 1 }
        lines.replaceSubrange(start..<end, with: ["\(key): \(value)"])
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
    }

    /// Replaces every occurrence of `text` in a file; the file must hold it.
    static func replace(_ text: String, with replacement: String, in url: URL) throws {
        let content = try String(contentsOf: url, encoding: .utf8)
        guard content.contains(text) else {
            throw CocoaError(
                .fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no '\(text)' in \(url.path)"])
        }
        try Data(content.replacingOccurrences(of: text, with: replacement).utf8).write(to: url)
    }

    /// The small demo study with hostile text in every free-text field, run through the pipeline.
    static func writeReport(in folder: URL) async throws -> Page {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var parameters = DemoStudy.Parameters()
        parameters.controls = 6
        parameters.casesByStage = [3, 3, 3, 3]
        parameters.monitoredPatients = 2
        parameters.responders = 1
        parameters.relapsing = 0
        try DemoStudy(parameters: parameters).write(to: folder)
        let payloads = Payloads()
        let yamlURL = folder.appendingPathComponent("study.yaml")
        try setKey("title", to: yaml(payloads.next("study.yaml title")), in: yamlURL)
        try setKey("description", to: yaml(payloads.next("study.yaml description")), in: yamlURL)
        try setKey("tumour", to: yaml(payloads.next("study.yaml tumour")), in: yamlURL)
        // The day offsets' event, in study.yaml and in every row of the sample sheet.
        let event = payloads.next("treatmentEvent and the sample sheet's event")
        try setKey("treatmentEvent", to: yaml(event), in: yamlURL)
        let sheet = folder.appendingPathComponent("samples.tsv")
        try replace("\ttreatment start\t", with: "\t\(event)\t", in: sheet)
        try replace("cisplatin + pemetrexed", with: payloads.next("sample sheet treatment"), in: sheet)
        try replace("osimertinib", with: payloads.next("sample sheet treatment (second regimen)"), in: sheet)
        try replace("\tweek 8\t", with: "\t\(payloads.next("sample sheet timepoint"))\t", in: sheet)
        // A measurement file with a hostile name holding a circRNA with a hostile name, which is also monitored.
        let fileName = "data/" + payloads.next("measurement file name", fileName: true) + ".tsv"
        let analyte = "circ" + payloads.next("analyte name (circRNA)")
        let samples = try String(contentsOf: sheet, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.prefix { $0 != "\t" } }
        let rows = samples.enumerated().map { "\($1)\t\(analyte)\t\(30 + Double($0 % 7) * 0.5)" }
        try Data((["sample_id\tanalyte\tvalue"] + rows).joined(separator: "\n").utf8).write(
            to: folder.appendingPathComponent(fileName))
        try replace(
            "\nanalytes:\n",
            with: "\n  - file: \(yaml(fileName))\n    assay: qPCR\n    unit: Cq\nanalytes:\n", in: yamlURL)
        try replace(
            "monitored: [miR-4458, miR-21]", with: "monitored: [miR-4458, miR-21, \(yaml(analyte))]", in: yamlURL)
        // A locked panel whose name is hostile.
        let model = MonitoringStageTests.fixtureModel(
            payloads.next("locked panel name"), normalisation: "-dCq against cel-miR-39-3p", intercept: 0.5,
            [("miR-4458", -1.2), ("miR-21", 0.8)])
        try MonitoringStageTests.writeModel(model.fileData(), in: folder)
        try replace("  probability: 0.95\n", with: "  probability: 0.95\n  panel: models/panel.json\n", in: yamlURL)
        // EV QC: the specification, the instrument's software and warnings, the reference material and stability.
        let specification = folder.appendingPathComponent("qc/specification.yaml")
        try setKey("name", to: yaml(payloads.next("EV QC specification name")), in: specification)
        try setKey("version", to: yaml(payloads.next("EV QC specification version")), in: specification)
        let software = payloads.next("NTA software version", lineSeparator: false)
        let warning = payloads.next("NTA warning", lineSeparator: false)
        let nta = folder.appendingPathComponent("qc/nta")
        for file in try FileManager.default.contentsOfDirectory(atPath: nta.path) {
            let url = nta.appendingPathComponent(file)
            try replace("NTA 3.4 Build 3.4.003", with: "NTA 3.4 \(software)", in: url)
            try replace("\nVibration detected,", with: "\nVibration detected,\(warning),", in: url)
        }
        try replace(
            "REF-EV-1", with: payloads.next("reference material"),
            in: folder.appendingPathComponent("qc/reference-runs.tsv"))
        try replace(
            "lyophilised", with: payloads.next("stability condition"),
            in: folder.appendingPathComponent("qc/stability.tsv"))
        // A preparation that fails, so its page (software, warnings, specification) is written.
        let characterisation = folder.appendingPathComponent("qc/characterisation.tsv")
        let table = try String(contentsOf: characterisation, encoding: .utf8)
        try Data(table.replacingOccurrences(of: "\t12.8\t", with: "\t9000\t").utf8).write(to: characterisation)

        let store = try await SQLiteStore()
        let reportURL = folder.appendingPathComponent("report.html")
        let summary = try await Pipeline.run(
            studyDirectory: folder, store: store, databasePath: ":memory:", reportURL: reportURL, actor: "test")
        // An acknowledged alert: the note and the actor are user text.
        let alert = try #require(try await store.alerts(study: summary.studyID).first)
        _ = try await store.acknowledgeAlert(
            id: try #require(alert.id), study: summary.studyID, actor: payloads.next("alert acknowledged by"),
            note: payloads.next("alert note"))
        try Pipeline.writeAtomically(try await Pipeline.report(studyID: summary.studyID, from: store), to: reportURL)
        return Page(name: "report.html", url: reportURL, payloads: payloads.all)
    }

    /// The release fixture (`Tests/Fixtures/qc`) with hostile lot ids, sources, size-file names, a read-out, the
    /// instrument name and the specification's name and version; `exoscope qc release --certificate`.
    static func writeCertificate(in folder: URL) throws -> Page {
        try FileManager.default.copyItem(at: Fixture.url("qc"), to: folder)
        let payloads = Payloads(offset: 100)
        let spec = folder.appendingPathComponent("release-spec.yaml")
        let lots = folder.appendingPathComponent("lots.tsv")
        let markers = folder.appendingPathComponent("lot-markers.tsv")
        try setKey("name", to: yaml(payloads.next("specification name")), in: spec)
        try setKey("version", to: yaml(payloads.next("specification version")), in: spec)
        let readout = payloads.next("read-out column")
        try replace("ifng_release_fold", with: readout, in: lots)
        try replace("ifng_release_fold", with: yaml(readout), in: spec)
        try replace("\tMSC\t", with: "\t\(payloads.next("lot source"))\t", in: lots)
        for lot in ["MSC-01", "MSC-02", "NK-01"] {
            let key = payloads.next("lot id \(lot)")
            try replace("\(lot)\t", with: "\(key)\t", in: markers)
            let sizeFile = payloads.next("size file name of \(lot)", fileName: true) + ".csv"
            try FileManager.default.moveItem(
                at: folder.appendingPathComponent("lot-\(lot).csv"), to: folder.appendingPathComponent(sizeFile))
            try replace("\(lot)\t", with: "\(key)\t", in: lots)
            try replace("lot-\(lot).csv", with: sizeFile, in: lots)
            try replace(
                "# instrument: ",
                with: "# instrument: \(payloads.next("instrument of \(lot)", lineSeparator: false)) ",
                in: folder.appendingPathComponent(sizeFile))
        }
        let certificate = folder.appendingPathComponent("certificate.html")
        let executable = try #require(Fixture.exoscopeExecutable, "the exoscope executable was not built")
        let result = try CommandResult.run(
            executable,
            ["qc", "release", spec.path, lots.path, "--markers", markers.path, "--certificate", certificate.path])
        guard result.status == 3 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSLocalizedDescriptionKey: "qc release exited \(result.status): \(result.standardError)"])
        }
        return Page(name: "certificate.html", url: certificate, payloads: payloads.all)
    }
}
