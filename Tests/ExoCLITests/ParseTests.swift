import ArgumentParser
import ExoCLI
import Testing

struct ParseTests {
    @Test func subcommandsAreRegistered() {
        let names = Exoscope.configuration.subcommands.map { $0._commandName }
        #expect(
            names == [
                "demo", "init", "validate", "import", "run", "status", "report", "qpcr", "dpcr", "stats", "score", "kb",
                "qc", "live", "chip", "alerts", "watch", "smallrna", "audit", "serve", "user",
            ])
    }

    @Test func helpDocumentsTheExitCodes() {
        let help = Exoscope.helpMessage(columns: 400)
        #expect(help.contains("65 invalid input data"))
        #expect(help.contains("66 input not found"))
    }

    /// Every leaf command of the tree with its path, from the root's configuration down.
    static func commands(
        _ command: any ParsableCommand.Type = Exoscope.self, prefix: [String] = []
    ) -> [(path: [String], type: any ParsableCommand.Type)] {
        let children = command.configuration.subcommands
        guard !children.isEmpty else { return [(prefix, command)] }
        return children.flatMap { commands($0, prefix: prefix + [$0._commandName]) }
    }

    /// In process, as argument-parser tests itself: every command has its help, and an unknown option is a usage
    /// error with exit code 64.
    @Test func everyCommandHasHelpAndAnUnknownOptionExits64() throws {
        let commands = Self.commands()
        #expect(commands.count >= 25, "\(commands.map(\.path))")
        for (path, type) in commands {
            #expect(
                Exoscope.helpMessage(for: type, columns: 200).contains("USAGE: exoscope \(path.joined(separator: " "))")
            )
            do {
                _ = try Exoscope.parseAsRoot(path + ["--no-such-option"])
                Issue.record("\(path) accepted --no-such-option")
            } catch {
                #expect(Exoscope.exitCode(for: error).rawValue == 64, "\(path): \(error)")
            }
        }
    }

    /// Each command's own checks of its arguments are usage errors (64), made before any file is read.
    @Test(arguments: [
        ["stats", "roc", "m.tsv", "--label", "g", "--case", "t", "--level", "1.5"],
        ["stats", "cutoff", "m.tsv", "--label", "g", "--case", "t", "--feature", "a", "--cost", "0"],
        ["stats", "cutoff", "m.tsv", "--label", "g", "--case", "t", "--feature", "a", "--sensitivity", "2"],
        ["stats", "panel", "m.tsv", "--label", "g", "--case", "t", "--alpha", "2"],
        ["stats", "panel", "m.tsv", "--label", "g", "--case", "t", "--folds", "2"],
        ["dpcr", "analyze", "d.csv", "--level", "0"],
        ["qc", "nta", "n.csv", "--range", "150-30"],
        ["chip", "simulate", "--study", "s", "--cycles", "5"],
        ["watch", "inbox", "--study", "s", "--interval", "0"],
        ["qc", "control", "c.tsv", "--baseline", "1"],
    ])
    func argumentChecksAreUsageErrors(_ arguments: [String]) {
        do {
            _ = try Exoscope.parseAsRoot(arguments)
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(Exoscope.exitCode(for: error).rawValue == 64, "\(arguments): \(error)")
        }
    }
}
