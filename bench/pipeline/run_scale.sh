#!/usr/bin/env bash
# How `exoscope run` (validate, import into SQLite, every stage, the HTML report) grows with the number of
# samples: studies of SIZES samples (default 1,000, 10,000 and 100,000) from make_scaled_study.py (seed 1),
# each run REPEATS times (default 3) on a fresh database; the elapsed seconds and peak memory per size, and the
# exponent b of time ≈ a · samples^b fitted by least squares on the logarithms of the medians (b = 1 is
# linear; the smallest size carries start-up costs, so b is also given between the two largest sizes).
# Writes bench/results/run-scale.md.
bench_topic=pipeline
source "$(dirname "$0")/../stats/setup.sh"
sizes=(${SIZES:-1000 10000 100000})
repeats=${REPEATS:-3}
rows=()
: > "$work/medians"
for size in "${sizes[@]}"; do
    study=$work/study-$size
    [ -f "$study/study.yaml" ] || python3 bench/pipeline/make_scaled_study.py "$study" "$size" 1
    : > "$work/times-$size"
    for _ in $(seq "$repeats"); do
        rm -f "$work/run-$size.sqlite" "$work/run-$size.html"
        /usr/bin/time -f "%e %M" -o "$work/time" "$exoscope" run "$study" --database "$work/run-$size.sqlite" \
            --report "$work/run-$size.html" --quiet
        tail -1 "$work/time" >> "$work/times-$size"
    done
    read -r seconds memory range < <(python3 - "$work/times-$size" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
t = [float(r[0]) for r in rows]
m = max(int(r[1]) for r in rows)
print(f"{statistics.median(t):.2f} {m / 1024:.0f} {min(t):.2f}–{max(t):.2f}")
PY
)
    echo "$size $seconds" >> "$work/medians"
    measurements=$(($(wc -l < "$study/data/cq-export.csv") - 1))
    rows+=("| $(printf "%'d" "$size") | $(printf "%'d" "$measurements") | $(du -h "$study/data/cq-export.csv" | cut -f1) | $seconds ($range) | $(python3 -c "print(f'{$seconds / $size * 1e6:.0f}')") | $memory | $(du -h "$work/run-$size.sqlite" | cut -f1) |")
done
fit=$(python3 - "$work/medians" <<'PY'
import math, sys
pts = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
xs = [math.log(n) for n, _ in pts]
ys = [math.log(t) for _, t in pts]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
(n1, t1), (n2, t2) = pts[-2], pts[-1]
print(f"{b:.2f} {math.log(t2 / t1) / math.log(n2 / n1):.2f}")
PY
)
read -r exponent tail_exponent <<< "$fit"
{
    echo "# \`exoscope run\` against the number of samples"
    echo
    echo "Made by \`bench/pipeline/run_scale.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load average after the runs $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "ExoScope $("$exoscope" --version | cut -d' ' -f2) (release build). Studies from \`bench/pipeline/make_scaled_study.py FOLDER SAMPLES 1\`:"
    echo "a sample sheet (40 % controls, cases at stages I–IV, one patient in twelve followed over five visits) and a plain"
    echo "instrument Cq export with two replicates of five analytes per sample, normalised to the spike-in. Each size ran"
    echo "$repeats time(s), every time into a new SQLite database and report (validation, import, every stage, the report)."
    echo
    echo "| samples | Cq rows | file | seconds, median (range) | µs per sample | peak memory, MiB | database |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Fitted exponent of time ≈ a · samples^b over all sizes: **b = $exponent**; between the two largest sizes: **b = $tail_exponent**"
    echo "(1 is linear, 2 quadratic)."
} > bench/results/run-scale.md
cat bench/results/run-scale.md
