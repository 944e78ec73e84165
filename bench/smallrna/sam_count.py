#!/usr/bin/env python3
"""Count miRNAs from a bowtie v1 SAM stream (stdin) for cutadapt_bowtie.sh.

--mode nfcore     every alignment record counts for its reference: the numbers
                  `samtools idxstats` gives on the same BAM, which is how nf-core/smrnaseq
                  turns its mature alignments (bowtie -k 50 --best --strata) into counts
                  (EDGER_QC reads the idxstats files). A read reported against 3 equally good
                  matures adds 1 to each of them.
--mode multiname  each aligned read counts once: under its single best mature, or under the
                  '/'-joined (sorted) names of all its equally good matures (bowtie
                  --best --strata -k 50 reports only the best stratum): the same convention
                  as ExoScope's multi-names.

Writes a two-column TSV (name, count) to --out; --assignments FILE also writes read_id,
assigned name(s) per aligned read (gzip if FILE ends in .gz).
"""
import argparse
import gzip
import sys
from collections import Counter


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=("nfcore", "multiname"), default="nfcore")
    ap.add_argument("--out", required=True)
    ap.add_argument("--assignments")
    args = ap.parse_args()
    counts = Counter()
    asg = None
    if args.assignments:
        asg = gzip.open(args.assignments, "wt", compresslevel=3) if args.assignments.endswith(".gz") else open(args.assignments, "w")
    cur, refs = None, []
    n_reads = n_records = 0

    def flush():
        nonlocal n_reads
        if cur is None or not refs:
            return
        n_reads += 1
        names = sorted(set(refs))
        if args.mode == "nfcore":
            for r in refs:
                counts[r] += 1
        else:
            counts["/".join(names)] += 1
        if asg is not None:
            asg.write("%s\t%s\n" % (cur, "/".join(names)))

    for line in sys.stdin:
        if line.startswith("@"):
            continue
        f = line.split("\t", 4)
        flag = int(f[1])
        if flag & 4:
            continue
        n_records += 1
        if f[0] != cur:
            flush()
            cur, refs = f[0], []
        refs.append(f[2])
    flush()
    if asg is not None:
        asg.close()
    with open(args.out, "w") as fh:
        for name, c in sorted(counts.items()):
            fh.write("%s\t%d\n" % (name, c))
    print("sam_count: %d aligned reads, %d alignment records" % (n_reads, n_records), file=sys.stderr)


if __name__ == "__main__":
    main()
