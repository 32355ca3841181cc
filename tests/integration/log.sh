#!/bin/bash
# log.sh — `tshoot check log FILE --flow FLOW`: CMTrace and the older $$< format, "~~"
# stack traces, UTF-16LE with a BOM and CRLF (made here with iconv), the last error
# wins (a healthy newest line too), no --flow (the only or default flow), a healthy
# log, bad input, and a 200 MB log streamed in bounded memory.
source "$TOP/tests/lib.sh"

command -v jq >/dev/null || { echo "# jq missing (scripts/deps.sh test)"; exit 1; }
D=$TOP/tests/data/logs
FLOW=$TOP/tests/flows/log-test.yaml
out="" rc=0
# measured WHAT FILE: the log check on FILE, its peak memory asserted under 64 MB
measured() {
	if ldd "$TSHOOT" 2>/dev/null | grep -q libasan; then
		out=$("$TSHOOT" check log "$2" --flow "$FLOW" --json 2>"$T/stderr")
		skip "$1: memory bound not measured (a sanitizer build: its allocator keeps freed memory)"
	elif [ -x /usr/bin/time ]; then
		out=$(/usr/bin/time -f '%M' -o "$T/rss" "$TSHOOT" check log "$2" --flow "$FLOW" --json 2>"$T/stderr")
		local rss; rss=$(tail -1 "$T/rss")
		if [ "$rss" -lt 65536 ]; then ok "$1: peak memory ${rss} KB (< 64 MB)"; else not_ok "$1: peak memory ${rss} KB"; fi
	else
		out=$("$TSHOOT" check log "$2" --flow "$FLOW" --json 2>"$T/stderr")
		skip "$1: memory bound not measured (/usr/bin/time not installed: scripts/deps.sh test)"
	fi
	assert_schema "$1: --json valid (tshoot-check)" tshoot-check "$out"
}
# (their JSON, when the check ran (not exit 2), is checked against schema/tshoot-check.schema.json)
logc() {
	local f=$1; shift; out=$("$TSHOOT" check log "$f" --flow "$FLOW" --json "$@" 2>"$T/stderr"); rc=$?
	[ "$rc" = 2 ] || assert_schema "check log $(basename "$f") $* --json: valid" tshoot-check "$out"
}
j() { jq -r "$1" <<<"$out" 2>/dev/null; }
matches() { jq -r '.facts.match | if type == "array" then join("\n") else (. // "") end' <<<"$out" 2>/dev/null; }

# ---- WCM.log (CMTrace): the 407 among healthy lines
logc "$D/WCM.log"
assert_eq "WCM.log: outcome is the signature id" proxy_auth_407 "$(j .outcome)"
assert_eq "WCM.log: exit 1 (a problem was found)" 1 "$rc"
assert_eq "WCM.log: summary" \
	"WCM.log line 11: proxy_auth_407 — System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required." \
	"$(j .summary)"
assert_eq "WCM.log: one match fact" \
	"11: proxy_auth_407: System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required." \
	"$(matches)"
assert_eq "WCM.log: lines_scanned" 14 "$(j .facts.lines_scanned)"
assert_eq "WCM.log: target is the file" "$D/WCM.log" "$(j .target)"
plain=$("$TSHOOT" check log "$D/WCM.log" --flow "$FLOW" 2>&1)
assert_contains "WCM.log: readable output shows the line" "$plain" "WCM.log line 11: proxy_auth_407"

# ---- the same log as UTF-16LE with a BOM and CRLF line ends
{ printf '\xff\xfe'; sed 's/$/\r/' "$D/WCM.log" | iconv -f UTF-8 -t UTF-16LE; } >"$T/WCM.log"
if [ "$(head -c 2 "$T/WCM.log" | od -An -tx1 | tr -d ' ')" = fffe ]; then ok "UTF-16LE copy has a BOM"; else not_ok "UTF-16LE copy has no BOM"; fi
logc "$T/WCM.log"
assert_eq "UTF-16LE + CRLF: same outcome" proxy_auth_407 "$(j .outcome)"
assert_eq "UTF-16LE + CRLF: same line" \
	"11: proxy_auth_407: System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required." \
	"$(matches)"
