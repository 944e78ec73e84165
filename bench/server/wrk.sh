#!/usr/bin/env bash
# The server under load: wrk (Debian) against `exoscope serve` over the demo study on loopback, beside a bare
# Hummingbird handler (bench/server/ceiling, the ceiling) on the same machine, one after the other, each for a fixed
# time. Writes bench/results/server-wrk.md: requests/s and latency percentiles per route, and each as a share of the
# ceiling's requests/s.
#
#   EXOSCOPE=/path/to/exoscope bench/server/wrk.sh [--seconds N] [--connections N]
#
# The ceiling is built here with EXOSCOPE_BENCH=1 (a target Package.swift adds only then).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SECONDS_EACH=10
CONNECTIONS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2;;
    --connections) CONNECTIONS="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
: "${EXOSCOPE:?set EXOSCOPE to the exoscope executable (a release build)}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
(cd "$ROOT" && EXOSCOPE_BENCH=1 swift build -c release --product exoscope-ceiling >/dev/null)
CEILING="$ROOT/.build/release/exoscope-ceiling"
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port); CPORT=$(free_port)
cd "$WORK"
"$EXOSCOPE" demo >/dev/null
DB=exoscope-demo/exoscope.sqlite
echo "wrk-admin-password-long" | "$EXOSCOPE" user add bench --role admin --password-stdin --database "$DB" >/dev/null
TOKEN=$("$EXOSCOPE" user token bench --days 1 --database "$DB")
"$EXOSCOPE" serve --study exoscope-demo/study --database "$DB" --port "$PORT" --log-level error >server.log 2>&1 &
SERVER=$!
"$CEILING" "$CPORT" >ceiling.log 2>&1 &
CEIL=$!
trap 'kill $SERVER $CEIL 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$CPORT/" >/dev/null && break; sleep 0.2; done

STUDY=NSCLC-EXO-DEMO
run() { # label, url, [auth]
  local header=()
  [ "${3:-}" = auth ] && header=(-H "Authorization: Bearer $TOKEN")
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "${header[@]}" "$2" > "wrk-$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "wrk-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "wrk-$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "wrk-$1.txt")
  local errors
  errors=$(sed -n 's/.*Socket errors: //p' "wrk-$1.txt")
  echo "$1|$rps|$p50|$p99|$(grep -c 'Non-2xx' "wrk-$1.txt" || true)|${errors:-none}"
}
ROWS=()
ROWS+=("$(run ceiling "http://127.0.0.1:$CPORT/")")
ROWS+=("$(run health "http://127.0.0.1:$PORT/health")")
ROWS+=("$(run api-study "http://127.0.0.1:$PORT/api/v1/studies/$STUDY" auth)")
ROWS+=("$(run api-samples "http://127.0.0.1:$PORT/api/v1/studies/$STUDY/samples?limit=50" auth)")
ROWS+=("$(run dashboard-studies "http://127.0.0.1:$PORT/" auth)")
ROWS+=("$(run dashboard-report "http://127.0.0.1:$PORT/studies/$STUDY" auth)")
CEIL_RPS=$(echo "${ROWS[0]}" | cut -d'|' -f2)
{
  echo "# The server under load: wrk against exoscope serve, beside a bare Hummingbird handler"
  echo
  echo "\`bench/server/wrk.sh\` ($(date -u +%Y-%m-%d)): $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), ExoScope"
  echo "$("$EXOSCOPE" --version), Hummingbird 2.28.1; the demo study; wrk -t2 -c$CONNECTIONS -d${SECONDS_EACH}s on loopback, one"
  echo "route after the other, server and wrk sharing the machine's $(nproc) cores. Authenticated routes send an admin's"
  echo "bearer token (a token lookup and a SHA-256 per request); reads of patient-level data (samples, the report"
  echo "page) write an audit entry each, as in production."
  echo
  echo "| route | requests/s | p50 | p99 | share of the ceiling's requests/s | socket errors |"
  echo "|---|---:|---:|---:|---:|---|"
  for row in "${ROWS[@]}"; do
    IFS='|' read -r label rps p50 p99 non2xx errors <<<"$row"
    share=$(python3 -c "print(f'{$rps / $CEIL_RPS:.3f}')")
    note=""; [ "$non2xx" != 0 ] && note=" (non-2xx answers!)"
    echo "| $label$note | $rps | $p50 | $p99 | $share | $errors |"
  done
  echo
  echo "ceiling: the bare handler's \`GET /\` (fixed 15-byte JSON body, no middleware); health: \`GET /health\` through"
  echo "every middleware and a store read; api-study: \`GET /api/v1/studies/$STUDY\`; api-samples: 50 samples, audited;"
  echo "dashboard-studies: \`GET /\`; dashboard-report: the study's whole report page (about 1 MB), rendered per request."
  echo "Live ingest over HTTP is not measured here yet. wrk's timeout is 2 s: a route slower than that shows its"
  echo "timeouts under socket errors and no latencies."
} > "$ROOT/bench/results/server-wrk.md"
cat "$ROOT/bench/results/server-wrk.md"
