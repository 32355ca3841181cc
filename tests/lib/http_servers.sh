# tests/lib/http_servers.sh — real loopback servers for the http/proxy check tests and
# the benchmark: test certificates, nginx, squid, httpd_fixture; and checks of what a
# hostile server's bytes became. Source after tests/lib.sh (needs $T, free_port,
# wait_port, track_pid).

# fixture MODE [MS]: start httpd_fixture MODE (tests/lib/httpd_fixture.c) on a free
# port of 127.0.0.1; sets FP.
# The listener must be the fixture just started: another suite running beside this one
# (the sanitizer pass, a second make check) may have taken the port between free_port
# and the bind, and then this fixture exits and the port is someone else's: try again
# on a new port (bounded).
fixture() {
	local try pid i
	for try in 1 2 3; do
		FP=$(free_port)
		"$FIXTURES/httpd_fixture" "$1" "$FP" "${2:-0}" &
		pid=$!
		track_pid "$pid"
		for i in $(seq 1 100); do
			ss -Htlnp "sport = :$FP" 2>/dev/null | grep -q "pid=$pid," && return 0
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null
	done
	echo "# httpd_fixture $1 did not start on a port of its own"
	return 1
}

# text_safe: stdin must be strict UTF-8 with no control character but newline, no C1
# control and no bidi control: what the placeholders of str_clean_dup stand for.
# Exits non-zero, saying what it found, otherwise.
text_safe() {
	python3 -c '
import sys
t = sys.stdin.buffer.read().decode("utf-8")
bad = [hex(ord(c)) for c in t if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
sys.exit("raw: %s" % bad if bad else 0)'
}

# json_field EXPR: read stdin as JSON in strict UTF-8 (an error otherwise), bind it to
# d, print ascii(EXPR): json_field 'd["facts"]["status"]' prints 200 for a number,
# '200' for a string.
json_field() {
	python3 -c 'import json, sys; d = json.loads(sys.stdin.buffer.read().decode("utf-8")); print(ascii('"$1"'))'
}

# The Server header httpd_fixture hostile sends, as every output shows it (ESC and C1 as
# '?', the 8-bit CSI and the bad byte as U+FFFD, the bidi controls as '?').
HOSTILE_SERVER_SHOWN='?[2J?31m�1m?exe.txt?� café ✓'

# make_certs DIR: a test CA and leaf certificates made with openssl ca, so validity dates
# can be in the past or future: good (localhost, 127.0.0.1), expired, future, other name.
make_certs() {
	local d=$1
	mkdir -p "$d/db" && : >"$d/db/index.txt" && echo 1000 >"$d/db/serial"
	cat >"$d/ca.cnf" <<CNF
[ca]
default_ca = tca
[tca]
dir = $d/db
database = $d/db/index.txt
serial = $d/db/serial
new_certs_dir = $d/db
default_md = sha256
policy = pol
copy_extensions = copy
unique_subject = no
[pol]
commonName = supplied
[req]
distinguished_name = dn
[dn]
[leaf]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
CNF
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 3650 \
		-subj "/CN=tshoot test CA" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null || return 1
	local name san start end cn spec
	for spec in "good|DNS:localhost,IP:127.0.0.1|20200101000000Z|20991231000000Z" \
		    "expired|DNS:localhost,IP:127.0.0.1|20200101000000Z|20210101000000Z" \
		    "future|DNS:localhost,IP:127.0.0.1|20980101000000Z|20991231000000Z" \
		    "othername|DNS:other.example|20200101000000Z|20991231000000Z"; do
		IFS='|' read -r name san start end <<<"$spec"
		cn=${san%%,*}
		cn=${cn#DNS:}
		openssl req -newkey rsa:2048 -nodes -keyout "$d/$name.key" -out "$d/$name.csr" \
			-subj "/CN=$cn" -addext "subjectAltName=$san" 2>/dev/null || return 1
		openssl ca -batch -config "$d/ca.cnf" -extensions leaf -startdate "$start" -enddate "$end" \
			-cert "$d/ca.pem" -keyfile "$d/ca.key" -in "$d/$name.csr" -out "$d/$name.pem" \
			-notext 2>/dev/null || return 1
	done
}

# start_nginx DIR: nginx on 127.0.0.1 with the locations the http tests use. Sets
# NGX_PORT (plain HTTP) and, when certificates were made in $DIR/certs,
# NGX_TLS_GOOD / _EXPIRED / _FUTURE / _OTHER (HTTPS with those certificates).
start_nginx() {
	# Another program may bind one of the ports between free_port and nginx: then nginx
	# exits at once and it is tried again on other ports (bounded).
	local try
	for try in 1 2 3; do
		start_nginx_once "$1" && return 0
	done
	return 1
}

start_nginx_once() {
	local d=$1 c=$1/certs tls="" pid
	mkdir -p "$d/www" "$d/tmp" "$d/logs"
	truncate -s 1G "$d/www/big"
	NGX_PORT=$(free_port) || return 1
	if [ -f "$c/good.pem" ]; then
		NGX_TLS_GOOD=$(free_port); NGX_TLS_EXPIRED=$(free_port)
		NGX_TLS_FUTURE=$(free_port); NGX_TLS_OTHER=$(free_port)
		local name port
		for name in good expired future othername; do
			case $name in good) port=$NGX_TLS_GOOD ;; expired) port=$NGX_TLS_EXPIRED ;;
				future) port=$NGX_TLS_FUTURE ;; othername) port=$NGX_TLS_OTHER ;; esac
			tls="$tls
	server {
		listen 127.0.0.1:$port ssl;
		ssl_certificate $c/$name.pem;
		ssl_certificate_key $c/$name.key;
		location / { return 200 \"tls ok\\n\"; }
	}"
		done
	fi
	cat >"$d/nginx.conf" <<NGX
user root;
worker_processes 1;
error_log $d/logs/error.log;
pid $d/nginx.pid;
events { worker_connections 256; }
http {
	access_log $d/logs/access.log;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$NGX_PORT;
		server_name localhost;
		root $d/www;
		location = /ClientWebService/client.asmx { return 200 "ok\n"; }
		location = /ApiRemoting30/WebService.asmx {
			add_header WWW-Authenticate Negotiate always;
			add_header WWW-Authenticate NTLM always;
			return 401;
		}
		location = /Content { return 403; }
		location = /missing { return 404; }
		location = /error { return 500; }
		location = /unavailable { return 503; }
		location = /redirect { return 302 /ClientWebService/client.asmx; }
		location = /close { return 444; }
		location = /big { }
	}$tls
}
NGX
	nginx -e "$d/logs/error.log" -p "$d" -c "$d/nginx.conf" -g 'daemon off;' &
	pid=$!
	track_pid $pid
	# listening, and it is our nginx that listens (not one that lost a port and exited)
	wait_port "$NGX_PORT" 100 && { [ -z "$tls" ] || wait_port "$NGX_TLS_OTHER" 100; } &&
		kill -0 "$pid" 2>/dev/null && ss -Htlnp "sport = :$NGX_PORT" 2>/dev/null | grep -q "pid=$pid,"
}

