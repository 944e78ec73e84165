#!/usr/bin/env python3
"""Runs rdmlpython's LinRegPCR on every run of an RDML file and prints its results as TSV.

The peer for ExoScope's curve analysis (bench/qpcr/compare.sh). rdmlpython 1.7.2 reads RDML up to 1.3.
Usage: rdmlpython_linregpcr.py FILE.rdml > results.tsv
"""
import sys
import time

import rdmlpython


def main(path):
    rdml = rdmlpython.Rdml(path)
    started = time.perf_counter()
    first = True
    curves = 0
    for experiment in rdml.experiments():
        for run in experiment.runs():
            result = run.linRegPCR(saveResultsList=True, excludeNoPlateau=True, excludeEfficiency="outlier")
            table = result["resultsList"]
            if first:
                print("\t".join(["experiment", "run"] + [str(c) for c in table[0]]))
                first = False
            for row in table[1:]:
                print("\t".join([experiment["id"], run["id"]] + ["" if c is None else str(c) for c in row]))
                curves += 1
    seconds = time.perf_counter() - started
    print(f"rdmlpython LinRegPCR: {curves} curves in {seconds:.2f} s ({curves / seconds:.0f} curves/s)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
