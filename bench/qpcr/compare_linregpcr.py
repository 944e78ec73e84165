#!/usr/bin/env python3
"""Compares ExoScope's `qpcr analyze` with rdmlpython's LinRegPCR on the same RDML file.

Rows are matched by run, well and target, in order. Reported: for reactions that both call amplified and
both give a Cq, the share within 0.10 cycles (Cq with the mean efficiency, excluding no-plateau curves and
outliers: rdmlpython's default) and within 0.02 of the individual PCR efficiency, and the largest differences.
Usage: compare_linregpcr.py EXOSCOPE.tsv RDMLPYTHON.tsv [--label NAME] [--by-order]
(--by-order pairs rows by position, for plates whose well labels the two tools spell differently.)
"""
import csv
import math
import sys


def number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return math.nan
    return value


def main(exo_path, ref_path, label, by_order=False):
    exo = list(csv.DictReader(open(exo_path), delimiter="\t"))
    ref = list(csv.DictReader(open(ref_path), delimiter="\t"))
    by_key = {}
    for row in ref:
        by_key.setdefault((row.get("run", row.get("Run")), row["well"], row["target"]), []).append(row)
    pairs = []
    if by_order:
        pairs = list(zip(exo, ref))
    for row in [] if by_order else exo:
        candidates = by_key.get((row["run"], row["well"], row["target"]))
        if candidates:
            pairs.append((row, candidates.pop(0)))
    cq_col = "Cq (mean eff) - no plateau - stat efficiency"
    compared = cq_ok = eff_ok = amp_agree = 0
    worst = []
    for exo_row, ref_row in pairs:
        exo_amp = exo_row["amplified"] == "true"
        ref_amp = ref_row["amplification"] in ("True", "Yes")
        amp_agree += exo_amp == ref_amp
        exo_cq, ref_cq = number(exo_row["cq"]), number(ref_row[cq_col])
        exo_eff, ref_eff = number(exo_row["efficiency"]), number(ref_row["indiv PCR eff"])
        if not (exo_amp and ref_amp) or math.isnan(ref_cq):
            continue
        compared += 1
        d_cq = abs(exo_cq - ref_cq) if not math.isnan(exo_cq) else math.inf
        d_eff = abs(exo_eff - ref_eff) if not (math.isnan(exo_eff) or math.isnan(ref_eff)) else (0 if math.isnan(exo_eff) and math.isnan(ref_eff) else math.inf)
        cq_ok += d_cq <= 0.10
        eff_ok += d_eff <= 0.02
        worst.append((d_cq, d_eff, exo_row["run"], exo_row["well"], exo_row["target"], exo_cq, ref_cq, exo_eff, ref_eff))
    worst.sort(reverse=True)
    print(f"{label}: {len(pairs)} curves matched, amplification call agrees on {amp_agree}; "
          f"{compared} amplified in both with a reference Cq")
    if compared:
        print(f"  Cq within 0.10 cycles: {cq_ok}/{compared} ({100 * cq_ok / compared:.1f} %); "
              f"efficiency within 0.02: {eff_ok}/{compared} ({100 * eff_ok / compared:.1f} %)")
        for item in worst[:1]:
            print("  largest: |dCq| %.4f |dE| %.4f run %s well %s target %s (exo %.4f ref %.4f; E %.4f vs %.4f)" % item)
    return compared, cq_ok, eff_ok


if __name__ == "__main__":
    arguments = sys.argv[1:]
    label = arguments[arguments.index("--label") + 1] if "--label" in arguments else arguments[0]
    main(arguments[0], arguments[1], label, "--by-order" in arguments)
