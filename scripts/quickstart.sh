#!/usr/bin/env bash
# README command (1): install, build, start codekgd on an embedded RocksDB in ./data, ingest the
# bundled sample Python project, and print the answer of a sample query. codekgd keeps running
# (its pid is in data/codekgd.pid) so you can go on querying it with curl.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PORT="${CODEKG_PORT:-7420}"
DATA="${CODEKG_DATA:-$ROOT/data}"
URL="http://127.0.0.1:$PORT"

scripts/install-deps.sh
scripts/build.sh codekgd

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

echo
echo "== ingest samples/python into graph 'shop'"
curl -sS -X POST "$URL/v1/graphs/shop/ingest" -H 'Content-Type: application/json' \
  -d "{\"path\": \"$ROOT/samples/python\"}" | python3 -c '
import json, sys
r = json.load(sys.stdin)
if "error" in r: sys.exit("ingest failed: " + json.dumps(r["error"]))
rep = r["report"]
print("files parsed: %d, nodes: %d, edges: %d" % (rep["files_parsed"], rep["nodes_written"], rep["edges_written"]))'

QUERY="MATCH (c:Class)-[:INHERITS]->(b:Class) RETURN c.qualified_name AS subclass, b.name AS base ORDER BY subclass"
echo
echo "== query: $QUERY"
curl -sS -X POST "$URL/v1/graphs/shop/query" -H 'Content-Type: application/json' \
  -d "{\"query\": \"$QUERY\"}" | python3 -c '
import json, sys
r = json.load(sys.stdin)
if "error" in r: sys.exit("query failed: " + json.dumps(r["error"]))
cols = r["columns"]
rows = [[str(v) for v in row] for row in r["rows"]]
w = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(cols)]
print("  ".join(c.ljust(w[i]) for i, c in enumerate(cols)))
print("  ".join("-" * x for x in w))
for row in rows: print("  ".join(v.ljust(w[i]) for i, v in enumerate(row)))
print("(%d rows, %.2f ms)" % (len(rows), r["stats"]["exec_ms"]))'
echo
echo "Stop the server with: kill \$(cat $DATA/codekgd.pid)"
