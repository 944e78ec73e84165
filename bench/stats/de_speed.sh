#!/usr/bin/env bash
# Moderated t: `exoscope stats de` against limma (Debian r-bioc-limma; lmFit + eBayes + topTable via
# limma_reference.R): agreement on a seeded 2,600 miRNA × 200 sample matrix. Writes
# bench/results/de-limma-agreement.md. The speed comparison is peer_speed.sh's (bench/results/de-limma.md).
source "$(dirname "$0")/setup.sh"
install_r_package r-bioc-limma limma
small=$work/m2600x200.tsv
[ -f "$small" ] || python3 bench/stats/make_matrix.py "$small" 2600 200 20261128
"$exoscope" stats de "$small" --label group --case tumour --control healthy --quiet > "$work/de200.exoscope.tsv"
Rscript bench/stats/limma_reference.R "$small" tumour healthy > "$work/de200.limma.tsv"
agreement=$(python3 - "$work/de200.exoscope.tsv" "$work/de200.limma.tsv" <<'PY'
import csv, sys
mine = {r["feature"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
ref = {r["feature"]: r for r in csv.DictReader((l for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")), delimiter="\t")}
worst = {}
for f, r in ref.items():
    for k in ("log_fc", "ave_expr", "t", "p_value", "adj_p_value", "b"):
        a, b = float(r[k]), float(mine[f][k])
        worst[k] = max(worst.get(k, 0.0), abs(a - b) / abs(a))
print(f"{len(ref)} features; largest relative difference " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
PY
)
{
    echo "# Moderated t: ExoScope against limma, agreement"
    echo
    echo "Made by \`bench/stats/de_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m)."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2), limma $(Rscript -e 'cat(as.character(packageVersion("limma")))') on $(Rscript -e 'cat(R.version.string)')."
    echo "Input: \`bench/stats/make_matrix.py\` 2,600 × 200 (seed 20261128), half tumour."
    echo "limma: \`limma_reference.R\` (read.delim, lmFit on ~group, eBayes, topTable); ExoScope: \`exoscope stats de\`."
    echo
    echo "**Agreement**: $agreement."
} > bench/results/de-limma-agreement.md
cat bench/results/de-limma-agreement.md
