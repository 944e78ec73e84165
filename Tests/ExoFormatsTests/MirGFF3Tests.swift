import ExoFormats
import Testing

/// mirGFF3 lines and their MINTplates UIDs.
@Suite struct MirGFF3Tests {
    /// Plates from mirtop 0.4.30 (PyPI): `python3 -c "from mirtop.mirna.realign import make_id; print(make_id(S))"`.
    @Test func licensePlatesEqualMirtops() {
        #expect(MINTplate.encode("TAGCTTATCAGACTGATGTTGA") == "iso-22-VIV6OYINL")
        #expect(MINTplate.encode("TAGCTTATCAGACTGATGTTG") == "iso-21-VIV6OYIN0")
        #expect(MINTplate.encode("TAGCTTATCAGACTGATGTTGAA") == "iso-23-VIV6OYIND6")
        #expect(MINTplate.encode("UAGCUUAUCAGACUGAUGUUGA") == "iso-22-VIV6OYINL")
        #expect(MINTplate.encode("ACGTA") == "iso-5-EL")
        #expect(MINTplate.encode("ACGTN") == nil)
        #expect(MINTplate.encode("") == nil)
    }

    @Test func linesCarryEveryMandatoryField() {
        let record = MirGFF3.Record(
            precursor: "hsa-mir-21", start: 8, end: 30, isReference: false, sequence: "TAGCTTATCAGACTGATGTTGAA",
            name: "hsa-miR-21-5p", variant: "iso_add3p:1", cigar: "22M1I", expression: [3, 0], hits: 1)
        let text = MirGFF3.text(records: [record], database: "miRBasev22", samples: ["a", "b"], tool: "exoscope test")
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "## mirGFF3. VERSION 1.2")
        #expect(lines[2] == "## COLDATA: a,b")
        #expect(
            lines[4]
                == "hsa-mir-21\tmiRBasev22\tisomiR\t8\t30\t.\t+\t.\tUID=iso-23-VIV6OYIND6; Read=TAGCTTATCAGACTGATGTTGAA; Name=hsa-miR-21-5p; Parent=hsa-mir-21; Variant=iso_add3p:1; Cigar=22M1I; Expression=3,0; Filter=Pass; Hits=1"
        )
    }
}
