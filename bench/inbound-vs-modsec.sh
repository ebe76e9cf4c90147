#!/usr/bin/env bash
# Inbound protection throughput: requests per second of Portcullis with inbound protection on (threat scanning of
# every response string and header, contract validation of the response against the vendor's OpenAPI spec, and
# structural limits, all blocking) versus Apache httpd + ModSecurity v2 + OWASP CRS (Debian packages) with response
# body inspection on (SecResponseBodyAccess On, application/json among the response MIME types), both as reverse
# proxies in front of the SAME upstream (nginx) answering the SAME realistic JSON response (a 5.4 KB page of
# charges, bench/inbound-bench/charges.json, multilingual names and addresses).
#
# Each proxy runs alone, pinned to core 1 (taskset -c 1: Portcullis with one event-loop worker, Apache mpm_event with
# one process); wrk and the upstream share core 0. Both see the same request (GET /acme/v1/charges?limit=5 with an
# X-Portcullis-Key header). Prints requests/s and p50/p99 latency for each and the ratio (target >= 10x).
# Installs apache2 libapache2-mod-security2 modsecurity-crs nginx wrk from Debian if absent (needs root).
#
# Usage: bench/inbound-vs-modsec.sh [duration-seconds=15] [connections=50] [paranoia-level=1]
#        REFERENCE=1 bench/inbound-vs-modsec.sh ...   also measures Portcullis without schema and blocking threats
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUR="${1:-15}"
CONNS="${2:-50}"
PL="${3:-1}"
OUT="$ROOT/bench/out/inbound-vs-modsec"
FIX="$ROOT/bench/inbound-bench"
. "$ROOT/bench/lib/gateway-bench.sh"
mkdir -p "$OUT"

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[ -x /usr/sbin/apache2 ] || need+=(apache2)
[ -f /usr/lib/apache2/modules/mod_security2.so ] || need+=(libapache2-mod-security2)
[ -d /usr/share/modsecurity-crs/rules ] || need+=(modsecurity-crs)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "inbound-vs-modsec: need ${need[*]} (run as root to install them)" >&2; exit 2; fi
  echo "installing ${need[*]} from Debian" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
M=/usr/lib/apache2/modules

UP=18090; MS=18091; PC=18092; ADMIN=18093
pids=()
cleanup() {
  [ -f "$OUT/modsec/httpd.pid" ] && kill "$(cat "$OUT/modsec/httpd.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# ---- the upstream: nginx answering the JSON page for /v1/charges
mkdir -p "$OUT/www/v1"
cp "$FIX/charges.json" "$OUT/www/v1/charges"
cat > "$OUT/upstream.conf" <<NGINX
daemon off; worker_processes 1; pid $OUT/upstream.pid; error_log $OUT/upstream.err warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; etag off;
  server { listen 127.0.0.1:$UP; root $OUT/www;
    location /v1/ { default_type application/json; charset off; } } }
NGINX

# ---- Portcullis: app identity, allowlist, audit, and inbound protection blocking on every finding kind
cp "$FIX/charges-openapi.yaml" "$OUT/charges-openapi.yaml"
{ portcullis_bench_config $PC $ADMIN $UP; cat <<YAML
        inbound:
          schema: {spec: [charges-openapi.yaml], mode: enforce, unknownFields: allow}
          threats: {action: block}
          limits: {maxBodySize: 1MiB, maxDepth: 32, maxArrayLength: 1000, maxStringLength: 65536, action: block}
YAML
} > "$OUT/portcullis.yaml"

# reference (REFERENCE=1): the same gateway with threats only reported on streamed bodies and no schema
sed '/^        inbound:/,$d' "$OUT/portcullis.yaml" > "$OUT/portcullis-reference.yaml"

# ---- Apache + ModSecurity v2 + OWASP CRS as a reverse proxy, response bodies inspected
DIR="$OUT/modsec"
rm -rf "$DIR" && mkdir -p "$DIR/tmp" "$DIR/data"
chown -R www-data:www-data "$DIR/tmp" "$DIR/data" 2>/dev/null || true
sed 's/^SecRuleEngine DetectionOnly/SecRuleEngine On/; s#^SecAuditLog .*#SecAuditLog '"$DIR"'/audit.log#; s#^SecDataDir .*#SecDataDir '"$DIR"'/data#; s#^SecTmpDir .*#SecTmpDir '"$DIR"'/tmp#; s/^SecAuditEngine .*/SecAuditEngine Off/; s#^SecUnicodeMapFile unicode.mapping#SecUnicodeMapFile /etc/modsecurity/unicode.mapping#; s#^SecResponseBodyAccess .*#SecResponseBodyAccess On#; s#^SecResponseBodyMimeType .*#SecResponseBodyMimeType text/plain text/html text/xml application/json#' \
  /etc/modsecurity/modsecurity.conf-recommended > "$DIR/modsecurity.conf"
