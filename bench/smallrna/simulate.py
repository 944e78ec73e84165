#!/usr/bin/env python3
"""Seeded simulator of small-RNA-seq reads with known origin (ExoScope benchmark).

Every read is an insert followed by the kit's 3' adapter (and the rest of the library
construct), cut or padded to a fixed read length, with substitution errors drawn from the
Phred qualities written in the FASTQ (P(error) = 10^(-Q/10) at every base, so the qualities
are honest). Inserts:

  miRNA   a human miRBase 22 mature (hsa_matures_miRBase_v22.fa, DNA alphabet) drawn from a
          log-normal abundance distribution (a shared per-miRNA log-mean, a per-sample
          log-normal deviation, a share of miRNAs not expressed at all), turned into an
          isomiR: 5' shift of -1 (templated from the hairpin) or +1, 3' trimming (-1..-3) or
          templated extension (+1, +2) from the hairpin (hsa_hairpins_miRBase_v22.fa, found
          through Derives_from= in hsa_miRBase_v22.gff3), and non-templated 3' A/T additions.
  tRNA    fragments of GtRNAdb mature tRNAs: 5' tRFs/5' halves, 3' tRFs ending in CCA, inner.
  rRNA    random 16-35 nt pieces of the RNAcentral/Ensembl human rRNAs.
  dimer   empty insert (adapter dimer) or 1-3 nt.
  random  uniform random bases, 10-40 nt (some are too short or too long to keep).

Outputs in --out DIR, for each sample NAME:
  NAME.fastq.gz                 the reads
  NAME.truth.tsv.gz             read_id, origin (mature name or tRNA/rRNA/dimer/random),
                                isomiR description, insert (true, before errors), errors in insert
  NAME.nonmirna.fastq.gz        (with --write-nonmirna) the same sample's non-miRNA reads only,
                                for measuring false positives of any tool by counting them alone
and for the whole run:
  truth_counts.tsv              mirna, then one column per sample: reads per origin mature (every
                                mature of the FASTA, zeros included; isomiRs and reads with
                                errors count for their origin)
  truth_summary.tsv             per sample: reads, miRNA, tRNA, rRNA, dimer, random, miRNA reads
                                whose true insert equals another (non-identical-named) mature
  identical_matures.tsv         groups of distinct mature names with one identical sequence
  isomir_collisions.tsv         isomiR inserts that are exactly another mature's sequence
  sim_params.json               all parameters, seed, inputs and their sizes

Deterministic for a given seed and parameters (numpy PCG64).
"""
import argparse
import gzip
import json
import math
import os
import sys
from collections import defaultdict, Counter

import numpy as np

SHARED = os.environ.get("EXOSCOPE_SHARED_DATA", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data"))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared/data"

# 3' adapter then the rest of the construct (index primer, a fixed index, P7), then A's.
KITS = {
    # Illumina TruSeq Small RNA: RA3 3' adapter, then the RPI index primer.
    "truseq": ("TGGAATTCTCGGGTGCCAAGG", "AACTCCAGTCACGCCAATATCTCGTATGCCGTCTTCTGCTTG"),
    # NEBNext Small RNA: the 3' adapter reads as the Illumina TruSeq adapter start.
    "nebnext": ("AGATCGGAAGAGCACACGTCT", "GAACTCCAGTCACGCCAATATCTCGTATGCCGTCTTCTGCTTG"),
}
BASES = np.frombuffer(b"ACGT", dtype=np.uint8)


def read_fasta(path):
    recs = []
    name, desc, buf = None, None, []
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            if line.startswith(">"):
                if name is not None:
                    recs.append((name, desc, "".join(buf)))
                parts = line[1:].split(None, 1)
                name, desc, buf = parts[0], (parts[1] if len(parts) > 1 else ""), []
            else:
                buf.append(line.upper().replace("U", "T"))
    if name is not None:
        recs.append((name, desc, "".join(buf)))
    return recs


def load_references(args):
    matures = read_fasta(args.matures)
    hairpins = read_fasta(args.hairpins)
    hp_by_acc = {}
    for name, desc, seq in hairpins:
        acc = desc.split()[0] if desc else name
        hp_by_acc[acc] = (name, seq)
    derives = defaultdict(list)  # mature name -> hairpin accessions
    with open(args.gff) as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) < 9 or f[2] != "miRNA":
                continue
            attrs = dict(kv.split("=", 1) for kv in f[8].split(";") if "=" in kv)
            nm, df = attrs.get("Name"), attrs.get("Derives_from")
            if nm and df and df not in derives[nm]:
                derives[nm].append(df)
    # hairpin contexts: (hairpin sequence, start of the mature in it)
    contexts = {}
    for name, _, seq in matures:
        ctx = []
        for acc in derives.get(name, []):
            if acc in hp_by_acc:
                hseq = hp_by_acc[acc][1]
                pos = hseq.find(seq)
                if pos >= 0:
                    ctx.append((hseq, pos))
        if not ctx:  # fall back on any hairpin holding the mature
            for acc, (_, hseq) in hp_by_acc.items():
                pos = hseq.find(seq)
                if pos >= 0:
                    ctx.append((hseq, pos))
                    break
        contexts[name] = ctx
    trnas = [s for _, _, s in read_fasta(args.trna)]
    rrnas = [s for _, _, s in read_fasta(args.rrna) if len(s) >= 40]
    return matures, contexts, trnas, rrnas


