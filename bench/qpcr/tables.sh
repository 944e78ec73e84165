#!/usr/bin/env bash
# ExoScope against the expected-results tables of the later RDML-Tools LinRegPCR (TD0, baseline-section
# efficiency, mean PCR efficiency, Ncopy) that ship beside the RDML 1.4 example files and the technical test
# file matrix_gaps.rdml: writes bench/results/qpcr-rdmltools-tables.md. Needs ../shared/data; no peer to
# install (the tables are the reference). Also run by compare.sh.
source "$(dirname "$0")/setup.sh"

untergasser=$shared/rdml/rdmlpython_untergasser
technical=$shared/rdml/rdmlpython_technical
arguments=()
for name in large_DNA_dilutions quantification_methods; do
    "$exoscope" qpcr analyze "$untergasser/$name.rdml" > "$work/$name.threshold.tsv"
    "$exoscope" qpcr analyze --cq-method td0 "$untergasser/$name.rdml" > "$work/$name.td0.tsv"
    arguments+=(threshold "$work/$name.threshold.tsv" "$untergasser/${name}_results.tsv")
    arguments+=(td0 "$work/$name.td0.tsv" "$untergasser/${name}_results.tsv")
done
"$exoscope" qpcr analyze --cq-method td0 "$technical/matrix_gaps.rdml" > "$work/matrix_gaps.td0.tsv"
arguments+=(td0 "$work/matrix_gaps.td0.tsv" "$technical/matrix_gaps_results.tsv")

tables=bench/results/qpcr-rdmltools-tables.md
{
    echo "# qPCR curve analysis: ExoScope against the RDML-Tools expected-results tables"
    echo
    echo "Made by \`bench/qpcr/tables.sh\` on $(date -u +%Y-%m-%d), ExoScope $("$exoscope" --version | cut -d' ' -f2)."
    echo "The tables (\`*_results.tsv\` in ../shared/data/rdml/rdmlpython_untergasser/ and rdmlpython_technical/)"
    echo "come from a later LinRegPCR than rdmlpython 1.7.2. Method threshold: ExoScope's default (1.7.2) Cq and"
    echo "efficiencies, compared with TD0 only to show the offset. Method td0: \`--cq-method td0\`, the later"
    echo "version's TD0, baseline-section efficiency, mean PCR efficiency per target and Ncopy (N_ampli / E^TD0)."
    echo "\"To the printed digits\" means within half a unit of the table's last printed decimal. See docs/qpcr.md."
    echo
    python3 bench/qpcr/compare_rdmltools_tables.py "${arguments[@]}"
} > "$tables"
cat "$tables"
