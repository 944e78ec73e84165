#!/usr/bin/env bash
# The peers' side of the small-RNA benchmark: simulate (if absent), time the floors and the peers,
# score them. Figures go to RESULTS (times.tsv, score-*.md); PEERS.md is written from them.
#
#   run_peers.sh [--data DIR] [--results DIR] [--runs N] [--no-cohort] [--no-mirge3] [--times-only]
#
#   DATA     (default /work/scratch-bench/smallrna) holds sim2M/ (one sample, 2,000,000 reads,
#            seed 22) and cohort24/ (24 samples x 500,000 reads, seed 24), both with
#            --write-nonmirna, TruSeq small RNA adapter, 50-nt reads.
#   --runs N timed repetitions on sim2M (default 3; the cohort runs once).
#   --times-only skips the untimed runs (non-miRNA reads alone, per-read assignments) and scoring.
#   EXOSCOPE=/path/to/exoscope also times and scores `exoscope smallrna count` the same way
#   (once that command exists), and checks its --gff with mirtop_validate.py.
#
# Every timing is measure.py: GNU time -v plus a /proc sampler of the whole process tree
# (wall, user, sys, largest single-process RSS, peak summed RSS and PSS of the tree), started
# only once the machine is idle (waiting up to WAIT_QUIET seconds, default 900), and its
# other_cpu_s column says how much CPU anything else used meanwhile (redo a run where it is high).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA=/work/scratch-bench/smallrna
RESULTS=""
RUNS=3
COHORT=1
MIRGE=1
SCORE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2;;
    --results) RESULTS="$2"; shift 2;;
    --runs) RUNS="$2"; shift 2;;
    --no-cohort) COHORT=0; shift;;
    --no-mirge3) MIRGE=0; shift;;
    --times-only) SCORE=0; shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
RESULTS="${RESULTS:-$DATA/results}"
mkdir -p "$DATA" "$RESULTS"
"$HERE/install_peers.sh" > "$RESULTS/versions.txt"
PY="$HERE/.venv/bin/python"
M=("$PY" "$HERE/measure.py" --wait-quiet "${WAIT_QUIET:-900}" --tsv "$RESULTS/times.tsv")
TRUSEQ=TGGAATTCTCGGGTGCCAAGG

[ -s "$DATA/sim2M/sim2M.fastq.gz" ] || "$PY" "$HERE/simulate.py" --reads 2000000 --samples 1 \
  --sample-names sim2M --seed 22 --write-nonmirna --out "$DATA/sim2M"
if [ "$COHORT" = 1 ]; then
  [ -s "$DATA/cohort24/S24.fastq.gz" ] || "$PY" "$HERE/simulate.py" --reads 500000 --samples 24 \
    --seed 24 --write-nonmirna --out "$DATA/cohort24"
fi
F="$DATA/sim2M/sim2M.fastq.gz"
NM="$DATA/sim2M/sim2M.nonmirna.fastq.gz"
ls -l "$F" > "$RESULTS/inputs.txt"
OUT="$RESULTS/out"; mkdir -p "$OUT"

# Floors: reading and decompressing the file (the page cache is warm after the first run).
cat "$F" > /dev/null
for r in $(seq "$RUNS"); do
  "${M[@]}" --label "floor zcat >/dev/null (sim2M)" -- bash -c "zcat '$F' > /dev/null"
  "${M[@]}" --label "floor zcat | wc -l (sim2M)" -- bash -c "zcat '$F' | wc -l > /dev/null"
  "${M[@]}" --label "floor pigz -dc | wc -l (sim2M)" -- bash -c "pigz -dc '$F' | wc -l > /dev/null"
done

