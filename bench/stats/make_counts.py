#!/usr/bin/env python3
"""Writes a seeded small-RNA count matrix for the voom tests: COUNTS_TSV FEATURES SAMPLES SEED.

Layout as make_matrix.py (sample, group: tumour / healthy, half each, then one column per miRNA) with read
counts: each miRNA has a mean (log-uniform 1-20,000 reads) and a negative-binomial dispersion (0.05-0.5),
each sample a library-size factor (0.5-2); 10 % of the miRNAs change 2-4 fold in tumours. numpy's PCG64.
"""
import sys

import numpy as np


def main(path, features, samples, seed):
    rng = np.random.default_rng(seed)
    groups = ["tumour" if i < samples // 2 else "healthy" for i in range(samples)]
    size = rng.uniform(0.5, 2, samples)
    rows = []
    for f in range(features):
        mean = np.exp(rng.uniform(0, np.log(20000)))
        dispersion = rng.uniform(0.05, 0.5)
        fold = rng.uniform(2, 4) ** rng.choice([-1, 1]) if rng.random() < 0.1 else 1.0
        mu = np.array([mean * size[s] * (fold if groups[s] == "tumour" else 1) for s in range(samples)])
        rows.append(rng.negative_binomial(1 / dispersion, 1 / (1 + dispersion * mu)))
    with open(path, "w") as handle:
        handle.write("sample\tgroup\t" + "\t".join(f"hsa-miR-{f + 1}-5p" for f in range(features)) + "\n")
        for s in range(samples):
            handle.write(f"S{s + 1:03d}\t{groups[s]}\t" + "\t".join(str(int(rows[f][s])) for f in range(features)) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