grep -q '^SecResponseBodyAccess On' "$DIR/modsecurity.conf" || echo 'SecResponseBodyAccess On' >> "$DIR/modsecurity.conf"
grep -q '^SecResponseBodyMimeType .*application/json' "$DIR/modsecurity.conf" || echo 'SecResponseBodyMimeType text/plain text/html text/xml application/json' >> "$DIR/modsecurity.conf"
cat > "$DIR/crs-setup.conf" <<CRS
$(grep -v '^#' /etc/modsecurity/crs/crs-setup.conf | grep -v '^$')
SecAction "id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=$PL"
CRS
cat > "$DIR/httpd.conf" <<CONF
ServerRoot "$DIR"
Listen 127.0.0.1:$MS
PidFile "$DIR/httpd.pid"
ErrorLog "$DIR/error.log"
LogLevel warn
User www-data
Group www-data
LoadModule mpm_event_module $M/mod_mpm_event.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule unique_id_module $M/mod_unique_id.so
LoadModule proxy_module $M/mod_proxy.so
LoadModule proxy_http_module $M/mod_proxy_http.so
LoadModule security2_module $M/mod_security2.so
ServerName localhost
# one process (like Portcullis' one worker), enough threads for the connections
StartServers 1
ServerLimit 1
ThreadLimit 128
ThreadsPerChild 128
MaxRequestWorkers 128
MinSpareThreads 1
MaxSpareThreads 128
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 60
ProxyPass /acme/ http://127.0.0.1:$UP/ keepalive=On
ProxyPassReverse /acme/ http://127.0.0.1:$UP/
Include "$DIR/modsecurity.conf"
Include "$DIR/crs-setup.conf"
Include /usr/share/modsecurity-crs/rules/*.conf
CONF

# ---- build the gateway (package only: never install into the shared ~/.m2)
. "$ROOT/bin/_jdk.sh"
JAR="$ROOT/app/target/portcullis-app.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT" -path "$ROOT/bench" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "building the gateway (mvnw package)..." >&2
  (cd "$ROOT" && ./mvnw -q -B -o -pl app -am package -DskipTests >&2 || ./mvnw -q -B -pl app -am package -DskipTests >&2)
fi
JDK_OPTS=""
if [ "${PORTCULLIS_JAVA_MAJOR:-0}" -ge 24 ] 2>/dev/null; then JDK_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"; fi


taskset -c 0 "$NGINX" -c "$OUT/upstream.conf" -p "$OUT" & pids+=($!)
wait_port $UP

# run NAME URL -> prints "rps p50_ms p99_ms non2xx"
# a host name (not 127.0.0.1) so CRS rule 920350 does not log a warning per request, which would slow Apache down
H=(-H "X-Portcullis-Key: bench-key" -H "Host: gateway.bench.test")
run() {
  local name=$1 url=$2
  taskset -c 0 wrk -t1 -c"$CONNS" -d"${DUR}s" --latency "${H[@]}" "$url" > "$OUT/$name.txt"
  wrk_summary "$OUT/$name.txt"
}
# warm URL NAME: warm-up runs until requests/s stops rising by more than 5% (the JVM compiles on the same core), at most 6
warm() {
  local prev=0 cur i
  for i in 1 2 3 4 5 6; do
    read -r cur _ < <(run "$2-warm$i" "$1")
    echo "  $2 warm-up $i: $cur req/s" >&2
    awk -v c="$cur" -v p="$prev" 'BEGIN { exit !(c < p * 1.05) }' && break
    prev=$cur
  done
}
check() { # name url: one request must come back 200 with the upstream's body
  local code
  code=$(curl -s -o "$OUT/$1.body" -w '%{http_code}' "${H[@]}" "$2")
  if [ "$code" != 200 ] || ! cmp -s "$OUT/$1.body" "$FIX/charges.json"; then
    echo "$1: expected 200 with the upstream's body, got $code (see $OUT/$1.body)" >&2; exit 1
  fi
}

echo "duration ${DUR}s, ${CONNS} connections; proxies pinned to core 1, wrk + upstream on core 0" >&2

# Apache + ModSecurity + CRS
rm -f "$DIR/httpd.pid"
taskset -c 1 /usr/sbin/apache2 -f "$DIR/httpd.conf" -k start
wait_port $MS
check modsec "http://127.0.0.1:$MS/acme/v1/charges?limit=5"
# prove the WAF is live: a request carrying an injection payload is refused
probe=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "http://127.0.0.1:$MS/acme/v1/charges?limit=5&q=%27%20UNION%20SELECT%20password%20FROM%20users--")
[ "$probe" = 403 ] || { echo "ModSecurity did not block a probe (got $probe): is the rule engine on?" >&2; exit 1; }
sleep 0.5
alerts_before=$(grep -c 'ModSecurity: ' "$DIR/error.log" 2>/dev/null || true)
warm "http://127.0.0.1:$MS/acme/v1/charges?limit=5" modsec
read -r ms_rps ms_p50 ms_p99 ms_bad < <(run modsec "http://127.0.0.1:$MS/acme/v1/charges?limit=5")
kill "$(cat "$DIR/httpd.pid")" 2>/dev/null || true
port_closed $MS
# every measured request should pass CRS silently (the probe above logs one alert)
alerts=$(( $(grep -c 'ModSecurity: ' "$DIR/error.log" 2>/dev/null || true) - ${alerts_before:-0} ))
[ "$alerts" -le 0 ] || echo "WARNING: ModSecurity logged $alerts alerts on the measured traffic (see $DIR/error.log)" >&2

# Portcullis
start_pc() { # config
  rm -rf "$OUT/audit"
  (cd "$OUT" && exec taskset -c 1 "$JAVA_HOME/bin/java" $JDK_OPTS ${PORTCULLIS_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC} \
     -cp "$JAR:$ROOT/app/target/lib/*" io.portcullis.app.Main serve --config "$1" --workers 1 --watch-interval-ms 0 \
     2>> "$OUT/portcullis.log") & pc_pid=$!; pids+=($pc_pid)
  wait_port $PC
}
stop_pc() { kill "$pc_pid" 2>/dev/null || true; wait "$pc_pid" 2>/dev/null || true; port_closed $PC; }
rm -f "$OUT/portcullis.log"
if [ "${REFERENCE:-0}" = 1 ]; then
  start_pc "$OUT/portcullis-reference.yaml"
  warm "http://127.0.0.1:$PC/acme/v1/charges?limit=5" ref
  read -r ref_rps ref_p50 ref_p99 ref_bad < <(run reference "http://127.0.0.1:$PC/acme/v1/charges?limit=5")
  stop_pc
fi
start_pc "$OUT/portcullis.yaml"
check portcullis "http://127.0.0.1:$PC/acme/v1/charges?limit=5"
warm "http://127.0.0.1:$PC/acme/v1/charges?limit=5" pc
read -r pc_rps pc_p50 pc_p99 pc_bad < <(run portcullis "http://127.0.0.1:$PC/acme/v1/charges?limit=5")
stop_pc
# the audit must show the inbound policies ran on the measured exchanges
if ! grep -q '"schema"' "$OUT/audit/audit.jsonl" 2>/dev/null; then
  echo "WARNING: no schema decision in the audit log ($OUT/audit/audit.jsonl): was inbound protection on?" >&2
fi

printf '\nresponse: %s bytes of JSON (%s), CRS %s at paranoia level %s\n' "$(wc -c < "$FIX/charges.json")" "bench/inbound-bench/charges.json" \
  "$(dpkg-query -W -f='${Version}' modsecurity-crs 2>/dev/null || echo '?')" "$PL"
printf '%-46s %12s %10s %10s %8s\n' "proxy (1 core)" "requests/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-46s %12.0f %10.3f %10.3f %8d\n' "Apache + ModSecurity v2 + CRS (resp. bodies)" "$ms_rps" "$ms_p50" "$ms_p99" "$ms_bad"
printf '%-46s %12.0f %10.3f %10.3f %8d\n' "Portcullis, threats + schema + limits (block)" "$pc_rps" "$pc_p50" "$pc_p99" "$pc_bad"
[ "${REFERENCE:-0}" = 1 ] && printf '%-46s %12.0f %10.3f %10.3f %8d\n' "Portcullis, no schema, threats report (ref.)" "$ref_rps" "$ref_p50" "$ref_p99" "$ref_bad"
if [ "$pc_bad" -gt 0 ] || [ "$ms_bad" -gt 0 ]; then
  echo "WARNING: non-2xx answers were counted; the figures are not comparable (see $OUT/*.txt, $OUT/audit, $DIR/error.log)" >&2
fi
awk -v a="$pc_rps" -v b="$ms_rps" 'BEGIN { printf "\nPortcullis / ModSecurity requests/s ratio: %.1fx (target >= 10x)\n", a/b }'
echo "raw wrk output, configs and logs: $OUT" >&2
