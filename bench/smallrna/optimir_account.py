#!/usr/bin/env python3
"""Read-by-read account of ExoScope's miRNA counts against OptimiR's on OptimiR's example reads.

OptimiR (Thibord et al., RNA 2019) trims with cutadapt (its defaults: the two 3' adapters and the 5'
adapter below, -q 28,28, -m 15, -M 27), aligns with bowtie2 --local --mp 100 to matures extended with
the sample's genotyped alleles, and scores each alignment 4 x (5' bases trimmed or added) + (3' bases
trimmed or non-templated bases added), discarding scores above 9. This script separates trimming from
placement:

  1. ExoScope on the raw reads:            exoscope smallrna count S1 S2 --adapter nebnext
  2. OptimiR's trimming (cutadapt):         cutadapt OPTIMIR_TRIM -o SAMPLE.trimmed.fq SAMPLE.fq.gz
  3. ExoScope on those inserts:             exoscope smallrna count ... --adapter none --min-length 15 --max-length 27
  4. ExoScope's insert of each read:        cutadapt -a AGATCGGAAGAGCACACGTCT --info-file (cutadapt's default
                                            matching, which ExoScope's equals: SmallRNACountTests)

and prints (a) counts per miRNA: OptimiR, ExoScope, ExoScope on OptimiR's inserts; (b) every read whose
miRNA differs between the two trimmings, with its inserts and first qualities; (c) for each miRNA counted in a
sample, ExoScope's isomiRs on OptimiR's inserts (with the isotype in OptimiR's notation when it
has no mismatch; a templated then non-templated tail is written +A+g where OptimiR writes +ag) next to
OptimiR's isotypes (isomiRs_specific_abundances.txt).

    python3 bench/smallrna/optimir_account.py EXOSCOPE CUTADAPT [SHARED_DATA]
"""
import collections
import gzip
import itertools
import os
import re
import subprocess
import sys
import tempfile

OPTIMIR_TRIM = ["-a", "AGATCGGAAGAGCACACGTCTGAACTCCAGTCAC", "-a", "TGGAATTCTCGGGTGCCAAGG",
                "-g", "ATCTACACGTTCAGAGTTCTACAGTCCGACGATC", "-m", "15", "-M", "27", "-q", "28,28"]
NEBNEXT = "AGATCGGAAGAGCACACGTCT"
SAMPLES = ["S1", "S2"]


def fastq(path):
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        for header, sequence, _, quality in itertools.zip_longest(*[f] * 4):
            yield header[1:].split()[0], sequence.strip(), quality.strip()


def table(path):
    rows = [line.rstrip("\n").split("\t") for line in open(path)]
    return rows[0], rows[1:]


def isomirs(path):
    """(sample, insert) -> (miRNA, variant); and per (sample, miRNA) the rows."""
    _, rows = table(path)
    placed = {(r[0], r[2]): (r[1], r[3]) for r in rows}
    by_mirna = collections.defaultdict(list)
    for r in rows:
        by_mirna[(r[0], r[1])].append((r[2], r[3], int(r[7])))
    return placed, by_mirna


def optimir_notation(sequence, variant):
    """OptimiR's isotype [5',3'] from ExoScope's variant, or None when the isomiR has a mismatch."""
    fields = dict(re.findall(r"(iso_[a-z0-9_]+)(?::([+-]?\d+))?", variant))
    if any(k.startswith("iso_snv") for k in fields):
        return None
    five = int(fields.get("iso_5p") or 0)
    three = int(fields.get("iso_3p") or 0)
    added = int(fields.get("iso_add3p") or 0)
    head = "" if five == 0 else (f"-{five}" if five > 0 else "+" + sequence[:-five])
    if three > 0:  # templated extension, upper case as OptimiR writes it
        tail = "+" + sequence[len(sequence) - added - three:len(sequence) - added]
    else:
        tail = str(three) if three < 0 else ""
    if added:  # non-templated bases, lower case
        tail += "+" + sequence[len(sequence) - added:].lower()
    return f"[{head},{tail}]"


