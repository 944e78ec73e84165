#!/usr/bin/env bash
# A 24-sample cohort through workflow/Snakefile on both cores, against counting the samples one after the other,
# and ExoScope's count of sim2M (default adapter matching and --no-indels) against the zcat floor, all timed by
# measure.py on an idle machine. Figures go to RESULTS/times-cohort.tsv.
#
#   EXOSCOPE=/path/to/exoscope SNAKEMAKE=/path/to/snakemake cohort_snakemake.sh [--data DIR] [--results DIR] [--runs N]
#
#   DATA (default /work/scratch-bench/smallrna) holds cohort24/ (S01…S24.fastq.gz, 500,000 reads each) and sim2M/,
#   both made by run_peers.sh (simulate.py, seeds 24 and 22).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA=/work/scratch-bench/smallrna
RESULTS=""
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2;;
    --results) RESULTS="$2"; shift 2;;
    --runs) RUNS="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
: "${EXOSCOPE:?set EXOSCOPE to the exoscope executable (a release build)}"
: "${SNAKEMAKE:?set SNAKEMAKE to a snakemake executable (pip install snakemake==9.27.1)}"
RESULTS="${RESULTS:-$DATA/results-cohort}"
mkdir -p "$RESULTS"
TSV="$RESULTS/times-cohort.tsv"
M=(python3 "$HERE/measure.py" --wait-quiet "${WAIT_QUIET:-900}" --tsv "$TSV")
TRUSEQ=TGGAATTCTCGGGTGCCAAGG
F="$DATA/sim2M/sim2M.fastq.gz"
{
  echo "exoscope $("$EXOSCOPE" --version)"
  echo "snakemake $("$SNAKEMAKE" --version)"
  echo "zcat $(zcat --version | head -1)"
  nproc | sed 's/^/cores /'
} > "$RESULTS/versions-cohort.txt"

# sim2M: ExoScope (default and --no-indels) alternating with the floor.
OUT="$RESULTS/out"
mkdir -p "$OUT"
for run in $(seq 1 "$RUNS"); do
  "${M[@]}" --label "floor zcat >/dev/null (sim2M)" -- bash -c "zcat '$F' > /dev/null"
  "${M[@]}" --label "exoscope smallrna count (sim2M)" -- "$EXOSCOPE" smallrna count "$F" --adapter "$TRUSEQ" \
    --sample sim2M --output "$OUT/sim2M.counts.tsv" --qc "$OUT/sim2M.qc.tsv" --gff "$OUT/sim2M.gff3"
  "${M[@]}" --label "exoscope smallrna count --no-indels (sim2M)" -- "$EXOSCOPE" smallrna count "$F" \
    --adapter "$TRUSEQ" --no-indels --sample sim2M --output "$OUT/sim2M.noindels.counts.tsv" \
    --qc "$OUT/sim2M.noindels.qc.tsv" --gff "$OUT/sim2M.noindels.gff3"
done

# The cohort: the same per-sample command one after the other, Snakemake on both cores, and one process counting
# two samples at a time.
COHORT="$DATA/cohort24"
SAMPLES=$(cd "$COHORT" && ls S[0-9][0-9].fastq.gz | sed 's/\.fastq\.gz$//')
SERIAL="$RESULTS/serial"
rm -rf "$SERIAL" && mkdir -p "$SERIAL"
cat > "$SERIAL/run.sh" <<EOF
set -euo pipefail
for s in $(echo $SAMPLES); do
  "$EXOSCOPE" smallrna count "$COHORT/\$s.fastq.gz" --sample "\$s" --adapter auto --threads 1 \
    --output "$SERIAL/\$s.counts.tsv" --qc "$SERIAL/\$s.qc.tsv" --isomirs "$SERIAL/\$s.isomirs.tsv" \
    --gff "$SERIAL/\$s.gff3" 2>/dev/null
done
"$EXOSCOPE" smallrna merge "$SERIAL"/S*.counts.tsv --output "$SERIAL/counts.tsv"
"$EXOSCOPE" smallrna normalize "$SERIAL/counts.tsv" --method tmm --output "$SERIAL/counts.tmm.tsv" \
  --factors "$SERIAL/factors.tmm.tsv"
EOF
"${M[@]}" --label "cohort24 one after the other (exoscope per sample, merge, tmm)" -- bash "$SERIAL/run.sh"

RUN="$RESULTS/snakemake"
rm -rf "$RUN" && mkdir -p "$RUN"
{ printf 'sample\tfastq\n'; for s in $SAMPLES; do printf '%s\t%s\n' "$s" "$COHORT/$s.fastq.gz"; done; } > "$RUN/samples.tsv"
"${M[@]}" --label "cohort24 snakemake --cores 2" -- "$SNAKEMAKE" --snakefile "$ROOT/workflow/Snakefile" \
  --directory "$RUN" --cores 2 --quiet --config samples=samples.tsv "exoscope=$EXOSCOPE" gate=0

THREADED="$RESULTS/threads"
rm -rf "$THREADED" && mkdir -p "$THREADED"
FILES=$(for s in $SAMPLES; do printf '%s ' "$COHORT/$s.fastq.gz"; done)
"${M[@]}" --label "cohort24 one process --threads 2" -- bash -c "'$EXOSCOPE' smallrna count $FILES --adapter auto \
  --threads 2 --output '$THREADED/counts.tsv' --qc '$THREADED/qc.tsv' --gff '$THREADED/all.gff3' 2>/dev/null"

# The three ways must give the same matrix.
cmp "$SERIAL/counts.tsv" "$RUN/results/counts.tsv" && echo "serial and snakemake matrices identical"
cmp "$SERIAL/counts.tsv" "$THREADED/counts.tsv" && echo "serial and --threads 2 matrices identical"
cat "$TSV"
