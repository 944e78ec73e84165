import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoTestSupport
import Foundation
import Testing

/// Matrix files as R writes them (row names, quoted fields), column selection, text columns, and a third group,
/// checked against pROC on the same file (Tests/Fixtures/stats/aSAH.group3.pROC.tsv).
struct RMatrixFileTests {
    static func matrix(
        _ text: String, name: String = "m.csv", label: String? = "group", selection: FeatureMatrix.Selection = .all
    ) throws -> FeatureMatrix {
        let url = try Fixture.temporaryDirectory().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return try FeatureMatrix(url: url, displayPath: name, labelColumn: label, selection: selection)
    }

    static func messages(_ body: () throws -> Void) -> [String] { Fixture.errorMessages(body) }

    /// `write.csv(aSAH)` and `write.table(aSAH, sep = "\t")`: the row names (pROC's patient numbers) name the samples.
    @Test(arguments: ["stats/aSAH.rownames.csv", "stats/aSAH.rownames.tsv"])
    func rowNamesNameTheSamples(_ file: String) throws {
        let url = Fixture.url(file)
        #expect(
            try FeatureMatrix.columnNames(of: url, displayPath: file) == [
                "gos6", "outcome", "gender", "age", "wfns", "s100b", "ndka", "group3",
            ])
        let data = try FeatureMatrix(
            url: url, displayPath: file, labelColumn: "outcome",
            selection: FeatureMatrix.Selection(excluding: ["gender", "group3"]))
        #expect(data.samples.count == 113 && data.samples.prefix(3) == ["29", "30", "31"])
        #expect(data.features == ["gos6", "age", "wfns", "s100b", "ndka"])
        #expect(data.labels.filter { $0 == "Poor" }.count == 41)
        #expect(data.values[3].prefix(2) == [0.13, 0.14])
        #expect(data.annotations.isEmpty)
    }

    @Test func rowNamesBesideASampleColumnAreIgnored() throws {
        let data = try Self.matrix(
            "\"\",\"sample\",\"group\",\"miR-21\"\n\"1\",\"S1\",\"t\",1.5\n\"2\",\"S2\",\"h\",NA\n")
        #expect(data.samples == ["S1", "S2"] && data.features == ["miR-21"])
        #expect(data.values[0][0] == 1.5 && data.values[0][1].isNaN)
    }

    @Test func quotedFieldsMayHoldCommas() throws {
        let data = try Self.matrix(
            "sample,group,stage,miR-21\nS1,\"tumour, early\",\"I, II\",2.5\nS2,healthy,\"\",3\n",
            selection: FeatureMatrix.Selection(excluding: ["stage"]))
        #expect(data.labels == ["tumour, early", "healthy"])
        #expect(data.features == ["miR-21"] && data.values[0] == [2.5, 3])
    }

    /// A text column is one error at its first cell with the count of the others, and the way out; excluded, or
    /// outside the features asked for, it is not read.
    @Test func aTextColumnIsOneErrorWithItsWayOut() throws {
        let text = "sample\tgroup\tsex\tmy site\tmiR-21\nS1\tt\tF\tA\t1\nS2\tt\tM\tB\t2\nS3\th\tF\t7\t3\n"
        #expect(
            Self.messages { _ = try Self.matrix(text, name: "m.tsv") } == [
                "m.tsv:2:6: error: expected a number in column 'sex', found 'F' (and in 2 more rows)\n  hint: a missing value may be empty, NA or NaN; a column that is not a feature is left out with --exclude sex",
                "m.tsv:2:8: error: expected a number in column 'my site', found 'A' (and in 1 more row)\n  hint: a missing value may be empty, NA or NaN; a column that is not a feature is left out with --exclude 'my site'",
            ])
        let excluded = try Self.matrix(
            text, name: "m.tsv", selection: FeatureMatrix.Selection(excluding: ["sex", "my site"]))
        #expect(excluded.features == ["miR-21"] && excluded.values == [[1, 2, 3]])
        let listed = try Self.matrix(text, name: "m.tsv", selection: FeatureMatrix.Selection(features: ["miR-21"]))
        #expect(listed.features == ["miR-21"])
    }

    @Test func withoutSampleColumnOrRowNamesTheHintNamesBoth() {
        #expect(
            Self.messages { _ = try Self.matrix("id,group,a\nS1,t,1\n") } == [
                "m.csv:1:1: error: missing column 'sample'\n  hint: the first column names each sample: sample (or sample_id), or R's row names (write.csv writes them under an empty first header cell)"
            ])
    }

    /// pROC's `roc(group3, marker, levels = c("Good", "Poor"))` drops the third group; so does `TwoGroups` with a
    /// control label, and the AUCs and DeLong intervals agree to 1e-9.
    @Test func aThirdGroupIsLeftOutAsPROCDoes() throws {
        let file = "stats/aSAH.rownames.csv"
        let data = try FeatureMatrix(
            url: Fixture.url(file), displayPath: file, labelColumn: "group3",
            selection: FeatureMatrix.Selection(features: ["s100b", "ndka", "wfns"]))
        let groups = try TwoGroups(data, case: "Poor", control: "Good")
        #expect(groups.leftOut == ["Dead": 28] && groups.leftOutCount == 28)
        #expect(groups.leftOutSummary == "left out 28 samples labelled neither 'Poor' nor 'Good': 'Dead' 28")
        let reference = try String(contentsOf: Fixture.url("stats/aSAH.group3.pROC.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .reduce(into: [String: Double]()) {
                $0[String($1.split(separator: "\t")[0])] = Double($1.split(separator: "\t")[1])
            }
        for row in MarkerROC.analyze(data, groups: groups, direction: .higher) {
            #expect(Double(row.cases) == reference["\(row.feature).n_case"])
            #expect(Double(row.controls) == reference["\(row.feature).n_control"])
            #expect(abs((row.auc ?? 0) - (reference["\(row.feature).auc"] ?? 1)) < 1e-9)
            #expect(abs((row.low ?? 0) - (reference["\(row.feature).ci_low"] ?? 1)) < 1e-9)
            #expect(abs((row.high ?? 0) - (reference["\(row.feature).ci_high"] ?? 1)) < 1e-9)
        }
        // Without a control label every other label is a control, as before.
        #expect(try TwoGroups(data, case: "Poor").controls.count == 100)
    }

    /// A sample without a label (NA, empty, NaN, N/A) is in neither group, with or without a control label, as
    /// pROC's `roc()` drops an `NA` response; the AUCs and DeLong intervals agree with pROC to 1e-9.
    @Test(arguments: [nil, "Good"])
    func aMissingLabelIsLeftOutAsPROCDoes(control: String?) throws {
        let file = "stats/aSAH.missing-labels.tsv"
        let data = try FeatureMatrix(url: Fixture.url(file), displayPath: file, labelColumn: "outcome")
        let groups = try TwoGroups(data, case: "Poor", control: control)
        #expect(groups.unlabelled == 8 && groups.leftOutCount == 0)
        #expect(groups.leftOutSummary == "left out 8 samples without a label (empty, NA, NaN or N/A)")
        let reference = try String(contentsOf: Fixture.url("stats/aSAH.missing-labels.pROC.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .reduce(into: [String: Double]()) {
                $0[String($1.split(separator: "\t")[0])] = Double($1.split(separator: "\t")[1])
            }
        #expect(Double(groups.unlabelled) == reference["unlabelled"])
        let rows = MarkerROC.analyze(data, groups: groups, direction: .higher)
        #expect(rows.count == 3)
        for row in rows {
            #expect(Double(row.cases) == reference["\(row.feature).n_case"])
            #expect(Double(row.controls) == reference["\(row.feature).n_control"])
            #expect(abs((row.auc ?? 0) - (reference["\(row.feature).auc"] ?? 1)) < 1e-9)
            #expect(abs((row.low ?? 0) - (reference["\(row.feature).ci_low"] ?? 1)) < 1e-9)
            #expect(abs((row.high ?? 0) - (reference["\(row.feature).ci_high"] ?? 1)) < 1e-9)
        }
    }
}
