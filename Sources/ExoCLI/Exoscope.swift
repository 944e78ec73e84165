public import ArgumentParser

/// The `exoscope` command: exosome liquid-biopsy analysis from the command line.
public struct Exoscope: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "exoscope",
        abstract: "Exosome liquid-biopsy analysis: EV QC, exosomal miRNA quantification, biomarkers, monitoring.",
        discussion: """
            A study is a folder with study.yaml, a sample sheet and the data files it names (docs/study-format.md).
            Exit codes: 0 success, 64 usage error, 65 invalid input data, 66 input not found,
            73 cannot create output, 74 I/O error, 75 database busy (try again), 1 internal error,
            130 interrupted.
            """,
        version: ExoscopeVersionText.text,
        subcommands: [
            Demo.self, Init.self, Validate.self, Import.self, Run.self, Status.self, Report.self, QPCR.self, DPCR.self,
            Stats.self, Score.self, KB.self, QC.self, Live.self, Chip.self, Alerts.self, Watch.self, SmallRNA.self,
            Audit.self, Serve.self, User.self,
        ]
    )

    public init() {}
}

extension Exoscope {
    /// Parses the process arguments and runs the command; exits with the command's exit code.
    public static func start() async {
        await main()
    }
}
