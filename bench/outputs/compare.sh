#!/usr/bin/env bash
# Runs every exoscope command on the demo study and on the bench inputs with two builds and says which outputs
# differ: what a user sees (standard output, standard error, exit code and every file a command writes), never
# the SQLite files themselves.
#
#   bench/outputs/compare.sh A B            A and B: an exoscope binary, a git revision (built with
#                                           `swift build -c release` in a temporary worktree) or a folder
#                                           recorded before; prints the commands whose outputs differ
#   bench/outputs/compare.sh record A DIR   records A's outputs into DIR (a baseline to keep outside the repo)
#   bench/outputs/compare.sh diff DIR1 DIR2 compares two recorded folders
#
# Environment: EXOSCOPE_SHARED_DATA (default ../shared/data: its files are used when present),
# EXOSCOPE_COMPARE_WORK (scratch, default a temporary folder), COMPARE_KEEP=1 keeps the scratch and the
# recordings made for A and B. Exit status: 0 when nothing differs, 1 when something does, 2 on misuse.
#
# Normalised before comparing (see normalise below):
#   - the scratch folder's absolute path becomes <WORK> (every run has its own scratch folder);
#   - time stamps of the run itself: ISO 8601 date-times and dates of today in the report, the release
#     certificate, `status` and `alerts` (import times, the audit log, the certificate's issue date), and the
#     `live ingest --timings` latencies, which are wall-clock measurements (their column is dropped);
# nothing else, so every number an analysis prints is compared to the last digit.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${EXOSCOPE_SHARED_DATA:-$root/../shared/data}

