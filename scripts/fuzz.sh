#!/usr/bin/env bash
# Fuzzes ExoScope's readers with libFuzzer, one target after another (Fuzz/, bench/README.md).
#
#   scripts/fuzz.sh [--seconds N] [--no-record] [--no-build] [TARGET…]
#
# Builds Fuzz/exoscope-fuzz with -sanitize=fuzzer,address into .build-fuzz (never the normal .build), seeds a corpus
# per target under .fuzz/corpus/<target> from Tests/Fixtures and ../shared/data (files of the target's kind, small
# ones only; ../shared is skipped when absent), runs each target for N seconds (default 300) and appends one row per
# run to bench/results/fuzz.md (unless --no-record, as CI does) and updates its per-target totals. Findings are
# written to .fuzz/artifacts/<target>/ (crash-*, timeout-*, oom-*); the script exits 1 when a run found one.
#
# Reproduce a finding:  EXOSCOPE_FUZZ_TARGET=rdml .build-fuzz/release/exoscope-fuzz .fuzz/artifacts/rdml/crash-…
# Minimise it:          EXOSCOPE_FUZZ_TARGET=rdml .build-fuzz/release/exoscope-fuzz -minimize_crash=1 \
#                           -runs=10000 -exact_artifact_path=min.bin .fuzz/artifacts/rdml/crash-…
set -euo pipefail
cd "$(dirname "$0")/.."

targets_all=(rdml xlsx instrument-cq lc480 particle-size tables study-yaml release-spec feature-matrix live dpcr fastq
    fasta count-matrix)
seconds=300
record=1
build=1
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --no-record) record=0; shift ;;
        --no-build) build=0; shift ;;
        -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 64 ;;
        *)
            if [[ " ${targets_all[*]} " != *" $1 "* ]]; then
                echo "fuzz.sh: unknown target '$1' (targets: ${targets_all[*]})" >&2
                exit 64
            fi
            targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${targets_all[@]}")

binary=.build-fuzz/release/exoscope-fuzz
if [ "$build" = 1 ]; then
    # SwiftPM passes `--sanitize fuzzer --sanitize address` to swiftc as two flags, and swiftc keeps only the last
    # one: the Swift code would get AddressSanitizer but no coverage. The combined -Xswiftc flag comes last and wins;
    # the --sanitize flags still instrument the C targets (libyaml) and link libFuzzer.
    start=$(date +%s)
    EXOSCOPE_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product exoscope-fuzz \
        --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address 2>&1 |
        grep -v "Cannot export local symbol '__asan" || true
    [ -x "$binary" ] || { echo "fuzz.sh: the build failed" >&2; exit 1; }
    echo "fuzz build: $(($(date +%s) - start)) s"
fi

shared=../shared/data
# The seed files of a target, as `find` arguments below Tests/Fixtures and ../shared/data.
seeds() {
    case "$1" in
        rdml) fixtures=(-name '*.rdml'); data=(-name '*.rdml') ;;
        xlsx) fixtures=(-name '*.xlsx'); data=(-name '*.xlsx') ;;
        instrument-cq)
            fixtures=(-path '*/instrument/*' ! -name '*.md')
            data=(-path '*qpcr_instrument_exports/*' ! -name '*.md') ;;
        lc480) fixtures=(-path '*/instrument/lc480*'); data=(-name 'LC480*') ;;
        particle-size)
            fixtures=(\( -path '*/nta/*' -o -path '*/zetaview/*' -o -path '*qc*/S*.csv' -o -path '*/qc/lot-*.csv' \)
                ! -name '*.md' ! -name '*.py')
            data=(-path '*/nta/*' -name '*.csv') ;;
        tables) fixtures=(\( -name '*.tsv' -path '*/good/*' -o -name '*.tsv' -path '*/bad/*' -o -path '*/qc/lot*.tsv' \)) data=() ;;
        study-yaml) fixtures=(-name 'study.yaml'); data=() ;;
        release-spec) fixtures=(-name '*.yaml' ! -name 'study.yaml'); data=() ;;
        feature-matrix)
            fixtures=(\( -path '*/stats/*' -o -path '*/normalization/*' \) \( -name '*.tsv' -o -name '*.csv' \))
            data=(\( -path '*roc_asah/*' -o -path '*exosomal_mirna_case_control/*' \) \( -name '*.tsv' -o -name '*.csv' \)) ;;
        live) fixtures=(-false); data=() ;;
        dpcr)
            fixtures=(\( -path '*/dpcr/*' \) \( -name '*.tsv' -o -name '*.csv' \))
            data=(-path '*/dpcr/*' \( -name '*.tsv' -o -name '*.csv' \)) ;;
        fastq) fixtures=(\( -name '*.fq' -o -name '*.fq.gz' -o -name '*.fastq' -o -name '*.fastq.gz' \)); data=("${fixtures[@]}") ;;
        fasta)
            fixtures=(\( -name '*.fa' -o -name '*.fa.gz' -o -name '*.fasta' \))
            data=(\( -path '*smallrna_references/*' -o -path '*mirbase/*' \) -name '*.fa') ;;
        count-matrix)
            fixtures=(\( -path '*smallrna*' -o -path '*counts*' \) \( -name '*.tsv' -o -name '*.csv' -o -name '*.txt' \))
            data=(-path '*smallRNAseq*' \( -name '*.csv' -o -name '*.txt' \)) ;;
    esac
    find Tests/Fixtures -type f -size -512k "${fixtures[@]}"
    [ -d "Fuzz/seeds/$1" ] && find "Fuzz/seeds/$1" -type f
    if [ -d "$shared" ] && [ ${#data[@]} -gt 0 ]; then find -L "$shared" -type f -size -512k "${data[@]}"; fi
    return 0
}

# The largest input libFuzzer makes: zip archives and NTA exports need room; the text readers find their bugs in small
# tables, and run about four times as many inputs a second at 16 KiB as at 64 KiB (AddressSanitizer on).
max_len() {
    case "$1" in
        live | study-yaml | release-spec) echo 8192 ;;
        rdml | xlsx | particle-size) echo 65536 ;;
        *) echo 16384 ;;
    esac
}

