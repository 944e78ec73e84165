#!/usr/bin/env bash
# The established "miRNA-style" peer: cutadapt, then bowtie v1 against the human miRBase 22
# matures, then counts per mature. Writes the same TSV shape as `exoscope smallrna count`
# (`mirna`, then one column per sample).
#
#   cutadapt_bowtie.sh [--adapter SEQ|truseq|nebnext] [--mode nfcore|multiname]
#                      [--threads N] [--index-dir DIR] [--assignments DIR] [--qc FILE]
#                      --output counts.tsv FASTQ...
#
# Sample names are the file names without .fastq.gz / .fq.gz / .fastq / .fq.
#
# Trimming (cutadapt, one pass per file):
#   -a ADAPTER -e 0.1 -O 3 -m 16 -M 30 --discard-untrimmed
#   -e 0.1 is cutadapt's default error rate; -O 3 (minimum overlap 3, cutadapt's default) keeps
#   random read ends matching 1-2 adapter bases from being clipped; -m 16 -M 30 keep
#   miRNA-sized inserts (the miRBase 22 human matures are 16-28 nt) and drop adapter dimers,
#   tRNA halves and long fragments. --discard-untrimmed: in a 50-nt read of a miRNA library a read
#   with no adapter found holds an insert too long to be a miRNA (or an adapter too damaged to
#   find), so it is dropped (our choice, common in miRNA-only pipelines; general trimmers such as
#   Trim Galore keep untrimmed reads by default and leave them to the length filter). Quality
#   trimming (-q) is not used: the reads are short and the adapter search tolerates errors.
#
# Alignment (bowtie 1.3.1, Debian): the settings nf-core/smrnaseq uses to map trimmed reads to the
# miRBase matures (modules/local/bowtie_map_mirna.nf, process BOWTIE_MAP_SEQ, e.g. at commit 0444a9c):
#   bowtie -x INDEX -q - -p N -t -k 50 --best --strata -e 99999 --chunkmbs 2048 -S
# i.e. default -n 2 -l 28 seed mode: with reads <= 28 nt, up to 2 mismatches anywhere, all
# alignments of the best stratum up to 50, both strands (no --norc, as in nf-core), and reads must
# lie wholly inside a mature (bowtie v1 has no overhang), so 3'-extended and 3'-tailed isomiRs
# longer than their mature do not align: nf-core recovers those only through its separate
# hairpin + mirtop step, which is not part of this peer. --no-unal only drops unaligned records.
# The index is built from hsa_matures_miRBase_v22.fa (already DNA, U->T) with bowtie-build.
#
# Counting (--mode):
#   nfcore (default): each alignment record counts for its mature, exactly what
#     `samtools idxstats` returns on the BAM (nf-core/smrnaseq feeds idxstats into edgeR):
#     a read aligning equally well to k matures adds 1 to each of the k (so identical matures
#     such as hsa-miR-199a-3p and hsa-miR-199b-3p both get the read). sam_count.py reads the SAM
#     stream directly instead of sorting/indexing a BAM: same numbers, less time (see PEERS.md).
#   multiname: each aligned read counts once, under the '/'-joined sorted names of its equally
#     good matures (ExoScope's convention).
#
# --assignments DIR writes DIR/SAMPLE.assign.tsv.gz (read id, name(s)) for per-read checks.
# --qc FILE writes a per-sample table: reads in, kept by cutadapt, aligned, alignments.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${SMALLRNA_VENV:-$HERE/.venv}"
SHARED="${EXOSCOPE_SHARED_DATA:-$HERE/../../../shared/data}"
[ -d "$SHARED" ] || SHARED=/work/shared/data
PY="$VENV/bin/python"
CUTADAPT="$VENV/bin/cutadapt"
[ -x "$CUTADAPT" ] || CUTADAPT="$(command -v cutadapt)"
[ -x "$PY" ] || PY="$(command -v python3)"

ADAPTER=truseq
MODE=nfcore
THREADS=2
INDEX_DIR="${SMALLRNA_SCRATCH:-/tmp/exoscope-smallrna-bench}/bowtie-matures-v22"
OUTPUT=""
ASSIGN=""
QC=""
FILES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --adapter) ADAPTER="$2"; shift 2;;
    --mode) MODE="$2"; shift 2;;
    --threads) THREADS="$2"; shift 2;;
    --index-dir) INDEX_DIR="$2"; shift 2;;
    --output) OUTPUT="$2"; shift 2;;
    --assignments) ASSIGN="$2"; shift 2;;
    --qc) QC="$2"; shift 2;;
    -h|--help) sed -n '2,60p' "$0"; exit 0;;
    -*) echo "unknown option $1" >&2; exit 2;;
    *) FILES+=("$1"); shift;;
  esac
