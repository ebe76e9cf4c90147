#!/usr/bin/env bash
# Gateway benchmark: wrk against (1) the upstream directly, (2) nginx as a plain reverse proxy,
# (3) Portcullis with app identity, allowlist, rate limit and audit on (the issue's configuration: DLP and
# inbound checks written off), (4) the same with every default policy as well, (5) with an OAuth2 credential. nginx and Portcullis run one
# at a time on the SAME core (taskset -c 1, one worker each); wrk and the upstream share core 0.
# Prints requests/s and p50/p99 latency for each, the Portcullis/nginx ratio, and p99 added latency
# at half of Portcullis' peak rate (wrk paced by a Lua delay script, since wrk2 is not packaged).
#
# Usage: bench/proxy.sh [duration-seconds=15] [connections=50]
# The credential run uses an OAuth2 client-credentials credential (token from a token endpoint on the
# upstream nginx, then served from the token cache); its ratio to run (3) is issue #3's figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DUR="${1:-15}"
CONNS="${2:-50}"
OUT="$ROOT/bench/out/proxy"
. "$ROOT/bench/lib/gateway-bench.sh"
mkdir -p "$OUT"

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

UP=18080; NGX=18081; PC=18082; ADMIN=18083
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

BODY='{"id":"ch_3PqK9f2eZvKYlo2C","object":"charge","amount":2000,"currency":"eur","status":"succeeded"}'
cat > "$OUT/upstream.conf" <<NGINX
daemon off; worker_processes 1; pid $OUT/upstream.pid; error_log $OUT/upstream.err warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP;
    location = /oauth2/token { default_type application/json; return 200 '{"access_token":"bench-access-token-0f1e2d3c","token_type":"Bearer","expires_in":86400}'; }
    location / { default_type application/json; return 200 '$BODY'; } } }