usage() { sed -n '5,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# A binary for A: itself, or a revision built in a temporary worktree.
binary_of() {
    local spec=$1 scratch=$2
    if [ -x "$spec" ] && [ -f "$spec" ]; then (cd "$(dirname "$spec")" && echo "$PWD/$(basename "$spec")"); return; fi
    local rev
    rev=$(git -C "$root" rev-parse --verify --quiet "$spec^{commit}") || { echo "not a binary, folder or revision: $spec" >&2; exit 2; }
    local tree=$scratch/build-${rev:0:12}
    echo "building $spec (${rev:0:12}) in $tree (swift build -c release)" >&2
    git -C "$root" worktree add --detach --quiet "$tree" "$rev"
    (cd "$tree" && swift build -c release --product exoscope >"$scratch/build-${rev:0:12}.log" 2>&1) \
        || { echo "build of $spec failed: $scratch/build-${rev:0:12}.log" >&2; exit 1; }
    local bin
    bin="$(cd "$tree" && swift build -c release --show-bin-path)/exoscope"
    cp "$bin" "$scratch/exoscope-${rev:0:12}"
    git -C "$root" worktree remove --force "$tree"
    echo "$scratch/exoscope-${rev:0:12}"
}

# Inputs: copies of the fixtures, the bench generators' output at small sizes with fixed seeds, shared data.
prepare_inputs() {
    local in=$1
    mkdir -p "$in/gen"
    cp -R "$root/Tests/Fixtures/." "$in/fixtures"
    python3 "$root/bench/stats/make_matrix.py" "$in/gen/matrix.tsv" 40 60 7 0.05 2>/dev/null
    python3 "$root/bench/stats/make_matrix.py" "$in/gen/matrix-full.tsv" 25 30 8 2>/dev/null
    python3 "$root/bench/stats/make_correlated_matrix.py" "$in/gen/correlated.tsv" 60 50 11 2>/dev/null
    if python3 -c 'import numpy' 2>/dev/null; then
        python3 "$root/bench/stats/make_counts.py" "$in/gen/counts.tsv" 60 16 3 2>/dev/null
    fi
    if [ -d "$shared" ]; then
        mkdir -p "$in/shared"
        local dir
        for dir in rdml dpcr nta qpcr_instrument_exports roc_asah; do
            [ -d "$shared/$dir" ] && cp -R "$shared/$dir" "$in/shared/"
        done
        local python=${COMPARE_PYTHON:-}
        if [ -z "$python" ]; then
            if python3 -c 'import lxml' 2>/dev/null; then python=python3
            elif [ -x "$root/.build-bench/outputs/venv/bin/python" ]; then python=$root/.build-bench/outputs/venv/bin/python
            else
                python3 -m venv "$root/.build-bench/outputs/venv" && "$root/.build-bench/outputs/venv/bin/pip" install -q lxml \
                    && python=$root/.build-bench/outputs/venv/bin/python || python=
            fi
        fi
        local untergasser=$shared/rdml/rdmlpython_untergasser
        if [ -n "$python" ] && [ -f "$untergasser/quantification_methods.rdml" ]; then
            for seed in 1 2; do
                "$python" "$root/bench/qpcr/make_synthetic_rdml.py" "$untergasser/quantification_methods.rdml" "$in/gen/qm_$seed.rdml" $seed
            done
        else
            echo "note: no synthetic RDML (needs lxml and $untergasser)" >&2
        fi
    fi
    python3 "$root/bench/qpcr/make_chip_rdml.py" "$in/gen/chip.rdml" 7 2>/dev/null || true
    # The study of LiveCommandTests: three monitored patients, four visits, a runs: folder.
    mkdir -p "$in/live-study"
    printf 'schema: 1\nid: LIVE-CLI\ntitle: Live command test\nspecimen: serum\nanalytes:\n  monitored: [miR-21, miR-4458]\nmonitoring:\n  withinSubjectSD: 0.3\nruns:\n  folder: runs\n' >"$in/live-study/study.yaml"
    {
        printf 'sample_id\tpatient_id\tgroup\tday\n'
        for p in 1 2 3; do v=1; for d in 0 28 56 84; do printf 'P%s-V%s\tP%s\tcase\t%s\n' $p $v $p $d; v=$((v + 1)); done; done
    } >"$in/live-study/samples.tsv"
    # lung.tsv with a sample column and a covariate that separates (as StatsInputTests builds it), and two
    # perfect markers (AUC 1 both).
    awk -F'\t' 'BEGIN { OFS = "\t" } NR == 1 { print "sample", $0, "sep"; next } { print "P" NR - 1, $0, ($2 == 2 ? 1 : 0) }' \
        "$root/Tests/Fixtures/stats/lung.tsv" >"$in/lung.tsv"
    { printf 'sample\tgroup\ta\tb\n'; for i in 0 1 2 3 4; do printf 'T%s\tt\t%s\t%s\nH%s\th\t%s\t%s\n' $i $((6 + i)) $((16 + i)) $i $((1 + i)) $((11 + i)); done; } >"$in/perfect.tsv"
    # Public cargo tables in their published layouts (the tables of KnowledgeImportTests).
    mkdir -p "$in/knowledge"
    printf 'CONTENT ID\tCONTENT TYPE\tMIRNA ID\tSPECIES\tEXPERIMENT ID\tMETHODS\n1\tmiRNA\tmiR-21\tHomo sapiens\t182\tMicroarray\n2\tmiRNA\tlet-7a\tMus musculus\t75\tqRT-PCR\n3\tmiRNA\tmiR-150*\tHomo sapiens\t182\tMicroarray\n4\tmiRNA\tmiR-99999\tHomo sapiens\t182\tMicroarray\n5\tmiRNA\tmiR-21\tHomo sapiens\t182\tMicroarray\n' >"$in/knowledge/EXOCARTA_MIRNA_DETAILS_5.txt"
    printf 'category\tmir\tdisease\tpmid\tdescription\ncirculation_biomarker_diagnosis_up\thsa-mir-21\tCarcinoma, Hepatocellular\t21749846\tSerum miR-21 was raised in HCC.\ncirculation_biomarker_prognosis_down\thsa-mir-4458\tCarcinoma, Non-Small-Cell Lung\t30000001\tLow miR-4458 predicted poor survival.\ngenetics_knock down_promote\thsa-mir-16\tHeart Failure\t123\tNot a tumour.\n' >"$in/knowledge/alldata.txt"
    printf 'CONTENT ID\tCONTENT TYPE\tENTREZ GENE ID\tGENE SYMBOL\tSPECIES\tEXPERIMENT ID\tMETHODS\n2616\tprotein\t1\tA1BG\tHomo sapiens\t63\tMass spectrometry\n632982\tProtein\t1\tCD63\tHomo sapiens\t1837\tMass spectrometry|Western blotting\n7\tprotein\t3\t-\tHomo sapiens\t1\tMass spectrometry\n' >"$in/knowledge/VESICLEPEDIA_PROTEIN_MRNA_DETAILS_5.1.txt"
    # QC series (the tables of QCCommandTests).
    { printf 'run\tconcentration_per_ml\n'; for r in $(seq 1 20); do printf 'R%s\t%s\n' $r $(( r % 2 == 0 ? 101 : 99 )); done; printf 'R21\t105.2\n'; } >"$in/runs.tsv"
    { printf 'condition\tmonths\tconcentration\n'; paste <(printf '%s\n' 0 1 2 3 6 9 12) <(printf '%s\n' 10.2 10.0 9.9 9.7 9.3 8.8 8.5) | sed 's/^/4 °C\t/'; } >"$in/stability.tsv"
}

# Runs one command: c NAME [--copy-demo] [--copy PATH]… [--stdin FILE] -- ARGUMENTS (an @ in an argument is the command's
# own output folder, out/NAME; --copy-demo copies the demo's study and database into it first, --copy PATH
# copies PATH into it). Records stdout, stderr, the exit code and the files written into out/NAME.
c() {
    local name=$1; shift
    local copies=() stdin=/dev/null
    while [ "$1" != "--" ]; do
        case $1 in
            --copy-demo) copies+=(out/demo/study out/demo/exoscope.sqlite) ;;
            --copy) copies+=("$2"); shift ;;
            --stdin) stdin=$2; shift ;;
        esac
        shift
    done
    shift
    local out=out/$name rec=$record/$name
    mkdir -p "$out" "$rec"
    if [ ${#copies[@]} -gt 0 ]; then cp -R "${copies[@]}" "$out/"; touch "$work/.stamp"; sleep 0.01; fi
    local args=() arg
    for arg in "$@"; do args+=("${arg//@/$out}"); done
    local status=0
    "$exoscope" "${args[@]}" <"$stdin" >"$rec/stdout" 2>"$rec/stderr" || status=$?
    echo "$status" >"$rec/exit"
    printf '%s\n' "${args[@]}" >"$rec/command"
    # Files the command wrote (never the database).
    (cd "$out" && find . -type f ! -name '*.sqlite' ! -name '*.sqlite-*' ! -name '.exoscope-watch.json' -newer "$work/.stamp" 2>/dev/null) \
        | sort | while read -r file; do
            mkdir -p "$rec/files/$(dirname "$file")"
            cp "$out/$file" "$rec/files/$file"
        done
    touch "$work/.stamp"
    sleep 0.01
}

# The normalisation of the header, on every recorded stdout, stderr and file: the scratch path; a time stamp of
# today (ISO 8601 date-time, as the report's header and import times, `status`, `alerts` and the audit print
# them) and today's date (the release certificate's issue date); the milliseconds column of a --timings file.
normalise() {
    local record=$1 work=$2 today=$3
    find "$record" -type f \( -name stdout -o -name stderr -o -path '*/files/*' \) -print0 \
        | xargs -0 sed -i -E -e "s#$work#<WORK>#g" \
            -e "s/${today}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z?/<TIME>/g" -e "s/${today}/<DATE>/g"
    find "$record" -path '*/files/*' -name 'timings.tsv' -print0 \
        | xargs -0 -r sed -i -E 's/^([0-9]+)\t[0-9.e+-]+\t/\1\t<MS>\t/'
}

record() {
    exoscope=$1 record=$2
    mkdir -p "$record"
    record=$(cd "$record" && pwd)
    today=$(date -u +%Y-%m-%d)
    work=$(mktemp -d "${EXOSCOPE_COMPARE_WORK:-${TMPDIR:-/tmp}}/exoscope-outputs.XXXXXX")
    echo "recording $exoscope into $record (scratch $work)" >&2
    prepare_inputs "$work/in"
    touch "$work/.stamp"
    sleep 0.01
    (
        cd "$work"
        export EXOSCOPE_ACTOR=compare TZ=UTC LC_ALL=C.UTF-8 EXOSCOPE_DATABASE=
        source "$here/commands.sh"
    )
    "$exoscope" --version >"$record/.exoscope-version" 2>&1 || true
    # The scratch path and the run's own time stamps (see the header).
    normalise "$record" "$work" "$today"
    if [ "${COMPARE_KEEP:-0}" != 1 ]; then rm -rf "$work"; fi
}

compare_dirs() {
    local a=$1 b=$2 differ=0 name
    for name in $( (cd "$a" && ls; cd "$b" && ls) | sort -u); do
        if [ ! -d "$a/$name" ] || [ ! -d "$b/$name" ]; then
            echo "only in one run: $name"; differ=1; continue
        fi
        if [ -n "$(diff -rq "$a/$name" "$b/$name" 2>&1)" ]; then
            echo "differs: $name ($(diff -rq "$a/$name" "$b/$name" 2>&1 | sed -e "s#$a/$name/##" -e 's#^Files \([^ ]*\) .*#\1#' -e 's#^Only in .*: #only one: #' | tr '\n' ' '))"
            differ=1
        fi
    done
    local total
    total=$( (cd "$a" && ls; cd "$b" && ls) | sort -u | wc -l)
    if [ $differ = 0 ]; then echo "all $total commands identical"; fi
    return $differ
}

case ${1:-} in
    record) [ $# = 3 ] || usage; record "$(binary_of "$2" "$(mktemp -d)")" "$3" ;;
    diff) [ $# = 3 ] || usage; compare_dirs "$2" "$3" ;;
    -h|--help|"") usage ;;
    *)
        [ $# = 2 ] || usage
        scratch=$(mktemp -d "${TMPDIR:-/tmp}/exoscope-compare.XXXXXX")
        dirs=()
        for side in "$1" "$2"; do
            if [ -d "$side" ] && [ -f "$side/.exoscope-version" ]; then dirs+=("$side"); continue; fi
            recording=$scratch/record-${#dirs[@]}
            record "$(binary_of "$side" "$scratch")" "$recording"
            dirs+=("$recording")
        done
        status=0
        compare_dirs "${dirs[0]}" "${dirs[1]}" || status=$?
        if [ "${COMPARE_KEEP:-0}" = 1 ]; then echo "recordings kept in $scratch" >&2; else rm -rf "$scratch"; fi
        exit $status
        ;;
esac
