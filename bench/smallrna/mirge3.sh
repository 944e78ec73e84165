#!/usr/bin/env bash
# miRge3 (PyPI mirge3 0.1.4) on the offline library, count matrix in the ExoScope TSV shape.
#
#   mirge3.sh [--adapter SEQ|truseq|nebnext] [--threads N] [--gff OUT.gff] [--keep DIR]
#             [--lib DIR] --output counts.tsv FASTQ...
#
# Runs `miRge3.0 -s F1,F2,... -lib LIB (default .venv/mirge-lib) -on human -db miRBase -a ADAPTER -cpu N
# -psam .venv/shim [-gff]` with miRge3's other defaults (its built-in cutadapt: -q 10,
# error rate 0.12, overlap 3, minimum length 16; canonical-ratio filter -ex 0.1), then turns
# miR.Counts.csv (miRNA,S1,... with float counts) into `mirna<TAB>S1...` with integers.
# Identical matures come out under their '/'-joined name (the library's merges file, see
# build_mirge_library.py). Run install_peers.sh first.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${SMALLRNA_VENV:-$HERE/.venv}"
LIB="$VENV/mirge-lib"; ADAPTER=truseq; THREADS=2; OUTPUT=""; GFF=""; KEEP=""; FILES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --adapter) ADAPTER="$2"; shift 2;;
    --threads) THREADS="$2"; shift 2;;
    --output) OUTPUT="$2"; shift 2;;
    --gff) GFF="$2"; shift 2;;
    --keep) KEEP="$2"; shift 2;;
    --lib) LIB="$2"; shift 2;;
    -h|--help) sed -n '2,14p' "$0"; exit 0;;
    -*) echo "unknown option $1" >&2; exit 2;;
    *) FILES+=("$1"); shift;;
  esac
done
[ -n "$OUTPUT" ] && [ ${#FILES[@]} -gt 0 ] || { echo "usage: $0 [options] --output counts.tsv FASTQ..." >&2; exit 2; }
case "$ADAPTER" in
  truseq|TruSeq) ADAPTER=TGGAATTCTCGGGTGCCAAGG;;
  nebnext|NEBNext|neb) ADAPTER=AGATCGGAAGAGCACACGTCT;;
esac
ABS=()
for f in "${FILES[@]}"; do ABS+=("$(readlink -f "$f")"); done
LIST="$(IFS=,; echo "${ABS[*]}")"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/mirge3.XXXXXX")"
[ -z "$KEEP" ] && trap 'rm -rf "$OUT"' EXIT
gffopt=(); [ -n "$GFF" ] && gffopt=(-gff)
export PATH="$VENV/bin:$PATH" PYTHONWARNINGS=ignore
miRge3.0 -s "$LIST" -lib "$LIB" -on human -db miRBase -a "$ADAPTER" -cpu "$THREADS" \
  -psam "$VENV/shim" -o "$OUT" -onam run "${gffopt[@]}" > "$OUT/mirge3.stdout" 2>&1 \
  || { cat "$OUT/mirge3.stdout" >&2; exit 1; }
[ -s "$OUT/run/miR.Counts.csv" ] || { cat "$OUT/mirge3.stdout" >&2; echo "miRge3 wrote no miR.Counts.csv" >&2; exit 1; }
"$VENV/bin/python" - "$OUT/run/miR.Counts.csv" "$OUTPUT" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
with open(sys.argv[2], "w") as fh:
    fh.write("mirna\t" + "\t".join(rows[0][1:]) + "\n")
    for r in rows[1:]:
        fh.write(r[0] + "\t" + "\t".join(str(int(round(float(x or 0)))) for x in r[1:]) + "\n")
EOF
[ -n "$GFF" ] && cp "$OUT/run/sample_miRge3.gff" "$GFF"
if [ -n "$KEEP" ]; then mkdir -p "$KEEP"; cp -r "$OUT"/. "$KEEP"/; rm -rf "$OUT"; fi
exit 0
