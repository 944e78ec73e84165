#!/usr/bin/env python3
"""Build a miRge3 human miRBase library offline, from the files in ../shared/data.

miRge3 (`miRge3.0 -lib DIR -on human -db miRBase`) reads a library laid out as

  DIR/human/index.Libs/human_mirna_miRBase.*.ebwt      matures (bowtie v1 index)
  DIR/human/index.Libs/human_hairpin_miRBase.*.ebwt    hairpins
  DIR/human/index.Libs/human_mature_trna, human_pre_trna, human_snorna, human_rrna,
                       human_ncrna_others, human_mrna   the other RNA classes
  DIR/human/fasta.Libs/human_mature_miRBase.fa         matures (for -gff)
  DIR/human/annotation.Libs/human_miRBase.gff3         miRBase coordinates (for -gff)
  DIR/human/annotation.Libs/human_merges_miRBase.csv   names merged into one (identical matures)

normally downloaded from the authors' site, which is out of reach here. The authors' builder,
PyPI `mirge-build` 0.0.1 (installed with --no-deps: it pins biopython 1.77, scikit-learn 0.23.1
and scipy 1.4.1, which do not build on Python 3.11), refuses bowtie 1.3.1 (it accepts only
1.2.1-1.2.3) and requires a genome, snoRNA, ncRNA and mRNA FASTA that we do not have. So this
script calls mirge-build's own pieces (`miRNA_miRge_format`, `build_index`) directly:

* matures: miRBase 22 human (DNA alphabet) written the way mirge-build writes them, 2 nt of
  hairpin before and 6 nt after the mature (`miRNA_miRge_format`). mirge-build finds the
  hairpin by name (mature name minus -5p/-3p), which for miRBase names almost never matches
  (hsa-miR-21 vs hsa-mir-21); here the hairpin is the one the GFF3's Derives_from= names (the
  first one when a mature comes from several). A mature with no hairpin is kept bare.
* hairpins: miRBase 22 human hairpins as they are.
* mature tRNA: GtRNAdb; pre-tRNA: the same file (no genomic tRNA loci here); rRNA: RNAcentral.
* snoRNA, other ncRNA, mRNA: not available: a single random 200-nt placeholder each, so those
  classes stay empty. No genome index (miRge3 needs one only for -nmir and -ai).
* merges: one line per group of distinct mature names with an identical sequence,
  `A/B,A,B` (miRge3 maps every name after the first field to the first field), so those
  reads are reported under the joined name, as ExoScope does.

Usage: build_mirge_library.py OUTDIR [--threads N]
"""
import argparse
import os
import random
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from simulate import read_fasta, SHARED  # noqa: E402

try:
    from mirge_build.blibs.miRge_bowtie_build import miRNA_miRge_format
except Exception:  # same logic as mirge-build 0.0.1
    import re

    def miRNA_miRge_format(hpin, mir):
        start, end = re.search(mir, hpin).span()
        return hpin[:start][-2:] + mir + hpin[end:][:6]


