import ArgumentParser
import ExoPipeline
import ExoStore
import Foundation

extension Exoscope {
    /// The audit log.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit log.", subcommands: [Verify.self])
    }
}

extension Exoscope.Audit {
    /// Checks the audit log's hash chain.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit entry was edited, deleted or reordered (the log's hash chain).",
            discussion: """
                Prints the number of entries and the head (the last entry's hash). Write the head down elsewhere: \
                with --head, a later check also proves that nothing up to that entry was rewritten. Exits 65 when \
                the chain is broken or the head is not found, listing every fault.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "A head printed by an earlier check, which must still be in the chain.")
        var head: String?
        @OptionGroup var outputOptions: OutputOptions

        func run() async throws {
            try await withUserFacingErrors(debug: outputOptions.debug) {
                let path = database.resolvedPath(studyDirectory: nil)
                let result = try await StudyOperations.verifyAudit(.init(databasePath: path, head: head))
                if outputOptions.json {
                    try printJSON(result)
                } else {
                    for problem in result.problems { printError("audit: \(problem)") }
                    if result.headFound == false {
                        printError("audit: the head given is not in the chain: the log was rewritten after it")
                    }
                    if !outputOptions.quiet {
                        let verdict = result.isIntact ? "intact" : "BROKEN"
                        printLine("Audit log of \(path): \(result.entries) entries, \(verdict); head \(result.head)")
                    }
                }
                if !result.isIntact { throw ExitStatus.dataError }
            }
        }
    }
}
