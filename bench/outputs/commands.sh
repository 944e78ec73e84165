# The commands bench/outputs/compare.sh runs, sourced in its scratch folder with $exoscope set; `c` is defined
# there. in/ holds the inputs (fixtures, generated matrices and RDML, shared data when present); each command
# writes into its own out/NAME (@).
F=in/fixtures
S=in/fixtures/stats
D=in/shared

# The demo study, its database and report; the later study commands work on copies of it.
c demo -- demo -o @
c demo-json -- demo -o @ --json --seed 7
c init -- init @/new-study --id NEW-1
c init-again --copy in/live-study -- init @/live-study
c init-json -- init @/json-study --json
c validate-demo -- validate out/demo/study
c validate-demo-json -- validate out/demo/study --json
c validate-demo-quiet -- validate out/demo/study --quiet
for good in "$F"/good/*; do c "validate-good-$(basename "$good")" -- validate "$good"; done
for bad in "$F"/bad/*; do
    c "validate-bad-$(basename "$bad")" -- validate "$bad"
    c "validate-bad-$(basename "$bad")-json" -- validate "$bad" --json
done
c import-unchanged --copy-demo -- import @/study --database @/exoscope.sqlite
c import-unchanged-json --copy-demo -- import @/study --database @/exoscope.sqlite --json
c import-new --copy-demo -- import @/study --database @/new.sqlite
c import-good --copy "$F/good/minimal" -- import @/minimal --json
c run-demo --copy-demo -- run @/study --database @/exoscope.sqlite --report @/report.html
c run-demo-json --copy-demo -- run @/study --database @/exoscope.sqlite --report @/report.html --json
c run-good --copy "$F/good/plain-cq" -- run @/plain-cq
c run-dpcr --copy "$F/good/dpcr" -- run @/dpcr --json
c run-bad -- run "$F/bad/several-problems" --database @/x.db
c status --copy-demo -- status --database @/exoscope.sqlite
c status-json --copy-demo -- status --database @/exoscope.sqlite --json
c status-missing -- status --database @/none.sqlite
c report --copy-demo -- report --database @/exoscope.sqlite -o @/report.html
c report-json --copy-demo -- report --database @/exoscope.sqlite -o @/report.html --json
c report-unknown --copy-demo -- report --database @/exoscope.sqlite --study-id NOPE -o @/report.html
c alerts --copy-demo -- alerts --study @/study --database @/exoscope.sqlite
c alerts-all-json --copy-demo -- alerts --study @/study --database @/exoscope.sqlite --all --json
c alerts-acknowledge --copy-demo -- alerts acknowledge 1 --note "seen at the tumour board" --study @/study --database @/exoscope.sqlite
c alerts-acknowledge-json --copy-demo -- alerts acknowledge 1 --note "seen at the tumour board" --study @/study --database @/exoscope.sqlite --json
c alerts-acknowledge-unknown --copy-demo -- alerts acknowledge 999 --note "no such alert here" --study @/study --database @/exoscope.sqlite

# Live runs: the simulated chip streamed into live ingest, then the finished run in the study.
c chip-simulate --copy in/live-study -- chip simulate --study @/live-study --seed 5
c chip-simulate-rdml --copy-demo -- chip simulate --study @/study --database @/exoscope.sqlite --rdml @/run.rdml
c live-ingest --copy in/live-study --stdin "$record/chip-simulate/stdout" -- live ingest --study @/live-study
c live-ingest-quiet --copy in/live-study --stdin "$record/chip-simulate/stdout" -- live ingest --study @/live-study --quiet
head -300 "$record/chip-simulate/stdout" >partial.ndjson
c live-ingest-partial --copy in/live-study --stdin partial.ndjson -- live ingest --study @/live-study --timings @/timings.tsv
mkdir -p inbox && cp "$F/qpcr/quantification_methods.rdml" inbox/ 2>/dev/null || true
c watch-once --copy in/live-study -- watch inbox --study @/live-study --once --settle 0
c watch-once-json --copy in/live-study -- watch inbox --study @/live-study --once --settle 0 --json
c chip-simulate-rdml-live --copy in/live-study -- chip simulate --study @/live-study --seed 9 --rdml @/CHIP-9.rdml
mkdir -p inbox2 && cp out/chip-simulate-rdml-live/CHIP-9.rdml inbox2/
c watch-import --copy in/live-study -- watch inbox2 --study @/live-study --once --settle 0
c watch-import-json --copy in/live-study -- watch inbox2 --study @/live-study --once --settle 0 --json

# Knowledge base.
c kb -- kb
c kb-cargo -- kb --cargo miR-21
c kb-cargo-json -- kb --cargo hsa-mir-4458 --json
c kb-tumour-role -- kb --tumour HCC --role biomarker --format tsv
c kb-role -- kb --role "suppresses invasion" --format tsv
c kb-pathway -- kb --pathway PTEN --format json
c kb-text -- kb --text "blood brain barrier"
c kb-direction -- kb --direction down --specimen serum
c kb-bad-tumour -- kb --tumour HCCC
c kb-bad-direction -- kb --direction sideways
for table in in/knowledge/*; do
    c "kb-import-$(basename "$table")" -- kb import "$table" --output @/entries.json
done
c kb-import-json -- kb import in/knowledge/alldata.txt --output @/entries.json --json
c kb-include -- kb --cargo miR-21 --tumour HCC --include out/kb-import-alldata.txt/entries.json --format tsv
c kb-include-bad -- kb --include "$S/lung.tsv"

# qPCR and dPCR on the fixtures, the shared RDML and instrument exports, the generated RDML.
rdml=("$F/qpcr/quantification_methods.rdml")
for file in "$D"/rdml/*/*.rdml in/gen/qm_*.rdml; do [ -f "$file" ] && rdml+=("$file"); done
for method in threshold sdm td0; do c "qpcr-analyze-$method" -- qpcr analyze "${rdml[@]}" --cq-method $method; done
c qpcr-analyze-json -- qpcr analyze "$F/qpcr/quantification_methods.rdml" --format json
c qpcr-analyze-json-flag -- qpcr analyze "$F/qpcr/quantification_methods.rdml" --json
[ -f in/gen/chip.rdml ] && c qpcr-analyze-chip -- qpcr analyze in/gen/chip.rdml
lc480=("$D"/qpcr_instrument_exports/LC480_Example.txt "$D"/qpcr_instrument_exports/LC480_Example_SampleInfo.txt)
[ -f "${lc480[0]}" ] && c qpcr-analyze-lc480 -- qpcr analyze "${lc480[@]}"
c qpcr-analyze-not-rdml -- qpcr analyze "$S/lung.tsv"
c qpcr-cq -- qpcr cq "$F"/instrument/*.csv "$F"/instrument/*.txt
c qpcr-cq-json -- qpcr cq --json "$F"/instrument/*.csv
c qpcr-cq-good-and-bad -- qpcr cq "$F/instrument/quantstudio-results.csv" "$S/lung.tsv"
c qpcr-cq-format-json -- qpcr cq --format json -q "$F/instrument/quantstudio-results.csv"
for file in "$D"/qpcr_instrument_exports/*.txt; do
    [ -f "$file" ] && c "qpcr-cq-$(basename "$file")" -- qpcr cq "$file"
done
dpcr=("$F"/dpcr/*.csv "$F"/dpcr/*.tsv)
for file in "$D"/dpcr/*/*.csv "$D"/dpcr/*/*.tsv; do [ -f "$file" ] && dpcr+=("$file"); done
for file in "${dpcr[@]}"; do
    base=$(basename "$file")
    c "dpcr-$base" -- dpcr analyze "$file" --partition-volume-nl 0.85
    c "dpcr-$base-wald-merge" -- dpcr analyze "$file" --partition-volume-nl 0.91 --ci wald --merge
done
c dpcr-json -- dpcr analyze "$F/dpcr/small.csv" --partition-volume-nl 0.85 --json
c dpcr-format-json -- dpcr analyze "$F/dpcr/small.csv" --partition-volume-nl 0.85 --format json --level 0.9
c dpcr-rdml -- dpcr analyze "$F/qpcr/quantification_methods.rdml"
c dpcr-no-volume -- dpcr analyze "$F/dpcr/small.csv"

# EV QC.
nta=("$F/nta/beads2-ExperimentSummary.csv" "$F"/zetaview/*.txt)
for file in "$D"/nta/alteromonas_mvs/*ExperimentSummary.csv "$D"/nta/tidyNano_beads/*.csv; do [ -f "$file" ] && nta+=("$file"); done
c qc-nta -- qc nta "${nta[@]}"
c qc-nta-captures -- qc nta "${nta[@]}" --captures --range 40-200
[ -f "$D/nta/mouse_plasma_timecourse/Day1_second_attempt-ExperimentSummary.csv" ] && c qc-nta-unreadable -- qc nta "$D/nta/mouse_plasma_timecourse/Day1_second_attempt-ExperimentSummary.csv"
c qc-nta-json -- qc nta "$F/nta/beads2-ExperimentSummary.csv" --json
c qc-nta-format-json -- qc nta "$F/nta/beads2-ExperimentSummary.csv" --format json --captures
c qc-release --copy "$F/qc" -- qc release @/qc/release-spec.yaml @/qc/lots.tsv --markers @/qc/lot-markers.tsv --certificate @/certificate.html
c qc-release-json --copy "$F/qc" -- qc release @/qc/release-spec.yaml @/qc/lots.tsv --markers @/qc/lot-markers.tsv --json
c qc-release-format-json -- qc release "$F/qc/release-spec.yaml" "$F/qc/lots.tsv" --format json --quiet
for bad in "$F"/bad/qc-*; do
    [ -f "$bad/spec.yaml" ] && [ -f "$bad/lots.tsv" ] && c "qc-release-$(basename "$bad")" -- qc release "$bad/spec.yaml" "$bad/lots.tsv"
done
c qc-compare-lots -- qc compare-lots "$F/qc/lots.tsv" --readout ifng_release_fold
c qc-compare-lots-json -- qc compare-lots "$F/qc/lots.tsv" --readout protein_ug_per_ml --json --level 0.9
c qc-compare-lots-typo -- qc compare-lots "$F/qc/lots.tsv" --readout ifng_release_fld
c qc-control -- qc control in/runs.tsv
c qc-control-json -- qc control in/runs.tsv --json
c qc-control-format-json -- qc control in/runs.tsv --format json --baseline 10
c qc-stability -- qc stability in/stability.tsv --attribute concentration --min 7
c qc-stability-json -- qc stability in/stability.tsv --attribute concentration --min 7 --max 11 --json
c qc-stability-unknown -- qc stability in/stability.tsv --attribute concentraton --min 7

# Statistics on the fixtures and the generated matrices.
aSAH=(--label outcome --case Poor)
c stats-roc -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}"
c stats-roc-control -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --control Good --direction higher --level 0.9
c stats-roc-json -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --json
c stats-roc-format-json -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --format json --features s100b,ndka
c stats-roc-missing-labels -- stats roc "$S/aSAH.missing-labels.tsv" "${aSAH[@]}"
c stats-roc-rownames -- stats roc "$S/aSAH.rownames.csv" "${aSAH[@]}"
c stats-roc-rownames-exclude -- stats roc "$S/aSAH.rownames.csv" "${aSAH[@]}" --exclude gender,group3 --control Good
c stats-roc-unpaired -- stats roc "$S/aSAH.cohort1.tsv" "${aSAH[@]}" --unpaired "$S/aSAH.cohort2.tsv"
c stats-roc-unpaired-json -- stats roc "$S/aSAH.cohort1.tsv" "${aSAH[@]}" --unpaired "$S/aSAH.cohort2.tsv" --json
c stats-roc-wrong-case -- stats roc "$S/aSAH.matrix.tsv" --label outcome --case poor
c stats-roc-unknown-feature -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --features s100x
c stats-roc-generated -- stats roc in/gen/matrix.tsv --label group --case tumour
c stats-roc-correlated -- stats roc in/gen/correlated.tsv --label group --case tumour --direction lower
c stats-de -- stats de "$S/mirna-300x40.tsv" --label group --case tumour
c stats-de-json -- stats de "$S/mirna-300x40.tsv" --label group --case tumour --json
c stats-de-welch -- stats de "$S/mirna-300x40.tsv" --label group --case tumour --method welch --format json
c stats-de-mann-whitney -- stats de "$S/aSAH.matrix.tsv" "${aSAH[@]}" --method mann-whitney
c stats-de-covariates -- stats de "$S/aSAH.matrix.tsv" "${aSAH[@]}" --covariates wfns
c stats-de-tumour -- stats de "$S/mirna-300x40.tsv" --label group --case tumour --tumour NSCLC
c stats-de-generated -- stats de in/gen/matrix.tsv --label group --case tumour
c stats-de-missing-labels -- stats de "$S/aSAH.missing-labels.tsv" "${aSAH[@]}" --quiet
[ -f in/gen/counts.tsv ] && c stats-de-counts-generated -- stats de in/gen/counts.tsv --label group --case tumour --counts
c stats-de-counts -- stats de "$S/counts-200x24.tsv" --label group --case tumour --counts
c stats-de-counts-json -- stats de "$S/counts-200x24.tsv" --label group --case tumour --counts --json
c stats-compare -- stats compare "$S/aSAH.matrix.tsv" "${aSAH[@]}" --features s100b,ndka
c stats-compare-three -- stats compare "$S/aSAH.matrix.tsv" "${aSAH[@]}" --features s100b,ndka,wfns
c stats-compare-json -- stats compare "$S/aSAH.matrix.tsv" "${aSAH[@]}" --features s100b,ndka,wfns --json
c stats-compare-perfect -- stats compare in/perfect.tsv --label group --case t --features a,b
c stats-compare-perfect-json -- stats compare in/perfect.tsv --label group --case t --features a,b --json
c stats-roc-unpaired-perfect -- stats roc in/perfect.tsv --label group --case t --unpaired in/perfect.tsv
c stats-compare-note-then-error -- stats compare "$S/aSAH.missing-labels.tsv" "${aSAH[@]}" --features s100b,s100b
c stats-de-note-then-error -- stats de "$S/aSAH.missing-labels.tsv" "${aSAH[@]}" --covariates nope
c stats-cutoff-note-then-error -- stats cutoff "$S/aSAH.missing-labels.tsv" "${aSAH[@]}" --feature wfns --threshold 1 --bootstrap 0 --control Nobody
c stats-associate-note-then-error -- stats associate "$S/aSAH.matrix.tsv" --by outcome --order Good,Poor,Lost
c stats-compare-one -- stats compare "$S/aSAH.matrix.tsv" "${aSAH[@]}" --features s100b,s100b
c stats-compare-generated -- stats compare in/gen/matrix.tsv --label group --case tumour --features hsa-miR-1-5p,hsa-miR-2-5p,hsa-miR-3-5p --direction higher
c stats-cutoff -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature s100b --bootstrap 200
c stats-cutoff-json -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature s100b --bootstrap 200 --json
c stats-cutoff-sensitivity -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature wfns --sensitivity 0.9 --bootstrap 0
c stats-cutoff-specificity -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature ndka --specificity 0.8 --prevalence 0.2 --bootstrap 0
c stats-cutoff-threshold -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature s100b --threshold 0.2 --bootstrap 0 --partial 0.8
c stats-cutoff-topleft -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature s100b --method closest-top-left --cost 2 --bootstrap 0
c stats-cutoff-unknown -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature s100 --bootstrap 0
c stats-panel -- stats panel "$S/panel-60x120.tsv" --label group --case tumour --repeats 1
c stats-panel-json -- stats panel "$S/panel-60x120.tsv" --label group --case tumour --repeats 0 --json
c stats-panel-ridge -- stats panel "$S/panel-60x120.tsv" --label group --case tumour --repeats 0 --alpha 0 --all --lambda min
c stats-panel-tumour -- stats panel "$S/panel-60x120.tsv" --label group --case tumour --repeats 0 --tumour NSCLC
c stats-panel-generated -- stats panel in/gen/correlated.tsv --label group --case tumour --repeats 1 --folds 5
c stats-panel-missing -- stats panel in/gen/matrix.tsv --label group --case tumour --repeats 0 --alpha 0.5
c stats-panel-lock -- stats panel "$S/panel-20x400.tsv" --label group --case tumour --repeats 0 --lock @/model.json --name "cli panel" --specimen plasma --normalisation log2
c stats-associate -- stats associate in/lung.tsv --by sex
c stats-associate-json -- stats associate in/lung.tsv --by ph.ecog --json
c stats-associate-order -- stats associate in/lung.tsv --by ph.ecog --order 0,1,2,3
c stats-associate-spearman -- stats associate in/lung.tsv --by age --format json
c stats-associate-test -- stats associate "$S/aSAH.matrix.tsv" --by outcome --test kruskal-wallis
c stats-associate-generated -- stats associate in/gen/matrix.tsv --by group --features hsa-miR-1-5p,hsa-miR-2-5p,hsa-miR-3-5p,hsa-miR-4-5p
c stats-survival -- stats survival in/lung.tsv --feature age --time time --event status
c stats-survival-covariates -- stats survival in/lung.tsv --feature age --time time --event status --covariates sex,ph.ecog
c stats-survival-json -- stats survival in/lung.tsv --feature age --time time --event status --covariates sex --json
c stats-survival-steps -- stats survival in/lung.tsv --feature age --time time --event status --steps
c stats-survival-steps-json -- stats survival in/lung.tsv --feature age --time time --event status --steps --json
c stats-survival-separating -- stats survival in/lung.tsv --feature age --time time --event status --covariates sep
c stats-survival-separating-json -- stats survival in/lung.tsv --feature age --time time --event status --covariates sep --json
c stats-survival-unknown -- stats survival in/lung.tsv --feature agee --time time --event status

# Scoring the locked panel: a sample that scores, one of another specimen, one that failed QC.
model=out/stats-panel-lock/model.json
if [ -f "$model" ]; then
    kept=$(tail -n +2 "$record/stats-panel-lock/stdout" | cut -f1 | paste -sd '\t')
    n=$(tail -n +2 "$record/stats-panel-lock/stdout" | wc -l)
    values=$(for i in $(seq 1 "$n"); do printf '\t%s' "$((7 + i % 3))"; done)
    {
        printf 'sample\tspecimen\tqc\t%s\n' "$kept"
        printf 'P1\tplasma\tpass%s\nP2\tserum\tpass%s\nP3\tplasma\tfail%s\n' "$values" "$values" "$values"
    } >score-samples.tsv
    c score -- score "$model" score-samples.tsv
    c score-json -- score "$model" score-samples.tsv --json
    c score-format-json -- score "$model" score-samples.tsv --format json
    c score-override-needs-study -- score "$model" score-samples.tsv --override-qc "because we must"
    c score-study --copy-demo -- score "$model" score-samples.tsv --study @/study --database @/exoscope.sqlite
    sed 's/"cli panel"/"cli panel v2"/' "$model" >edited-model.json
    c score-edited -- score edited-model.json score-samples.tsv
fi

# Usage errors (64).
c usage-unknown-option -- validate --no-such-flag
c usage-missing-argument -- stats roc
c usage-level -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --level 1.5
c usage-direction -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --direction up
c usage-cutoff-cost -- stats cutoff "$S/aSAH.matrix.tsv" "${aSAH[@]}" --feature s100b --cost 0
c usage-panel-alpha -- stats panel "$S/panel-60x120.tsv" --label group --case tumour --alpha 2
c usage-panel-lock -- stats panel "$S/panel-60x120.tsv" --label group --case tumour --lock m.json
c usage-de-counts-welch -- stats de "$S/counts-200x24.tsv" --label group --case tumour --counts --method welch
c usage-de-tumour -- stats de "$S/mirna-300x40.tsv" --label group --case tumour --tumour Atlantis
c usage-features-label -- stats roc "$S/aSAH.matrix.tsv" "${aSAH[@]}" --features outcome
c usage-exclude-unknown -- stats associate in/lung.tsv --by sex --exclude nope
c usage-dpcr-level -- dpcr analyze "$F/dpcr/small.csv" --partition-volume-nl 0.85 --level 0
c usage-nta-range -- qc nta "$F/nta/beads2-ExperimentSummary.csv" --range 150-30
c usage-stability-limits -- qc stability in/stability.tsv --attribute concentration
c usage-control-baseline -- qc control in/runs.tsv --baseline 1
c usage-chip-cycles -- chip simulate --study in/live-study --cycles 5
c usage-watch-interval -- watch inbox --study in/live-study --interval 0
c usage-alerts-note -- alerts acknowledge 1 --note " "
c usage-kb-source -- kb import "$S/lung.tsv" --source nope --output @/x.json
c usage-qpcr-method -- qpcr analyze "$F/qpcr/quantification_methods.rdml" --cq-method ct
c help -- --help
c help-stats -- stats --help
c version -- --version
