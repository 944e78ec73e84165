import ExoCore
import ExoFormats
import ExoQuant
import ExoTestSupport
import Foundation
import Testing

/// Adapter trimming, miRNA assignment and read fates of `smallrna count`.
@Suite struct SmallRNACountTests {
    static let libraries: SmallRNALibraries = {
        do { return try SmallRNALibraries.load() } catch { fatalError("bundled references: \(error)") }
    }()

    static func codes(_ text: String) -> [UInt8] { DNA.codes(text) }

    static func find(_ adapter: String, in read: String, errorRate: Double = 0.1, allowsIndels: Bool = true) -> Int? {
        let matcher = AdapterMatcher(adapter: adapter, errorRate: errorRate, allowsIndels: allowsIndels)
        return codes(read).withUnsafeBufferPointer { matcher.find(in: $0) }
    }

    /// Counts reads given as text (one FASTQ record each, qualities all `I`).
    static func count(_ reads: [String], kit: LibraryKit, name: String = "s") throws -> SmallRNASampleCounts {
        let text = reads.enumerated().map { index, read in
            "@r\(index)\n\(read)\n+\n\(String(repeating: "I", count: read.count))\n"
        }.joined()
        let url = try Fixture.temporaryDirectory().appendingPathComponent("\(name).fq")
        try Data(text.utf8).write(to: url)
        return try SmallRNACounter.count(
            SmallRNASampleInput(name: name, files: [SmallRNAFile(url: url, displayPath: "\(name).fq")]),
            options: SmallRNACountOptions(kit: kit), libraries: libraries)
    }

    static let truSeq = LibraryKit.truSeqAdapter
    /// hsa-miR-21-5p in DNA letters.
    static let miR21 = "TAGCTTATCAGACTGATGTTGA"

    // MARK: Adapter matching, as cutadapt -e 0.1 -O 3 (with and without --no-indels)

    @Test(arguments: [true, false]) func adapterWholePartialAndWithMismatches(allowsIndels: Bool) {
        func find(_ adapter: String, in read: String, errorRate: Double = 0.1) -> Int? {
            Self.find(adapter, in: read, errorRate: errorRate, allowsIndels: allowsIndels)
        }
        #expect(find(Self.truSeq, in: Self.miR21 + Self.truSeq + "ACGT") == 22)
        // Only the adapter's first 3 bases at the read's end: the minimum overlap.
        #expect(find(Self.truSeq, in: Self.miR21 + "TGG") == 22)
        #expect(find(Self.truSeq, in: Self.miR21 + "TG") == nil)
        // One mismatch in an overlap of 10–19 bases is allowed (⌊0.1 · 10⌋ = 1), two are not.
        #expect(find(Self.truSeq, in: Self.miR21 + "TGGAATTCTAGG") == 22)
        #expect(find(Self.truSeq, in: Self.miR21 + "TGGAATACTAGG") == nil)
        // N in the read is a mismatch.
        #expect(find(Self.truSeq, in: Self.miR21 + "TGNAATTCTCGG") == 22)
        #expect(find(Self.truSeq, in: Self.miR21 + "TGGAATTCTCGG", errorRate: 0) == 22)
        #expect(find(Self.truSeq, in: Self.miR21 + "TGNAATTCTCGG", errorRate: 0) == nil)
        // The best score wins over an earlier partial-looking match: a whole adapter after a stray "TGG".
        #expect(find(Self.truSeq, in: "TGGCAT" + Self.miR21 + Self.truSeq) == 28)
    }

    /// An adapter that lost or gained a base is found only with indels: one error in 20 adapter bases (⌊0.1 · 20⌋ =
    /// 2 allowed), where substitutions alone would need many.
    @Test func adapterWithADeletionOrInsertion() {
        let deleted = Self.miR21 + "TGGAATTCTC" + "GGTGCCAAGG" + "AACTCC"  // one G of its GGG missing
        let inserted = Self.miR21 + "TGGAATTCTCAGGGTGCCAAGG" + "AACTCC"  // an A after its 10th base
        #expect(Self.find(Self.truSeq, in: deleted) == 22)
        #expect(Self.find(Self.truSeq, in: inserted) == 22)
        #expect(Self.find(Self.truSeq, in: deleted, allowsIndels: false) == nil)
        #expect(Self.find(Self.truSeq, in: inserted, allowsIndels: false) == nil)
        // Of two alignments with one error each through the same cell, the one with the deletion is kept (cutadapt's
        // preference), though one with an insertion starting two bases earlier scores higher (DNApi good_19168).
        #expect(Self.find(Self.truSeq, in: "TACCCTGTAGATCCGAATTTGTGTGAATTCTCGGGTGCCAAGGAACTCCA") == 23)
        // A whole adapter with an error beats a short exact overlap at the read's end (DNApi poor_4575).
        let poor = "CGCCTTGGCCGTACAGCAGAAGGGGGCAGGAATGCCGAGACCGATCTCGT"
        #expect(Self.find(poor, in: "CATTAGGACGAGCGCCTTGGCCGGACAGCAGAAGGGGGCAGGAATTGCGC") == 12)
        #expect(Self.find(poor, in: "CATTAGGACGAGCGCCTTGGCCGGACAGCAGAAGGGGGCAGGAATTGCGC", allowsIndels: false) == 47)
    }

