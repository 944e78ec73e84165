import ArgumentParser
import ExoCLI
import Testing

struct ParseTests {
    @Test func subcommandsAreRegistered() {
        let names = Exoscope.configuration.subcommands.map { $0._commandName }
        #expect(
            names == [
                "demo", "init", "validate", "import", "run", "status", "report", "qpcr", "dpcr", "stats", "score", "kb",
                "qc", "live", "chip", "alerts", "watch",
            ])
    }

    @Test func helpDocumentsTheExitCodes() {
        let help = Exoscope.helpMessage(columns: 400)
        #expect(help.contains("65 invalid input data"))
        #expect(help.contains("66 input not found"))
    }
}
