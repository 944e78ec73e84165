#!/usr/bin/env bash
# Cross-validated lasso: `exoscope stats panel --repeats 0` (the path on all samples and 10-fold CV of its
# deviance, no nested validation) against cv.glmnet (Debian r-cran-glmnet, via cv_glmnet.R, which reads the file
# with data.table::fread and times its reading and its computation apart) on the same files, alternating,
# REPEATS times each (default 3; median and range). Five inputs of three shapes (features × samples):
# make_matrix.py's independent features at 2,600 × 1,000; make_correlated_matrix.py's blocks of correlated
# features at 2,600 × 1,000 (two draws, half and 30 % tumours), 1,000 × 2,600 (40 % tumours) and 5,000 × 500.
# Agreement with glmnet is checked by the tests (PenalizedLogisticTests, PenalizedLogisticRealDataTests); here
# the panels are compared feature by feature. Writes bench/results/panel-cv-glmnet.md.
source "$(dirname "$0")/setup.sh"
install_r_package r-cran-glmnet glmnet
install_r_package r-cran-data.table data.table
repeats=${REPEATS:-3}
inputs=(
    "m2600x1000|make_matrix.py 2600 1000 20261127|independent, half tumour"
    "c2600x1000|make_correlated_matrix.py 2600 1000 7|correlated blocks, half tumour"
    "d2600x1000|make_correlated_matrix.py 2600 1000 11 0.3|correlated blocks, 30 % tumour"
    "c1000x2600|make_correlated_matrix.py 1000 2600 8 0.4|correlated blocks, 40 % tumour"
    "c5000x500|make_correlated_matrix.py 5000 500 9|correlated blocks, half tumour"
)
# summary FILE COLUMN → "median (min–max)"; median FILE COLUMN.
summary() {
    python3 - "$1" "$2" <<'PY'
import statistics, sys
v = [float(line.split()[int(sys.argv[2])]) for line in open(sys.argv[1])]
print(f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})")
PY
}
median() { python3 -c "import statistics,sys; print(statistics.median(float(l.split()[$2]) for l in open('$1')))"; }
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }
kept() { tail -n +2 "$1" | grep -c . ; }
rows=()
for input in "${inputs[@]}"; do
    IFS='|' read -r name generator description <<< "$input"
    file=$work/$name.tsv
    # shellcheck disable=SC2086
    [ -f "$file" ] || python3 bench/stats/${generator%% *} "$file" ${generator#* }
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    rm -f "$work/$name".*.times
    for _ in $(seq "$repeats"); do
        echo "$(time_of "$work/$name.exoscope.tsv" "$exoscope" stats panel "$file" --label group --case tumour --repeats 0 --quiet)" >> "$work/$name.exo.times"
        whole=$(time_of "$work/$name.glmnet.tsv" Rscript bench/stats/cv_glmnet.R "$file" tumour 2> "$work/$name.glmnet.log")
        echo "$whole $(grep '^timing' "$work/$name.glmnet.log" | awk '{print $3, $5}')" >> "$work/$name.glmnet.times"
    done
    load_after=$(cut -d' ' -f1 /proc/loadavg)
    shared=$(comm -12 <(tail -n +2 "$work/$name.exoscope.tsv" | cut -f1 | sort) <(tail -n +2 "$work/$name.glmnet.tsv" | cut -f1 | grep . | sort) | wc -l)
    e=$(median "$work/$name.exo.times" 0) g=$(median "$work/$name.glmnet.times" 0) c=$(median "$work/$name.glmnet.times" 2)
    rows+=("| \`${generator}\` ($description, $(du -h "$file" | cut -f1)) | $(summary "$work/$name.exo.times" 0) | $(summary "$work/$name.glmnet.times" 0) | $(summary "$work/$name.glmnet.times" 1) | $(summary "$work/$name.glmnet.times" 2) | **$(ratio "$g" "$e")×** | $(ratio "$c" "$e")× | $(kept "$work/$name.exoscope.tsv") / $(kept "$work/$name.glmnet.tsv") / $shared | $load_before → $load_after |")
done
{
    echo "# Cross-validated lasso: ExoScope against cv.glmnet"
    echo
    echo "Made by \`bench/stats/panel_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m) (the 1-minute load"
    echo "average before → after each input is in the last column; on 2 cores a load above 2 means both tools were slowed)."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2) (release build), glmnet $(Rscript -e 'cat(as.character(packageVersion("glmnet")))'), data.table $(Rscript -e 'cat(as.character(packageVersion("data.table")))') on $(Rscript -e 'cat(R.version.string)')."
    echo "Both fit the binomial lasso path (100 λ, glmnet's λ_max and ratio), 10-fold cross-validation of the deviance,"
    echo "and print the features kept at λ.1se. cv.glmnet runs with its defaults (thresh 10⁻⁷, one core) after"
    echo "\`data.table::fread\` with typed columns; it times its reading and its computation apart. ExoScope uses both"
    echo "cores, fits every path to the KKT conditions at 10⁻⁴ (its cross-validated deviance within 2 · 10⁻⁴ of the exact"
    echo "curve; cv.glmnet's default leaves 10⁻³) and converges the reported model at λ.1se to 10⁻¹¹. The folds"
    echo "differ (R's set.seed(1) against ExoScope's seed), so the panels may differ by a few features."
    echo
    echo "Seconds: median of $repeats runs, alternating (range). Inputs are features × samples; \"kept\" is ExoScope / glmnet / in common."
    echo "\"Compute only\" divides cv.glmnet's computation alone (no R start-up, no reading) by ExoScope's whole process."
    echo
    echo "| input | ExoScope whole process | cv.glmnet whole process | its reading | its computation | ExoScope faster, whole process | compute only | kept | load |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} > bench/results/panel-cv-glmnet.md
cat bench/results/panel-cv-glmnet.md
