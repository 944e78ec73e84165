#!/usr/bin/env bash
# Importing and summarising 1,000 NTA exports: `exoscope qc nta` against `cat` reading the same files, whole
# process, from a cold page cache (when this user may write /proc/sys/vm/drop_caches) and warm (each command run
# once untimed first). The files are the 13 real NanoSight exports of ../shared/data/nta copied in turn, or,
# without ../shared, the demo study's 140 simulated exports.
# Writes bench/results/nta-import.md.
root=$(cd "$(dirname "$0")/../.." && pwd)
export EXOSCOPE_BENCH_WORK=${EXOSCOPE_BENCH_WORK:-$root/.build-bench/qc}
source "$root/bench/stats/setup.sh"
files=$work/nta1000
if [ ! -f "$files/done" ]; then
    rm -rf "$files" && mkdir -p "$files"
    if [ -d ../shared/data/nta ]; then
        mapfile -t sources < <(find ../shared/data/nta -name '*ExperimentSummary.csv' -o -name 'beads*.csv' | grep -v mouse_plasma | sort)
        origin="the 13 real NanoSight NTA 3.2/3.4 exports of ../shared/data/nta (tidyNano beads, Alteromonas MVs)"
    else
        (cd "$work" && rm -rf exoscope-demo && "$exoscope" demo --quiet >/dev/null)
        mapfile -t sources < <(find "$work/exoscope-demo/study/qc/nta" -name '*.csv' | sort)
        origin="the demo study's 140 simulated NTA 3.4 exports"
    fi
    for i in $(seq 1 1000); do
        source_file=${sources[$(( (i - 1) % ${#sources[@]} ))]}
        cp "$source_file" "$files/$(printf %04d "$i")-ExperimentSummary.csv"
    done
    echo "$origin" > "$files/done"
fi
origin=$(cat "$files/done")
list=("$files"/*-ExperimentSummary.csv)
bytes=$(cat "${list[@]}" | wc -c)
# cold COMMAND…: the elapsed seconds of COMMAND after emptying the page cache, or "–" when not permitted.
cold() {
    if sync && { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; then time_of /dev/null "$@"; else echo "–"; fi
}
cat_cold=$(cold cat "${list[@]}")
exo_cold=$(cold "$exoscope" qc nta "${list[@]}")
cat_cold2=$(cold cat "${list[@]}")
exo_cold2=$(cold "$exoscope" qc nta "${list[@]}")
cat "${list[@]}" > /dev/null
"$exoscope" qc nta "${list[@]}" > /dev/null
cat_s=$(time_of /dev/null cat "${list[@]}")
exo_s=$(time_of "$work/nta1000.tsv" "$exoscope" qc nta "${list[@]}")
cat_again=$(time_of /dev/null cat "${list[@]}")
rows=$(( $(wc -l < "$work/nta1000.tsv") - 1 ))
{
    echo "# Importing 1,000 NTA exports: ExoScope against cat"
    echo
    echo "Made by \`bench/qc/nta_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m)."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2), $(cat --version | head -1)."
    echo "Inputs: 1,000 files, $(python3 -c "print(f'{$bytes / 1e6:.0f}')") MB in all: $origin."
    echo "ExoScope: \`exoscope qc nta FILES…\` (parse by section, Latin-1, every capture's histogram, pooled statistics,"
    echo "one TSV row per file; $rows rows written; files parsed on every core, the kernel asked to read 16 files ahead)."
    echo "cat: \`cat FILES… > /dev/null\`. Whole process, one after the other."
    echo
    echo "**From disk** (page cache emptied before each run; two rounds):"
    echo
    echo "| command | round 1 s | round 2 s | relative to cat |"
    echo "|---|---|---|---|"
    echo "| \`cat\` | $cat_cold | $cat_cold2 | 1 |"
    if [ "$cat_cold" = "–" ]; then cold_ratio="–"; else
        cold_ratio=$(python3 -c "print(f'{($exo_cold + $exo_cold2) / ($cat_cold + $cat_cold2):.1f}×')")
    fi
    echo "| \`exoscope qc nta\` | $exo_cold | $exo_cold2 | $cold_ratio |"
    echo
    echo "**From the page cache** (warm):"
    echo
    echo "| command | seconds | MB/s | relative to cat |"
    echo "|---|---|---|---|"
    echo "| \`cat\` | $cat_s | $(python3 -c "print(f'{$bytes / 1e6 / max($cat_s, 0.005):.0f}')") | 1 |"
    echo "| \`exoscope qc nta\` | $exo_s | $(python3 -c "print(f'{$bytes / 1e6 / max($exo_s, 0.005):.0f}')") | $(python3 -c "print(f'{$exo_s / max($cat_s, 0.005):.1f}')")× |"
    echo "| \`cat\` again | $cat_again | | |"
} > bench/results/nta-import.md
cat bench/results/nta-import.md