# cutadapt + bowtie, both counting modes; each also run alone on the non-miRNA reads (FP).
for mode in nfcore multiname; do
  for r in $(seq "$RUNS"); do
    "${M[@]}" --label "cutadapt+bowtie $mode (sim2M)" -- \
      "$HERE/cutadapt_bowtie.sh" --mode "$mode" --adapter "$TRUSEQ" --output "$OUT/cb-$mode.sim2M.tsv" \
      --qc "$OUT/cb-$mode.sim2M.qc.tsv" "$F"
  done
  [ "$SCORE" = 1 ] || continue
  "$HERE/cutadapt_bowtie.sh" --mode "$mode" --adapter "$TRUSEQ" --output "$OUT/cb-$mode.sim2M.fp.tsv" \
    --assignments "$OUT/assign-$mode" "$NM"
  "$HERE/cutadapt_bowtie.sh" --mode "$mode" --adapter "$TRUSEQ" --output /dev/null \
    --assignments "$OUT/assign-$mode" "$F"
  "$PY" "$HERE/score.py" --truth "$DATA/sim2M" --counts "$OUT/cb-$mode.sim2M.tsv" \
    --fp-counts "$OUT/cb-$mode.sim2M.fp.tsv" --assignments "$OUT/assign-$mode" \
    --label "cutadapt + bowtie ($mode), sim2M" --json "$OUT/score-cb-$mode.sim2M.json" \
    --per-mirna "$OUT/per-mirna-cb-$mode.sim2M.tsv" > "$RESULTS/score-cb-$mode.sim2M.md"
done

# The nf-core way of getting the same counts, once: SAM -> BAM -> sort -> index -> idxstats.
"${M[@]}" --label "cutadapt+bowtie+samtools idxstats (sim2M)" -- bash -c "
  set -o pipefail
  IDX=\${SMALLRNA_SCRATCH:-/tmp/exoscope-smallrna-bench}/bowtie-matures-v22/hsa_mature_v22
  '$HERE/.venv/bin/cutadapt' -a $TRUSEQ -e 0.1 -O 3 -m 16 -M 30 --discard-untrimmed -j 1 -o - '$F' 2>/dev/null \
  | bowtie -x \$IDX -q - -p 2 -t -k 50 --best --strata -e 99999 --chunkmbs 2048 -S 2>/dev/null \
  | samtools view -b - > '$OUT/sim2M.bam' && samtools sort -@ 2 -o '$OUT/sim2M.sorted.bam' '$OUT/sim2M.bam' \
  && samtools index '$OUT/sim2M.sorted.bam' && samtools idxstats '$OUT/sim2M.sorted.bam' > '$OUT/sim2M.idxstats'"
[ "$SCORE" = 1 ] && "$PY" - "$OUT/sim2M.idxstats" "$OUT/cb-nfcore.sim2M.tsv" > "$RESULTS/idxstats-check.txt" <<'EOF'
import sys
idx = {l.split("\t")[0]: int(l.split("\t")[2]) for l in open(sys.argv[1]) if not l.startswith("*")}
ours = {}
for l in list(open(sys.argv[2]))[1:]:
    k, v = l.rstrip("\n").split("\t"); ours[k] = int(v)
diff = [k for k in set(idx) | set(ours) if idx.get(k, 0) != ours.get(k, 0)]
print("idxstats vs sam_count.py nfcore: %d references, %d differ, totals %d vs %d"
      % (len(idx), len(diff), sum(idx.values()), sum(ours.values())))
EOF
rm -f "$OUT/sim2M.bam" "$OUT/sim2M.sorted.bam" "$OUT/sim2M.sorted.bam.bai"

if [ "$MIRGE" = 1 ]; then
  for r in $(seq "$RUNS"); do
    "${M[@]}" --label "miRge3 (sim2M)" -- "$HERE/mirge3.sh" --adapter "$TRUSEQ" --output "$OUT/mirge3.sim2M.tsv" \
      --gff "$OUT/mirge3.sim2M.gff" "$F"
  done
  if [ "$SCORE" = 1 ]; then
  "$HERE/mirge3.sh" --adapter "$TRUSEQ" --output "$OUT/mirge3.sim2M.fp.tsv" "$NM"
  "$PY" "$HERE/score.py" --truth "$DATA/sim2M" --counts "$OUT/mirge3.sim2M.tsv" --fp-counts "$OUT/mirge3.sim2M.fp.tsv" \
    --label "miRge3, sim2M" --json "$OUT/score-mirge3.sim2M.json" --per-mirna "$OUT/per-mirna-mirge3.sim2M.tsv" \
    > "$RESULTS/score-mirge3.sim2M.md"
  "$PY" "$HERE/mirtop_validate.py" "$OUT/mirge3.sim2M.gff" > "$RESULTS/mirtop-validate-mirge3.txt" 2>&1 || true
  fi
