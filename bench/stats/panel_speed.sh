#!/usr/bin/env bash
# Cross-validated lasso: `exoscope stats panel --repeats 0` (the path on all samples and 10-fold CV of its
# deviance, no nested validation) against cv.glmnet (Debian r-cran-glmnet, via cv_glmnet.R) on the same files,
# one after the other, whole process, REPEATS times each (default 3; median and range); cv.glmnet's own time
# inside R (without R's start-up and read.delim) is given too. Four inputs of three shapes (features × samples):
# make_matrix.py's independent features at 2,600 × 1,000, and make_correlated_matrix.py's blocks of correlated
# features at 2,600 × 1,000, 1,000 × 2,600 (40 % tumours) and 5,000 × 500. Agreement with glmnet is checked by
# the tests (PenalizedLogisticTests, PenalizedLogisticRealDataTests). Writes bench/results/panel-cv-glmnet.md.
source "$(dirname "$0")/setup.sh"
install_r_package r-cran-glmnet glmnet
repeats=${REPEATS:-3}
inputs=(
    "m2600x1000|make_matrix.py 2600 1000 20261127|independent, half tumour"
    "c2600x1000|make_correlated_matrix.py 2600 1000 7|correlated blocks, half tumour"
    "c1000x2600|make_correlated_matrix.py 1000 2600 8 0.4|correlated blocks, 40 % tumour"
    "c5000x500|make_correlated_matrix.py 5000 500 9|correlated blocks, half tumour"
)
# stats LIST: "median min–max" of whitespace-separated seconds.
stats() { python3 -c "import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(f'{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})')" $1; }
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" $1; }
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }
kept() { tail -n +2 "$1" | grep -c . ; }
rows=()
for input in "${inputs[@]}"; do
    IFS='|' read -r name generator description <<< "$input"
    file=$work/$name.tsv
    # shellcheck disable=SC2086
    [ -f "$file" ] || python3 bench/stats/${generator%% *} "$file" ${generator#* }
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    exo=() glm=() inside=()
    for _ in $(seq "$repeats"); do
        exo+=("$(time_of "$work/$name.exoscope.tsv" "$exoscope" stats panel "$file" --label group --case tumour --repeats 0 --quiet)")
        glm+=("$(time_of "$work/$name.glmnet.tsv" Rscript bench/stats/cv_glmnet.R "$file" tumour 2> "$work/$name.glmnet.log")")
        inside+=("$(grep '^cv.glmnet' "$work/$name.glmnet.log" | cut -d' ' -f2)")
    done
    load_after=$(cut -d' ' -f1 /proc/loadavg)
    shared=$(comm -12 <(tail -n +2 "$work/$name.exoscope.tsv" | cut -f1 | sort) <(tail -n +2 "$work/$name.glmnet.tsv" | cut -f1 | grep . | sort) | wc -l)
    e=$(median "${exo[*]}") g=$(median "${glm[*]}") i=$(median "${inside[*]}")
    rows+=("| \`${generator}\` ($description, $(du -h "$file" | cut -f1)) | $(stats "${exo[*]}") | $(stats "${glm[*]}") | $(ratio "$g" "$e")× | $(stats "${inside[*]}") | $(ratio "$i" "$e")× | $(kept "$work/$name.exoscope.tsv") / $(kept "$work/$name.glmnet.tsv") / $shared | $load_before → $load_after |")
done
{
    echo "# Cross-validated lasso: ExoScope against cv.glmnet"
    echo
    echo "Made by \`bench/stats/panel_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m), shared with other"
    echo "builds (the 1-minute load average before → after each input is in the last column; on 2 cores a load above 2"
    echo "means both tools were slowed)."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2) (release build), glmnet $(Rscript -e 'cat(as.character(packageVersion("glmnet")))') on $(Rscript -e 'cat(R.version.string)')."
    echo "Both fit the binomial lasso path (100 λ, glmnet's λ_max and ratio), 10-fold cross-validation of the deviance,"
    echo "and print the features kept at λ.1se. ExoScope converges every λ to the KKT conditions at 10⁻¹¹ and uses both"
    echo "cores; cv.glmnet runs with its defaults (thresh 10⁻⁷, one core). The folds differ (R's set.seed(1) against"
    echo "ExoScope's seed), so the panels may differ by a few features."
    echo
    echo "Seconds: median of $repeats runs (range). Inputs are features × samples; \"kept\" is ExoScope / glmnet / in common."
    echo
    echo "| input | \`exoscope stats panel --repeats 0\`, whole process | cv.glmnet (\`cv_glmnet.R\`: read.delim + cv.glmnet), whole process | ExoScope faster by | cv.glmnet alone, inside R | ExoScope faster by | kept | load |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} > bench/results/panel-cv-glmnet.md
cat bench/results/panel-cv-glmnet.md
