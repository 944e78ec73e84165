#!/usr/bin/env bash
# ExoScope's LinRegPCR on a LightCycler 480 raw data export (read directly, with its sample information) against
# rdmlpython 1.7.2 on an RDML file written from the same curves by an independent script
# (make_lc480_rdml.py). Needs ../shared/data/qpcr_instrument_exports and PyPI (the venv compare.sh makes).
source "$(dirname "$0")/setup.sh"
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q "numpy<2" "scipy<1.14" lxml rdmlpython==1.7.2
fi
peer=$work/venv/bin/python
raw=$shared/qpcr_instrument_exports/LC480_Example.txt
info=$shared/qpcr_instrument_exports/LC480_Example_SampleInfo.txt
python3 bench/qpcr/make_lc480_rdml.py "$raw" "$info" "$work/LC480_Example.rdml"
"$exoscope" qpcr analyze "$raw" "$info" > "$work/lc480.exoscope.tsv"
"$exoscope" qpcr analyze "$work/LC480_Example.rdml" > "$work/lc480.exoscope-rdml.tsv"
"$peer" bench/qpcr/rdmlpython_linregpcr.py "$work/LC480_Example.rdml" > "$work/lc480.rdmlpython.tsv" 2>/dev/null
# The raw file read directly and its RDML rendering must analyse identically (the file column aside).
if diff <(cut -f2- "$work/lc480.exoscope.tsv") <(cut -f2- "$work/lc480.exoscope-rdml.tsv") > /dev/null; then
    echo "LC480_Example.txt read directly = its RDML rendering (all $(($(wc -l < "$work/lc480.exoscope.tsv") - 1)) rows)"
else
    echo "LC480_Example.txt read directly differs from its RDML rendering"
fi
python3 bench/qpcr/compare_linregpcr.py "$work/lc480.exoscope.tsv" "$work/lc480.rdmlpython.tsv" --label LC480_Example
