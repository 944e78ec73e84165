#!/usr/bin/env python3
"""Compares `exoscope qpcr analyze` output with the expected-results tables of the newer RDML-Tools
LinRegPCR that ship beside the RDML 1.4 files (large_DNA_dilutions, quantification_methods) and the
technical test file matrix_gaps.

Usage: compare_rdmltools_tables.py METHOD EXOSCOPE_TSV EXPECTED_TSV [METHOD EXOSCOPE_TSV EXPECTED_TSV ...]
METHOD is the --cq-method the ExoScope table was made with (threshold or td0). Prints a Markdown table: per
file, method and column, the reactions compared, the median and 95th percentile of |difference|, the share
that agrees to the digits the table prints (half a unit of its last decimal), and for the efficiencies and
TD0 the share within the issue's tolerance (0.02 efficiency, 0.10 cycles). Reactions are compared where the
table calls them amplified and, for the per-curve columns, where its baseline error is 0; a value the table
prints as -1 (none) must be empty in ExoScope.
"""
import csv
import statistics
import sys

# RDML-Tools column -> (ExoScope column, issue tolerance or None, per-curve fit column)
COLUMNS = {
    "TD0": ("cq", 0.10, False),
    "indiv PCR eff": ("efficiency", 0.02, True),
    "PCR eff": ("mean_efficiency", 0.02, False),
    "baseline": ("baseline", None, True),
    "R2": ("r2", None, True),
    "Ncopy": ("ncopy", None, False),
    "indiv Ncopy": ("indiv_ncopy", None, True),
}


def number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value == value else None


def half_unit(text):
    """Half a unit of the last printed decimal of `text`."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return 0.5 * 10 ** -decimals + 1e-9


def compare(method, mine_path, expected_path):
    expected = {}
    with open(expected_path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            expected[(row.get("Run", ""), row["well"], row["target"])] = row
    mine = {}
    with open(mine_path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            key = (row["run"], row["well"], row["target"])
            if ("", row["well"], row["target"]) in expected:
                key = ("", row["well"], row["target"])
            mine[key] = row
    keys = [key for key in expected if key in mine]
    called = lambda row: row["amplification"] in ("True", "Yes")
    calls = sum(called(expected[k]) == (mine[k]["amplified"] == "true") for k in keys)
    rows = []
    for theirs, (ours, tolerance, per_curve) in COLUMNS.items():
        if method == "threshold" and theirs not in ("TD0", "indiv PCR eff", "PCR eff"):
            continue
        differences, printed, within = [], 0, 0
        for key in keys:
            row = expected[key]
            if not called(row) or (per_curve and row.get("baseline error", "0") != "0"):
                continue
            a, b = number(row[theirs]), number(mine[key][ours])
            if a is None:
                continue
            if a < 0 and theirs not in ("baseline",):
                differences.append(0.0 if b is None else float("inf"))
                printed += b is None
                within += b is None
                continue
            if b is None:
                differences.append(float("inf"))
                continue
            differences.append(b - a)
            printed += abs(b - a) <= half_unit(row[theirs])
            within += tolerance is not None and abs(b - a) <= tolerance
        if not differences:
            continue
        absolute = sorted(abs(d) for d in differences)
        p95 = absolute[max(0, int(round(0.95 * len(absolute))) - 1)]
        finite = [d for d in differences if d != float("inf")]
        median = f"{statistics.median(finite):+.4g}" if finite else "–"
        share = lambda count: f"{100 * count / len(differences):.1f} %"
        rows.append((theirs, ours, len(differences), median, f"{p95:.4g}", share(printed),
                     f"{share(within)} (≤ {tolerance})" if tolerance is not None else "–"))
    return len(expected), len(keys), calls, rows


def main(arguments):
    if len(arguments) < 3 or len(arguments) % 3:
        sys.exit(__doc__)
    print("| file | method | reactions | amplification calls agree | RDML-Tools column | ExoScope column | pairs |"
          " median difference | 95th pct abs | to the printed digits | within the issue's tolerance |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for method, mine_path, expected_path in zip(arguments[::3], arguments[1::3], arguments[2::3]):
        total, matched, calls, rows = compare(method, mine_path, expected_path)
        name = expected_path.rsplit("/", 1)[-1]
        for theirs, ours, pairs, median, p95, printed, within in rows:
            print(f"| {name} | {method} | {matched}/{total} | {calls} | {theirs} | {ours} | {pairs} | {median} |"
                  f" {p95} | {printed} | {within} |")


if __name__ == "__main__":
    main(sys.argv[1:])
