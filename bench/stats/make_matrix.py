#!/usr/bin/env python3
"""Writes a seeded labelled matrix for the statistics benchmarks: MATRIX_TSV FEATURES SAMPLES SEED [MISSING].

Layout (the one `exoscope stats` reads): sample, group (tumour / healthy, half each), then one column per
feature named like miRBase miRNAs. Values are log2 expression: a per-feature mean (4–14) plus normal noise
(SD 0.5–2); 10 % of the features are shifted in tumours by ±0.3–1.5, so some separate the groups and most do
not. Printed with 6 decimals, as expression tables usually are; with MISSING (a fraction), that share of the
cells is written as NA. Uses only the standard library.
"""
import random
import sys


def main(path, features, samples, seed, missing=0.0):
    rng = random.Random(seed)
    groups = ["tumour" if i < samples // 2 else "healthy" for i in range(samples)]
    names = [f"hsa-miR-{i + 1}-5p" for i in range(features)]
    columns = []
    for _ in range(features):
        mean = rng.uniform(4, 14)
        sd = rng.uniform(0.5, 2)
        shift = rng.choice([-1, 1]) * rng.uniform(0.3, 1.5) if rng.random() < 0.1 else 0.0
        columns.append([rng.gauss(mean + (shift if g == "tumour" else 0.0), sd) for g in groups])
    cell = lambda value: "NA" if missing and rng.random() < missing else f"{value:.6f}"
    with open(path, "w") as handle:
        handle.write("sample\tgroup\t" + "\t".join(names) + "\n")
        for s in range(samples):
            handle.write(f"S{s + 1:04d}\t{groups[s]}\t" + "\t".join(cell(columns[f][s]) for f in range(features)) + "\n")


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) == 6 else 0.0)
