import ExoCore
import ExoFormats
import Foundation

extension FuzzTarget {
    /// RDML, bare XML or zipped: `RDMLReader.read(data:displayPath:maximumInflatedBytes:)`.
    static let rdml = FuzzTarget(name: "rdml") { data in
        do {
            _ = try RDMLReader.read(data: data, displayPath: "fuzz.rdml", maximumInflatedBytes: maximumInflatedBytes)
        } catch {
            expectInputError(error)
        }
    }

    /// An instrument's Cq export from disk, as `qpcr cq` reads it (UTF-8, UTF-16 or Latin-1):
    /// `InstrumentCqExport.read(url:displayPath:)`.
    static let instrumentCq = FuzzTarget(name: "instrument-cq") { data in
        let url = scratchFile(data, pathExtension: delimitedExtension(data))
        do {
            _ = try InstrumentCqExport.read(url: url, displayPath: "fuzz.\(url.pathExtension)")
        } catch {
            expectInputError(error)
        }
    }

    /// A LightCycler 480 export as `qpcr analyze` reads it: the input as sample information and as raw data, and
    /// the raw data's curves turned into an RDML document with the sample information when it was one.
    static let lc480 = FuzzTarget(name: "lc480") { data in
        guard let file = textFile(data, named: "fuzz.txt") else { return }
        var information: LightCycler480SampleInformation?
        if LightCycler480SampleInformation.isSampleInformation(file) {
            do {
                information = try LightCycler480SampleInformation(file)
            } catch {
                expectInputError(error)
            }
        }
        _ = LightCycler480RawData.isRawData(file)
        do {
            let raw = try LightCycler480RawData(file)
            _ = raw.rdmlDocument(sampleInformation: information)
        } catch {
            expectInputError(error)
        }
    }

    /// Digital-PCR partition counts (QuantaSoft, QIAcuity, generic), comma- or tab-separated by content:
    /// `PartitionExport.init(_:)`.
    static let dpcr = FuzzTarget(name: "dpcr") { data in
        guard let file = textFile(data, named: "fuzz.\(delimitedExtension(data))") else { return }
        _ = PartitionExport.holdsPartitionCounts(file)
        do {
            _ = try PartitionExport(file)
        } catch {
            expectInputError(error)
        }
    }

    /// One line after another of the live NDJSON protocol, each read by the fast path and by Foundation's parser,
    /// which must agree: `LiveMessageReader.parse(_:at:)`.
    static let live = FuzzTarget(name: "live") { data in
        let bytes = [UInt8](data)
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let location = InputLocation(path: "stdin", line: index + 1)
            func described(fastPath: Bool) -> String {
                do {
                    return String(describing: try LiveMessageReader.parse(line, at: location, fastPath: fastPath))
                } catch {
                    expectInputError(error)
                    return "error: \(error)"
                }
            }
            let fast = described(fastPath: true)
            let slow = described(fastPath: false)
            guard fast == slow else {
                fatalError(
                    "the live reader's two paths disagree on line \(Array(line)):\n  fast: \(fast)\n  slow: \(slow)")
            }
        }
    }
}
