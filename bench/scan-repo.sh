#!/usr/bin/env bash
# Times `portcullis scan repo` over a generated ~1 GB source tree (issue 6 target: under 60 s).
# Usage: bench/scan-repo.sh [SIZE_MB (default 1024)] [DIR (default /tmp/portcullis-scan-bench)]
# The tree is generated once and reused while its size marker matches; delete DIR to regenerate.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MB="${1:-1024}"
DIR="${2:-/tmp/portcullis-scan-bench}"
. "$ROOT/bin/_jdk.sh"

GEN_VERSION=2
if [ "$(cat "$DIR/.size-mb" 2>/dev/null)" != "$SIZE_MB v$GEN_VERSION" ]; then
  echo "generating ~${SIZE_MB} MB tree under $DIR ..." >&2
  rm -rf "$DIR"
  python3 "$ROOT/bench/scan-repo-gen.py" "$DIR" "$SIZE_MB"
  echo "$SIZE_MB v$GEN_VERSION" > "$DIR/.size-mb"
fi
du -sh --apparent-size "$DIR" >&2
echo "files: $(find "$DIR" -type f | wc -l)" >&2

JAR="$ROOT/app/target/portcullis-app.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT" -path "$ROOT/bench" -prune -o -name '*.java' -newer "$JAR" -print -quit)" ]; then
  echo "building app (package, tests skipped) ..." >&2
  (cd "$ROOT" && ./mvnw -q -B -o -pl app -am package -DskipTests >&2)
fi
# Drop nothing from the page cache (not root-safe on shared machines): the first run reads from disk,
# later runs from cache; both are printed when RUNS > 1.
for i in $(seq 1 "${RUNS:-1}"); do
  start=$(date +%s.%N)
  set +e
  "$JAVA_HOME/bin/java" ${PORTCULLIS_JAVA_OPTS:-} -cp "$JAR:$ROOT/app/target/lib/*" io.portcullis.app.Main scan repo "$DIR" > /tmp/portcullis-scan-bench.out
  rc=$?
  set -e
  end=$(date +%s.%N)
  echo "run $i: exit=$rc wall=$(echo "$end - $start" | bc) s findings=$(wc -l < /tmp/portcullis-scan-bench.out)" >&2
done
