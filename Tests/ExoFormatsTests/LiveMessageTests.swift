import ExoCore
import ExoFormats
import Foundation
import Testing

/// The live protocol reader: the fast path for reading lines agrees with Foundation's parser on every line, and
/// every refused line says what is wrong and where.
struct LiveMessageTests {
    /// Both paths on one line: the same message, or the same error.
    static func bothPaths(_ line: String) -> (fast: String, slow: String) {
        let location = InputLocation(path: "stdin", line: 7)
        func describe(_ fastPath: Bool) -> String {
            do {
                return String(
                    describing: try LiveMessageReader.parse(Array(line.utf8), at: location, fastPath: fastPath))
            } catch {
                return "error: \(error)"
            }
        }
        return (describe(true), describe(false))
    }

    @Test(arguments: [
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":1,"fluorescence":512.25}"#,
        #"{ "fluorescence" : -0.5e-3 , "cycle":40,"well":"P24","seq":368640,"run":"CHIP-20260707","type":"reading" }"#,
        #"{"type":"reading","run":"R1","seq":12,"well":"A1","cycle":3,"fluorescence":1E+4}"#,
        #"{"type":"reading","run":"R1","seq":12,"well":"A1","cycle":3,"fluorescence":0}"#,
        #"{"type":"reading","run":"R1","seq":12.0,"well":"A1","cycle":3,"fluorescence":0.1}"#,
        #"{"type":"reading","run":"R1","seq":12,"well":"A\u0031","cycle":3,"fluorescence":0.1}"#,
        #"{"type":"reading","run":"R1","seq":12,"well":"A1","cycle":3,"fluorescence":01}"#,
        #"{"type":"reading","run":"R1","seq":12,"well":"A1","cycle":3,"fluorescence":1.}"#,
        #"{"type":"reading","run":"R1","seq":0,"well":"A1","cycle":3,"fluorescence":1}"#,
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":"1"}"#,
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3}"#,
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":1,"gain":2}"#,
        #"{"type":"reading","run":"R 1","seq":1,"well":"A1","cycle":3,"fluorescence":1}"#,
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":1,"at":"2026-11-27T08:00:00Z"}"#,
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":true}"#,
        #"{"type":"reading","run":"R1","seq":99999999999999999999,"well":"A1","cycle":3,"fluorescence":1}"#,
        #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":1} trailing"#,
        #"{"type":"partitions","run":"R1","seq":1,"well":"A1","positives":12,"partitions":20000}"#,
    ])
    func theFastPathAgreesWithFoundationsParser(line: String) {
        let (fast, slow) = Self.bothPaths(line)
        #expect(fast == slow)
    }

    @Test func aReadingLineReadsToItsFields() throws {
        let message = try LiveMessageReader.parse(
            Array(#"{"type":"reading","run":"R1","seq":3,"well":"B2","cycle":17,"fluorescence":1234.567}"#.utf8),
            at: InputLocation(path: "stdin", line: 4))
        #expect(
            message == .reading(LiveReading(run: "R1", seq: 3, well: "B2", cycle: 17, fluorescence: 1234.567, line: 4)))
        #expect(try LiveMessageReader.parse(Array("  \r".utf8), at: InputLocation(path: "stdin", line: 5)) == nil)
    }

    @Test func refusedLinesSayWhatAndWhere() {
        let cases: [(String, String)] = [
            (
                #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":"1"}"#,
                "stdin:7:75: error: 'fluorescence' must be a number"
            ),
            (
                #"{"type":"reading","run":"R1","seq":0,"well":"A1","cycle":3,"fluorescence":1}"#,
                "stdin:7:36: error: 'seq' must be at least 1, not 0"
            ),
            (
                #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":3,"fluorescence":1,"gain":2}"#,
                "stdin:7:84: error: unknown field 'gain'\n  hint: see docs/live-protocol.md for each message's fields"
            ),
            (
                #"{"type":"partitions","run":"R1","seq":1,"well":"A1","positives":21,"partitions":20}"#,
                "stdin:7:65: error: 21 positive partitions of 20: positives cannot exceed partitions"
            ),
            (
                #"{"type":"run","protocol":2,"run":"R1","assay":"qPCR","cycles":40,"rows":8,"columns":12,"wells":[]}"#,
                "stdin:7:26: error: protocol version 2; this ExoScope reads version 1"
            ),
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"NTA","cycles":40,"rows":8,"columns":12,"wells":[]}"#,
                "stdin:7:47: error: assay 'NTA' cannot stream\n  hint: 'qPCR' (fluorescence per cycle) or 'dPCR' (partition counts)"
            ),
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"dPCR","rows":8,"columns":12,"wells":[{"well":"A1","sample":"S1","target":"miR-21"}]}"#,
                "stdin:7:1: error: a dPCR run needs 'partitionVolumeNanoliters'\n  hint: the volume of one partition in nL, such as 0.85 for QX200 droplets"
            ),
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"qPCR","cycles":40,"rows":8,"columns":12,"wells":[{"well":"A1","sample":"S1","target":"miR-21"},{"well":"A1","sample":"S2","target":"miR-21"}]}"#,
                "stdin:7:96: error: well 'A1' appears twice in the layout"
            ),
            (
                "[1,2]",
                "stdin:7:1: error: a protocol line must be one JSON object\n  hint: each line holds one message such as {\"type\":\"reading\",…}"
            ),
        ]
        for (line, expected) in cases {
            let (fast, slow) = Self.bothPaths(line)
            #expect(fast == "error: " + expected)
            #expect(slow == fast)
        }
    }

    /// docs/live-protocol.schema.json lists every field the reader takes, and the reader requires what it requires.
    @Test func theJSONSchemaMatchesTheReader() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/live-protocol.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let examples: [String: String] = [
            "run":
                #"{"type":"run","protocol":1,"run":"R1","assay":"qPCR","cycles":40,"rows":8,"columns":12,"chemistry":"hydrolysis probe","instrument":"x","partitionVolumeNanoliters":0.85,"at":"t","wells":[{"well":"A1","sample":"S1","target":"miR-21","type":"std","quantity":1000}]}"#,
            "reading": #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":1,"fluorescence":1,"at":"t"}"#,
            "partitions":
                #"{"type":"partitions","run":"R1","seq":1,"well":"A1","positives":1,"partitions":2,"at":"t"}"#,
            "end": #"{"type":"end","run":"R1","seq":2,"at":"t"}"#,
        ]
        let messages = try #require(schema["oneOf"] as? [[String: String]]).compactMap { $0["$ref"] }
        #expect(Set(messages) == Set(examples.keys.map { "#/$defs/\($0)" }))
        for (name, example) in examples {
            let definition = try #require(definitions[name] as? [String: Any])
            let properties = try #require(definition["properties"] as? [String: Any])
            // Required fields, with those the schema requires for a qPCR run (the example's assay).
            let conditional = ((definition["then"] as? [String: Any])?["required"] as? [String]) ?? []
            let required = try #require(definition["required"] as? [String]) + conditional
            let object = try #require(try JSONSerialization.jsonObject(with: Data(example.utf8)) as? [String: Any])
            // The example uses every property the schema lists, and the reader takes it.
            #expect(Set(object.keys) == Set(properties.keys), "\(name)")
            #expect(throws: Never.self) {
                try LiveMessageReader.parse(Array(example.utf8), at: InputLocation(path: "x"))
            }
            // Leaving out a required field is refused, leaving out any other is not.
            for key in properties.keys {
                var reduced = object
                reduced[key] = nil
                let line = try JSONSerialization.data(withJSONObject: reduced)
                let refused = (try? LiveMessageReader.parse(Array(line), at: InputLocation(path: "x"))) == nil
                #expect(refused == required.contains(key), "\(name).\(key)")
            }
        }
    }

    /// Both paths read every decimal to the same, correctly rounded double (a line with `at` takes the slow path).
    @Test func bothPathsReadNumbersAlike() throws {
        var state: UInt64 = 0x1234_5678
        for index in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let value = Double(state >> 11) / Double(1 << 53) * pow(10, Double(index % 12) - 4)
            let text = "\(index % 3 == 0 ? -value : value)"
            let fast = #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":1,"fluorescence":\#(text)}"#
            let slow = #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":1,"fluorescence":\#(text),"at":"t"}"#
            let a = try LiveMessageReader.parse(Array(fast.utf8), at: InputLocation(path: "x"))
            let b = try LiveMessageReader.parse(Array(slow.utf8), at: InputLocation(path: "x"), fastPath: false)
            guard case .reading(let x) = a, case .reading(let y) = b else {
                Issue.record("not readings")
                return
            }
            #expect(x.fluorescence == Double(text) && y.fluorescence == Double(text), "\(text)")
        }
        let zero = #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":1,"fluorescence":-0}"#
        let (fast, slow) = Self.bothPaths(zero)
        #expect(fast == slow)
    }

    @Test func layoutsBeyondAnyInstrumentAreRefused() {
        let cases: [(String, String)] = [
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"qPCR","cycles":40,"rows":9999999999,"columns":12,"wells":[{"well":"A1","sample":"S1","target":"miR-21"}]}"#,
                "stdin:7:73: error: 'rows' must be at most 1000, not 9999999999"
            ),
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"qPCR","cycles":70000,"rows":8,"columns":12,"wells":[{"well":"A1","sample":"S1","target":"miR-21"}]}"#,
                "stdin:7:63: error: 'cycles' must be at most 1000, not 70000"
            ),
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"qPCR","cycles":40,"rows":8,"columns":12,"wells":[{"well":"A1","sample":"S1","target":"miR-21","type":"bogus"}]}"#,
                "stdin:7:96: error: well 'A1' has unknown type 'bogus'\n  hint: one of 'unkn', 'std', 'ntc', 'nac', 'nrt', 'opt', 'pos', 'neg', 'ref'"
            ),
            (
                #"{"type":"run","protocol":1,"run":"R1","assay":"qPCR","cycles":40,"rows":8,"columns":12,"wells":[{"well":"A1","sample":"S1","target":"miR-21","type":"std","quantity":"12"}]}"#,
                "stdin:7:96: error: well 'A1': 'quantity' must be a number of copies > 0"
            ),
            (
                #"{"type":"reading","run":"R1","seq":1,"well":"A1","cycle":1,"fluorescence":1,"at":5}"#,
                "stdin:7:82: error: 'at' must be a string"
            ),
        ]
        for (line, expected) in cases {
            let (fast, slow) = Self.bothPaths(line)
            #expect(fast == "error: " + expected)
            #expect(slow == fast)
        }
    }
}
