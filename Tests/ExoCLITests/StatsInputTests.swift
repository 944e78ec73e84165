import ExoTestSupport
import Foundation
import Testing

/// `exoscope stats` on the files people have: R's row names, text columns, `--features`, `--exclude` and a third
/// group, checked against pROC on the same files (Tests/Fixtures/stats/aSAH.group3.pROC.tsv).
struct StatsInputTests {
    func exoscope(_ arguments: [String]) throws -> CommandResult {
        let executable = try #require(
            Fixture.exoscopeExecutable, "the exoscope executable was not built next to the tests")
        return try CommandResult.run(executable, arguments)
    }

    /// pROC's values from `bench/stats/asah_rownames_reference.R`, by key.
    static func reference() throws -> [String: Double] {
        try String(contentsOf: Fixture.url("stats/aSAH.group3.pROC.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .reduce(into: [String: Double]()) { table, line in
                let fields = line.split(separator: "\t")
                table[String(fields[0])] = Double(fields[1])
            }
    }

    /// The output rows of `stats roc`, by feature.
    static func rows(_ output: String) -> [String: [Substring]] {
        Dictionary(
            uniqueKeysWithValues: output.split(separator: "\n").dropFirst().map { line in
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                return (String(fields[0]), fields)
            })
    }

    /// aSAH as `write.csv(aSAH)` and `write.table(aSAH, sep = "\t")` write it: the text column gender is an error at
    /// its first cell, naming the column and the way out; excluded, the matrix gives pROC's AUCs.
    @Test(arguments: ["stats/aSAH.rownames.csv", "stats/aSAH.rownames.tsv"])
    func rFilesWithRowNamesGivePROCsAUCs(_ file: String) throws {
        let matrix = Fixture.url(file).path
        let base = ["stats", "roc", matrix, "--label", "outcome", "--case", "Poor", "--control", "Good"]
        let refused = try exoscope(base)
        #expect(refused.status == 65)
        let column = 17
        #expect(
            refused.standardError.contains(
                "\(matrix):2:\(column): error: expected a number in column 'gender', found 'Female' (and in 112 more rows)\n  hint: a missing value may be empty, NA or NaN; a column that is not a feature is left out with --exclude gender"
            ), "\(refused.standardError)")
        #expect(refused.standardError.contains("group3"), "the second text column is reported too")
        let result = try exoscope(base + ["--exclude", "gender,group3", "--direction", "higher"])
        #expect(result.status == 0, "\(result.standardError)")
        let rows = Self.rows(result.standardOutput)
        #expect(rows.keys.sorted() == ["age", "gos6", "ndka", "s100b", "wfns"])
        // The whole cohort: Tests/Fixtures/stats/aSAH.pROC.tsv.
        #expect(rows["wfns"]?[1] == "41" && rows["wfns"]?[2] == "72")
        #expect(abs((rows["wfns"].flatMap { Double($0[3]) } ?? 0) - 0.823678861788618) < 1e-12)
    }

    /// `--control Good` with a third group present keeps Good and Poor, says how many samples it left out, and gives
    /// the AUC and DeLong interval pROC gives for `roc(group3, marker, levels = c("Good", "Poor"))`.
    @Test func aThirdGroupIsLeftOutAsPROCDoes() throws {
        let reference = try Self.reference()
        let matrix = Fixture.url("stats/aSAH.rownames.csv").path
        let result = try exoscope([
            "stats", "roc", matrix, "--label", "group3", "--case", "Poor", "--control", "Good", "--exclude",
            "outcome, gender", "--features", "s100b,ndka,wfns", "--direction", "higher",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError == "note: left out 28 samples labelled neither 'Poor' nor 'Good': 'Dead' 28\n")
        #expect(reference["left_out"] == 28)
        let rows = Self.rows(result.standardOutput)
        #expect(rows.keys.sorted() == ["ndka", "s100b", "wfns"])
        for (feature, fields) in rows {
            #expect(Double(fields[1]) == reference["\(feature).n_case"])
            #expect(Double(fields[2]) == reference["\(feature).n_control"])
            for (index, key) in [(3, "auc"), (4, "ci_low"), (5, "ci_high")] {
                let value = try #require(Double(fields[index]))
                let expected = try #require(reference["\(feature).\(key)"])
                #expect(abs(value - expected) < 1e-9, "\(feature) \(key)")
            }
        }
        let quiet = try exoscope([
            "stats", "roc", matrix, "--label", "group3", "--case", "Poor", "--control", "Good", "--exclude",
            "outcome,gender", "--quiet",
        ])
        #expect(quiet.status == 0 && quiet.standardError.isEmpty)
    }

    /// Names in `--features` and `--exclude` are checked against the file's header: an unknown one, or the label
    /// column, is a usage error that names the nearest column.
    @Test func unknownColumnNamesAreUsageErrors() throws {
        let matrix = Fixture.url("stats/aSAH.rownames.csv").path
        let base = ["stats", "roc", matrix, "--label", "outcome", "--case", "Poor"]
        let misspelt = try exoscope(base + ["--exclude", "gendr,group3"])
        #expect(misspelt.status == 64)
        #expect(misspelt.standardError == "error: --exclude: \(matrix) has no column 'gendr'; did you mean 'gender'?\n")
        let feature = try exoscope(base + ["--exclude", "gender,group3", "--features", "s100"])
        #expect(feature.status == 64)
        #expect(feature.standardError.contains("--features: \(matrix) has no column 's100'; did you mean 's100b'?"))
        let label = try exoscope(base + ["--exclude", "outcome"])
        #expect(label.status == 64)
        #expect(label.standardError == "error: --exclude cannot take 'outcome': it is the label column\n")
        // The other matrix commands take them too.
        let de = try exoscope([
            "stats", "de", matrix, "--label", "outcome", "--case", "Poor", "--control", "Good", "--exclude",
            "gender,group3", "--features", "s100b,ndka", "--quiet",
        ])
        #expect(de.status == 0 && de.standardOutput.split(separator: "\n").count == 3)
        let cutoff = try exoscope([
            "stats", "cutoff", matrix, "--label", "outcome", "--case", "Poor", "--feature", "s100b", "--bootstrap",
            "0",
        ])
        #expect(cutoff.status == 0, "only the feature asked for is read: the text columns do not matter")
        #expect(cutoff.standardOutput.contains("n_case\t41\n"))
    }

    /// A sample without a label is left out by every two-group command, with and without --control, and the
    /// note says how many (never which: sample names stay out of standard error).
    @Test(arguments: [
        ["stats", "roc"], ["stats", "de"], ["stats", "cutoff", "--feature", "miR-21", "--bootstrap", "0"],
    ])
    func aMissingLabelIsLeftOutAndSaid(command: [String]) throws {
        let file = try Fixture.temporaryDirectory().appendingPathComponent("m.tsv")
        try Data(
            "sample\tgroup\tmiR-21\nS1\tt\t1\nS2\tt\t2\nS3\th\t3\nS4\th\t4\nS5\tNA\t5\nS6\t\t6\nS7\th\t3.5\nS8\tt\t1.5\n"
                .utf8
        ).write(to: file)
        for control in [[], ["--control", "h"]] {
            let result = try exoscope(
                Array(command.prefix(2)) + [file.path, "--label", "group", "--case", "t"] + control
                    + command.dropFirst(2))
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardError.contains("note: left out 2 samples without a label (empty, NA, NaN or N/A)"))
            #expect(!result.standardError.contains("S5") && !result.standardError.contains("S6"))
            #expect(result.standardOutput.contains("\t3\t3\t") || result.standardOutput.contains("n_control\t3\n"))
        }
    }

    /// `stats roc --unpaired`: pROC's unpaired DeLong test between two halves of aSAH
    /// (Tests/Fixtures/stats/aSAH.unpaired.pROC.tsv, `Rscript bench/stats/asah_unpaired_reference.R Tests/Fixtures/stats`).
    @Test func unpairedDeLongMatchesPROC() throws {
        let result = try exoscope([
            "stats", "roc", Fixture.url("stats/aSAH.cohort1.tsv").path, "--label", "outcome", "--case", "Poor",
            "--control", "Good", "--direction", "higher", "--unpaired", Fixture.url("stats/aSAH.cohort2.tsv").path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let reference = try String(contentsOf: Fixture.url("stats/aSAH.unpaired.pROC.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .reduce(into: [String: Double]()) {
                $0[String($1.split(separator: "\t")[0])] = Double($1.split(separator: "\t")[1])
            }
        let lines = result.standardOutput.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(
            lines.first
                == [
                    "feature", "n_case", "n_control", "auc", "n_case_2", "n_control_2", "auc_2", "difference", "t",
                    "df", "p", "direction",
                ])
        #expect(lines.count == 4)
        for row in lines.dropFirst() {
            let marker = row[0]
            for (column, key) in [(3, "auc"), (6, "auc_2"), (8, "t"), (9, "df"), (10, "p")] {
                let expected = try #require(reference["\(marker).\(key)"])
                #expect(abs((Double(row[column]) ?? .nan) - expected) < 1e-9, "\(marker) \(key)")
            }
        }
    }

    /// `stats survival --steps` prints survfit's steps (checked against survival 3.5.3 in lung.survival.tsv);
    /// a separating covariate gets R's warning with its name, and --json carries it too.
    @Test func survivalStepsWarningsAndJSON() throws {
        let text = try String(contentsOf: Fixture.url("stats/lung.tsv"), encoding: .utf8)
        let rows = text.split(separator: "\n").enumerated().map { index, line in
            let status = line.split(separator: "\t")[1]
            return (index == 0 ? "sample" : "P\(index)") + "\t" + line + "\t"
                + (index == 0 ? "sep" : status == "2" ? "1" : "0")
        }
        let file = try Fixture.temporaryDirectory().appendingPathComponent("lung.tsv")
        try Data((rows.prefix(41).joined(separator: "\n") + "\n").utf8).write(to: file)
        let base = ["stats", "survival", file.path, "--feature", "age", "--time", "time", "--event", "status"]
        let steps = try exoscope(base + ["--steps"])
        #expect(steps.status == 0, "\(steps.standardError)")
        let table = steps.standardOutput.split(separator: "\n")
        #expect(table.first == "group\ttime\tn_risk\tn_event\tsurvival\tstd_err\tlower\tupper")
        #expect(table.dropFirst().allSatisfy { $0.hasPrefix("low\t") || $0.hasPrefix("high\t") } && table.count > 10)
        let separated = try exoscope(base + ["--covariates", "sep"])
        #expect(separated.status == 0)
        #expect(separated.standardOutput.contains(", may be infinite"))
        #expect(
            separated.standardError.contains(
                "warning: Cox term 'sep': the likelihood converged before its coefficient did"))
        let json = try exoscope(base + ["--covariates", "sep", "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let cox = try #require(object["cox"] as? [[String: Any]])
        #expect(cox.count == 2 && (cox[1]["possibly_infinite"] as? Bool) == true)
        #expect((object["warnings"] as? [String])?.count == 1)
    }

    /// `stats compare --json` is JSON, and two perfect markers give pROC's z 0, p 1 with its warning.
    @Test func compareHonoursJSONAndWarnsOnTwoPerfectMarkers() throws {
        let file = try Fixture.temporaryDirectory().appendingPathComponent("p.tsv")
        var text = "sample\tgroup\ta\tb\n"
        for index in 0..<5 {
            text += "T\(index)\tt\t\(6 + index)\t\(16 + index)\nH\(index)\th\t\(1 + index)\t\(11 + index)\n"
        }
        try Data(text.utf8).write(to: file)
        let base = ["stats", "compare", file.path, "--label", "group", "--case", "t", "--features", "a,b"]
        let plain = try exoscope(base)
        #expect(plain.status == 0 && plain.standardOutput.contains("z 0.0, p 1.0"), "\(plain.standardOutput)")
        #expect(plain.standardError.contains("warning: a and b both have AUC 1"))
        let json = try exoscope(base + ["--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let pairs = try #require(object["pairs"] as? [[String: Any]])
        #expect(pairs.count == 1 && (pairs[0]["z"] as? Double) == 0 && (pairs[0]["both_perfect"] as? Bool) == true)
    }

    /// A check of the arguments made once the input is read is still a usage error (64), never "internal error".
    @Test func aValidationErrorInsideACommandIsAUsageError() throws {
        let result = try exoscope([
            "stats", "compare", Fixture.url("stats/aSAH.matrix.tsv").path, "--label", "outcome", "--case", "Poor",
            "--features", "s100b,s100b",
        ])
        #expect(result.status == 64)
        #expect(result.standardError == "error: name two or more different features.\n")
    }
}
