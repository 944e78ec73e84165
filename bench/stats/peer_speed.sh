#!/usr/bin/env bash
# Speed of `exoscope stats roc` against pROC and `exoscope stats de` against limma on the same 2,600 miRNA × 1,000
# sample file, as an R user who cares would run the peers: the file read with data.table::fread (typed columns;
# Debian r-cran-data.table), then pROC's roc + ci.auc loop (proc_roc_matrix.R) or limma's lmFit + eBayes +
# topTable (limma_timed.R), each timing its reading and its computation apart. Every tool runs REPEATS times
# (default 3), alternating; the tables give the median with the range, the whole-process ratio and the ratio of the
# peer's computation alone (no R start-up, no reading) to ExoScope's whole process.
# Writes bench/results/roc-speed.md and bench/results/de-limma.md.
source "$(dirname "$0")/setup.sh"
install_r_package r-cran-proc pROC
install_r_package r-bioc-limma limma
install_r_package r-cran-data.table data.table
repeats=${REPEATS:-3}
matrix=$work/m2600x1000.tsv
[ -f "$matrix" ] || python3 bench/stats/make_matrix.py "$matrix" 2600 1000 20261127

# run TOOL OUTPUT COMMAND…: appends "whole read compute" seconds to $work/TOOL.times (read and compute from the R
# scripts' "timing" line; empty for ExoScope).
run() {
    local tool=$1 output=$2
    shift 2
    /usr/bin/time -f %e -o "$work/time" "$@" > "$output" 2> "$work/$tool.err"
    local timing
    timing=$(grep '^timing' "$work/$tool.err" | awk '{print $3, $5}' || true)
    echo "$(tail -1 "$work/time") ${timing:-- -}" >> "$work/$tool.times"
}
rm -f "$work"/*.times
for _ in $(seq "$repeats"); do
    run exo-roc "$work/roc.exoscope.tsv" "$exoscope" stats roc "$matrix" --label group --case tumour --control healthy --direction higher
    run proc "$work/roc.proc.tsv" Rscript bench/stats/proc_roc_matrix.R "$matrix" tumour healthy
    run exo-de "$work/de.exoscope.tsv" "$exoscope" stats de "$matrix" --label group --case tumour --control healthy --quiet
    run limma "$work/de.limma.tsv" Rscript bench/stats/limma_timed.R "$matrix" tumour healthy
done
load=$(cut -d' ' -f1-3 /proc/loadavg)

summary() { # summary FILE COLUMN → "median (min–max)"
    python3 - "$1" "$2" <<'PY'
import statistics, sys
values = [float(line.split()[int(sys.argv[2])]) for line in open(sys.argv[1]) if line.split()[int(sys.argv[2])] != "-"]
print(f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})")
PY
}
median() { python3 -c "import statistics,sys; print(statistics.median(float(l.split()[$2]) for l in open('$1')))"; }
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }
agreement_roc=$(python3 - "$work" <<'PY'
import csv, sys
w = sys.argv[1]
read = lambda name: {r["feature"]: r for r in csv.DictReader(open(f"{w}/{name}"), delimiter="\t")}
exo, proc = read("roc.exoscope.tsv"), read("roc.proc.tsv")
d = max(abs(float(exo[f][k]) - float(proc[f][k])) for f in proc for k in ("auc", "ci_low", "ci_high"))
print(f"{len(proc)} features; largest |difference| to pROC over AUC and both CI bounds {d:.2g}")
PY
)
agreement_de=$(python3 - "$work" <<'PY'
import csv, sys
w = sys.argv[1]
exo = {r["feature"]: r for r in csv.DictReader(open(f"{w}/de.exoscope.tsv"), delimiter="\t")}
lim = {r["feature"]: r for r in csv.DictReader((l for l in open(f"{w}/de.limma.tsv") if l.strip()), delimiter="\t")}
worst = {k: max(abs(float(exo[f][k]) - float(r[k])) / abs(float(r[k])) for f, r in lim.items()) for k in ("log_fc", "t", "p_value", "adj_p_value")}
print(f"{len(lim)} features; largest relative difference " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
PY
)
versions="ExoScope $("$exoscope" --version | cut -d' ' -f2), pROC $(Rscript -e 'cat(as.character(packageVersion("pROC")))'), limma $(Rscript -e 'cat(as.character(packageVersion("limma")))'), data.table $(Rscript -e 'cat(as.character(packageVersion("data.table")))') on $(Rscript -e 'cat(R.version.string)')"
write() { # write TITLE EXO PEER PEERNAME WHAT AGREEMENT OUTPUT
    local exo_whole peer_whole peer_compute
    exo_whole=$(median "$work/$2.times" 0)
    peer_whole=$(median "$work/$3.times" 0)
    peer_compute=$(median "$work/$3.times" 2)
    {
        echo "# $1"
        echo
        echo "Made by \`bench/stats/peer_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m); load average after the runs $load."
        echo "Versions: $versions."
        echo "Input: \`bench/stats/make_matrix.py\` 2,600 × 1,000 (seed 20261127, 500 tumour / 500 healthy, $(du -h "$matrix" | cut -f1) TSV)."
        echo "The peer reads the file with \`data.table::fread\` (typed columns), the fastest documented way, and times its"
        echo "reading and its computation apart; each tool ran $repeats times, alternating. Seconds: median (range)."
        echo
        echo "| tool | whole process | reading | computation |"
        echo "|---|---|---|---|"
        echo "| ExoScope (\`exoscope stats $5\`) | $(summary "$work/$2.times" 0) | – | – |"
        echo "| $4 | $(summary "$work/$3.times" 0) | $(summary "$work/$3.times" 1) | $(summary "$work/$3.times" 2) |"
        echo
        echo "ExoScope is faster by **$(ratio "$peer_whole" "$exo_whole")×** whole process, and **$(ratio "$peer_compute" "$exo_whole")×** counting only the peer's computation"
        echo "(no R start-up, no reading) against ExoScope's whole process, reading included."
        echo
        echo "Agreement: $6."
    } > "bench/results/$7"
    cat "bench/results/$7"
}
write "ROC speed: AUC with DeLong CI for 2,600 features × 1,000 samples" exo-roc proc "pROC \`roc\` + \`ci.auc(method = \"delong\")\` loop (\`proc_roc_matrix.R\`)" roc "$agreement_roc" roc-speed.md
write "Moderated t: ExoScope against limma" exo-de limma "limma \`lmFit\` + \`eBayes\` + \`topTable\` (\`limma_timed.R\`)" de "$agreement_de" de-limma.md
