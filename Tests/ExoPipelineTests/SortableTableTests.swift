import ExoReport
import Foundation
import Testing

/// Issue 15: tables of more than 20 rows sort by a click on a header, numbers as numbers and missing values last, by
/// ExoScope's one embedded script; smaller tables are left alone.
struct SortableTableTests {
    @Test func onlyTablesOfMoreThanTwentyRowsAreSortable() {
        let rows = { (count: Int) in (0..<count).map { [String($0)] } }
        #expect(!HTML.table(header: ["n"], rows: rows(20)).contains("sortable"))
        #expect(HTML.table(header: ["n"], rows: rows(21)).hasPrefix("<table class=\"sortable\">"))
        let small = ReportPage(
            title: "t", subtitle: "s",
            sections: [.init(id: "a", title: "A", body: HTML.table(header: ["n"], rows: rows(3)))])
        #expect(!small.render().contains("<script"))
        let large = ReportPage(
            title: "t", subtitle: "s",
            sections: [.init(id: "a", title: "A", body: HTML.table(header: ["n"], rows: rows(30)))])
        #expect(large.render().components(separatedBy: "<script").count == 2)
    }

    /// Clicks the samples table's "day" header twice and its "sample" header once, and reads the column after each.
    @Test(
        .enabled(
            if: Chromium.executable != nil,
            "chromium is not installed (apt-get install chromium): the table was not clicked"))
    func clickingAHeaderSortsNumbersAsNumbersWithMissingValuesLast() async throws {
        let html = try await DemoReport.written.value.html
        let script = #"""
            (function () {
              var table = document.querySelector("#samples table.sortable");
              var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
              function column(name) {
                var index = headers.findIndex(function (h) { return h.textContent.trim().indexOf(name) === 0; });
                headers[index].click();
                return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
                  return row.cells[index].textContent;
                });
              }
              var result = { before: column("sample").length };
              result.dayUp = column("day");
              result.dayDown = column("day");
              result.sample = column("sample");
              result.sort = headers.map(function (h) { return h.getAttribute("aria-sort") || ""; });
              var pre = document.createElement("pre");
              pre.id = "exoscope-test-result";
              pre.textContent = JSON.stringify(result);
              document.body.appendChild(pre);
            })();
            """#
        struct Clicks: Decodable {
            let before: Int
            let dayUp: [String]
            let dayDown: [String]
            let sample: [String]
            let sort: [String]
        }
        let clicks = try JSONDecoder().decode(Clicks.self, from: Data(try Chromium.evaluate(script, in: html).utf8))
        #expect(clicks.before == 140 && clicks.dayUp.count == 140 && clicks.dayDown.count == 140)
        let days = clicks.dayUp.compactMap(Int.init)
        // Controls and single-sample cases have no day: after every day, in both directions.
        #expect(!days.isEmpty && days.count < 140)
        #expect(days == days.sorted(), "ascending: \(clicks.dayUp.prefix(30))")
        #expect(clicks.dayUp.dropFirst(days.count).allSatisfy { $0.isEmpty })
        let down = clicks.dayDown.compactMap(Int.init)
        #expect(down == days.sorted(by: >), "descending: \(clicks.dayDown.prefix(30))")
        #expect(clicks.dayDown.dropFirst(down.count).allSatisfy { $0.isEmpty })
        // Numbers, not text: a day of 112 comes after 28 going up.
        #expect(days.contains(112) && days.contains(28))
        // Text with digits compared as numbers, and every row still there.
        #expect(clicks.sample == clicks.sample.sorted { $0.compare($1, options: .numeric) == .orderedAscending })
        #expect(Set(clicks.sample).count == 140)
        #expect(clicks.sort.filter { !$0.isEmpty } == ["ascending"])
    }
}
