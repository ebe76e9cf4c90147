# Sourced by bin/ scripts: finds a JDK >= 21 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME, then `java` on PATH, then Debian's /usr/lib/jvm.
_portcullis_java_major() { # $1 = path to java binary
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
_portcullis_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")" 2>/dev/null)" 2>/dev/null)" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(_portcullis_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  return 1
}
if ! PORTCULLIS_JDK=$(_portcullis_find_jdk); then
  echo "portcullis: no JDK 21 or newer found (looked at JAVA_HOME, javac on PATH, /usr/lib/jvm/*)." >&2
  echo "portcullis: install one, e.g. 'apt-get install openjdk-21-jdk-headless', or set JAVA_HOME." >&2
  exit 3
fi
export JAVA_HOME="$PORTCULLIS_JDK"
PORTCULLIS_JAVA_MAJOR=$(_portcullis_java_major "$JAVA_HOME/bin/java")
export PORTCULLIS_JAVA_MAJOR
# Maven's bundled Guice calls sun.misc.Unsafe; JDK 24+ warns about it on every run.
if [ "$PORTCULLIS_JAVA_MAJOR" -ge 24 ] 2>/dev/null; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
export PATH="$JAVA_HOME/bin:$PATH"
