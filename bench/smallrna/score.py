#!/usr/bin/env python3
"""Score a miRNA count matrix against simulate.py's truth; print a markdown table.

  score.py --truth SIMDIR --counts TOOL.tsv [--fp-counts TOOL_ON_NONMIRNA.tsv]
           [--assignments DIR] [--label NAME] [--per-mirna OUT.tsv] [--json OUT.json]

TOOL.tsv: first column the miRNA name (ExoScope/cutadapt_bowtie TSV, or miRge3's miR.Counts.csv:
comma or tab is detected), then one column per sample named as in the truth (S01, ...). A name
with '/' is a multi-name: reads the tool could not split between those matures.

Count-level categories, per sample (a count matrix does not say which read went where, so each
row's count is credited against the truth as far as the truth allows):
  correct        sum over single-name rows of min(count, truth of that miRNA)
  multi-correct  multi-name rows credited against what is left of their members' truth
                 ("correct-ambiguous": e.g. hsa-miR-199a-3p/hsa-miR-199b-3p for either origin)
  over-counted   everything counted beyond that credit: reads put under another miRNA
                 ("wrong") or non-miRNA reads counted as miRNA ("FP")
  FP             with --fp-counts: the tool's total on the same sample's non-miRNA reads alone
                 (simulate.py --write-nonmirna writes them; run the tool on them, sample names
                 may carry a .nonmirna suffix). Exact for a tool that treats reads independently.
  wrong          over-counted minus FP (with --fp-counts)
  missed         true miRNA reads not credited and not counted under a wrong name
                 (without --fp-counts: not credited, wrong included)
The credit is optimistic where a tool both misses reads of a miRNA and puts other reads under
its name: the two cancel in a count matrix. Percentages are of the true miRNA reads.

Agreement, per sample and pooled: miRNAs that a tool row joins into a multi-name are summed
into one unit on both sides; over units with truth or count > 0, Pearson of log2(count+1) and
Spearman of the counts; MARE = mean |count - truth| / truth over units with truth >= 10, and
the median of the same relative errors (a few low-truth miRNAs that receive a relative's reads
can dominate the mean).

--assignments DIR (cutadapt_bowtie.sh --assignments): per-read categories from
DIR/SAMPLE.assign.tsv.gz and the truth's per-read origins, printed as a second table.
"""
import argparse
import gzip
import json
import math
import os
import sys
from collections import defaultdict


def read_matrix(path):
    with open(path) as fh:
        head = fh.readline().rstrip("\n")
        sep = "\t" if "\t" in head else ","
        cols = [c.strip().strip('"') for c in head.split(sep)]
        samples = cols[1:]
        data = {}
        for line in fh:
            f = line.rstrip("\n").split(sep)
            if not f or not f[0]:
                continue
            name = f[0].strip().strip('"')
            vals = [int(round(float(x))) if x.strip() else 0 for x in f[1:]]
            if name in data:  # same row twice: add
                data[name] = [a + b for a, b in zip(data[name], vals)]
            else:
                data[name] = vals
    return samples, data


def norm_sample(s):
    for suf in (".nonmirna", "_nonmirna"):
        if s.endswith(suf):
            return s[: -len(suf)]
    return s