assert_eq "UTF-16LE + CRLF: same line count" 14 "$(j .facts.lines_scanned)"
assert_not_contains "UTF-16LE + CRLF: no stray CR or NUL in the summary" "$(j .summary | od -c)" '\r'

# ---- CRLF alone, and a UTF-8 BOM
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$D/WCM.log"; } >"$T/WCM-crlf.log"
logc "$T/WCM-crlf.log"
assert_eq "UTF-8 BOM + CRLF: outcome" proxy_auth_407 "$(j .outcome)"
assert_eq "UTF-8 BOM + CRLF: summary ends with the message" "Required." "$(j .summary | grep -oE '[A-Za-z.]+$')"

# ---- the older "message  $$<component><date><thread>" format
logc "$D/wsyncmgr.log"
assert_eq 'wsyncmgr.log ($$< format): outcome' wsus_not_configured "$(j .outcome)"
assert_eq 'wsyncmgr.log: match without the $$< trailer' \
	"5: wsus_not_configured: Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details. Source: CWSyncMgr::DoSync" \
	"$(matches)"

# ---- two errors: the last one wins; the signature sits after a "~~" in a stack trace
logc "$D/WCM-two-errors.log"
assert_eq "two errors: the last wins" remote_closed "$(j .outcome)"
assert_eq "two errors: both listed, in file order" "2:http_503 6:remote_closed" \
	"$(matches | cut -d: -f1,2 | tr -d ' ' | paste -sd' ')"
assert_contains "two errors: summary shows the stack line that matched" "$(j .summary)" \
	"line 6: remote_closed — System.IO.IOException: Authentication failed because the remote party has closed the transport stream."
tac "$D/WCM-two-errors.log" >"$T/reversed.log"
logc "$T/reversed.log"
# a signature named like an outcome is reported as sig:NAME (routes tell them apart)
assert_eq "two errors reversed: now the other one is last" sig:http_503 "$(j .outcome)"

# ---- healthy: ok, exit 0
logc "$D/WCM-healthy.log"
assert_eq "healthy log: ok" ok "$(j .outcome)"
assert_eq "healthy log: exit 0" 0 "$rc"
assert_eq "healthy log: no match facts" "" "$(matches)"
assert_contains "healthy log: summary says none found" "$(j .summary)" "none of the 4 known error signatures in 4 lines"

# ---- bad input: exit 2 with one line on stderr
"$TSHOOT" check log "$T/missing.log" --flow "$FLOW" >"$T/stdout" 2>"$T/stderr"
rc=$?
assert_eq "missing file: exit 2" 2 "$rc"
assert_eq "missing file: one line on stderr" 1 "$(wc -l <"$T/stderr")"
assert_contains "missing file: names it" "$(cat "$T/stderr")" "missing.log"
"$TSHOOT" check log "$D/WCM.log" --flow "$T/nope.yaml" >/dev/null 2>"$T/stderr"
assert_eq "missing flow: exit 2" 2 "$?"

# ---- the newest matching line decides, also when it is a healthy one (as for pasted text)
SCCM=$TOP/flows/sccm-sus-sync.yaml
healthy='<![LOG[Successfully connected to server: SUP01.contoso.com, port: 8530, useSSL: False]LOG]!><time="11:31:02.110+420" date="11-12-2019" component="WCM" context="" type="1" thread="5184" file="wcmsvc.cpp:1105">'
{ sed -n 11p "$D/WCM.log"; echo "$healthy"; } >"$T/recovered.log"
out=$("$TSHOOT" check log "$T/recovered.log" --flow "$SCCM" --json 2>"$T/stderr"); rc=$?
assert_schema "407 then connected: --json valid" tshoot-check "$out"
assert_eq "407 then connected: ok" ok "$(j .outcome)"
assert_eq "407 then connected: exit 0" 0 "$rc"
assert_eq "407 then connected: summary names the healthy line" \
	"recovered.log line 2: healthy_connected — Successfully connected to server: SUP01.contoso.com, port: 8530, useSSL: False (healthy: the newest matching line)" \
	"$(j .summary)"
