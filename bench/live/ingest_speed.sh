#!/usr/bin/env bash
# Live ingest throughput: `exoscope live ingest` against a Python peer (json + sqlite3, the same chunks, table and
# durability, no validation or Cq state) on a simulated 96×96 chip run (9,216 wells × 40 cycles = 368,640 readings),
# both pinned to one core (taskset -c 0). Per batch (one 64 KiB read of the stream): readings, and the latency from
# receiving the bytes to their durable commit (and, for ExoScope, to writing the acknowledgement). Three rounds, each
# on a fresh copy of the demo study and database; the round with the median throughput is reported, with all three.
# Writes bench/results/live-ingest.md.
root=$(cd "$(dirname "$0")/../.." && pwd)
export EXOSCOPE_BENCH_WORK=${EXOSCOPE_BENCH_WORK:-$root/.build-bench/live}
source "$root/bench/stats/setup.sh"
rm -rf "$work/demo" && mkdir -p "$work/demo"
(cd "$work/demo" && "$exoscope" demo --quiet --output . >/dev/null)
stream=$work/chip-96x96.ndjson
"$exoscope" chip simulate --study "$work/demo/study" --database "$work/demo/exoscope.sqlite" --format 96x96 \
    --cycles 40 --seed 20260707 > "$stream"
# The stream conforms to the protocol's JSON Schema (checked with the jsonschema package in its own environment).
if [ ! -x "$work/venv/bin/python" ]; then python3 -m venv "$work/venv" && "$work/venv/bin/pip" install -q jsonschema; fi
conformance=$("$work/venv/bin/python" "$root/bench/live/check_schema.py" "$root/docs/live-protocol.schema.json" "$stream" 20000)
lines=$(wc -l < "$stream")
bytes=$(wc -c < "$stream")
summary() {  # summary TIMINGS [finalised-column]: readings, seconds, readings/s, p50 ms, p99 ms, batches, mean batch
    python3 - "$1" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()[1:] if line]
batches = [(int(r[0]), float(r[1])) for r in rows if len(r) < 3 or r[2] == "no"]
final = [float(r[1]) for r in rows if len(r) >= 3 and r[2] == "yes"]
ms = sorted(m for _, m in batches)
readings = sum(c for c, _ in batches)
seconds = sum(ms) / 1000
q = lambda p: ms[min(len(ms) - 1, int(round(p * (len(ms) - 1))))]
print(readings, f"{seconds:.3f}", f"{readings / seconds:.0f}", f"{q(0.5):.2f}", f"{q(0.99):.2f}", len(ms),
      f"{readings / len(ms):.0f}", f"{final[0] / 1000:.2f}" if final else "–")
PY
}
exo=() peer=()
for round in 1 2 3; do
    rm -rf "$work/round" && cp -r "$work/demo" "$work/round"
    taskset -c 0 "$exoscope" live ingest --study "$work/round/study" --database "$work/round/exoscope.sqlite" \
        --timings "$work/exo-$round.tsv" --quiet < "$stream" > "$work/answers-$round.ndjson"
    exo+=("$(summary "$work/exo-$round.tsv")")
    rm -f "$work/peer.sqlite"
    taskset -c 0 python3 "$root/bench/live/ingest_peer.py" "$work/peer.sqlite" "$stream" "$work/peer-$round.tsv"
    peer+=("$(summary "$work/peer-$round.tsv")")
done
median() { printf '%s\n' "$@" | sort -t' ' -k3,3n | sed -n 2p; }
exo_median=$(median "${exo[@]}")
peer_median=$(median "${peer[@]}")
read -r e_n e_s e_rate e_p50 e_p99 e_batches e_mean e_final <<< "$exo_median"
read -r p_n p_s p_rate p_p50 p_p99 p_batches p_mean _ <<< "$peer_median"
calls=$(grep -c '"provisional":true' "$work/answers-1.ndjson")
{
    echo "# Live ingest: ExoScope against a Python json + sqlite3 peer"
    echo
    echo "Made by \`bench/live/ingest_speed.sh\` on $(date -u +%Y-%m-%d). Machine: $(nproc) cores, $(uname -m); both"
    echo "pinned to one core with \`taskset -c 0\`."
    echo "Versions: ExoScope $("$exoscope" --version | cut -d' ' -f2), $(python3 --version), SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)') in Python."
    echo "Input: \`exoscope chip simulate --format 96x96 --cycles 40 --seed 20260707\` on the demo study: $lines lines,"
    echo "$(python3 -c "print(f'{$bytes / 1e6:.1f}')") MB (one layout, 368,640 readings, one end)."
    echo
    echo "ExoScope: \`exoscope live ingest --study DIR --timings FILE < stream\`: each line parsed and checked against"
    echo "the layout (unknown wells, cycle order, conflicting seqs), each chunk's new readings committed to SQLite (one"
    echo "transaction per run; rollback journal, synchronous=FULL) before they are acknowledged on standard output, each well's"
    echo "online Cq state updated ($calls provisional Cqs called). The peer (\`bench/live/ingest_peer.py\`) parses with"
    echo "Python's json and stores with sqlite3 in the same chunks, table and durability, with no checks and no Cq state."
    echo "A batch is one 64 KiB read of the stream (about $e_mean readings). Schema check of the layout, the first"
    echo "20,000 readings and the end against \`docs/live-protocol.schema.json\`: $conformance."
    echo
    echo "| | readings | seconds | readings/s | p50 ms per batch | p99 ms per batch | batches |"
    echo "|---|---|---|---|---|---|---|"
    echo "| ExoScope | $e_n | $e_s | $e_rate | $e_p50 | $e_p99 | $e_batches |"
    echo "| Python peer | $p_n | $p_s | $p_rate | $p_p50 | $p_p99 | $p_batches |"
    echo "| ratio (peer / ExoScope time) | | $(python3 -c "print(f'{$p_s / $e_s:.2f}×')") | | $(python3 -c "print(f'{$p_p50 / $e_p50:.2f}×')") | $(python3 -c "print(f'{$p_p99 / $e_p99:.2f}×')") | |"
    echo
    echo "The batch that completed the run also finalised it — LinRegPCR on all 9,216 curves, the finished RDML file,"
    echo "and the whole pipeline on the study (import, EV QC, biomarkers, monitoring, alerts, report): $e_final s,"
    echo "left out of the per-batch figures above."
    echo
    echo "All rounds (readings, seconds, readings/s, p50, p99, batches, mean batch, finalisation s):"
    echo
    for round in 0 1 2; do echo "- round $((round + 1)): ExoScope ${exo[$round]}; peer ${peer[$round]}"; done
} > bench/results/live-ingest.md
cat bench/results/live-ingest.md