done
[ -n "$OUTPUT" ] && [ ${#FILES[@]} -gt 0 ] || { echo "usage: $0 [options] --output counts.tsv FASTQ..." >&2; exit 2; }
case "$ADAPTER" in
  truseq|TruSeq) ADAPTER=TGGAATTCTCGGGTGCCAAGG;;
  nebnext|NEBNext|neb) ADAPTER=AGATCGGAAGAGCACACGTCT;;
esac
case "$MODE" in nfcore|multiname) ;; *) echo "--mode nfcore|multiname" >&2; exit 2;; esac

MATURES="$SHARED/mirbase/hsa_matures_miRBase_v22.fa"
IDX="$INDEX_DIR/hsa_mature_v22"
if [ ! -s "$IDX.1.ebwt" ]; then
  mkdir -p "$INDEX_DIR"
  # DNA alphabet already; U->T kept for safety, names cut at the first space.
  awk '/^>/{print $1; next}{gsub(/U/,"T"); gsub(/u/,"t"); print}' "$MATURES" > "$IDX.fa"
  bowtie-build --threads "$THREADS" -f "$IDX.fa" "$IDX" > "$INDEX_DIR/bowtie-build.log" 2>&1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cutadapt_bowtie.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
[ -n "$ASSIGN" ] && mkdir -p "$ASSIGN"
NAMES=()
for fq in "${FILES[@]}"; do
  b="$(basename "$fq")"
  for ext in .fastq.gz .fq.gz .fastq .fq; do b="${b%$ext}"; done
  NAMES+=("$b")
  asg_opt=()
  [ -n "$ASSIGN" ] && asg_opt=(--assignments "$ASSIGN/$b.assign.tsv.gz")
  # cutadapt gets one core (-j 1), bowtie the others, in one pipe.
  "$CUTADAPT" -a "$ADAPTER" -e 0.1 -O 3 -m 16 -M 30 --discard-untrimmed -j 1 \
      --json "$WORK/$b.cutadapt.json" -o - "$fq" 2> "$WORK/$b.cutadapt.log" \
    | bowtie -x "$IDX" -q - -p "$THREADS" -t -k 50 --best --strata -e 99999 --chunkmbs 2048 \
        --no-unal -S 2> "$WORK/$b.bowtie.log" \
    | "$PY" "$HERE/sam_count.py" --mode "$MODE" --out "$WORK/$b.counts" "${asg_opt[@]}" 2> "$WORK/$b.count.log"
done

"$PY" - "$OUTPUT" "$MODE" "$IDX.fa" "$WORK" "${QC:-}" "${NAMES[@]}" <<'EOF'
import json, re, sys
out, mode, fa, work, qc = sys.argv[1:6]
names = sys.argv[6:]
matures = [l[1:].strip() for l in open(fa) if l.startswith(">")]
table = {}
for i, s in enumerate(names):
    for line in open("%s/%s.counts" % (work, s)):
        k, v = line.rstrip("\n").split("\t")
        table.setdefault(k, [0] * len(names))[i] = int(v)
rows = list(matures) + sorted(k for k in table if k not in set(matures))
with open(out, "w") as fh:
    fh.write("mirna\t" + "\t".join(names) + "\n")
    for r in rows:
        v = table.get(r, [0] * len(names))
        if mode == "multiname" and "/" not in r and r not in table:
            v = [0] * len(names)
        fh.write(r + "\t" + "\t".join(str(x) for x in v) + "\n")
if qc:
    with open(qc, "w") as fh:
        fh.write("sample\treads_in\tcutadapt_kept\taligned_reads\talignment_records\n")
        for s in names:
            j = json.load(open("%s/%s.cutadapt.json" % (work, s)))
            rin = j["read_counts"]["input"]; kept = j["read_counts"]["output"]
            log = open("%s/%s.count.log" % (work, s)).read()
            m = re.search(r"(\d+) aligned reads, (\d+) alignment records", log)
            fh.write("%s\t%d\t%d\t%s\t%s\n" % (s, rin, kept, m.group(1), m.group(2)))
EOF
