import ExoPipeline
import Foundation
import Testing

/// The one table writer: the same columns as TSV and as JSON, one spelling of a missing value in each.
struct ResultTableTests {
    static let table = ResultTable(
        columns: ["feature", "auc", "n", "note", "flags", "called", "z"],
        rows: [
            [
                .text("miR-21"), .number(0.1), .integer(12), .optionalText(nil), .list(["a", "b"], separator: ";"),
                .flag(true), .formatted("5.068", value: 5.0677),
            ],
            [
                .text("miR-16"), .number(.nan), .integer(nil), .optionalText("constant"), .list([], separator: ";"),
                .flag(nil), .formatted("-", value: nil),
            ],
        ])

    @Test func tsvSpellsAMissingNumberNA() {
        #expect(
            Self.table.tsv()
                == "feature\tauc\tn\tnote\tflags\tcalled\tz\nmiR-21\t0.1\t12\t\ta;b\ttrue\t5.068\n"
                + "miR-16\tNA\tNA\tconstant\t\t\t-\n")
        #expect(ResultTable.number(1e-05) == "1e-05" && ResultTable.number(.infinity) == "NA")
    }

    @Test func jsonHasEveryColumnAsAKeyAndNullForMissing() throws {
        let text = try Self.table.json()
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { Set($0.keys) == Set(Self.table.columns) })
        #expect(rows[0]["auc"] as? Double == 0.1 && rows[0]["n"] as? Int == 12 && rows[0]["note"] is NSNull)
        #expect(rows[0]["flags"] as? [String] == ["a", "b"] && rows[0]["called"] as? Bool == true)
        #expect(rows[0]["z"] as? Double == 5.0677)
        #expect(rows[1]["auc"] is NSNull && rows[1]["n"] is NSNull && rows[1]["called"] is NSNull)
        // Keys sorted, pretty-printed: "auc" comes first in every object.
        #expect(text.hasPrefix("[\n  {\n    \"auc\" : 0.1,"))
    }
}
