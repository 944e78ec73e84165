#!/usr/bin/env bash
# Whole-process speed of ExoScope's `qpcr analyze` and rdmlpython 1.7.2's LinRegPCR on the same simulated
# 96×96 chip run (9,216 curves × 40 cycles), each run once, one after the other, on this machine.
# Writes bench/results/qpcr-chip-speed.md. Run by compare.sh, which installs the peer.
source "$(dirname "$0")/setup.sh"
peer=$work/venv/bin/python
python3 bench/qpcr/make_chip_rdml.py "$work/chip.rdml" 20260707
/usr/bin/time -f %e -o "$work/chip.exoscope.time" "$exoscope" qpcr analyze "$work/chip.rdml" > "$work/chip.exoscope.tsv"
/usr/bin/time -f %e -o "$work/chip.rdmlpython.time" "$peer" bench/qpcr/rdmlpython_linregpcr.py "$work/chip.rdml" \
    > "$work/chip.rdmlpython.tsv" 2> "$work/chip.rdmlpython.log"
exo_seconds=$(tail -1 "$work/chip.exoscope.time")
peer_seconds=$(tail -1 "$work/chip.rdmlpython.time")
report=bench/results/qpcr-chip-speed.md
{
    echo "# qPCR curve analysis speed: 96×96 chip run"
    echo
    echo "Made by \`bench/qpcr/speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m)."
    echo "Input: \`make_chip_rdml.py\` seed 20260707, RDML 1.3, 9,216 curves × 40 cycles ($(du -k "$work/chip.rdml" | cut -f1) KiB zipped)."
    echo "Each tool's whole process once, one after the other: read the file, analyse, write the table."
    echo
    echo "| tool | wall time, s | curves/s |"
    echo "|---|---|---|"
    echo "| ExoScope \`qpcr analyze\` (release build) | $exo_seconds | $(python3 -c "print(round(9216 / $exo_seconds))") |"
    echo "| rdmlpython 1.7.2 \`Run.linRegPCR\` | $peer_seconds | $(python3 -c "print(round(9216 / $peer_seconds))") |"
    echo
    echo "Ratio: ExoScope is $(python3 -c "print(round($peer_seconds / $exo_seconds))")× faster."
    echo
    echo "Agreement on this run (by reaction order; rdmlpython spells the well labels of a 96-row chip differently):"
    echo
    echo '```'
    python3 bench/qpcr/compare_linregpcr.py "$work/chip.exoscope.tsv" "$work/chip.rdmlpython.tsv" --label chip --by-order
    echo '```'
} > "$report"
cat "$report"
