# Shared by the gateway benchmarks (bench/proxy.sh, bench/inbound-vs-modsec.sh); source it, do not run it.

# wait_port PORT: until something listens on 127.0.0.1:PORT (30 s at most)
wait_port() { for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; return 1; }
# port_closed PORT: until nothing listens there any more (10 s at most)
port_closed() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null || return 0; sleep 0.1; done; }

# wrk_summary FILE: a `wrk --latency` report as "requests/s p50_ms p99_ms non-2xx"
wrk_summary() {
  awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    /Non-2xx/ {bad=$NF}
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    END { printf "%s %.3f %.3f %d\n", rps, ms(p50), ms(p99), bad }' "$1"
}

# portcullis_bench_config PORT ADMIN_PORT UPSTREAM_PORT: the benchmark's Portcullis config up to the API's allow
# rule (app bench-app with key "bench-key", vendor acme, API core at /acme); callers append the API's policies
portcullis_bench_config() {
  local digest
  digest=$(printf %s bench-key | sha256sum | cut -d' ' -f1)
  cat <<YAML
listen: {address: 127.0.0.1:$1}
admin: {address: 127.0.0.1:$2}
audit: {file: audit/audit.jsonl, maxFileSize: 256MiB, maxFiles: 2}
apps:
  - name: bench-app
    apiKeys: [sha256:$digest]
vendors:
  - name: acme
    owner: bench@example.com
    purpose: benchmark
    apis:
      - name: core
        route: /acme
        upstream: http://127.0.0.1:$3
        allowInsecureHttp: true
        allow: [{app: bench-app, methods: [GET], paths: [/v1/**]}]
YAML
}
