# Sourced by the qPCR benchmark scripts: strict mode, the repository root as working directory, where the
# shared data and the work folder are, and a release build of exoscope ($exoscope).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
shared=${EXOSCOPE_SHARED_DATA:-$root/../shared/data}
work=${EXOSCOPE_BENCH_WORK:-$root/.build-bench/qpcr}
mkdir -p "$work" bench/results
swift build -c release --product exoscope >/dev/null
exoscope=$(swift build -c release --show-bin-path)/exoscope