def main():
    exoscope, cutadapt = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "../../../shared/data")
    data = os.path.join(shared, "smallrna_fastq/optimir")
    raw = [os.path.join(data, f"{s}.fq.gz") for s in SAMPLES]
    tmp = tempfile.mkdtemp(prefix="optimir-account-")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    trimmed, info = [], []
    for sample, path in zip(SAMPLES, raw):
        trimmed.append(os.path.join(tmp, f"{sample}.trimmed.fq"))
        subprocess.run([cutadapt, "-j", "1", *OPTIMIR_TRIM, "-o", trimmed[-1], path], **quiet)
        info.append(os.path.join(tmp, f"{sample}.info.tsv"))
        subprocess.run([cutadapt, "-j", "1", "-a", NEBNEXT, "--info-file", info[-1], "-o", os.devnull, path], **quiet)
    count = [exoscope, "smallrna", "count"]
    subprocess.run(count + [*raw, "--sample", *SAMPLES, "--adapter", "nebnext", "-o", f"{tmp}/exo.tsv", "--isomirs", f"{tmp}/exo.iso.tsv"],
                   **quiet)
    subprocess.run(count + [*trimmed, "--sample", *SAMPLES, "--adapter", "none", "--min-length", "15", "--max-length", "27",
                            "-o", f"{tmp}/opt.tsv", "--isomirs", f"{tmp}/opt.iso.tsv"], **quiet)

    expected = os.path.join(data, "expected_results")
    _, optimir_rows = table(os.path.join(expected, "miRs_merged_abundances.txt"))
    _, exo_rows = table(f"{tmp}/exo.tsv")
    _, opt_rows = table(f"{tmp}/opt.tsv")
    exo = {r[0]: r[1:] for r in exo_rows}
    opt = {r[0]: r[1:] for r in opt_rows}
    print("(a) miRNA\tOptimiR S1\tExoScope S1\tExoScope on OptimiR's inserts S1\tOptimiR S2\tExoScope S2\t"
          "ExoScope on OptimiR's inserts S2")
    shown = []
    for r in optimir_rows:
        name = r[0]
        o = [int(float(v)) for v in r[1:3]]
        e = [int(v) for v in exo.get(name, ["0", "0"])]
        t = [int(v) for v in opt.get(name, ["0", "0"])]
        print(f"{name}\t{o[0]}\t{e[0]}\t{t[0]}\t{o[1]}\t{e[1]}\t{t[1]}")
        shown += [(s, name) for k, s in enumerate(SAMPLES) if o[k] or e[k] or t[k]]

    exo_placed, _ = isomirs(f"{tmp}/exo.iso.tsv")
    opt_placed, opt_by_mirna = isomirs(f"{tmp}/opt.iso.tsv")
    print("\n(b) reads placed differently after ExoScope's and OptimiR's trimming")
    for sample, path, trimmed_path, info_path in zip(SAMPLES, raw, trimmed, info):
        ours = {}
        for line in open(info_path):
            f = line.rstrip("\n").split("\t")
            ours[f[0].split()[0]] = None if f[1] == "-1" else f[4]
        theirs = {name: sequence for name, sequence, _ in fastq(trimmed_path)}
        for name, sequence, quality in fastq(path):
            a, b = ours[name], theirs.get(name)
            placed_a = exo_placed.get((sample, a), ("-",))[0] if a is not None and 16 <= len(a) <= 30 else "-"
            placed_b = opt_placed.get((sample, b), ("-",))[0] if b is not None else "-"
            if placed_a != placed_b:
                print(f"{sample}\t{name}\tExoScope {a} -> {placed_a}\tOptimiR-trimmed {b} -> {placed_b}\t"
                      f"qualities {quality[:8]}\tread {sequence}")

    _, optimir_isomirs = table(os.path.join(expected, "isomiRs_specific_abundances.txt"))
    print("\n(c) isomiRs of each miRNA: ExoScope on OptimiR's inserts, then OptimiR")
    for sample, name in shown:
        k = SAMPLES.index(sample)
        print(f"{sample} {name}")
        for sequence, variant, reads in sorted(opt_by_mirna[(sample, name)], key=lambda x: -x[2]):
            print(f"  ExoScope\t{reads}\t{sequence}\t{variant}\t{optimir_notation(sequence, variant) or 'mismatch'}")
        for r in optimir_isomirs:
            if r[0].split("~")[0].split("_rs")[0] == name and float(r[1 + k]) > 0:
                print(f"  OptimiR\t{int(float(r[1 + k]))}\t{r[0]}")


if __name__ == "__main__":
    main()