def rank(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0 + 1
        i = j + 1
    return r


def pearson(x, y):
    n = len(x)
    if n < 3:
        return float("nan")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else float("nan")


def spearman(x, y):
    return pearson(rank(x), rank(y))


class Units:
    """Union-find over miRNA names joined by the tool's multi-names."""

    def __init__(self):
        self.p = {}

    def find(self, a):
        self.p.setdefault(a, a)
        while self.p[a] != a:
            self.p[a] = self.p[self.p[a]]
            a = self.p[a]
        return a

    def union(self, names):
        names = list(names)
        r = self.find(names[0])
        for n in names[1:]:
            self.p[self.find(n)] = r


def score_sample(truth, tool_rows, fp_total):
    """truth: name -> count; tool_rows: list of (frozenset names, count)."""
    resid = dict(truth)
    T = sum(truth.values())
    correct = multi = counted = 0
    for names, c in tool_rows:
        counted += c
        if len(names) == 1 and c > 0:
            (m,) = tuple(names)
            cr = min(c, resid.get(m, 0))
            resid[m] = resid.get(m, 0) - cr
            correct += cr
    for names, c in tool_rows:
        if len(names) > 1 and c > 0:
            left = c
            for m in sorted(names, key=lambda m: -resid.get(m, 0)):
                take = min(left, resid.get(m, 0))
                resid[m] = resid.get(m, 0) - take
                left -= take
                multi += take
                if left == 0:
                    break
    over = counted - correct - multi
    res = {"true_mirna_reads": T, "counted": counted, "correct": correct, "multi_correct": multi, "over_counted": over}
    if fp_total is not None:
        fp = min(fp_total, over)
        res["fp"] = fp
        res["wrong"] = over - fp
        res["missed"] = T - correct - multi - res["wrong"]
    else:
        res["fp"] = None
        res["wrong"] = None
        res["missed"] = T - correct - multi
    return res


def agreement(pairs):
    """pairs: list of (truth, count) per unit."""
    pairs = [(t, c) for t, c in pairs if t > 0 or c > 0]
    if not pairs:
        return float("nan"), float("nan"), float("nan"), 0, float("nan")
    lt = [math.log2(t + 1) for t, _ in pairs]
    lc = [math.log2(c + 1) for _, c in pairs]
    pr = pearson(lt, lc)
    sr = spearman([t for t, _ in pairs], [c for _, c in pairs])
    big = [(t, c) for t, c in pairs if t >= 10]
    are = sorted(abs(c - t) / t for t, c in big)
    mare = sum(are) / len(are) if are else float("nan")
    med = (are[len(are) // 2] if len(are) % 2 else (are[len(are) // 2 - 1] + are[len(are) // 2]) / 2) if are else float("nan")
    return pr, sr, mare, len(big), med


def per_read(truth_dir, sample, asg_dir):
    asg = {}
    path = os.path.join(asg_dir, sample + ".assign.tsv.gz")
    if not os.path.exists(path):
        return None
    with gzip.open(path, "rt") as fh:
        for line in fh:
            rid, names = line.rstrip("\n").split("\t")
            asg[rid] = names
    cat = defaultdict(int)
    with gzip.open(os.path.join(truth_dir, sample + ".truth.tsv.gz"), "rt") as fh:
        fh.readline()
        for line in fh:
            rid, origin = line.split("\t", 2)[:2]
            a = asg.get(rid)
            if origin.startswith("hsa-"):
                cat["true_mirna_reads"] += 1
                if a is None:
                    cat["missed"] += 1
                else:
                    s = a.split("/")
                    if origin in s:
                        cat["correct" if len(s) == 1 else "multi_correct"] += 1
                    else:
                        cat["wrong"] += 1
            elif a is not None:
                cat["fp"] += 1
                cat["fp_" + origin] += 1
    return cat


def pct(a, b):
    return "%.2f" % (100.0 * a / b) if b else "-"


def fmt(x, d=4):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else ("%.*f" % (d, x))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--truth", required=True, help="simulate.py output folder")
    ap.add_argument("--counts", required=True)
    ap.add_argument("--fp-counts")
    ap.add_argument("--assignments")
    ap.add_argument("--label", default=None)
    ap.add_argument("--per-mirna")
    ap.add_argument("--json")
    args = ap.parse_args()
    label = args.label or os.path.basename(args.counts)

    tsamples, tdata = read_matrix(os.path.join(args.truth, "truth_counts.tsv"))
    summ = {}
    with open(os.path.join(args.truth, "truth_summary.tsv")) as fh:
        hdr = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            f = dict(zip(hdr, line.rstrip("\n").split("\t")))
            summ[f["sample"]] = f
    csamples, cdata = read_matrix(args.counts)
    csamples = [norm_sample(s) for s in csamples]
    missing = [s for s in csamples if s not in tsamples]
    if missing:
        sys.exit("samples not in the truth: %s" % ", ".join(missing))
    fp_tot = {}
    if args.fp_counts:
        fs, fd = read_matrix(args.fp_counts)
        for j, s in enumerate(fs):
            fp_tot[norm_sample(s)] = sum(v[j] for v in fd.values())

    units = Units()
    for n in tdata:
        units.find(n)
    for name in cdata:
        units.union(name.split("/"))

    members = defaultdict(list)
    for n in list(units.p):
        members[units.find(n)].append(n)
    results, pooled_pairs, per_mirna_rows = [], [], []
    for j, s in enumerate(csamples):
        ti = tsamples.index(s)
        truth = {n: v[ti] for n, v in tdata.items() if v[ti] > 0}
        rows = [(frozenset(n.split("/")), v[j]) for n, v in cdata.items()]
        r = score_sample(truth, rows, fp_tot.get(s) if args.fp_counts else None)
        r["sample"] = s
        r["reads"] = int(summ[s]["reads"])
        r["non_mirna_reads"] = r["reads"] - int(summ[s]["miRNA"])
        ut, uc = defaultdict(int), defaultdict(int)
        for n, v in tdata.items():
            ut[units.find(n)] += v[ti]
        for n, v in cdata.items():
            uc[units.find(n.split("/")[0])] += v[j]
        pairs = [(ut[u], uc[u]) for u in set(ut) | set(uc)]
        pooled_pairs += pairs
        r["pearson_log"], r["spearman"], r["mare_ge10"], r["n_ge10"], r["median_are_ge10"] = agreement(pairs)
        if args.per_mirna:
            for u in sorted(set(ut) | set(uc)):
                if ut[u] or uc[u]:
                    per_mirna_rows.append((s, "/".join(sorted(members[u])), ut[u], uc[u]))
        if args.assignments:
            r["per_read"] = per_read(args.truth, s, args.assignments)
        results.append(r)

    tot = defaultdict(int)
    for r in results:
        for k in ("reads", "non_mirna_reads", "true_mirna_reads", "counted", "correct", "multi_correct", "over_counted", "missed"):
            tot[k] += r[k]
        for k in ("fp", "wrong"):
            if r[k] is not None:
                tot[k] += r[k]
    p, sp, mare, nbig, medare = agreement(pooled_pairs)
    has_fp = args.fp_counts is not None

    print("### %s\n" % label)
    cols = ["sample", "reads", "true miRNA reads", "counted", "correct %", "multi-correct %"]
    cols += ["wrong %", "FP (reads)", "missed %"] if has_fp else ["over-counted (wrong+FP) %", "missed+wrong %"]
    cols += ["Pearson log2", "Spearman", "MARE (truth>=10)", "median ARE", "n (truth>=10)"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))

    def line(name, r, pr, sr, mr, nb, md):
        T = r["true_mirna_reads"]
        cells = [name, str(r["reads"]), str(T), str(r["counted"]), pct(r["correct"], T), pct(r["multi_correct"], T)]
        if has_fp:
            cells += [pct(r["wrong"], T), str(r["fp"]), pct(r["missed"], T)]
        else:
            cells += [pct(r["over_counted"], T), pct(r["missed"], T)]
        cells += [fmt(pr), fmt(sr), fmt(mr), fmt(md), str(nb)]
        print("| " + " | ".join(cells) + " |")

    for r in results:
        line(r["sample"], r, r["pearson_log"], r["spearman"], r["mare_ge10"], r["n_ge10"], r["median_are_ge10"])
    if len(results) > 1:
        line("**all**", tot, p, sp, mare, nbig, medare)
    print()
    if args.assignments and all(r.get("per_read") for r in results):
        print("Per read (from %s; a read's assignment is the set of its equally good matures, "
              "in nfcore mode the counts then give the read to each of them):\n" % args.assignments)
        print("| sample | true miRNA reads | correct % | multi-correct % | wrong % | missed % | FP reads (tRNA/rRNA/dimer/random) |")
        print("|---|---|---|---|---|---|---|")
        agg = defaultdict(int)
        for r in results:
            c = r["per_read"]
            for k, v in c.items():
                agg[k] += v
        for name, c in [(r["sample"], r["per_read"]) for r in results] + ([("**all**", agg)] if len(results) > 1 else []):
            T = c["true_mirna_reads"]
            print("| %s | %d | %s | %s | %s | %s | %d (%d/%d/%d/%d) |" % (
                name, T, pct(c["correct"], T), pct(c["multi_correct"], T), pct(c["wrong"], T), pct(c["missed"], T),
                c["fp"], c["fp_tRNA"], c["fp_rRNA"], c["fp_dimer"], c["fp_random"]))
        print()
    if args.per_mirna:
        with open(args.per_mirna, "w") as fh:
            fh.write("sample\tunit\ttruth\tcount\n")
            for row in per_mirna_rows:
                fh.write("%s\t%s\t%d\t%d\n" % row)
    if args.json:
        out = {"label": label, "samples": [{k: (dict(v) if isinstance(v, defaultdict) else v) for k, v in r.items()} for r in results],
               "all": dict(tot, pearson_log=p, spearman=sp, mare_ge10=mare, n_ge10=nbig, median_are_ge10=medare)}
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1, default=str)


if __name__ == "__main__":
    main()
