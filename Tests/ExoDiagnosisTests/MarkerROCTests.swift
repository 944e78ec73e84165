import ExoCore
import ExoDiagnosis
import ExoFormats
import ExoStats
import ExoTestSupport
import Foundation
import Testing

/// `exoscope stats roc` and the pipeline's marker ROC: the matrix file, the two groups, the missing-value rule.
struct MarkerROCTests {
    static func matrix(_ text: String, name: String = "m.tsv", label: String? = "group") throws -> FeatureMatrix {
        let directory = try Fixture.temporaryDirectory()
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return try FeatureMatrix(url: url, displayPath: name, labelColumn: label)
    }

    @Test func repeatedOrEmptySampleNamesAreErrors() throws {
        let text = "sample\tgroup\ta\nS1\tx\t1\nS2\ty\t2\nS1\tx\t3\n\ty\t4\n"
        #expect(
            Self.messages { _ = try Self.matrix(text) } == [
                "m.tsv:4: error: sample 'S1' appears twice (first on line 2)\n  hint: each row is one sample",
                "m.tsv:5: error: expected a sample name, found an empty field",
            ])
        let cases = "sample\tSpecimen\tspecimen\ta\nS1\tplasma\tplasma\t1\n"
        #expect(
            Self.messages {
                _ = try FeatureMatrix(
                    url: try Self.write(cases), displayPath: "m.tsv", labelColumn: nil, textColumns: ["specimen"])
            } == ["m.tsv:1:17: error: column 'specimen' repeats column 2, 'Specimen', in another case"])
    }

    static func write(_ text: String) throws -> URL {
        let url = try Fixture.temporaryDirectory().appendingPathComponent("m.tsv")
        try Data(text.utf8).write(to: url)
        return url
    }

    static func messages(_ body: () throws -> Void) -> [String] { Fixture.errorMessages(body) }

    /// The same numbers as pROC (Tests/Fixtures/stats/aSAH.pROC.tsv) through the matrix reader.
    @Test func aSAHMatrixGivesPROCsAUCAndInterval() throws {
        let data = try FeatureMatrix(
            url: Fixture.url("stats/aSAH.matrix.tsv"), displayPath: "aSAH.matrix.tsv", labelColumn: "outcome")
        let rows = MarkerROC.analyze(data, groups: try TwoGroups(data, case: "Poor", control: "Good"))
        let reference = try String(contentsOf: Fixture.url("stats/aSAH.pROC.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .reduce(into: [String: Double]()) {
                $0[String($1.split(separator: "\t")[0])] = Double($1.split(separator: "\t")[1])
            }
        #expect(rows.map(\.feature) == ["s100b", "ndka", "wfns"])
        for row in rows {
            #expect(row.cases == 41 && row.controls == 72 && row.direction == .higherInCases && row.note == nil)
            #expect(abs((row.auc ?? 0) - (reference["\(row.feature).auc"] ?? 1)) < 1e-9)
            #expect(abs((row.low ?? 0) - (reference["\(row.feature).ci_low"] ?? 1)) < 1e-9)
            #expect(abs((row.high ?? 0) - (reference["\(row.feature).ci_high"] ?? 1)) < 1e-9)
        }
    }

    /// Missing values are left out per feature and counted; a constant marker gets AUC 0.5 and no interval.
    @Test func missingValuesAreCountedAndAConstantMarkerIsNamed() throws {
        let data = try Self.matrix(
            """
            sample\tgroup\tmiR-21\tflat\tsparse
            s1\ttumour\t5.1\t3\tNA
            s2\ttumour\t6.0\t3\t
            s3\ttumour\tNaN\t3\t1
            s4\thealthy\t2.2\t3\t2
            s5\thealthy\t3.5\t3\t3
            s6\thealthy\t4.0\t3\tnan

            """)
        let rows = MarkerROC.analyze(
            data, groups: try TwoGroups(data, case: "tumour", control: "healthy"), direction: .higher)
        #expect(rows[0].cases == 2 && rows[0].controls == 3 && rows[0].missing == 1 && rows[0].auc == 1)
        #expect(rows[0].note == "1 missing value left out")
        #expect(
            rows[1].auc == 0.5 && rows[1].low == nil
                && rows[1].note == "constant marker: it does not separate the groups")
        #expect(
            rows[2].auc == nil && rows[2].missing == 3 && rows[2].note == "fewer than 2 cases or controls with a value")
    }

    @Test func groupsThatCannotBeComparedAreErrors() throws {
        let text = """
            sample\tgroup\tmiR-21
            s1\ttumour\t5.1
            s2\thealthy\t2.2
            s3\thealthy\t3.5
            s4\tbenign\t4.0

            """
        let data = try Self.matrix(text)
        #expect(
            Self.messages { _ = try TwoGroups(data, case: "Tumour", control: "healthy") } == [
                "m.tsv: error: no sample has the label 'Tumour' in column 'group'; it has 'benign', 'healthy', 'tumour'\n  hint: did you mean 'tumour'?"
            ])
        // With a control label, the third label is left out (as pROC does), which leaves one case.
        #expect(
            Self.messages { _ = try TwoGroups(data, case: "tumour", control: "healthy") } == [
                "m.tsv: error: the case group (tumour) has 1 sample; comparing two groups needs at least 2 in each"
            ])
        #expect(
            Self.messages { _ = try TwoGroups(data, case: "tumour") } == [
                "m.tsv: error: the case group (tumour) has 1 sample; comparing two groups needs at least 2 in each"
            ])
    }

    @Test func textInAFeatureColumnIsAnErrorAtItsCell() throws {
        let text = "sample,group,miR-21,miR-16\ns1,tumour,5.1,x1\ns2,healthy,2.2,3.0\n"
        #expect(
            Self.messages { _ = try Self.matrix(text, name: "m.csv") } == [
                "m.csv:2:15: error: expected a number in column 'miR-16', found 'x1'\n  hint: a missing value may be empty, NA or NaN; a column that is not a feature is left out with --exclude miR-16"
            ])
        #expect(
            Self.messages { _ = try Self.matrix("sample\tclass\tmiR-21\ns1\tt\t1\n") } == [
                "m.tsv:1:1: error: missing label column 'group'\n  hint: --label names the column with the groups"
            ])
    }

    /// Numbers in every notation the fast path and strtod share give the same doubles as Swift's parser.
    @Test func numbersParseExactly() throws {
        let tokens = [
            "0", "-0.5", "+3.25", "1e-300", "2.5E+10", "123456789012345678", "0.1", "0.30000000000000004",
            "6.02214076e23", "1.7976931348623157e308", ".5", "5.", "-0.000001234",
        ]
        let text =
            "sample\tgroup\t" + tokens.indices.map { "f\($0)" }.joined(separator: "\t") + "\ns1\ta\t"
            + tokens.joined(separator: "\t") + "\n"
        let data = try Self.matrix(text)
        for (index, token) in tokens.enumerated() {
            #expect(data.values[index][0] == Double(token), "\(token)")
        }
    }
}
