#!/usr/bin/env bash
# Side-by-side comparison of ExoScope's qPCR curve analysis with rdmlpython 1.7.2's LinRegPCR, on the same
# RDML files in one run: agreement of Cq and efficiency (bench/results/qpcr-linregpcr.md), then the speed
# comparison on a 96×96 chip run (speed.sh, bench/results/qpcr-chip-speed.md). Needs ../shared/data (RDML
# examples) and PyPI.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
shared=${EXOSCOPE_SHARED_DATA:-$root/../shared/data}
work=${EXOSCOPE_BENCH_WORK:-$root/.build-bench/qpcr}
mkdir -p "$work" bench/results

# The peer in its own environment: rdmlpython 1.7.2 needs numpy < 2.
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q "numpy<2" "scipy<1.14" lxml rdmlpython==1.7.2
fi
peer=$work/venv/bin/python
swift build -c release --product exoscope >/dev/null
exoscope=$(swift build -c release --show-bin-path)/exoscope

files=(
    "$shared/rdml/rdml_r_package/lc96_bACTXY.rdml"
    "$shared/rdml/rdmlpython_untergasser/quantification_methods.rdml"
    "$shared/rdml/rdmlpython_untergasser/large_DNA_dilutions.rdml"
)
for seed in 1 2 3 4 5 6; do
    "$peer" bench/qpcr/make_synthetic_rdml.py "$shared/rdml/rdmlpython_untergasser/quantification_methods.rdml" "$work/qm_$seed.rdml" "$seed"
    "$peer" bench/qpcr/make_synthetic_rdml.py "$shared/rdml/rdmlpython_untergasser/large_DNA_dilutions.rdml" "$work/ld_$seed.rdml" "$seed"
    files+=("$work/qm_$seed.rdml" "$work/ld_$seed.rdml")
done

report=bench/results/qpcr-linregpcr.md
{
    echo "# qPCR curve analysis: ExoScope against rdmlpython 1.7.2 (LinRegPCR)"
    echo
    echo "Made by \`bench/qpcr/compare.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m)."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2), rdmlpython $("$peer" -c 'import importlib.metadata as m; print(m.version("rdmlpython"))'),"
    echo "numpy $("$peer" -c 'import numpy; print(numpy.__version__)'), Swift $(swift --version 2>&1 | head -1 | sed 's/.*version \([0-9.]*\).*/\1/')."
    echo
    echo "Cq: rdmlpython's default variant (mean efficiency, no-plateau curves and outliers excluded); efficiency:"
    echo "the individual PCR efficiency. Compared over reactions both call amplified."
    echo
    echo "## Agreement"
    echo
    echo '```'
} > "$report"
for file in "${files[@]}"; do
    name=$(basename "$file" .rdml)
    "$exoscope" qpcr analyze "$file" > "$work/$name.exoscope.tsv"
    "$peer" bench/qpcr/rdmlpython_linregpcr.py "$file" > "$work/$name.rdmlpython.tsv" 2>/dev/null
    python3 bench/qpcr/compare_linregpcr.py "$work/$name.exoscope.tsv" "$work/$name.rdmlpython.tsv" --label "$name" >> "$report"
done
echo '```' >> "$report"

# The newer RDML-Tools tables shipped beside the RDML 1.4 files: a later LinRegPCR, compared for the record.
tables=bench/results/qpcr-rdmltools-tables.md
{
    echo "# qPCR curve analysis: ExoScope against the RDML-Tools expected-results tables"
    echo
    echo "Made by \`bench/qpcr/compare.sh\` on $(date -u +%Y-%m-%d), ExoScope $("$exoscope" --version | cut -d' ' -f2)."
    echo "The tables (\`*_results.tsv\` in ../shared/data/rdml/rdmlpython_untergasser/) come from a later LinRegPCR"
    echo "than rdmlpython 1.7.2. Method threshold: ExoScope's default (1.7.2) Cq, compared with TD0 only to show the"
    echo "offset. Method td0: \`--cq-method td0\`, the later version's TD0 and baseline-section efficiency; its mean"
    echo "efficiency is not implemented (empty). See docs/qpcr.md."
    echo
    for name in large_DNA_dilutions quantification_methods; do
        "$exoscope" qpcr analyze --cq-method td0 "$shared/rdml/rdmlpython_untergasser/$name.rdml" > "$work/$name.td0.tsv"
    done
    python3 bench/qpcr/compare_rdmltools_tables.py \
        threshold "$work/large_DNA_dilutions.exoscope.tsv" "$shared/rdml/rdmlpython_untergasser/large_DNA_dilutions_results.tsv" \
        td0 "$work/large_DNA_dilutions.td0.tsv" "$shared/rdml/rdmlpython_untergasser/large_DNA_dilutions_results.tsv" \
        threshold "$work/quantification_methods.exoscope.tsv" "$shared/rdml/rdmlpython_untergasser/quantification_methods_results.tsv" \
        td0 "$work/quantification_methods.td0.tsv" "$shared/rdml/rdmlpython_untergasser/quantification_methods_results.tsv"
} > "$tables"
cat "$tables"

bash bench/qpcr/speed.sh
cat "$report"
