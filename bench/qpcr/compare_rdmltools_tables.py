#!/usr/bin/env python3
"""Compares `exoscope qpcr analyze` output with the expected-results tables of the newer RDML-Tools
LinRegPCR that ship beside the RDML 1.4 files (large_DNA_dilutions, quantification_methods).

Usage: compare_rdmltools_tables.py METHOD EXOSCOPE_TSV EXPECTED_TSV [METHOD EXOSCOPE_TSV EXPECTED_TSV ...]
METHOD is the --cq-method the ExoScope table was made with (threshold or td0). Prints a Markdown table: per
file and method, reactions matched, amplification calls agreeing, and for reactions both call amplified the
median and 95th percentile of |difference| and the share within tolerance for the individual and mean PCR
efficiency (0.02) and for Cq against TD0 (0.10 cycles).
"""
import csv
import statistics
import sys


def number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def summary(differences, tolerance):
    if not differences:
        return "–", "–", "–"
    absolute = sorted(abs(d) for d in differences)
    p95 = absolute[max(0, int(round(0.95 * len(absolute))) - 1)]
    within = sum(d <= tolerance for d in absolute) / len(absolute)
    return f"{statistics.median(differences):+.4f}", f"{p95:.4f}", f"{100 * within:.1f} %"


def compare(mine_path, expected_path):
    expected = {}
    with open(expected_path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            expected[(row["Run"], row["well"], row["target"])] = row
    mine = {}
    with open(mine_path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            mine[(row["run"], row["well"], row["target"])] = row
    keys = [key for key in expected if key in mine]
    calls = sum((expected[k]["amplification"] == "True") == (mine[k]["amplified"] == "true") for k in keys)
    columns = {"indiv PCR eff": ("efficiency", 0.02), "PCR eff": ("mean_efficiency", 0.02), "TD0": ("cq", 0.10)}
    rows = []
    for theirs, (ours, tolerance) in columns.items():
        differences = []
        for key in keys:
            if expected[key]["amplification"] != "True" or mine[key]["amplified"] != "true":
                continue
            a, b = number(expected[key][theirs]), number(mine[key][ours])
            if a is not None and b is not None:
                differences.append(b - a)
        rows.append((theirs, ours, tolerance, len(differences)) + summary(differences, tolerance))
    return len(expected), len(keys), calls, rows


def main(arguments):
    if len(arguments) < 3 or len(arguments) % 3:
        sys.exit(__doc__)
    print("| file | method | reactions | amplification calls agree | RDML-Tools column | ExoScope column | pairs |"
          " median difference | 95th pct abs | within tolerance |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for method, mine_path, expected_path in zip(arguments[::3], arguments[1::3], arguments[2::3]):
        total, matched, calls, rows = compare(mine_path, expected_path)
        name = expected_path.rsplit("/", 1)[-1]
        for theirs, ours, tolerance, pairs, median, p95, within in rows:
            print(f"| {name} | {method} | {matched}/{total} | {calls} | {theirs} | {ours} | {pairs} | {median} | {p95} |"
                  f" {within} (≤ {tolerance}) |")


if __name__ == "__main__":
    main(sys.argv[1:])