# start_squid DIR USER PASS: squid with basic auth on 127.0.0.1:SQ_PORT, allowing
# authenticated users to 127.0.0.1 only, CONNECT included; no cache. Sets SQ_PORT.
start_squid() {
	local d=$1 user=$2 pass=$3
	mkdir -p "$d"
	printf '%s:%s\n' "$user" "$(openssl passwd -apr1 "$pass")" >"$d/passwd"
	# its own hosts file: "localhost" must not depend on the machine's /etc/hosts
	# (a minimal chroot has none) nor on a DNS server
	printf '127.0.0.1 localhost\n' >"$d/hosts"
	SQ_PORT=$(free_port) || return 1
	cat >"$d/squid.conf" <<SQ
http_port 127.0.0.1:$SQ_PORT
pid_filename $d/squid.pid
cache_log $d/cache.log
access_log stdio:$d/access.log
cache_store_log none
coredump_dir $d
cache deny all
cache_mem 8 MB
shutdown_lifetime 0 seconds
visible_hostname tshoot-test
dns_nameservers 127.0.0.1
hosts_file $d/hosts
auth_param basic program /usr/lib/squid/basic_ncsa_auth $d/passwd
auth_param basic children 2 startup=1 idle=1
auth_param basic realm tshoot-test
acl authed proxy_auth REQUIRED
acl local_dst dst 127.0.0.1
acl CONNECT method CONNECT
http_access deny !local_dst
http_access allow authed
http_access deny all
SQ
	# squid drops to its own user: let it read its files and write its logs
	chmod o+x "$T" "$(dirname "$d")" 2>/dev/null
	chown -R proxy "$d" 2>/dev/null
	( shm_private squid -N -f "$d/squid.conf" ) >"$d/stdout.log" 2>&1 &
	track_pid $!
	# squid takes ~2 s to stop on SIGTERM, so cleanup ends it with SIGKILL: keep the
	# shell from reporting that (its auth helpers exit on EOF)
	disown $!
	wait_port "$SQ_PORT" 150
}
