#!/usr/bin/env bash
# Checks that no module imports one ARCHITECTURE.md puts above it ("Dependencies point downwards only").
# Usage: scripts/check-layering.sh   (from anywhere; exits 1 and lists every offending import)
#
# The table below is the layering of docs/ARCHITECTURE.md (../shared/design/ARCHITECTURE.md): for each ExoScope
# module, the ExoScope modules it may import. Imports of other modules (Foundation, GRDB, Yams, …) are
# Package.swift's business and are checked by `swift build --explicit-target-dependency-import-check error`.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
    [ExoCore]=""
    [ExoFormats]="ExoCore"
    [ExoStats]="ExoCore ExoFormats"
    [ExoQuant]="ExoCore ExoFormats ExoStats"
    [ExoQC]="ExoCore ExoFormats ExoStats"
    [ExoDiagnosis]="ExoCore ExoFormats ExoStats"
    [ExoMonitor]="ExoCore ExoFormats ExoStats"
    [ExoKnowledge]="ExoCore ExoFormats"
    [ExoReport]="ExoCore ExoFormats ExoStats"
    [ExoStore]="ExoCore ExoFormats"
    [ExoPipeline]="ExoCore ExoFormats ExoStats ExoQuant ExoQC ExoDiagnosis ExoMonitor ExoKnowledge ExoReport ExoStore"
    # The CLI starts the server (`exoscope serve`); both stay thin shells over ExoPipeline.
    [ExoCLI]="ExoCore ExoFormats ExoStats ExoQuant ExoQC ExoDiagnosis ExoMonitor ExoKnowledge ExoReport ExoStore ExoPipeline ExoServer"
    [ExoServer]="ExoCore ExoFormats ExoStats ExoQuant ExoQC ExoDiagnosis ExoMonitor ExoKnowledge ExoReport ExoStore ExoPipeline"
    [exoscope]="ExoCLI"
    [ExoTestSupport]="ExoCore"
)

status=0
for directory in Sources/*/; do
    module=$(basename "$directory")
    case $module in C*) continue ;; esac
    if [[ ! -v allowed[$module] ]]; then
        echo "error: $directory: module $module is not in the layering table of scripts/check-layering.sh" >&2
        status=1
        continue
    fi
    while IFS=: read -r file line text; do
        imported=$(sed -E 's/^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+(struct |class |enum |func |protocol )?([A-Za-z0-9_]+).*/\5/' <<<"$text")
        [[ $imported == Exo* || $imported == exoscope ]] || continue
        [[ $imported == "$module" ]] && continue
        if [[ " ${allowed[$module]} " != *" $imported "* ]]; then
            echo "$file:$line: error: $module imports $imported, which ARCHITECTURE.md puts above or beside it (allowed: ${allowed[$module]:-none})" >&2
            status=1
        fi
    done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]' "$directory" --include='*.swift' || true)
done
if [ $status -eq 0 ]; then echo "layering: every import points downwards"; fi
exit $status