assert_eq "407 then connected: the 407 still listed" "1:proxy_auth_407 2:healthy_connected" \
	"$(matches | cut -d: -f1,2 | tr -d ' ' | paste -sd' ')"
{ echo "$healthy"; sed -n 11p "$D/WCM.log"; } >"$T/broken.log"
out=$("$TSHOOT" check log "$T/broken.log" --flow "$SCCM" --json 2>"$T/stderr"); rc=$?
assert_schema "connected then 407: --json valid" tshoot-check "$out"
assert_eq "connected then 407: the error" proxy_auth_407 "$(j .outcome)"
assert_eq "connected then 407: exit 1" 1 "$rc"
plain=$("$TSHOOT" check log "$T/recovered.log" --flow "$SCCM" 2>&1)
assert_match "407 then connected: readable output says OK" "$plain" "^OK +ok +recovered\.log line 2: healthy_connected"

# ---- no --flow: the only installed flow, else the default one, else exit 2 naming them
mkdir -p "$T/cwd" "$T/xdg/tshoot/flows" "$T/none"
cp "$FLOW" "$T/xdg/tshoot/flows/"
nof() {
	out=$(cd "$T/cwd" && XDG_DATA_HOME=$1 "$TSHOOT" check log "$2" --json 2>"$T/stderr"); rc=$?
	[ "$rc" = 2 ] || assert_schema "no --flow, check log $(basename "$2") --json: valid" tshoot-check "$out"
}
nof "$T/xdg" "$D/WCM-two-errors.log"
assert_eq "no --flow, one flow installed: uses it" "remote_closed 1" "$(j .outcome) $rc"
cp "$TOP/flows/web-reachability.yaml" "$T/xdg/tshoot/flows/"
nof "$T/xdg" "$D/WCM.log"
assert_eq "no --flow, two flows, no default: exit 2" 2 "$rc"
assert_eq "no --flow, two flows, no default: one line naming both" \
	"tshoot: check log: several flows are installed and none is the default; name one with --flow (log-test, web-reachability)" \
	"$(cat "$T/stderr")"
cp "$SCCM" "$T/xdg/tshoot/flows/"
nof "$T/xdg" "$T/recovered.log"
assert_eq "no --flow, several flows: the default (sccm-sus-sync)" "ok 0" "$(j .outcome) $rc"
nof "$T/none" "$D/WCM.log"
assert_eq "no --flow, no flow installed: exit 2" 2 "$rc"
assert_eq "no --flow, no flow installed: one line" 1 "$(wc -l <"$T/stderr")"

# ---- a 200 MB log: streamed, bounded memory; the error is on the last line
line='<![LOG[Successfully connected to server: wsus.corp.test, port: 8530, useSSL: False]LOG]!><time="10:29:40.380+420" date="11-12-2019" component="WCM" context="" type="1" thread="5184" file="wcmsvc.cpp:1105">'
yes "$line" | head -n 1000000 >"$T/big.log"
sed -n 11p "$D/WCM.log" >>"$T/big.log"
size=$(stat -c %s "$T/big.log")
if [ "$size" -gt 200000000 ]; then ok "big log is $((size / 1000000)) MB"; else not_ok "big log only $size bytes"; fi
measured "big log" "$T/big.log"
assert_eq "big log: found the last line's error" proxy_auth_407 "$(j .outcome)"
assert_eq "big log: all lines scanned" 1000001 "$(j .facts.lines_scanned)"
assert_match "big log: reports the line number" "$(j .summary)" '^big\.log line 1000001: proxy_auth_407'
rm -f "$T/big.log"

# ---- one huge line (no newline for 20 MB) does not exhaust memory either
{ head -c 20000000 /dev/zero | tr '\0' 'x'; printf '\n'; sed -n 11p "$D/WCM.log"; } >"$T/longline.log"
logc "$T/longline.log"
assert_eq "20 MB line, then the error: found on line 2" "proxy_auth_407 2" "$(j .outcome) $(j .facts.lines_scanned)"

