#!/usr/bin/env bash
# Local version of CI: format the code, fail if formatting changed anything, then lint and test.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.swift' | xargs -0 swift format format --in-place
git diff --exit-code -- '*.swift'
git ls-files -z '*.swift' | xargs -0 swift format lint --strict
scripts/check-layering.sh
swift build -c release --build-tests --explicit-target-dependency-import-check error
swift test -c release --disable-testable-imports
