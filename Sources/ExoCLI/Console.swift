import ExoPipeline
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a command's text goes: standard output and standard error of the process, or, in tests that run a
/// command in process, a buffer (``Console/capturing()``).
package struct Console: Sendable {
    /// Writes text to standard output as it is.
    package let output: @Sendable (String) -> Void
    /// Writes text to standard error as it is.
    package let error: @Sendable (String) -> Void
    /// Reads standard input into the buffer: the number of bytes read, 0 at its end, -1 on an error (`read(2)`).
    package let input: @Sendable (UnsafeMutableRawBufferPointer) -> Int

    /// The console of the running command.
    @TaskLocal package static var current = Console(
        output: { FileHandle.standardOutput.write(Data($0.utf8)) },
        error: { FileHandle.standardError.write(Data($0.utf8)) },
        input: { read(0, $0.baseAddress, $0.count) })

    package init(
        output: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void,
        input: @escaping @Sendable (UnsafeMutableRawBufferPointer) -> Int = { _ in 0 }
    ) {
        self.output = output
        self.error = error
        self.input = input
    }

    /// What a command wrote while its console was a buffer.
    package final class Capture: Sendable {
        private let texts = Mutex<(output: String, error: String)>(("", ""))
        private let pending: Mutex<[UInt8]>
        package var standardOutput: String { texts.withLock { $0.output } }
        package var standardError: String { texts.withLock { $0.error } }

        /// A capture whose standard input holds `input`.
        package init(input: [UInt8] = []) {
            pending = Mutex(input)
        }

        package var console: Console {
            Console(
                output: { text in self.texts.withLock { $0.output += text } },
                error: { text in self.texts.withLock { $0.error += text } },
                input: { buffer in
                    self.pending.withLock { bytes in
                        let count = min(buffer.count, bytes.count)
                        buffer.copyBytes(from: bytes.prefix(count))
                        bytes.removeFirst(count)
                        return count
                    }
                })
        }
    }
}

/// Writes text to standard output as it is.
func write(_ text: String) {
    Console.current.output(text)
}

/// Writes a line to standard output.
func printLine(_ text: String) {
    Console.current.output(text + "\n")
}

/// Writes a line to standard error.
func printError(_ text: String) {
    Console.current.error(text + "\n")
}

/// Writes each line to standard error unless `quiet`.
func printMessages(_ lines: [String], quiet: Bool) {
    guard !quiet else { return }
    for line in lines { printError(line) }
}

/// Prints a value as pretty, key-sorted JSON on standard output.
func printJSON(_ value: some Encodable) throws {
    printLine(try ResultDocument.json(value))
}

/// Prints a table as JSON or as TSV on standard output.
func printTable(_ table: ResultTable, json: Bool) throws {
    if json {
        printLine(try table.json())
    } else {
        write(table.tsv())
    }
}

/// Writes a table as TSV to `output` (whole, through ``Pipeline/writeAtomically(_:to:)``), or prints it as
/// ``printTable(_:json:)`` does when there is no output file.
func printTable(_ table: ResultTable, json: Bool, orWriteTo output: String?) throws {
    guard let output else { return try printTable(table, json: json) }
    try Pipeline.writeAtomically(table.tsv(), to: URL(fileURLWithPath: output))
}
