#!/usr/bin/env python3
"""Builds ExoCore's bundled miRBase table from the miRBase files in ../shared/data/mirbase/.

Output: Sources/ExoCore/Resources/miRBase/mature.tsv, one mature miRNA a line:
  accession  name  species  sequence  precursors  release21_name

* Human rows: every record of miRBase release 22 `hsa` mature sequences (OptimiR's copy, DNA alphabet,
  written here in the RNA alphabet as miRBase's own mature.fa is), with the precursor stem-loops taken
  from release 22 `hsa.gff3` (`Derives_from=` of each `miRNA` row, named by its `miRNA_primary_transcript`
  row), and the release-21 ID of the same accession where it differs (an alias).
* Human accessions of release 21 that release 22 no longer has are kept as rows with an empty
  release-22 name, so the normaliser can say "removed in release 22" instead of "unknown".
* Non-human rows: the exogenous spike-ins labs add before RNA extraction, from release 21 mature.fa.

Run from the repository root:  python3 scripts/build-mirbase-resource.py ../shared/data/mirbase
"""
import gzip
import os
import sys

SPIKE_INS = ["cel-miR-39-3p", "cel-miR-54-3p", "cel-miR-238-3p"]


def read_fasta(path):
    opener = gzip.open if path.endswith(".gz") else open
    records = []
    with opener(path, "rt") as handle:
        header, seq = None, []
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith(">"):
                if header:
                    records.append((header, "".join(seq)))
                header, seq = line[1:].split(), []
            elif line:
                seq.append(line.strip())
        if header:
            records.append((header, "".join(seq)))
    return records


def main(source):
    r22 = read_fasta(os.path.join(source, "hsa_matures_miRBase_v22.fa"))
    r21 = read_fasta(os.path.join(source, "hsa_mature_r21_RNA.fa"))
    all21 = read_fasta(os.path.join(source, "mature_r21.fa.gz"))
    precursor_name, derives = {}, {}
    with open(os.path.join(source, "hsa_miRBase_v22.gff3")) as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            attrs = dict(kv.split("=", 1) for kv in fields[8].split(";") if "=" in kv)
            if fields[2] == "miRNA_primary_transcript":
                precursor_name[attrs["ID"].split("_")[0]] = attrs["Name"]
            elif fields[2] == "miRNA":
                derives.setdefault(attrs["Alias"], set()).add(attrs["Derives_from"].split("_")[0])
    name21 = {h[1]: h[0] for h, _ in r21}
    rows, seen = [], set()
    for header, seq in sorted(r22, key=lambda r: r[0][1]):
        name, accession = header[0], header[1]
        assert accession not in seen, accession
        seen.add(accession)
        precursors = sorted({precursor_name[p] for p in derives.get(accession, ())})
        alias = name21.get(accession, "")
        rows.append((accession, name, "hsa", seq.upper().replace("T", "U"), ",".join(precursors),
                     alias if alias != name else ""))
    for header, seq in sorted(r21, key=lambda r: r[0][1]):
        if header[1] not in seen:
            rows.append((header[1], "", "hsa", seq, "", header[0]))
    for header, seq in all21:
        if header[0] in SPIKE_INS:
            rows.append((header[1], header[0], header[0].split("-")[0], seq, "", header[0]))
    names = [r[1] for r in rows if r[1]]
    assert len(names) == len(set(names)), "duplicate mature names"
    out = os.path.join("Sources", "ExoCore", "Resources", "miRBase", "mature.tsv")
    with open(out, "w") as handle:
        handle.write("# miRBase mature miRNAs: human release 22 with release-21 IDs as aliases, plus spike-ins "
                     "(release 21). Built by scripts/build-mirbase-resource.py; do not edit by hand.\n")
        handle.write("accession\tname\tspecies\tsequence\tprecursors\trelease21_name\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")
    print(f"{out}: {len(rows)} rows "
          f"({sum(1 for r in rows if r[2] == 'hsa' and r[1])} human r22, "
          f"{sum(1 for r in rows if r[5] and r[1] and r[5] != r[1] and r[2] == 'hsa')} renamed since r21, "
          f"{sum(1 for r in rows if not r[1])} removed in r22, "
          f"{sum(1 for r in rows if r[2] != 'hsa')} spike-ins)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mirbase")
