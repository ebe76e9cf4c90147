#!/usr/bin/env bash
# DLP throughput (JMH) on the labelled corpus with every built-in detector on, 10 vendor rules vs all.
# Prints MB/s per benchmark. Optional: --compare runs secretlint and redact-pii on the same bytes (bench/dlp-compare.sh).
# Brief by design (the machine is shared): 1 fork, 3x2s warm-up, 5x2s measurement.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. bin/_jdk.sh
[ -f bench/dlp-corpus/corpus.jsonl ] || (cd bench/dlp-corpus && python3 make_corpus.py 1000 corpus.jsonl)
./mvnw -q -B -o -pl inspect -am test-compile >&2 || ./mvnw -q -B -pl inspect -am test-compile >&2
CP_FILE="$ROOT/inspect/target/dlp-bench.classpath"
./mvnw -q -B -o -pl inspect dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >&2
CP="$ROOT/inspect/target/test-classes:$ROOT/inspect/target/classes:$ROOT/core/target/classes:$(cat "$CP_FILE")"
OUT="$ROOT/inspect/target/dlp-jmh.json"
java -cp "$CP" org.openjdk.jmh.Main 'io.portcullis.inspect.dlp.bench.DlpBenchmark' \
  -jvmArgsAppend "-Ddlp.corpus=$ROOT/bench/dlp-corpus/corpus.jsonl" -rf json -rff "$OUT" "$@" >&2
BYTES=$(python3 -c "
import json
n=0
for l in open('$ROOT/bench/dlp-corpus/corpus.jsonl'):
    n+=len(json.loads(l)['payload'].encode())+1
print(n)")
python3 - "$OUT" "$BYTES" <<'PY'
import json, sys
res = json.load(open(sys.argv[1])); size = int(sys.argv[2])
print("DLP throughput on the corpus (%d bytes per op), one thread:" % size)
for r in res:
    m = r["primaryMetric"]
    print("  %-12s vendorRules=%-4s %8.1f MB/s  (±%.1f)" % (r["benchmark"].rsplit(".", 1)[1], r["params"]["vendorRules"],
          m["score"] * size / 1e6, m["scoreError"] * size / 1e6))
PY
if [ "${1:-}" = "--compare" ]; then bash bench/dlp-compare.sh; fi
