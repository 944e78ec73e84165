import ArgumentParser
import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoKnowledge
import ExoPipeline
import ExoStats
import ExoStore
import Foundation

extension Exoscope {
    /// Statistics on a plain labelled matrix (the layout R and Python users keep their data in).
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Biomarker statistics on a samples × features matrix with a label column.",
            discussion: """
                MATRIX is tab-separated (comma for .csv): a `sample` column (or R's row names, as write.csv and
                write.table write them), the label column, then one numeric column per feature. --features reads
                only the named features, --exclude leaves named columns (text such as sex) unread. Missing values
                (empty, NA, NaN) are left out feature by feature, and every row says how many were. With
                --control, samples of a third label are left out, and standard error says how many.
                """,
            subcommands: [
                ROC.self, DE.self, Compare.self, Cutoff.self, Panel.self, Associate.self, SurvivalCommand.self,
            ])
    }
}
