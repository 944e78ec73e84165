#!/usr/bin/env python3
"""Runs rdmlpython's LinRegPCR on every run of an RDML file and prints its results as TSV.

The peer for ExoScope's curve analysis (bench/qpcr/compare.sh), with the method defaults
(pcrEfficiencyExl 0.05, excludeNoPlateau, excludeEfficiency "outlier"). rdmlpython 1.7.2 accepts RDML up to
1.3 and uses np.NaN (removed in numpy 2): RDML 1.4 files are read with their version rewritten to 1.3, which
changes nothing LinRegPCR reads, and np.NaN is aliased.
Usage: rdmlpython_linregpcr.py FILE.rdml > results.tsv   (prints the timing on standard error)
"""
import sys
import time
import warnings
import zipfile

import numpy as np

np.NaN = np.nan
from rdmlpython import rdml  # noqa: E402

warnings.filterwarnings("ignore")


def main(path):
    started = time.perf_counter()
    archive = zipfile.ZipFile(path)
    name = "rdml_data.xml" if "rdml_data.xml" in archive.namelist() else [n for n in archive.namelist() if n.endswith(".xml")][0]
    text = archive.read(name).decode("utf-8").replace('version="1.4"', 'version="1.3"', 1)
    document = rdml.Rdml()
    document.loadXMLString(text)
    first = True
    curves = 0
    for experiment in document.experiments():
        for run in experiment.runs():
            table = run.linRegPCR(saveResultsList=True)["resultsList"]
            if first:
                print("\t".join(["Experiment", "Run"] + [str(c) for c in table[0]]))
                first = False
            for row in table[1:]:
                values = [repr(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in row]
                print("\t".join([experiment["id"], run["id"]] + values))
                curves += 1
    seconds = time.perf_counter() - started
    print(f"rdmlpython {curves} curves {seconds:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