def pick(rng, probs):
    return int(rng.choice(len(probs), p=probs))


class MirnaModel:
    # (shift, probability)
    P5 = [(-1, 0.04), (0, 0.92), (1, 0.04)]
    P3 = [(-3, 0.03), (-2, 0.08), (-1, 0.15), (0, 0.60), (1, 0.10), (2, 0.04)]
    P_NTA = 0.08  # non-templated 3' addition
    P_NTA_LEN2 = 0.25

    def __init__(self, scale=1.0):
        # scale multiplies every non-canonical probability (scale 0: canonical only)
        def scaled(tab):
            p = np.array([pr for _, pr in tab], dtype=float)
            zero = [i for i, (s, _) in enumerate(tab) if s == 0][0]
            other = p.copy(); other[zero] = 0
            other *= scale
            p = other; p[zero] = max(0.0, 1 - other.sum())
            return [s for s, _ in tab], p / p.sum()
        self.s5, self.p5 = scaled(self.P5)
        self.s3, self.p3 = scaled(self.P3)
        self.p_nta = min(1.0, self.P_NTA * scale)


def make_isomir(rng, model, seq, ctx):
    """Return (insert, description)."""
    hseq, start = (None, None)
    if ctx:
        hseq, start = ctx[int(rng.integers(len(ctx)))] if len(ctx) > 1 else ctx[0]
    d5 = model.s5[pick(rng, model.p5)]
    d3 = model.s3[pick(rng, model.p3)]
    end = len(seq)  # relative to mature start
    s = 0
    desc = []
    if d5 == -1:
        if hseq is not None and start >= 1:
            s = -1
        else:
            d5 = 0
    elif d5 == 1:
        s = 1
    if d3 > 0:
        if hseq is None or start + end + d3 > len(hseq):
            d3 = 0
    e = end + d3
    if hseq is not None:
        ins = hseq[start + s:start + e]
    else:
        ins = seq[max(s, 0):e]
    if s:
        desc.append("5p:%+d" % s)  # start offset: -1 = one templated base upstream, +1 = first base lost
    if d3:
        desc.append("3p:%+d" % d3)  # end offset: +n = templated extension, -n = trimmed
    if rng.random() < model.p_nta:
        n = 2 if rng.random() < model.P_NTA_LEN2 else 1
        add = "".join("A" if rng.random() < 0.5 else "T" for _ in range(n))
        ins += add
        desc.append("nta3p:%s" % add)  # non-templated 3' addition
    return ins, (",".join(desc) if desc else "canonical")


def trna_fragment(rng, trnas):
    t = trnas[int(rng.integers(len(trnas)))]
    kind = rng.random()
    L = int(rng.integers(16, 36))
    L = min(L, len(t))
    if kind < 0.45:  # 5' tRF / 5' half
        return t[:L]
    if kind < 0.8:  # 3' tRF with CCA
        L = min(int(rng.integers(18, 24)), len(t))
        return t[len(t) - L:]
    st = int(rng.integers(0, len(t) - L + 1))
    return t[st:st + L]


def rrna_fragment(rng, rrnas):
    r = rrnas[int(rng.integers(len(rrnas)))]
    L = int(rng.integers(16, 36))
    st = int(rng.integers(0, len(r) - L + 1))
    return r[st:st + L]


def random_insert(rng):
    L = int(rng.integers(10, 41))
    return BASES[rng.integers(0, 4, size=L)].tobytes().decode()


