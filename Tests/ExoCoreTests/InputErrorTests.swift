import ExoCore
import Testing

struct InputErrorTests {
    @Test func controlCharactersInAQuotedTokenAreShownAsEscapes() {
        let token = "S1\u{1B}[2J\r\nerror: forged\u{202E}txt"
        let error = InputError(
            .unknownSample, at: InputLocation(path: "data/q\u{7}.tsv", line: 3, column: 1),
            "sample \(InputError.quoted(token)) is not in the sample sheet", hint: "check \u{1B}[31m")
        #expect(
            error.description == """
                data/q\\u{7}.tsv:3:1: error: sample 'S1\\u{1B}[2J\\r\\nerror: forged\\u{202E}txt' is not in the sample sheet
                  hint: check \\u{1B}[31m
                """)
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func textWithoutControlCharactersIsUnchanged() {
        #expect("hsa-miR-21-5p ΔCq µL".escapingControlCharacters() == "hsa-miR-21-5p ΔCq µL")
        #expect("a\nb".escapingControlCharacters(keepingNewlines: true) == "a\nb")
        #expect("a\nb".escapingControlCharacters() == "a\\nb")
    }

    @Test func aFileWithThousandsOfErrorsPrintsTheFirstAndCountsTheRest() {
        var errors: [InputError] = []
        for line in 2...100_001 {
            errors.append(
                InputError(.invalidNumber, at: InputLocation(path: "b.tsv", line: line, column: 3), "expected a number")
            )
        }
        for line in 2...4 {
            errors.append(
                InputError(.unknownSample, at: InputLocation(path: "b.tsv", line: line, column: 1), "unknown"))
        }
        errors.append(InputError(.missingKey, at: InputLocation(path: "a.yaml", line: 1, column: 1), "missing"))
        let lines = InputErrorList(errors).description.split(separator: "\n")
        #expect(lines.count == 1 + InputErrorList.printedPerFile + 2)
        #expect(lines[0].hasPrefix("a.yaml:1:1: error:"))
        #expect(lines[1].hasPrefix("b.tsv:2:1: error: unknown"))
        #expect(
            lines[lines.count - 2]
                == "b.tsv: note: \(100_003 - InputErrorList.printedPerFile) more errors in this file not shown "
                + "(99978 invalidNumber); fix the first ones, which often cause the rest")
        #expect(lines.last == "100004 errors")
    }
}
