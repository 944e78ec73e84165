import ExoCore
import ExoFormats
import Foundation

/// One reader under the fuzzer: a name and the function that feeds it one input.
///
/// Every target calls the reader's public entry point on the fuzzer's bytes and discards the result. A thrown
/// `InputError` or `InputErrorList` is the reader doing its job (its message is rendered, so the escaping of
/// hostile text is fuzzed too); anything else a target sees is a finding and traps, as do crashes, hangs and
/// running out of memory, which libFuzzer and AddressSanitizer catch.
struct FuzzTarget: Sendable {
    /// The name `scripts/fuzz.sh` and `EXOSCOPE_FUZZ_TARGET` use.
    let name: String
    /// Feeds one input to the reader.
    let run: @Sendable (Data) -> Void

    /// Every target, in the order `scripts/fuzz.sh` runs them.
    static let all: [FuzzTarget] = [
        rdml, xlsx, instrumentCq, lc480, particleSize, tables, studyYAML, releaseSpecification, featureMatrix, live,
        dpcr, fastq, fasta, countMatrix,
    ]

    /// The target named by the `EXOSCOPE_FUZZ_TARGET` environment variable.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["EXOSCOPE_FUZZ_TARGET"] ?? ""
        guard let target = all.first(where: { $0.name == name }) else {
            let names = all.map(\.name).joined(separator: " ")
            FileHandle.standardError.write(Data("set EXOSCOPE_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// The cap on an archive entry's inflated size in the zip readers: well below the 512 MiB default, so that a
    /// small input that inflates to the cap stays inside libFuzzer's `-rss_limit_mb` (the cap itself is tested
    /// by the hostile fixtures).
    static let maximumInflatedBytes = 16 << 20

    /// Renders an error the readers may throw, and traps on any other error.
    static func expectInputError(_ error: any Error) {
        switch error {
        case let error as InputError: _ = error.description
        case let error as InputErrorList: _ = error.description
        default: fatalError("a reader threw \(type(of: error)), not InputError: \(error)")
        }
    }

    /// The input as a text file, or `nil` after rendering its `invalidEncoding` error.
    static func textFile(_ data: Data, named name: String) -> TextFile? {
        do {
            return try TextFile(bytes: [UInt8](data), url: URL(fileURLWithPath: "/fuzz/\(name)"), displayPath: name)
        } catch {
            _ = error.description
            return nil
        }
    }

    /// Writes the input to a scratch file of this process, for readers whose public entry point takes a URL.
    ///
    /// - Parameters:
    ///   - data: the input.
    ///   - pathExtension: the file's extension (some readers choose their delimiter by it).
    /// - Returns: the file's URL; the next call overwrites it.
    static func scratchFile(_ data: Data, pathExtension: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "exoscope-fuzz-\(ProcessInfo.processInfo.processIdentifier).\(pathExtension)")
        do {
            try data.write(to: url)
        } catch {
            fatalError("cannot write the scratch file \(url.path): \(error)")
        }
        return url
    }

    /// The extension for a delimited input: `tsv` when it holds a tab, else `csv`.
    static func delimitedExtension(_ data: Data) -> String { data.contains(0x09) ? "tsv" : "csv" }
}