def quality_matrix(rng, n, L, q_start, q_end, q_sd):
    mean = np.linspace(q_start, q_end, L)
    q = np.rint(rng.normal(mean, q_sd, size=(n, L)))
    # a few bad reads: a low-quality tail
    bad = rng.random(n) < 0.02
    if bad.any():
        tail = rng.integers(L // 3, L, size=bad.sum())
        for i, t in zip(np.nonzero(bad)[0], tail):
            q[i, t:] -= 15
    return np.clip(q, 2, 41).astype(np.int16)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reads", type=int, default=1_000_000, help="reads per sample")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kit", choices=sorted(KITS), default="truseq")
    ap.add_argument("--read-length", type=int, default=50)
    ap.add_argument("--samples", type=int, default=1, help="number of samples (different abundance draws)")
    ap.add_argument("--sample-names", default=None, help="comma-separated names (default S01, S02, ...)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--frac-mirna", type=float, default=0.75)
    ap.add_argument("--frac-trna", type=float, default=0.08)
    ap.add_argument("--frac-rrna", type=float, default=0.05)
    ap.add_argument("--frac-dimer", type=float, default=0.04)
    ap.add_argument("--frac-random", type=float, default=0.08)
    ap.add_argument("--expressed", type=float, default=0.6, help="share of matures expressed at all")
    ap.add_argument("--log-sd", type=float, default=2.5, help="sd of the per-miRNA log abundance")
    ap.add_argument("--sample-log-sd", type=float, default=0.6, help="sd of the per-sample log deviation")
    ap.add_argument("--isomir-scale", type=float, default=1.0, help="multiplies all isomiR probabilities (0 = canonical only)")
    ap.add_argument("--q-start", type=float, default=37.0)
    ap.add_argument("--q-end", type=float, default=30.0)
    ap.add_argument("--q-sd", type=float, default=3.0)
    ap.add_argument("--write-nonmirna", action="store_true", help="also write NAME.nonmirna.fastq.gz")
    ap.add_argument("--gzip-level", type=int, default=6)
    ap.add_argument("--matures", default=os.path.join(SHARED, "mirbase", "hsa_matures_miRBase_v22.fa"))
    ap.add_argument("--hairpins", default=os.path.join(SHARED, "mirbase", "hsa_hairpins_miRBase_v22.fa"))
    ap.add_argument("--gff", default=os.path.join(SHARED, "mirbase", "hsa_miRBase_v22.gff3"))
    ap.add_argument("--trna", default=os.path.join(SHARED, "smallrna_references", "hsa_tRNA_GtRNAdb.fa"))
    ap.add_argument("--rrna", default=os.path.join(SHARED, "smallrna_references", "hsa_rRNA_RNAcentral_Ensembl.fa"))
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(args.seed))
    matures, contexts, trnas, rrnas = load_references(args)
    names = [n for n, _, _ in matures]
    seqs = [s for _, _, s in matures]
    by_seq = defaultdict(list)
    for n, s in zip(names, seqs):
        by_seq[s].append(n)
    identical = [sorted(v) for v in by_seq.values() if len(v) > 1]
    with open(os.path.join(args.out, "identical_matures.tsv"), "w") as fh:
        fh.write("sequence\tnames\n")
        for grp in sorted(identical):
            fh.write("%s\t%s\n" % (by_seq_key(by_seq, grp[0]), "/".join(grp)))

    K = args.samples
    snames = args.sample_names.split(",") if args.sample_names else ["S%02d" % (i + 1) for i in range(K)]
    if len(snames) != K:
        sys.exit("--sample-names must have --samples names")

    M = len(names)
    mu = rng.normal(0.0, args.log_sd, size=M)
    expressed = rng.random(M) < args.expressed
    fr = np.array([args.frac_mirna, args.frac_trna, args.frac_rrna, args.frac_dimer, args.frac_random], dtype=float)
    fr = fr / fr.sum()
    classes = ["miRNA", "tRNA", "rRNA", "dimer", "random"]
    adapter, construct = KITS[args.kit]
    tail = adapter + construct
    L = args.read_length
    model = MirnaModel(args.isomir_scale)

    truth_counts = np.zeros((M, K), dtype=np.int64)
    summary = []
    collisions = Counter()
    chunk = 200_000
    for k, sname in enumerate(snames):
        logw = mu + rng.normal(0.0, args.sample_log_sd, size=M)
        w = np.where(expressed, np.exp(logw), 0.0)
        w /= w.sum()
        n_reads = args.reads
        cls_all = rng.choice(5, size=n_reads, p=fr)
        mir_all = rng.choice(M, size=n_reads, p=w)
        fq = gzip.open(os.path.join(args.out, sname + ".fastq.gz"), "wt", compresslevel=args.gzip_level)
        tr = gzip.open(os.path.join(args.out, sname + ".truth.tsv.gz"), "wt", compresslevel=args.gzip_level)
        nm = gzip.open(os.path.join(args.out, sname + ".nonmirna.fastq.gz"), "wt", compresslevel=args.gzip_level) if args.write_nonmirna else None
        tr.write("read_id\torigin\tisomir\tinsert\tinsert_errors\n")
        cls_count = Counter()
        coll_n = 0
        for c0 in range(0, n_reads, chunk):
            n = min(chunk, n_reads - c0)
            inserts, origins, descs = [], [], []
            for i in range(c0, c0 + n):
                c = int(cls_all[i])
                if c == 0:
                    m = int(mir_all[i])
                    ins, desc = make_isomir(rng, model, seqs[m], contexts[names[m]])
                    origins.append(names[m])
                    truth_counts[m, k] += 1
                    others = by_seq.get(ins)
                    if others and names[m] not in others:
                        collisions[(names[m], desc, "/".join(others))] += 1
                        coll_n += 1
                elif c == 1:
                    ins, desc = trna_fragment(rng, trnas), "-"
                    origins.append("tRNA")
                elif c == 2:
                    ins, desc = rrna_fragment(rng, rrnas), "-"
                    origins.append("rRNA")
                elif c == 3:
                    r = rng.random()
                    ins = "" if r < 0.8 else BASES[rng.integers(0, 4, size=int(rng.integers(1, 4)))].tobytes().decode()
                    desc = "-"
                    origins.append("dimer")
                else:
                    ins, desc = random_insert(rng), "-"
                    origins.append("random")
                cls_count[classes[c]] += 1
                inserts.append(ins)
                descs.append(desc)
            # build the read matrix
            raw = np.frombuffer("".join((s + tail)[:L].ljust(L, "A") for s in inserts).encode(), dtype=np.uint8).reshape(n, L).copy()
            q = quality_matrix(rng, n, L, args.q_start, args.q_end, args.q_sd)
            perr = np.power(10.0, -q / 10.0)
            err = rng.random((n, L)) < perr
            if err.any():
                ii, jj = np.nonzero(err)
                cur = raw[ii, jj]
                # a different base: rotate the base index by 1..3
                idx = np.searchsorted(BASES, cur)
                idx = np.where(BASES[np.clip(idx, 0, 3)] == cur, idx, 0)
                new = BASES[(idx + rng.integers(1, 4, size=len(ii))) % 4]
                raw[ii, jj] = new
            qual = (q + 33).astype(np.uint8)
            ins_len = np.array([min(len(s), L) for s in inserts])
            err_in_insert = np.zeros(n, dtype=np.int64)
            if err.any():
                inside = jj < ins_len[ii]
                np.add.at(err_in_insert, ii[inside], 1)
            out_fq = []
            out_nm = []
            out_tr = []
            for j in range(n):
                rid = "%s.%09d" % (sname, c0 + j + 1)
                rec = "@%s\n%s\n+\n%s\n" % (rid, raw[j].tobytes().decode(), qual[j].tobytes().decode())
                out_fq.append(rec)
                if nm is not None and origins[j] in ("tRNA", "rRNA", "dimer", "random"):
                    out_nm.append(rec)
                out_tr.append("%s\t%s\t%s\t%s\t%d\n" % (rid, origins[j], descs[j], inserts[j], err_in_insert[j]))
            fq.write("".join(out_fq))
            tr.write("".join(out_tr))
            if nm is not None:
                nm.write("".join(out_nm))
        fq.close(); tr.close()
        if nm is not None:
            nm.close()
        summary.append((sname, n_reads, cls_count["miRNA"], cls_count["tRNA"], cls_count["rRNA"], cls_count["dimer"], cls_count["random"], coll_n))
        print("simulated %s: %d reads" % (sname, n_reads), file=sys.stderr)

    with open(os.path.join(args.out, "truth_counts.tsv"), "w") as fh:
        fh.write("mirna\t" + "\t".join(snames) + "\n")
        for i, n in enumerate(names):
            fh.write(n + "\t" + "\t".join(str(int(x)) for x in truth_counts[i]) + "\n")
    with open(os.path.join(args.out, "truth_summary.tsv"), "w") as fh:
        fh.write("sample\treads\tmiRNA\ttRNA\trRNA\tdimer\trandom\tmiRNA_insert_equals_other_mature\n")
        for row in summary:
            fh.write("\t".join(str(x) for x in row) + "\n")
    with open(os.path.join(args.out, "isomir_collisions.tsv"), "w") as fh:
        fh.write("origin\tisomir\tequals_mature\treads\n")
        for (o, d, e), c in collisions.most_common():
            fh.write("%s\t%s\t%s\t%d\n" % (o, d, e, c))
    params = vars(args).copy()
    params.update({
        "sample_names": snames, "adapter": adapter, "construct_after_adapter": construct,
        "n_matures": M, "n_expressed": int(expressed.sum()), "n_identical_groups": len(identical),
        "n_with_hairpin_context": sum(1 for n in names if contexts[n]),
        "n_trna": len(trnas), "n_rrna": len(rrnas),
        "isomir_model": {"5p": list(zip(model.s5, model.p5.round(4).tolist())), "3p": list(zip(model.s3, model.p3.round(4).tolist())), "nta": model.p_nta},
    })
    with open(os.path.join(args.out, "sim_params.json"), "w") as fh:
        json.dump(params, fh, indent=1)


def by_seq_key(by_seq, name):
    for s, v in by_seq.items():
        if name in v:
            return s
    return ""


if __name__ == "__main__":
    main()
