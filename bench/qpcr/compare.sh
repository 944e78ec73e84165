#!/usr/bin/env bash
# Side-by-side comparison of ExoScope's qPCR curve analysis with rdmlpython 1.7.2's LinRegPCR, on the same
# RDML files in one run: agreement of Cq and efficiency (bench/results/qpcr-linregpcr.md), then the speed
# comparison on a 96×96 chip run (speed.sh, bench/results/qpcr-chip-speed.md). Needs ../shared/data (RDML
# examples) and PyPI.
source "$(dirname "$0")/setup.sh"

# The peer in its own environment: rdmlpython 1.7.2 needs numpy < 2.
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q "numpy<2" "scipy<1.14" lxml rdmlpython==1.7.2
fi
peer=$work/venv/bin/python

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

# The newer RDML-Tools tables shipped beside the RDML 1.4 files: a later LinRegPCR (TD0, Ncopy).
EXOSCOPE_BENCH_WORK=$work EXOSCOPE_SHARED_DATA=$shared bash bench/qpcr/tables.sh

bash bench/qpcr/speed.sh
cat "$report"
