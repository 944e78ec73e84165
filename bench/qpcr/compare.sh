#!/usr/bin/env bash
# Side-by-side comparison of ExoScope's qPCR curve analysis with rdmlpython 1.7.2's LinRegPCR, on the same
# RDML files in one run: agreement of Cq and efficiency, and whole-process time on a 96×96 chip run.
# Writes bench/results/qpcr-linregpcr.md. Needs ../shared/data (RDML examples) and network access to PyPI.
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

# Speed: the whole process (read the RDML file, analyse, write the table) on a simulated 96×96 chip run.
python3 bench/qpcr/make_chip_rdml.py "$work/chip.rdml" 20260707
exo_seconds=$( { /usr/bin/time -f %e "$exoscope" qpcr analyze "$work/chip.rdml" > "$work/chip.exoscope.tsv"; } 2>&1 )
peer_seconds=$( { /usr/bin/time -f %e "$peer" bench/qpcr/rdmlpython_linregpcr.py "$work/chip.rdml" > "$work/chip.rdmlpython.tsv" 2>/dev/null; } 2>&1 )
{
    echo
    echo "## Speed: 96×96 chip run (9,216 curves × 40 cycles, \`make_chip_rdml.py\`, seed 20260707)"
    echo
    echo "| tool | wall time, s | curves/s |"
    echo "|---|---|---|"
    echo "| ExoScope \`qpcr analyze\` (release build) | $exo_seconds | $(python3 -c "print(round(9216 / $exo_seconds))") |"
    echo "| rdmlpython 1.7.2 \`Run.linRegPCR\` | $peer_seconds | $(python3 -c "print(round(9216 / $peer_seconds))") |"
    echo
    echo "Ratio: ExoScope is $(python3 -c "print(round($peer_seconds / $exo_seconds))")× faster, whole process each, same file, one run."
    echo
    echo '```'
    python3 bench/qpcr/compare_linregpcr.py "$work/chip.exoscope.tsv" "$work/chip.rdmlpython.tsv" --label chip --by-order
    echo '```'
} >> "$report"
cat "$report"