NGINX
cat > "$OUT/nginx-proxy.conf" <<NGINX
daemon off; worker_processes 1; pid $OUT/proxy.pid; error_log $OUT/proxy.err warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream vendor { server 127.0.0.1:$UP; keepalive 256; }
  server { listen 127.0.0.1:$NGX; location /acme/ { proxy_pass http://vendor/; proxy_http_version 1.1; proxy_set_header Connection ""; } } }
NGINX
{ portcullis_bench_config $PC $ADMIN $UP; cat <<YAML
        rateLimit: {requests: 100000000, per: 1s, burst: 100000000}
YAML
} > "$OUT/portcullis.yaml"
# every default policy on as well: DLP on the request (alert on all) and inbound checks on the response
# (limits, threats reported while the body streams)
cp "$OUT/portcullis.yaml" "$OUT/portcullis-defaults.yaml"
# the issue's configuration: identity, allowlist, rate limit and audit; DLP and inbound checks explicitly off
cat >> "$OUT/portcullis.yaml" <<YAML
        dataPolicy: off
        inbound: off
YAML
cp "$OUT/portcullis.yaml" "$OUT/portcullis-cred.yaml"
cat >> "$OUT/portcullis-cred.yaml" <<YAML
        credential: {kind: oauth2-client-credentials, tokenUrl: 'http://127.0.0.1:$UP/oauth2/token', allowInsecureHttp: true,
                     clientId: portcullis-bench, clientSecret: env:BENCH_CLIENT_SECRET}
YAML
rm -rf "$OUT/audit" "$OUT/portcullis.log"

"$ROOT/bin/portcullis" --version >/dev/null   # builds on first use

taskset -c 0 "$NGINX" -c "$OUT/upstream.conf" -p "$OUT" & pids+=($!)
sleep 0.5

wait_port $UP

# run NAME URL [extra wrk args...] -> prints "rps p50_ms p99_ms non2xx"
run() {
  local name=$1 url=$2; shift 2
  taskset -c 0 wrk -t1 -c"$CONNS" -d"${DUR}s" --latency "$@" "$url" > "$OUT/$name.txt"
  wrk_summary "$OUT/$name.txt"
}

# pace: a Lua script that keeps each connection at RATE/CONNS requests per second (closed loop)
pace_script() {
  local rate=$1
  cat > "$OUT/pace.lua" <<LUA
local d = math.max(0, math.floor(1000 * $CONNS / $rate))
function delay() return d end
LUA
  echo "$OUT/pace.lua"
}

echo "warming up and measuring (duration ${DUR}s, ${CONNS} connections; proxies pinned to core 1, wrk+upstream to core 0)" >&2
read -r direct_rps direct_p50 direct_p99 _ < <(run direct "http://127.0.0.1:$UP/v1/charges")

taskset -c 1 "$NGINX" -c "$OUT/nginx-proxy.conf" -p "$OUT" & ngx_pid=$!; pids+=($ngx_pid)
wait_port $NGX
run nginx-warm "http://127.0.0.1:$NGX/acme/v1/charges" >/dev/null
read -r ngx_rps ngx_p50 ngx_p99 _ < <(run nginx "http://127.0.0.1:$NGX/acme/v1/charges")
kill $ngx_pid 2>/dev/null || true; wait $ngx_pid 2>/dev/null || true

start_pc() { # config-file
  (cd "$OUT" && export BENCH_CLIENT_SECRET=bench-secret PORTCULLIS_JAVA_OPTS="${PORTCULLIS_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}" && \
     exec taskset -c 1 "$ROOT/bin/portcullis" serve --config "$1" --workers 1 --watch-interval-ms 0 2>> "$OUT/portcullis.log") & pc_pid=$!; pids+=($pc_pid)
  wait_port $PC
}
stop_pc() { kill "$pc_pid" 2>/dev/null || true; wait "$pc_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$PC) 2>/dev/null || return 0; sleep 0.1; done; }
H=(-H "X-Portcullis-Key: bench-key")
start_pc "$OUT/portcullis-cred.yaml"
run pcc-warm1 "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" >/dev/null
run pcc-warm2 "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" >/dev/null
read -r pcc_rps pcc_p50 pcc_p99 _ < <(run portcullis-cred "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}")
stop_pc
start_pc "$OUT/portcullis-defaults.yaml"
run pcd-warm1 "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" >/dev/null
run pcd-warm2 "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" >/dev/null
read -r pcd_rps pcd_p50 pcd_p99 _ < <(run portcullis-defaults "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}")
stop_pc
start_pc "$OUT/portcullis.yaml"
run pc-warm1 "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" >/dev/null
run pc-warm2 "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" >/dev/null
read -r pc_rps pc_p50 pc_p99 _ < <(run portcullis "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}")
for f in portcullis portcullis-cred portcullis-defaults; do
  if grep -q "Non-2xx" "$OUT/$f.txt"; then echo "WARNING: $f had non-2xx responses: see $OUT/$f.txt" >&2; fi
done

half=$(awk -v r="$pc_rps" 'BEGIN { printf "%d", r/2 }')
script=$(pace_script "$half")
read -r pc_half_rps pc_half_p50 pc_half_p99 _ < <(run portcullis-half "http://127.0.0.1:$PC/acme/v1/charges" "${H[@]}" -s "$script")
stop_pc
read -r dir_half_rps dir_half_p50 dir_half_p99 _ < <(run direct-half "http://127.0.0.1:$UP/v1/charges" -s "$script")

printf '\n%-34s %12s %10s %10s\n' "target" "requests/s" "p50 ms" "p99 ms"
printf '%-34s %12.0f %10.3f %10.3f\n' "direct to upstream" "$direct_rps" "$direct_p50" "$direct_p99"
printf '%-34s %12.0f %10.3f %10.3f\n' "nginx reverse proxy (1 core)" "$ngx_rps" "$ngx_p50" "$ngx_p99"
printf '%-34s %12.0f %10.3f %10.3f\n' "portcullis, policies+audit (1 core)" "$pc_rps" "$pc_p50" "$pc_p99"
printf '%-34s %12.0f %10.3f %10.3f\n' "portcullis + oauth2 credential" "$pcc_rps" "$pcc_p50" "$pcc_p99"
printf '%-34s %12.0f %10.3f %10.3f\n' "portcullis, all default policies" "$pcd_rps" "$pcd_p50" "$pcd_p99"
printf '%-34s %12.0f %10.3f %10.3f\n' "direct at half portcullis peak" "$dir_half_rps" "$dir_half_p50" "$dir_half_p99"
printf '%-34s %12.0f %10.3f %10.3f\n' "portcullis at half its peak" "$pc_half_rps" "$pc_half_p50" "$pc_half_p99"
awk -v a="$pc_rps" -v b="$ngx_rps" 'BEGIN { printf "\nportcullis/nginx requests/s ratio: %.2f (target >= 0.80)\n", a/b }'
awk -v a="$pcd_rps" -v b="$ngx_rps" 'BEGIN { printf "portcullis with every default policy (DLP alert, inbound report)/nginx: %.2f\n", a/b }'
awk -v a="$pcc_rps" -v b="$ngx_rps" -v c="$pc_rps" 'BEGIN { printf "portcullis+credential/nginx ratio: %.2f (%.1f%% of the no-credential figure)\n", a/b, 100*a/c }'
awk -v a="$pc_half_p99" -v b="$dir_half_p99" 'BEGIN { printf "p99 added latency at half peak: %.3f ms (target < 1 ms)\n", a-b }'
echo "raw wrk output and the audit log: $OUT" >&2
