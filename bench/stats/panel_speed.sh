#!/usr/bin/env bash
# Cross-validated lasso: `exoscope stats panel --repeats 0` (the path on all samples and 10-fold CV of its
# deviance, no nested validation) against cv.glmnet (Debian r-cran-glmnet, via cv_glmnet.R) on the same
# 2,600 miRNA × 1,000 sample file, one after the other, whole process; cv.glmnet's own time inside R is
# given too. Agreement with glmnet is checked by the tests (PenalizedLogisticTests, same folds, 1e-6).
# Writes bench/results/panel-cv-glmnet.md.
source "$(dirname "$0")/setup.sh"
install_r_package r-cran-glmnet glmnet
large=$work/m2600x1000.tsv
[ -f "$large" ] || python3 bench/stats/make_matrix.py "$large" 2600 1000 20261127
exo_s=$(time_of "$work/panel.exoscope.tsv" "$exoscope" stats panel "$large" --label group --case tumour --repeats 0 --quiet)
glmnet_s=$(time_of "$work/panel.glmnet.tsv" Rscript bench/stats/cv_glmnet.R "$large" tumour 2> "$work/panel.glmnet.log")
inside=$(grep '^cv.glmnet' "$work/panel.glmnet.log" | cut -d' ' -f2)
kept() { tail -n +2 "$1" | grep -c . ; }
shared=$(comm -12 <(tail -n +2 "$work/panel.exoscope.tsv" | cut -f1 | sort) <(tail -n +2 "$work/panel.glmnet.tsv" | cut -f1 | grep . | sort) | wc -l)
{
    echo "# Cross-validated lasso: ExoScope against cv.glmnet"
    echo
    echo "Made by \`bench/stats/panel_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m)."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2), glmnet $(Rscript -e 'cat(as.character(packageVersion("glmnet")))') on $(Rscript -e 'cat(R.version.string)')."
    echo "Input: \`bench/stats/make_matrix.py\` 2,600 × 1,000 (seed 20261127, half tumour, $(du -h "$large" | cut -f1) TSV)."
    echo "Both fit the binomial lasso path (100 λ, glmnet's λ_max and ratio), 10-fold cross-validation of the deviance,"
    echo "and print the features kept at λ.1se. The folds differ (R's set.seed(1) against ExoScope's seed), so the panels"
    echo "may differ by a feature or two: ExoScope keeps $(kept "$work/panel.exoscope.tsv"), glmnet $(kept "$work/panel.glmnet.tsv"), $shared in common."
    echo
    echo "| tool | seconds, whole process | ExoScope faster by |"
    echo "|---|---|---|"
    echo "| \`exoscope stats panel --repeats 0\` | $exo_s | – |"
    echo "| cv.glmnet (\`cv_glmnet.R\`: read.delim + cv.glmnet) | $glmnet_s | $(python3 -c "print(f'{$glmnet_s / $exo_s:.1f}')")× |"
    echo "| cv.glmnet alone, timed inside R (no start-up, no reading) | $inside | $(python3 -c "print(f'{$inside / $exo_s:.1f}')")× |"
} > bench/results/panel-cv-glmnet.md
cat bench/results/panel-cv-glmnet.md
