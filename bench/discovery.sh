#!/usr/bin/env bash
# Learning speed and memory from Portcullis audit logs (ECS JSON lines, ~530 bytes each, 5,000 operations).
#   bench/discovery.sh throughput [LINES] [ROUNDS]  parse + learn LINES pre-rendered lines ROUNDS times on one pinned
#                                                   core; prints wall-clock and thread-CPU requests/s
#   bench/discovery.sh heap [REQUESTS] [HOSTS]      stream REQUESTS generated lines over HOSTS x 100 operations with
#                                                   -Xmx256m; prints heap used after GC every 10%
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. bin/_jdk.sh
./mvnw -q -B -o -pl discovery -am test-compile >&2
./mvnw -q -B -o -pl discovery dependency:build-classpath -Dmdep.outputFile="$ROOT/discovery/target/bench.cp" -Dmdep.includeScope=test >&2
CP="discovery/target/classes:discovery/target/test-classes:$(cat discovery/target/bench.cp)"
MODE="${1:-throughput}"
PIN=()
command -v taskset >/dev/null 2>&1 && PIN=(taskset -c 0)
case "$MODE" in
  throughput) exec "${PIN[@]}" "$JAVA_HOME/bin/java" -Xmx2g -Dslf4j.internal.verbosity=ERROR -cp "$CP" \
                io.portcullis.discovery.traffic.AuditLogLearningBench throughput "${2:-500000}" "${3:-5}" ;;
  heap) exec "$JAVA_HOME/bin/java" -Xmx256m -Dslf4j.internal.verbosity=ERROR -cp "$CP" \
                io.portcullis.discovery.traffic.AuditLogLearningBench heap "${2:-10000000}" "${3:-50}" ;;
  *) echo "usage: bench/discovery.sh throughput [LINES] [ROUNDS] | heap [REQUESTS] [HOSTS]" >&2; exit 2 ;;
esac
