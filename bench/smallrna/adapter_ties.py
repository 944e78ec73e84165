#!/usr/bin/env python3
"""Reads made to tie in adapter matching, and where cutadapt trims them (fixture for SmallRNACountTests).

The adapter is a CA repeat, so a read holds many alignments of equal errors or equal score; each read
(seeded, 20-60 nt of random bases, C/A-rich in every other read) gets, with probability 0.7, a prefix of
the adapter of 3 or more bases with 0-3 random substitutions, insertions or deletions planted at a random
position. cutadapt is run on them twice, with its defaults (-e 0.1 -O 3) and with --no-indels, and the
insert length it leaves (length of --info-file column 5), or "none", is written for each read.

    python3 bench/smallrna/adapter_ties.py CUTADAPT > Tests/Fixtures/smallrna/cutadapt_adapter_ties.tsv
"""
import os
import random
import subprocess
import sys
import tempfile

ADAPTER = "CACACACACACACACACACAGT"
READS = 2000
SEED = 7


def reads():
    rng = random.Random(SEED)
    for k in range(READS):
        n = rng.randint(20, 60)
        s = "".join(rng.choice("CAACG" if k % 2 else "ACGT") for _ in range(n))
        if rng.random() < 0.7:
            p = rng.randint(0, n)
            fragment = list(ADAPTER[: rng.randint(3, len(ADAPTER))])
            for _ in range(rng.randint(0, 3)):
                q = rng.randrange(len(fragment))
                op = rng.random()
                if op < 0.4:
                    fragment[q] = rng.choice("ACGT")
                elif op < 0.7 and len(fragment) > 1:
                    del fragment[q]
                else:
                    fragment.insert(q, rng.choice("ACGT"))
            s = (s[:p] + "".join(fragment) + s[p:])[: max(n, p + len(fragment))]
        yield s


def trimmed(cutadapt, fastq, extra):
    with tempfile.TemporaryDirectory() as tmp:
        info = os.path.join(tmp, "info.tsv")
        subprocess.run([cutadapt, "-j", "1", "-a", ADAPTER, "-e", "0.1", "-O", "3", *extra, "--info-file", info,
                        "-o", os.devnull, fastq], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = []
        for line in open(info):
            fields = line.rstrip("\n").split("\t")
            out.append("none" if fields[1] == "-1" else str(len(fields[4])))
        return out


def main():
    cutadapt = sys.argv[1]
    sequences = list(reads())
    with tempfile.TemporaryDirectory() as tmp:
        fastq = os.path.join(tmp, "ties.fq")
        with open(fastq, "w") as f:
            for k, s in enumerate(sequences):
                f.write(f"@r{k}\n{s}\n+\n{'I' * len(s)}\n")
        default = trimmed(cutadapt, fastq, [])
        no_indels = trimmed(cutadapt, fastq, ["--no-indels"])
    version = subprocess.run([cutadapt, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"# Reads made to tie in 3' adapter matching (adapter {ADAPTER}) and the insert cutadapt {version} leaves")
    print("# (length of --info-file column 5; none: no adapter found), with its defaults and with --no-indels.")
    print("# Made with: python3 bench/smallrna/adapter_ties.py CUTADAPT (seed 7, 2,000 reads; see the script),")
    print(f"# which runs: cutadapt -j 1 -a {ADAPTER} -e 0.1 -O 3 [--no-indels] --info-file info.tsv -o /dev/null ties.fq")
    print("# read\tdefault\tno_indels")
    for s, a, b in zip(sequences, default, no_indels):
        print(f"{s}\t{a}\t{b}")


if __name__ == "__main__":
    main()
