#!/usr/bin/env python3
"""Writes a seeded labelled matrix with correlated features: MATRIX_TSV FEATURES SAMPLES SEED [CASE_FRACTION].

The layout is make_matrix.py's (sample, group tumour / healthy, one column per feature named like miRBase
miRNAs), but the features come in blocks of 5–60 that share a latent factor, as co-regulated miRNAs (clusters,
shared host genes) do: feature = mean + SD × (√ρ · factor + √(1 − ρ) · noise), ρ drawn per feature from
0.2–0.95, means 4–14, SDs 0.5–2. In 15 % of the blocks the factor is shifted in tumours by ±0.3–1.0 (so several
correlated features carry the same signal, the case where the lasso's coordinate descent converges slowest), and
5 % of the features carry a shift of their own. CASE_FRACTION (default 0.5) of the samples are tumours. Printed
with 6 decimals. Uses only the standard library.
"""
import math
import random
import sys


def main(path, features, samples, seed, case_fraction=0.5):
    rng = random.Random(seed)
    cases = round(samples * case_fraction)
    groups = ["tumour" if i < cases else "healthy" for i in range(samples)]
    tumour = [g == "tumour" for g in groups]
    names = [f"hsa-miR-{i + 1}-5p" for i in range(features)]
    columns = []
    while len(columns) < features:
        size = min(rng.randint(5, 60), features - len(columns))
        shift = rng.choice([-1, 1]) * rng.uniform(0.3, 1.0) if rng.random() < 0.15 else 0.0
        factor = [rng.gauss(shift if t else 0.0, 1) for t in tumour]
        for _ in range(size):
            rho = rng.uniform(0.2, 0.95)
            mean = rng.uniform(4, 14)
            sd = rng.uniform(0.5, 2)
            own = rng.choice([-1, 1]) * rng.uniform(0.3, 1.0) if rng.random() < 0.05 else 0.0
            a, b = math.sqrt(rho), math.sqrt(1 - rho)
            columns.append([mean + sd * (a * f + b * rng.gauss(own if t else 0.0, 1)) for f, t in zip(factor, tumour)])
    with open(path, "w") as handle:
        handle.write("sample\tgroup\t" + "\t".join(names) + "\n")
        for s in range(samples):
            handle.write(f"S{s + 1:04d}\t{groups[s]}\t" + "\t".join(f"{columns[f][s]:.6f}" for f in range(features)) + "\n")


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) == 6 else 0.5)
