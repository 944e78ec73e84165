#!/usr/bin/env bash
# Install the small-RNA peers, idempotently (a second run changes nothing and takes seconds).
#
#   Debian:  bowtie (v1, 1.3.1), samtools (1.16.1), time (GNU time, for measure.py), pigz
#   PyPI, in bench/smallrna/.venv (gitignored), pinned:
#     cutadapt 5.2
#     mirtop 0.4.30 (+ pysam, pybedtools, six: imported by mirtop but not declared by it)
#     mirge3 0.1.4 (miRge3.0), with pandas < 3 (miRge3 was written for pandas 1.x; 2.3.3 and 3.1.1
#       give identical counts here, 2.x only warns where 3.x raises ChainedAssignmentError warnings)
#     mirge-build 0.0.1 with --no-deps (it pins biopython 1.77, scikit-learn 0.23.1, scipy 1.4.1,
#       none of which builds on Python 3.11; build_mirge_library.py only uses two of its functions)
#   .venv/shim/samtools: Debian's `samtools --version` prints a Latin-1 byte that miRge3's version
#     check cannot decode (UnicodeDecodeError); the shim strips it. Pass `-psam .venv/shim`.
#   .venv/mirge-lib/human: miRge3's human miRBase library, built offline by build_mirge_library.py
#     (the authors' download site is out of reach).
#   .venv/versions.txt: what is installed.
#
# Environment: SMALLRNA_VENV (default bench/smallrna/.venv), PYTHON (default python3).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${SMALLRNA_VENV:-$HERE/.venv}"
PYTHON="${PYTHON:-python3}"

need_apt=()
for p in bowtie samtools time pigz; do
  dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip -q --disable-pip-version-check)
want=(cutadapt==5.2 mirtop==0.4.30 pysam==0.24.1 pybedtools==0.12.1 six==1.17.0 mirge3==0.1.4 "pandas<3")
missing=0
"$VENV/bin/python" - "${want[@]}" <<'EOF' || missing=1
import sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
    if "==" in spec:
        name, v = spec.split("==")
        try:
            if version(name) != v: sys.exit(1)
        except PackageNotFoundError:
            sys.exit(1)
    else:
        name = spec.split("<")[0]
        try:
            if int(version(name).split(".")[0]) >= int(spec.split("<")[1]): sys.exit(1)
        except PackageNotFoundError:
            sys.exit(1)
EOF
if [ "$missing" = 1 ]; then
  "${PIP[@]}" install "${want[@]}"
fi
"$VENV/bin/python" -c 'import mirge_build' 2>/dev/null || "${PIP[@]}" install --no-deps mirge-build==0.0.1

mkdir -p "$VENV/shim"
cat > "$VENV/shim/samtools" <<'EOF'
#!/bin/sh
# Debian's samtools --version prints the build path in Latin-1 guillemets, which miRge3's
# subprocess(text=True) cannot decode; every other call passes through untouched.
if [ "$1" = "--version" ]; then /usr/bin/samtools --version | LC_ALL=C tr -cd '\11\12\15\40-\176'; exit 0; fi
exec /usr/bin/samtools "$@"
EOF
chmod +x "$VENV/shim/samtools"

if [ ! -s "$VENV/mirge-lib/human/index.Libs/human_mirna_miRBase.1.ebwt" ]; then
  "$VENV/bin/python" -W ignore "$HERE/build_mirge_library.py" "$VENV/mirge-lib"
fi

{
  echo "# installed by install_peers.sh on $(date -u +%Y-%m-%d)"
  echo "python $("$VENV/bin/python" -c 'import platform; print(platform.python_version())')"
  echo "bowtie $(bowtie --version | head -1 | awk '{print $NF}') (Debian $(dpkg-query -W -f='${Version}' bowtie))"
  echo "samtools $(dpkg-query -W -f='${Version}' samtools) (Debian)"
  echo "time $(dpkg-query -W -f='${Version}' time) (Debian)"
  echo "cutadapt $("$VENV/bin/cutadapt" --version)"
  "$VENV/bin/python" -m pip --disable-pip-version-check freeze | grep -i -E '^(mirtop|mirge3|miRge-build|pandas|numpy|biopython|pysam|pybedtools|dnaio|xopen|isal)=='
} > "$VENV/versions.txt"
cat "$VENV/versions.txt"
