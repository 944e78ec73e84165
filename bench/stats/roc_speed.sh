#!/usr/bin/env bash
# Whole-process speed of AUC with DeLong CI for every feature of a 2,600 miRNA × 1,000 sample matrix:
# `exoscope stats roc` against pROC (Debian r-cran-proc, a loop of roc + ci.auc) and a scikit-learn
# roc_auc_score loop (no interval), on the same file, one after the other. Writes bench/results/roc-speed.md.
source "$(dirname "$0")/setup.sh"
install_r_package r-cran-proc pROC
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q scikit-learn pandas
fi
matrix=$work/m2600x1000.tsv
[ -f "$matrix" ] || python3 bench/stats/make_matrix.py "$matrix" 2600 1000 20261127
exo_s=$(time_of "$work/roc.exoscope.tsv" "$exoscope" stats roc "$matrix" --label group --case tumour --control healthy --direction higher)
proc_s=$(time_of "$work/roc.proc.tsv" Rscript bench/stats/proc_roc_matrix.R "$matrix" tumour healthy)
sk_s=$(time_of "$work/roc.sklearn.tsv" "$work/venv/bin/python" bench/stats/sklearn_roc_matrix.py "$matrix" tumour)
agreement=$(python3 - "$work" <<'PY'
import csv, sys
w = sys.argv[1]
read = lambda name: {r["feature"]: r for r in csv.DictReader(open(f"{w}/{name}"), delimiter="\t")}
exo, proc, sk = read("roc.exoscope.tsv"), read("roc.proc.tsv"), read("roc.sklearn.tsv")
d = max(abs(float(exo[f][k]) - float(proc[f][k])) for f in proc for k in ("auc", "ci_low", "ci_high"))
s = max(abs(float(exo[f]["auc"]) - float(sk[f]["auc"])) for f in sk)
print(f"{len(proc)} features; largest |difference| to pROC over AUC and both CI bounds {d:.2g}; to scikit-learn's AUC {s:.2g}")
PY
)
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }
{
    echo "# ROC speed: AUC with DeLong CI for 2,600 features × 1,000 samples"
    echo
    echo "Made by \`bench/stats/roc_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m)."
    echo "Input: \`bench/stats/make_matrix.py\` (seed 20261127), $(du -h "$matrix" | cut -f1) TSV, 500 tumour / 500 healthy."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2), pROC $(Rscript -e 'cat(as.character(packageVersion("pROC")))') on $(Rscript -e 'cat(R.version.string)'),"
    echo "scikit-learn $("$work/venv/bin/python" -c 'import sklearn; print(sklearn.__version__)'), pandas $("$work/venv/bin/python" -c 'import pandas; print(pandas.__version__)')."
    echo "Whole process each (reading the file included), run once, one after the other."
    echo
    echo "| tool | what it computes | seconds | ExoScope faster by |"
    echo "|---|---|---|---|"
    echo "| \`exoscope stats roc\` | AUC + DeLong 95 % CI | $exo_s | – |"
    echo "| pROC \`roc\` + \`ci.auc(method = \"delong\")\` loop (\`proc_roc_matrix.R\`) | AUC + DeLong 95 % CI | $proc_s | $(ratio "$proc_s" "$exo_s")× |"
    echo "| scikit-learn \`roc_auc_score\` loop (\`sklearn_roc_matrix.py\`) | AUC only | $sk_s | $(ratio "$sk_s" "$exo_s")× |"
    echo
    echo "Agreement: $agreement."
} > bench/results/roc-speed.md
cat bench/results/roc-speed.md
