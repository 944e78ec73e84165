# Sourced by the statistics and pipeline benchmarks: strict mode, the repository root, the work folder
# (.build-bench/$bench_topic, default stats), a release build
# of exoscope ($exoscope), R packages from Debian (install_r_package PACKAGE LIBRARY) and time_of.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=${EXOSCOPE_BENCH_WORK:-$PWD/.build-bench/${bench_topic:-stats}}
mkdir -p "$work" bench/results
swift build -c release --product exoscope >/dev/null
exoscope=$(swift build -c release --show-bin-path)/exoscope

# install_r_package DEBIAN_PACKAGE R_LIBRARY: installs the Debian package unless R already loads the library.
install_r_package() {
    if ! Rscript -e "library($2)" >/dev/null 2>&1; then
        $( [ "$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q "$1"
    fi
}

# time_of OUTPUT COMMAND…: runs COMMAND with its standard output in OUTPUT and prints the elapsed seconds.
time_of() {
    local output=$1
    shift
    /usr/bin/time -f %e -o "$work/time" "$@" > "$output"
    tail -1 "$work/time"
}