# ---- a 100 MB log in which every line matches: the last matches and a count per
# signature are kept, so memory stays flat
line="$(printf '%0200d' 0) The request failed with HTTP status 407"
yes "$line" | head -n 420000 >"$T/every.log"
size=$(stat -c %s "$T/every.log")
if [ "$size" -gt 100000000 ]; then ok "every-line log is $((size / 1000000)) MB"; else not_ok "every-line log only $size bytes"; fi
measured "every line matches" "$T/every.log"
assert_eq "every line matches: the last line's error" proxy_auth_407 "$(j .outcome)"
assert_eq "every line matches: counted per signature" "proxy_auth_407: 420000" "$(j .facts.signature_matches)"
assert_eq "every line matches: the last 200 listed" "200 420000" \
	"$(jq -r '.facts.match | "\(length) \(.[-1] | split(":")[0])"' <<<"$out" 2>/dev/null)"
assert_eq "every line matches: the rest counted" "419800 earlier matches not listed" "$(j .facts.matches_omitted)"
rm -f "$T/every.log"

# ---- what is not a log file is refused at once: a FIFO, the kernel's files
mkfifo "$T/fifo.log"
# refused WHAT FILE MESSAGE: exit 2 with one line on stderr holding MESSAGE, promptly
refused() {
	local t0 ms
	t0=$(date +%s%N)
	timeout 20 "$TSHOOT" check log "$2" --flow "$FLOW" >"$T/stdout" 2>"$T/stderr"
	rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
	assert_eq "$1: exit 2 (bad input)" 2 "$rc"
	assert_eq "$1: one line on stderr" 1 "$(wc -l <"$T/stderr")"
	assert_contains "$1: says why" "$(cat "$T/stderr")" "$3"
	if [ "$ms" -lt 5000 ]; then ok "$1: at once (${ms} ms)"; else not_ok "$1: took ${ms} ms"; fi
}
refused "FIFO" "$T/fifo.log" "$T/fifo.log is a FIFO (named pipe), not a regular file"
refused "/proc/self/status" /proc/self/status "/proc/self/status: a path under /proc, /sys or /dev is not a log file"
refused "/dev/zero" /dev/zero "/dev/zero: a path under /proc, /sys or /dev is not a log file"
ln -s /proc/self/status "$T/status.log"
refused "a link to /proc" "$T/status.log" "$T/status.log (/proc/"
assert_contains "a link to /proc: says why" "$(cat "$T/stderr")" "/status): a path under /proc, /sys or /dev is not a log file"
refused "a directory" "$T" "$T is a directory, not a regular file"

# ---- a slow regex on long lines: the check's timeout is kept (signatures see a
# bounded part of each line, and the deadline is looked at between lines)
cat >"$T/slow.yaml" <<'EOF'
id: slow
title: A slow regex
start: scan
vars:
  logfile: {prompt: "Log file"}
signatures:
  slow: {regex: "a.*b"}
nodes:
  scan:
    type: check
    run:
      - log: {file: "${logfile}", timeout: 1}
    on: {slow: e, default: e}
  e: {type: end, result: resolved, text: "Scan over."}
EOF
head -c 200000 /dev/zero | tr '\0' a >"$T/aline"
for i in $(seq 50); do cat "$T/aline"; echo; done >"$T/long.log"
t0=$(date +%s%N)
out=$(timeout 30 "$TSHOOT" --plain --no-journal --set "logfile=$T/long.log" "$T/slow.yaml" </dev/null 2>&1); rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
assert_eq "slow regex, long lines: the walk ends" 0 "$rc"
assert_match "slow regex, long lines: the check timed out" "$out" "timeout: long\.log: stopped after [0-9]+ lines \(timeout 1 s\)"
if [ "$ms" -lt 5000 ]; then ok "slow regex, long lines: 1 s timeout kept (${ms} ms in all)"; else not_ok "slow regex, long lines: took ${ms} ms"; fi

done_testing
