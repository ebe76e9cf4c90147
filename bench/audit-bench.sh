#!/usr/bin/env bash
# JMH benchmark of the event bus hot path and the audit sink (bench/audit-jmh). Brief by design: the machine is shared.
# Usage: bench/audit-bench.sh [extra JMH args, e.g. -t 2 publish]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/bin/_jdk.sh"
cd "$ROOT"
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
need() { [ -f "$M2/$1" ] || ./mvnw -q -B dependency:get -Dartifact="$2" >&2; echo "$M2/$1"; }
JMH=$(need org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar org.openjdk.jmh:jmh-core:1.37)
GEN=$(need org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar org.openjdk.jmh:jmh-generator-annprocess:1.37)
JOPT=$(need net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar net.sf.jopt-simple:jopt-simple:5.0.4)
MATH=$(need org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar org.apache.commons:commons-math3:3.6.1)
./mvnw -q -B -o -pl core package -DskipTests >&2
./mvnw -q -B -o -pl core dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt >&2
CORE_CP="$ROOT/core/target/classes:$(cat core/target/bench-cp.txt)"
OUT="$ROOT/bench/target/audit-jmh"
rm -rf "$OUT" && mkdir -p "$OUT"
javac --release 21 -proc:full -cp "$CORE_CP:$JMH:$GEN" -processorpath "$JMH:$GEN:$JOPT:$MATH" -d "$OUT" \
  $(find bench/audit-jmh -name '*.java')
exec java -cp "$OUT:$CORE_CP:$JMH:$JOPT:$MATH" org.openjdk.jmh.Main -f 1 -wi 2 -w 2s -i 3 -r 2s "${@:-EventBusBenchmark}"