    /// Reads made to tie (a CA-repeat adapter, 2,000 seeded reads with planted errors) are trimmed where cutadapt 5.2
    /// trims them, read by read, with its defaults and with `--no-indels` (`Tests/Fixtures/smallrna/
    /// cutadapt_adapter_ties.tsv`, made by `bench/smallrna/adapter_ties.py`).
    @Test(arguments: [true, false]) func equalAlignmentsAreChosenAsCutadaptChooses(allowsIndels: Bool) throws {
        let rows = try Fixture.referenceRows("smallrna/cutadapt_adapter_ties.tsv").filter { $0.count == 3 }
        #expect(rows.count == 2_000)
        var differing: [String] = []
        for row in rows {
            let expected = allowsIndels ? row[1] : row[2]
            let found = Self.find("CACACACACACACACACACAGT", in: row[0], allowsIndels: allowsIndels)
            if found.map(String.init) ?? "none" != expected {
                differing.append("\(row[0]): \(String(describing: found)), cutadapt \(expected)")
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
    }

    /// Insert lengths on DNApi's two raw files equal cutadapt 5.2's, read for read in total: same dimers, same reads
    /// without adapter, same histogram, with its defaults (`Tests/Fixtures/smallrna/cutadapt_insert_lengths.tsv`) and
    /// with `--no-indels` (`cutadapt_no_indels_insert_lengths.tsv`); the commands are in the files.
    @Test(
        .enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"), arguments: [true, false])
    func insertLengthsEqualCutadapts(allowsIndels: Bool) throws {
        let data = try #require(Fixture.sharedData)
        let rows = try Fixture.referenceRows(
            allowsIndels ? "smallrna/cutadapt_insert_lengths.tsv" : "smallrna/cutadapt_no_indels_insert_lengths.tsv"
        ).filter { $0.count == 3 }
        for (file, adapter) in [
            ("good", Self.truSeq), ("poor", "CGCCTTGGCCGTACAGCAGAAGGGGGCAGGAATGCCGAGACCGATCTCGT"),
        ] {
            let url = data.appendingPathComponent("smallrna_fastq/dnapi/\(file)_50k.fq.gz")
            var options = SmallRNACountOptions(kit: LibraryKit(id: "x", name: "x", adapter: adapter))
            options.allowsIndels = allowsIndels
            let counts = try SmallRNACounter.count(
                SmallRNASampleInput(name: file, files: [SmallRNAFile(url: url, displayPath: file)]),
                options: options, libraries: Self.libraries)
            var expected: [Int: Int] = [:]
            var none = 0
            for row in rows where row[0] == file {
                if row[1] == "none" { none = Int(row[2]) ?? -1 } else { expected[Int(row[1]) ?? -1] = Int(row[2]) }
            }
            var got: [Int: Int] = [:]
            for (length, reads) in counts.insertLengths.enumerated() where reads > 0 { got[length] = reads }
            #expect(got == expected, "\(file)")
            #expect(counts.fates[.noAdapter] == none)
            #expect(counts.fates[.adapterDimer] == expected[0])
        }
    }

    // MARK: miRNA assignment

    @Test func canonicalShiftedTailedAndMismatchedReadsOfOneMiRNA() throws {
        let reference = Self.libraries.miRNA
        func assigned(_ insert: String) -> String? {
            guard case .mature(let name, let variant, _, _, _) = reference.assign(Self.codes(insert)) else {
                return nil
            }
            return "\(name) \(variant)"
        }
        #expect(assigned(Self.miR21) == "hsa-miR-21-5p NA")
        #expect(assigned(String(Self.miR21.dropLast())) == "hsa-miR-21-5p iso_3p:-1")
        #expect(assigned(String(Self.miR21.dropFirst())) == "hsa-miR-21-5p iso_5p:+1")
        // Non-templated A added: the stem-loop goes on with G (…GATGTTGACUG…), so the A is a tail.
        #expect(assigned(Self.miR21 + "A") == "hsa-miR-21-5p iso_add3p:1")
        #expect(assigned(Self.miR21 + "AA") == "hsa-miR-21-5p iso_add3p:2")
        // A substitution in the seed (position 4: C→A).
        #expect(assigned("TAGATTATCAGACTGATGTTGA") == "hsa-miR-21-5p iso_snv_seed")
    }

    @Test func identicalMaturesOfDifferentNamesAreCountedOnceUnderBothNames() throws {
        // hsa-miR-199a-3p and hsa-miR-199b-3p share ACAGTAGTCTGCACATTGGTTA.
        guard
            case .mature(let name, let variant, _, _, _) = Self.libraries.miRNA.assign(
                Self.codes("ACAGTAGTCTGCACATTGGTTA"))
        else {
            Issue.record("not assigned")
            return
        }
        #expect(name == "hsa-miR-199a-3p/hsa-miR-199b-3p")
        #expect(variant.isCanonical)
        // hsa-let-7a-5p lies on three stem-loops (let-7a-1, -2, -3) under one name.
        guard case .mature(let let7, _, _, _, _) = Self.libraries.miRNA.assign(Self.codes("TGAGGTAGTAGGTTGTATAGTT"))
        else {
            Issue.record("not assigned")
            return
        }
        #expect(let7 == "hsa-let-7a-5p")
    }

    @Test func loopReadsArePrecursorsAndOthersNothing() {
        // The loop of hsa-mir-21 (between its 5p and 3p arms).
        let hairpin = Self.libraries.miRNA.hairpins
        guard let index = hairpin.names.firstIndex(of: "hsa-mir-21") else {
            Issue.record("hsa-mir-21 is missing")
            return
        }
        let loop = Array(hairpin.sequences[index][30..<50])
        #expect(Self.libraries.miRNA.assign(loop) == .precursor)
        #expect(Self.libraries.miRNA.assign(Self.codes("ACGTACGTACGTACGTACGTAC")) == nil)
    }

    // MARK: Read fates

    @Test func everyReadEndsInOneFateAndIsomiRsSumToTheirMiRNA() throws {
        let tRNA = "GCATGGGTGGTTCAGTGGTAGAATTCTCGC"  // tRNA-Gly-GCC-1-1's first 30 bases
        let reads = [
            Self.miR21 + Self.truSeq, Self.miR21 + "A" + Self.truSeq, String(Self.miR21.dropLast()) + Self.truSeq,
            Self.truSeq + "ACGTACGTAC",  // dimer
            "ACGTACGT" + Self.truSeq,  // too short
            String(repeating: "ACGTACGTAC", count: 5),  // no adapter
            "TCACCGGGTGTAAATCAGCTTG" + Self.truSeq,  // cel-miR-39-3p spike-in
            tRNA + Self.truSeq,
            "GTACGTTGCATGCAATGCGTACGTAC" + Self.truSeq,  // unassigned
        ]
        let counts = try Self.count(reads, kit: try #require(LibraryKit.preset("truseq")))
        #expect(counts.reads == reads.count)
        #expect(counts.fates.values.reduce(0, +) == reads.count)
        #expect(counts.fates[.matureMiRNA] == 3)
        #expect(counts.fates[.adapterDimer] == 1)
        #expect(counts.fates[.tooShort] == 1)
        #expect(counts.fates[.noAdapter] == 1)
        #expect(counts.fates[.spikeIn] == 1)
        #expect(counts.fates[.library("trna", antisense: false)] == 1)
        #expect(counts.fates[.unassigned] == 1)
        #expect(counts.miRNAs == ["hsa-miR-21-5p": 3])
        #expect(counts.spikeIns == ["cel-miR-39-3p": 1])
        #expect(counts.isomiRs.map(\.count).reduce(0, +) == 3)
        #expect(Set(counts.isomiRs.map(\.variant.description)) == ["NA", "iso_add3p:1", "iso_3p:-1"])
        #expect(counts.topUnassigned.first?.sequence == "GTACGTTGCATGCAATGCGTACGTAC")
    }

    /// QIAseq: the UMI is read after the QIAseq adapter before trimming; Illumina's adapter after the UMI is not
    /// where the insert ends (nf-core/smrnaseq#172); reads of one molecule count once.
    @Test func qiaseqUMIsAreReadBeforeTrimmingAndDeduplicate() throws {
        let qiaseq = try #require(LibraryKit.preset("qiaseq"))
        let illumina = "AGATCGGAAGAGCACACGTCT"
        func read(_ umi: String) -> String { Self.miR21 + qiaseq.adapter + umi + illumina }
        let counts = try Self.count(
            [read("AAAACCCCGGGG"), read("AAAACCCCGGGG"), read("TTTTCCCCGGGG"), Self.miR21 + qiaseq.adapter + "ACG"],
            kit: qiaseq)
        #expect(counts.fates[.matureMiRNA] == 3)
        #expect(counts.fates[.umiIncomplete] == 1)
        #expect(counts.miRNAs == ["hsa-miR-21-5p": 2])
        #expect(counts.umiDuplicates == 1)
    }

    @Test func fourNKitsClipFourBasesAtEachEnd() throws {
        let kit = try #require(LibraryKit.preset("nextflex-v3"))
        let counts = try Self.count(["ACGT" + Self.miR21 + "TTGC" + Self.truSeq], kit: kit)
        #expect(counts.miRNAs == ["hsa-miR-21-5p": 1])
        #expect(counts.isomiRs.first?.variant.isCanonical == true)
    }

    // MARK: Real files

    /// DNApi's predictions for its three example files (../shared/data/smallrna_fastq/README.md; `dnapi.py FILE`
    /// from Debian's dnapi 1.1 prints TGGAATTCTCGG and CGCCTTGGCCGT), and its "reads extracted" shares computed by
    /// its rule on the 50,000-read files (last exact 7-base seed, insert 16–36 nt): 47,940 and 7,427 reads.
    @Test(.enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"))
    func detectionMatchesDNApi() throws {
        let data = try #require(Fixture.sharedData)
        func detect(_ file: String) throws -> AdapterDetection? {
            let url = data.appendingPathComponent("smallrna_fastq/dnapi/\(file)_50k.fq.gz")
            var reads: [[UInt8]] = []
            try FASTQReader(url: url, displayPath: file).forEachRecord(maximumRecords: AdapterDetection.sampleSize) {
                reads.append(Array($0.sequence))
            }
            return AdapterDetection.detect(reads)
        }
        let good = try #require(try detect("good"))
        #expect(good.finding == .kit(try #require(LibraryKit.preset("truseq"))))
        #expect(good.adapter.hasPrefix("TGGAATTCTCGG"))
        #expect(good.extractedShare == 47_940.0 / 50_000)
        #expect(good.confidence == .high)
        let poor = try #require(try detect("poor"))
        #expect(poor.adapter.hasPrefix("CGCCTTGGCCGT"))
        #expect(poor.extractedShare == 7_427.0 / 50_000)
        #expect(poor.confidence == .warn)
        let processed = try #require(try detect("processed"))
        #expect(processed.finding == .trimmed)
    }

    /// good_50k's most frequent mature miRNAs read exactly (canonical isomiRs), in the data README's order.
    ///
    /// The README lists (miR-10a-5p 3,715; miR-181a-5p 1,116; miR-92a-3p 990; miR-92b-3p 742; miR-26a-5p 676, counted
    /// there on reads holding TGGAATTCTCGG exactly). ExoScope's counts are a few reads higher, since it also trims
    /// reads whose adapter has errors, and equal the reads that cutadapt 5.2 trims to exactly the mature:
    /// `cutadapt -a TGGAATTCTCGGGTGCCAAGG -o trimmed.fq good_50k.fq.gz` then `awk 'NR % 4 == 2' trimmed.fq | grep -cx
    /// MATURE` gives 3,734; 1,123; 1,000; 747; 684 (with `--no-indels`: 3,723; 1,118; 992; 745; 681).
    @Test(
        .enabled(if: Fixture.sharedData != nil, "../shared/data is absent in this checkout"), arguments: [true, false])
    func goodFileTopMiRNAs(allowsIndels: Bool) throws {
        let data = try #require(Fixture.sharedData)
        let url = data.appendingPathComponent("smallrna_fastq/dnapi/good_50k.fq.gz")
        var options = SmallRNACountOptions(kit: try #require(LibraryKit.preset("truseq")))
        options.allowsIndels = allowsIndels
        let counts = try SmallRNACounter.count(
            SmallRNASampleInput(name: "good", files: [SmallRNAFile(url: url, displayPath: "good")]), options: options,
            libraries: Self.libraries)
        var canonical: [String: Int] = [:]
        for row in counts.isomiRs where row.variant.isCanonical { canonical[row.miRNA, default: 0] += row.count }
        let top = canonical.sorted { $0.value > $1.value }.prefix(5)
        #expect(
            top.map(\.key) == [
                "hsa-miR-10a-5p", "hsa-miR-181a-5p", "hsa-miR-92a-3p", "hsa-miR-92b-3p", "hsa-miR-26a-5p",
            ])
        let cutadapt = allowsIndels ? [3_734, 1_123, 1_000, 747, 684] : [3_723, 1_118, 992, 745, 681]
        for (name, (readme, cutadapt)) in zip(top.map(\.key), zip([3_715, 1_116, 990, 742, 676], cutadapt)) {
            let value = try #require(canonical[name])
            #expect(value >= readme, "\(name): \(value)")
            #expect(value == cutadapt, "\(name): \(value)")
        }
        // Fates account for every read; isomiRs sum to their miRNA's count.
        #expect(counts.fates.values.reduce(0, +) == 50_000)
        var sums: [String: Int] = [:]
        for row in counts.isomiRs { sums[row.miRNA, default: 0] += row.count }
        #expect(sums == counts.miRNAs)
    }
}
