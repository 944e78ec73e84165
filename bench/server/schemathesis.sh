#!/usr/bin/env bash
# Fuzzes the server's API from its OpenAPI document with schemathesis (PyPI): the demo study in a temporary folder,
# an admin token, every operation with schemathesis's checks (no 500s, status codes and bodies as documented,
# 405 for undeclared methods, …). Writes bench/results/server-schemathesis.md.
#
#   EXOSCOPE=/path/to/exoscope bench/server/schemathesis.sh [--examples N]
#
# POST …/live takes NDJSON, which schemathesis cannot generate; LiveHTTPTests and the live reader's fuzz target
# cover it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
EXAMPLES=100
while [ $# -gt 0 ]; do
  case "$1" in
    --examples) EXAMPLES="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
: "${EXOSCOPE:?set EXOSCOPE to the exoscope executable (a release build)}"
VENV="${SCHEMATHESIS_VENV:-/tmp/exoscope-schemathesis}"
[ -x "$VENV/bin/schemathesis" ] || { python3 -m venv "$VENV"; "$VENV/bin/pip" -q install schemathesis==4.32.5; }
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cd "$WORK"
"$EXOSCOPE" demo >/dev/null
DB=exoscope-demo/exoscope.sqlite
echo "schemathesis-admin-password" | "$EXOSCOPE" user add fuzz-admin --role admin --password-stdin --database "$DB" >/dev/null
TOKEN=$("$EXOSCOPE" user token fuzz-admin --days 1 --database "$DB")
"$EXOSCOPE" serve --study exoscope-demo/study --database "$DB" --port "$PORT" --log-level error >server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
# The demo study's id, an alert and a live run that exist, so that the study routes are reached beyond their 404.
"$EXOSCOPE" chip simulate --study exoscope-demo/study --database "$DB" --run CHIP-FUZZ \
  | "$EXOSCOPE" live ingest --study exoscope-demo/study --database "$DB" -q >/dev/null
printf '[parameters]\n"path.study" = "NSCLC-EXO-DEMO"\n"path.run" = "CHIP-FUZZ"\n"path.alert" = "1"\n' > schemathesis.toml
set +e
"$VENV/bin/schemathesis" --config-file schemathesis.toml run "$ROOT/Sources/ExoServer/Resources/openapi.json" -u "http://127.0.0.1:$PORT" \
  -H "Authorization: Bearer $TOKEN" -n "$EXAMPLES" --generation-deterministic \
  --exclude-path '/api/v1/studies/{study}/live' > schemathesis.txt 2>&1
STATUS=$?
set -e
SUMMARY=$(sed -n '/= SUMMARY =/,$p' schemathesis.txt)
SERVER_ERRORS=$(grep -c '"status":500' server.log || true)
{
  echo "# The server's API fuzzed from its OpenAPI document (schemathesis)"
  echo
  echo "\`bench/server/schemathesis.sh\` ($(date -u +%Y-%m-%d)): schemathesis $("$VENV/bin/schemathesis" --version | awk '{print $NF}'),"
  echo "ExoScope $("$EXOSCOPE" --version), the demo study, an admin token, $EXAMPLES examples an operation,"
  echo "deterministic generation, every default check, path parameters set to the demo study, its alert 1 and a"
  echo "live run ingested first. POST …/live (NDJSON) is left to LiveHTTPTests."
  echo
  echo "Exit status: $STATUS (0: no failure). 500s in the server log: $SERVER_ERRORS."
  echo
  echo '```'
  echo "$SUMMARY"
  echo '```'
} > "$ROOT/bench/results/server-schemathesis.md"
cat "$ROOT/bench/results/server-schemathesis.md"
exit $STATUS