dictionary() {
    case "$1" in
        rdml | xlsx | live | particle-size | fastq) echo "Fuzz/dictionaries/$1.dict" ;;
        study-yaml | release-spec) echo Fuzz/dictionaries/yaml.dict ;;
    esac
}

toolchain=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([^ ]*\).*/\1/p' | head -1)
results=bench/results/fuzz.md
failed=()
mkdir -p .fuzz/logs
for target in "${targets[@]}"; do
    corpus=.fuzz/corpus/$target
    artifacts=.fuzz/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    seeds "$target" | while read -r file; do
        cp "$file" "$corpus/seed-$(sha1sum "$file" | cut -c1-16)"
    done
    before=$(find "$artifacts" -type f | wc -l)
    log=.fuzz/logs/$target-$(date -u +%Y%m%dT%H%M%S).log
    dict=$(dictionary "$target")
    echo "== $target: ${seconds} s, corpus $(find "$corpus" -type f | wc -l) files, log $log"
    status=0
    started=$(date +%s)
    EXOSCOPE_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" "$corpus" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$artifacts/" ${dict:+-dict="$dict"} \
        >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    elapsed=$(sed -n 's/.*Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    # A run that stops at a finding prints no "Done" line: its time is the wall-clock time.
    [ -n "$elapsed" ] || elapsed=$(($(date +%s) - started))
    size=$(find "$corpus" -type f | wc -l)
    found=$(($(find "$artifacts" -type f | wc -l) - before))
    if [ "$status" != 0 ] && [ "$found" = 0 ]; then found=1; fi
    echo "   ${executions:-?} executions, ${rate:-?} exec/s, corpus $size, findings $found"
    if [ "$found" != 0 ]; then
        failed+=("$target")
        grep -m1 -A12 "ERROR: \|Fatal error\|deadly signal\|SUMMARY:" "$log" | sed 's/^/   | /' || true
    fi
    if [ "$record" = 1 ]; then
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%d)" "$toolchain" "$target" \
            "$elapsed" "${executions:-0}" "${rate:-0}" "$size" "$found" >>"$results"
    fi
done

if [ "$record" = 1 ]; then
    # The totals between the markers are recomputed from every row of the runs table.
    python3 - "$results" <<'EOF'
import re, sys
path = sys.argv[1]
text = open(path).read()
totals = {}
for line in text.split("## Runs", 1)[1].splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 8 and cells[3].isdigit():
        seconds, runs, findings = totals.get(cells[2], (0, 0, 0))
        totals[cells[2]] = (seconds + int(cells[3]), runs + int(cells[4]), findings + int(cells[7]))
table = ["| target | seconds | minutes | executions | findings |", "|---|---:|---:|---:|---:|"]
for target, (seconds, runs, findings) in sorted(totals.items()):
    table.append(f"| {target} | {seconds} | {seconds / 60:.1f} | {runs} | {findings} |")
block = "<!-- totals:begin -->\n" + "\n".join(table) + "\n<!-- totals:end -->"
text = re.sub(r"<!-- totals:begin -->.*?<!-- totals:end -->", lambda _: block, text, flags=re.S)
open(path, "w").write(text)
EOF
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: findings in ${failed[*]} (see .fuzz/artifacts/)" >&2
    exit 1
fi