fi

if [ -n "${EXOSCOPE:-}" ]; then
  for r in $(seq "$RUNS"); do
    "${M[@]}" --label "exoscope smallrna count (sim2M)" -- "$EXOSCOPE" smallrna count "$F" --adapter "$TRUSEQ" \
      --sample sim2M --output "$OUT/exoscope.sim2M.tsv" --qc "$OUT/exoscope.sim2M.qc.tsv" --gff "$OUT/exoscope.sim2M.gff3"
  done
  if [ "$SCORE" = 1 ]; then
  "$EXOSCOPE" smallrna count "$NM" --adapter "$TRUSEQ" --sample sim2M --output "$OUT/exoscope.sim2M.fp.tsv"
  "$PY" "$HERE/score.py" --truth "$DATA/sim2M" --counts "$OUT/exoscope.sim2M.tsv" --fp-counts "$OUT/exoscope.sim2M.fp.tsv" \
    --label "ExoScope, sim2M" > "$RESULTS/score-exoscope.sim2M.md"
  "$PY" "$HERE/mirtop_validate.py" "$OUT/exoscope.sim2M.gff3" > "$RESULTS/mirtop-validate-exoscope.txt" 2>&1 || true
  fi
fi

if [ "$COHORT" = 1 ]; then
  CF=("$DATA"/cohort24/S??.fastq.gz)
  CNM=("$DATA"/cohort24/S??.nonmirna.fastq.gz)
  "${M[@]}" --label "cutadapt+bowtie nfcore (cohort24)" -- "$HERE/cutadapt_bowtie.sh" --mode nfcore --adapter "$TRUSEQ" \
    --output "$OUT/cb-nfcore.cohort24.tsv" "${CF[@]}"
  if [ "$SCORE" = 1 ]; then
  "$HERE/cutadapt_bowtie.sh" --mode nfcore --adapter "$TRUSEQ" --output "$OUT/cb-nfcore.cohort24.fp.tsv" "${CNM[@]}"
  "$PY" "$HERE/score.py" --truth "$DATA/cohort24" --counts "$OUT/cb-nfcore.cohort24.tsv" \
    --fp-counts "$OUT/cb-nfcore.cohort24.fp.tsv" --label "cutadapt + bowtie (nfcore), cohort24" \
    > "$RESULTS/score-cb-nfcore.cohort24.md"
  fi
  if [ "$MIRGE" = 1 ]; then
    "${M[@]}" --label "miRge3 (cohort24)" -- "$HERE/mirge3.sh" --adapter "$TRUSEQ" --output "$OUT/mirge3.cohort24.tsv" "${CF[@]}"
    if [ "$SCORE" = 1 ]; then
    "$HERE/mirge3.sh" --adapter "$TRUSEQ" --output "$OUT/mirge3.cohort24.fp.tsv" "${CNM[@]}"
    "$PY" "$HERE/score.py" --truth "$DATA/cohort24" --counts "$OUT/mirge3.cohort24.tsv" \
      --fp-counts "$OUT/mirge3.cohort24.fp.tsv" --label "miRge3, cohort24" > "$RESULTS/score-mirge3.cohort24.md"
    fi
  fi
  if [ -n "${EXOSCOPE:-}" ]; then
    NAMES=(); for f in "${CF[@]}"; do b=$(basename "$f" .fastq.gz); NAMES+=(--sample "$b"); done
    "${M[@]}" --label "exoscope smallrna count (cohort24)" -- "$EXOSCOPE" smallrna count "${CF[@]}" --adapter "$TRUSEQ" \
      "${NAMES[@]}" --output "$OUT/exoscope.cohort24.tsv"
    if [ "$SCORE" = 1 ]; then
    "$EXOSCOPE" smallrna count "${CNM[@]}" --adapter "$TRUSEQ" "${NAMES[@]}" --output "$OUT/exoscope.cohort24.fp.tsv"
    "$PY" "$HERE/score.py" --truth "$DATA/cohort24" --counts "$OUT/exoscope.cohort24.tsv" \
      --fp-counts "$OUT/exoscope.cohort24.fp.tsv" --label "ExoScope, cohort24" > "$RESULTS/score-exoscope.cohort24.md"
    fi
  fi
fi
echo "results in $RESULTS"
