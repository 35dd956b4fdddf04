#!/usr/bin/env bash
# README command (1): install, build, start codekgd on an embedded RocksDB in ./data, ingest the
# bundled sample Python project with the codekg CLI, and print the answer of a sample query.
# codekgd keeps running (its pid is in data/codekgd.pid): explore it in a browser, with the CLI
# or with curl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PORT="${CODEKG_PORT:-7420}"
DATA="${CODEKG_DATA:-$ROOT/data}"
URL="http://127.0.0.1:$PORT"

scripts/install-deps.sh
scripts/build.sh codekgd codekg

mkdir -p "$DATA"
if [ -f "$DATA/codekgd.pid" ] && kill -0 "$(cat "$DATA/codekgd.pid")" 2>/dev/null; then
  echo "quickstart: stopping the codekgd started earlier (pid $(cat "$DATA/codekgd.pid"))"
  kill "$(cat "$DATA/codekgd.pid")"
  while kill -0 "$(cat "$DATA/codekgd.pid")" 2>/dev/null; do sleep 0.1; done
fi
nohup build/server/codekgd --data "$DATA" --port "$PORT" >"$DATA/codekgd.log" 2>&1 &
echo $! >"$DATA/codekgd.pid"
for _ in $(seq 1 100); do
  curl -sf "$URL/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$URL/healthz" >/dev/null || { echo "codekgd did not start; see $DATA/codekgd.log"; exit 1; }
echo "codekgd is running at $URL (pid $(cat "$DATA/codekgd.pid"), data in $DATA)"

export CODEKG_URL="$URL"
CLI=build/clients/codekg
echo
echo "== codekg ingest samples/python --graph shop"
"$CLI" ingest samples/python --graph shop

QUERY="MATCH (c:Class)-[:INHERITS]->(b:Class) RETURN c.qualified_name AS subclass, b.name AS base ORDER BY subclass"
echo
echo "== codekg query shop \"$QUERY\""
"$CLI" query shop "$QUERY"
echo
echo "Explore it in a browser at $URL/ , from a terminal with $CLI shell shop ,"
echo "or with curl (README.md). Stop the server with: kill \$(cat $DATA/codekgd.pid)"