def bowtie_build(fasta, prefix, threads):
    subprocess.run(["bowtie-build", "--threads", str(threads), "-f", fasta, prefix],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mirge-build-naming", action="store_true",
                    help="find each mature's hairpin by name exactly as mirge-build 0.0.1 does "
                         "(mature name minus -5p/-3p...; with miRBase names only 15 of 2,656 human "
                         "matures find one, the rest stay bare)")
    ap.add_argument("--matures", default=os.path.join(SHARED, "mirbase", "hsa_matures_miRBase_v22.fa"))
    ap.add_argument("--hairpins", default=os.path.join(SHARED, "mirbase", "hsa_hairpins_miRBase_v22.fa"))
    ap.add_argument("--gff", default=os.path.join(SHARED, "mirbase", "hsa_miRBase_v22.gff3"))
    ap.add_argument("--trna", default=os.path.join(SHARED, "smallrna_references", "hsa_tRNA_GtRNAdb.fa"))
    ap.add_argument("--rrna", default=os.path.join(SHARED, "smallrna_references", "hsa_rRNA_RNAcentral_Ensembl.fa"))
    args = ap.parse_args()

    org, db = "human", "miRBase"
    base = os.path.join(args.outdir, org)
    idx, fas, ann = (os.path.join(base, d) for d in ("index.Libs", "fasta.Libs", "annotation.Libs"))
    for d in (idx, fas, ann):
        os.makedirs(d, exist_ok=True)

    matures = read_fasta(args.matures)
    hairpins = read_fasta(args.hairpins)
    hp_by_acc = {(desc.split()[0] if desc else n): s for n, desc, s in hairpins}
    derives = defaultdict(list)
    with open(args.gff) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(f) < 9 or f[2] != "miRNA":
                continue
            a = dict(kv.split("=", 1) for kv in f[8].split(";") if "=" in kv)
            if a.get("Derives_from") not in derives[a["Name"]]:
                derives[a["Name"]].append(a.get("Derives_from"))

    hp_by_name = {n: s for n, _, s in hairpins}
    n_ext = 0
    mir_fa = os.path.join(idx, "%s_mirna_%s.fa" % (org, db))
    with open(mir_fa, "w") as out:
        for name, _, seq in matures:
            new = seq
            if args.mirge_build_naming:  # mirge-build 0.0.1, bld_bowtie_index()
                import re
                b = re.sub('[-|_]5p.*', '', name)
                c = re.sub('[-|_]3p.*', '', name)
                for key in (name, b, c):
                    if key in hp_by_name and seq in hp_by_name[key]:
                        new = miRNA_miRge_format(hp_by_name[key], seq)
                        n_ext += 1
                        break
                out.write(">%s\n%s\n" % (name, new))
                continue
            for acc in derives.get(name, []):
                h = hp_by_acc.get(acc)
                if h and seq in h:
                    new = miRNA_miRge_format(h, seq)
                    n_ext += 1
                    break
            out.write(">%s\n%s\n" % (name, new))
    with open(os.path.join(fas, "%s_mature_%s.fa" % (org, db)), "w") as out:
        for name, _, seq in matures:
            out.write(">%s\n%s\n" % (name, seq))
    hp_fa = os.path.join(idx, "%s_hairpin_%s.fa" % (org, db))
    with open(hp_fa, "w") as out:
        for name, _, seq in hairpins:
            out.write(">%s\n%s\n" % (name, seq))
    with open(args.gff) as src, open(os.path.join(ann, "%s_%s.gff3" % (org, db)), "w") as out:
        out.write(src.read())

    by_seq = defaultdict(list)
    for name, _, seq in matures:
        by_seq[seq].append(name)
    groups = sorted(sorted(v) for v in by_seq.values() if len(v) > 1)
    with open(os.path.join(ann, "%s_merges_%s.csv" % (org, db)), "w") as out:
        for g in groups:
            out.write("%s,%s\n" % ("/".join(g), ",".join(g)))
    open(os.path.join(ann, "%s_miRNAs_in_repetitive_element_%s.csv" % (org, db)), "a").close()

    rnd = random.Random(20240601)
    placeholder = os.path.join(idx, "placeholder.fa")
    with open(placeholder, "w") as out:
        out.write(">placeholder\n%s\n" % "".join(rnd.choice("ACGT") for _ in range(200)))

    builds = [
        (mir_fa, "%s_mirna_%s" % (org, db)),
        (hp_fa, "%s_hairpin_%s" % (org, db)),
        (args.trna, "%s_mature_trna" % org),
        (args.trna, "%s_pre_trna" % org),
        (args.rrna, "%s_rrna" % org),
        (placeholder, "%s_snorna" % org),
        (placeholder, "%s_ncrna_others" % org),
        (placeholder, "%s_mrna" % org),
    ]
    for fa, prefix in builds:
        bowtie_build(fa, os.path.join(idx, prefix), args.threads)
    print("miRge3 library in %s: %d matures (%d extended from their hairpin), %d hairpins, %d merged groups"
          % (base, len(matures), n_ext, len(hairpins), len(groups)))


if __name__ == "__main__":
    main()
