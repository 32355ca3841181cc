#!/bin/bash
# bench/checks.sh — `make bench`: tshoot's checks against the tools an operator would
# otherwise use, on the same loopback targets, runs alternated, medians and ratios.
#   1. tshoot check http URL        vs  curl -so /dev/null URL           (nginx)
#   2. tshoot check tls HOST:PORT   vs  openssl s_client -verify_hostname (s_server)
#   3. one check node of 10 http checks against a server answering after 1 s, run by
#      the live runner: wall time vs the slowest check (and vs their sum)
# Env: BUILD (default build), RUNS (default 30). Prints a Markdown table.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
RUNS=${RUNS:-30}
TSHOOT=$TOP/$BUILD/tshoot
FIXTURES=$TOP/$BUILD/fixtures
source "$TOP/tests/lib.sh"
source "$TOP/tests/lib/http_servers.sh"

make_certs "$T/nginx/certs" >/dev/null || { echo "bench: cannot make certificates" >&2; exit 1; }
start_nginx "$T/nginx" || { echo "bench: nginx did not start" >&2; exit 1; }
C=$T/nginx/certs
SP=$(free_port)
openssl s_server -quiet -accept "127.0.0.1:$SP" -cert "$C/good.pem" -key "$C/good.key" -www \
	</dev/null >/dev/null 2>&1 &
track_pid $!
wait_port "$SP" 50 || { echo "bench: s_server did not start" >&2; exit 1; }
FP=$(free_port)
"$FIXTURES/httpd_fixture" slow "$FP" 1000 &
track_pid $!
wait_port "$FP" 50

# the node program links the core library (libcurl is dlopened by it, not linked)
cc -std=c11 -D_GNU_SOURCE -I"$TOP" -O2 -o "$T/node" "$TOP/bench/node.c" "$TOP/$BUILD/libtshoot.a" \
	-pthread $(pkg-config --libs openssl yaml-0.1 json-c) -lm || exit 1

ms_of() {   # ms_of CMD...: wall time of one run in microseconds
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 </dev/null
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
fmt_ms() { awk -v u="$1" 'BEGIN {printf "%.1f", u/1000}'; }

# pair NAME A-CMD -- B-CMD: alternate RUNS runs of each, print a table row
pair() {
	local name=$1; shift
	local a=() b=() i
	while [ "$1" != "--" ]; do a+=("$1"); shift; done
	shift; b=("$@")
	: >"$T/a"; : >"$T/b"
	"${a[@]}" >/dev/null 2>&1; "${b[@]}" >/dev/null 2>&1    # warm up
	for i in $(seq 1 "$RUNS"); do
		ms_of "${a[@]}" >>"$T/a"
		ms_of "${b[@]}" >>"$T/b"
	done
	local ma mb
	ma=$(median <"$T/a"); mb=$(median <"$T/b")
	printf '| %s | %s | %s | %s |\n' "$name" "$(fmt_ms "$ma")" "$(fmt_ms "$mb")" \
		"$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", a/b}')"
}

U="http://127.0.0.1:$NGX_PORT/ClientWebService/client.asmx"
"$TSHOOT" check http "$U" >/dev/null || { echo "bench: tshoot check http failed" >&2; exit 1; }
"$TSHOOT" check tls "127.0.0.1:$SP" --name localhost --cacert "$C/ca.pem" >/dev/null ||
	{ echo "bench: tshoot check tls failed" >&2; exit 1; }
echo "runs per command: $RUNS (alternated), loopback, $(nproc) CPU, $(date -u +%Y-%m-%d)"
echo
echo "| check | tshoot median ms | reference median ms | ratio |"
echo "|---|---|---|---|"
pair "http 200 (nginx) vs curl -so /dev/null" "$TSHOOT" check http "$U" -- curl -so /dev/null "$U"
pair "tls verify (s_server) vs openssl s_client -verify_hostname" \
	"$TSHOOT" check tls "127.0.0.1:$SP" --name localhost --cacert "$C/ca.pem" -- \
	openssl s_client -connect "127.0.0.1:$SP" -servername localhost -verify_hostname localhost \
	-CAfile "$C/ca.pem" -verify_return_error
echo
echo "| node of 10 http checks, server answers after 1 s | wall ms | slowest check ms | sum of checks ms |"
echo "|---|---|---|---|"
for i in 1 2 3; do
	line=$("$T/node" "http://127.0.0.1:$FP/" 10) || { echo "bench: node run failed: $line" >&2; exit 1; }
	eval "$(echo "$line" | tr ' ' '\n' | grep -E '^[a-z_]+=[0-9]+$')"
	echo "| run $i | $wall_ms | $slowest_ms | $sum_ms |"
done
