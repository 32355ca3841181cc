#!/bin/bash
# The paste box of a classify node. What the operator pastes or types is kept byte for
# byte, whatever the terminal's width (the box only shows it wrapped), so every error
# of the seed flow is recognised at 80x24 and at 40x12 as in plain mode. A bracketed
# paste of many lines (CRLF, CMTrace "~~") arrives whole without submitting; the match
# is echoed ("Recognised in: ..."); the saved report and the answers export keep the
# pasted bytes.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/tui/tmux.bash"

FLOW="$TOP/flows/sccm-sus-sync.yaml"
BOX="Paste or type the error text"

# id|text: one realistic log message per signature of the seed flow, each longer than the
# paste box is wide at 80 columns (so the box wraps it), each matching only its own.
SAMPLES=(
'proxy_auth_407|System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required.'
'http_401|System.Net.WebException: The request failed with HTTP status 401: Unauthorized (the WSUS web service).'
'http_403|System.Net.WebException: The request failed with HTTP status 403: Forbidden (the WSUS web service).'
'http_502|System.Net.WebException: The request failed with HTTP status 502: Bad Gateway while reaching upstream.'
'actively_refused|System.Net.Sockets.SocketException: No connection could be made because the target machine actively refused it 10.1.2.3:8530'
'transport_closed|System.IO.IOException: Authentication failed because the remote party has closed the transport stream.'
'wu_407_code|Failed to synchronize the update catalog from the upstream server, error = 0x8024401B (see WCM.log for more)'
'wu_401_code|Failed to synchronize the update catalog from the upstream server, error = 0x80244017 (see WCM.log for more)'
'wu_403_code|Failed to synchronize the update catalog from the upstream server, error = 0x80244018 (see WCM.log for more)'
'wu_502_code|Failed to synchronize the update catalog from the upstream server, error = 0x80244021 (see WCM.log for more)'
'wsus_not_configured|Sync failed: WSUS server not configured. Please refer to WCM.log for configuration error details. Source: CWSyncMgr::DoSync'
'sync_will_retry|SMS_WSUS_SYNC_MANAGER on the site server CM01 reports: Sync failed. Will retry in 60 minutes from now'
'http_500|System.Net.WebException: The request failed with HTTP status 500: Internal Server Error (ApiRemoting call).'
'http_503|System.Net.WebException: The request failed with HTTP status 503: Service Unavailable (the WSUS application pool).'
'wu_503_code|Failed to synchronize the update catalog from the upstream server, error = 0x80244022 (see WCM.log for more)'
'http_404|System.Net.WebException: The request failed with HTTP status 404: Not Found (ClientWebService/client.asmx).'
'ssl_trust|System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.'
'cert_chain_code|Certificate validation for the WSUS server failed with 0x800B0109 while connecting over HTTPS on port 8531'
'cert_invalid|System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.'
'ssl_send_error|System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send.'
'eula_not_downloaded|License Terms have not been completely downloaded for update 3c3a6b8b-5b2e-4f0f-9a0c-8d1f2e3a4b5c, will retry'
'eula_mention|Failed to download the EULA file for update 3c3a6b8b-5b2e-4f0f-9a0c-8d1f2e3a4b5c from the upstream server'
'content_download_failed|Content file download failed. Reason: The server returned an error. Source File: /msdownload/update/v3/x.cab'
'mu_no_response|A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed'
'mu_terminated|WinHttp error while downloading the update catalog: the connection with the server was terminated abnormally'
'mu_timeout_code|Failed to synchronize with Microsoft Update, error 0x80072EE2 (the operation timed out) after three attempts'
'mu_name_code|Failed to synchronize with Microsoft Update, error 0x80072EE7 (the server name could not be resolved) on the site server'
'mu_connect_code|Failed to synchronize with Microsoft Update, error 0x80072EFD (no connection could be opened) on the site server'
'mu_cert_code|Failed to synchronize with Microsoft Update, error 0x80072F8F (a security error occurred) on the site server CM01'
'healthy_connected|Successfully connected to server: SUP01.contoso.com, port: 8530, useSSL: False (WSUS Configuration Manager)'
'healthy_config|Setting new configuration state to 2 (WSUS_CONFIG_SUCCESS) for the WSUS server SUP01.contoso.com on site PS1'
'healthy_sync|Sync succeeded. Setting sync alert to canceled state on site PS1 (software updates synchronization finished)'
)
NAMED="transport_closed wsus_not_configured ssl_trust actively_refused"   # issue 9

# sig_title ID: the signature's title, from the flow
sig_title() {
	awk -v id="  $1:" '/^signatures:/ {s = 1} /^nodes:/ {s = 0}
		s && $0 == id {f = 1; next}
		f && /^    title:/ {sub(/^    title: *"?/, ""); sub(/"$/, ""); print; exit}' "$FLOW"
}

# The screen as one line: a panel's borders (and what shows beside them) dropped and
# rows joined, so a sentence wrapped over rows (a notice, the help panel at 40 columns)
# reads as one.
joined() { screen | sed -E 's/^[^│]*│ *//; s/ *│[^│]*$//' | tr '\n' ' ' | tr -s ' '; }
# check_joined DESC TEXT...: ok when one of the TEXTs shows up in time
check_joined() {
	local d=$1 i=0 pats=()
	shift
	for p in "$@"; do pats+=(-e "$p"); done
	while [ $i -lt 50 ]; do
		joined | grep -qF "${pats[@]}" && { ok "$d"; return; }
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$d"; printf '#   wanted: %s\n' "$@"; screen | sed 's/^/#   | /'
}

# try SIZE HOW ID TEXT: on the paste screen, paste (or type) TEXT and submit; the right
# signature must be recognised, then b goes back to the paste screen.
try() {
	local size=$1 how=$2 id=$3 text=$4 title
	title=$(sig_title "$id")
	[ -n "$title" ] || { not_ok "$id: a signature of the flow"; return; }
	if [ "$how" = pasted ]; then paste_text "$text"; else type_text "$text"; fi
	keys Enter
	if [ "$size" = 40x12 ]; then
		# One notice row at 12 rows: "? shows all" in the help panel.
		wait_for "Recognised:" && keys '?'
		check_joined "$size, $how: $id recognised" "Recognised: $title"
		keys Escape
		wait_gone "Why this step"
	else
		check_joined "$size, $how: $id recognised" "Recognised: $title"
		# what matched is echoed: a line longer than 120 columns in part (cut before the
		# match when it lies too far in)
		check_joined "$size, $how: $id: the matched text echoed" "Recognised in: ${text:0:30}" "Recognised in: ..."
	fi
	keys b
	wait_for "$BOX" && wait_gone "Recognised"
}

tui_start -- "$FLOW"
wait_for "Press Enter to go on"
keys Enter
wait_for "How to start"
keys 2
check_screen "the paste screen" "$BOX"
for size in 80x24 40x12; do
	resize "${size%x*}" "${size#*x}"
	wait_for "$BOX"
	for s in "${SAMPLES[@]}"; do
		try "$size" pasted "${s%%|*}" "${s#*|}"
	done
	for s in "${SAMPLES[@]}"; do
		case " $NAMED " in *" ${s%%|*} "*) try "$size" typed "${s%%|*}" "${s#*|}" ;; esac
	done
done

# --- A WCM.log excerpt, CRLF line ends and a CMTrace stack trace ("~~"), two trailing
# spaces on one line: pasted whole (its line breaks do not submit), classified by its
# last error, and kept byte for byte in the report and the answers export.
EXCERPT=""
for n in 9 10 11 12 13; do
	EXCERPT+=$(sed -n "${n}p" "$TOP/tests/data/logs/WCM.log")
	[ "$n" = 10 ] && EXCERPT+="  "
	EXCERPT+=$'\r\n'
done
rm -rf "$T/state/tshoot/sessions"       # the journal of this walk will be the only one
tui_start -- "$FLOW"
wait_for "Press Enter to go on"
keys Enter
wait_for "How to start"
paste_text "3"
keys 2
check_screen "a paste on a question answers nothing (2 was typed, 3 pasted)" "$BOX"
paste_text "$EXCERPT"
type_text "ZZ-END"      # typed after the paste: shows in the box only if it is still there
check_screen "the paste leaves the box open (its line breaks do not submit)" "ZZ-END"
s=$(screen)
assert_contains "the paste's last lines are in the box" "$s" 'NUMATTRS=0]LOG]!>'
assert_contains "the box shows there is more above" "$s" "▲"
keys BSpace BSpace BSpace BSpace BSpace BSpace
wait_gone "ZZ-END"
keys Enter
check_joined "the excerpt: its last error recognised" "Recognised: $(sig_title proxy_auth_407)"
check_joined "the excerpt: the matched line echoed, on one line" \
	"Recognised in: System.Net.WebException: The request failed with HTTP status 407: Proxy Authentication Required. at System.Web"
keys Enter
wait_for "Did it help?"
keys y
wait_for "RESOLVED"
keys s
wait_for "Save the report to"
keys C-u
type_text "$T/paste.json"
keys Enter
check_screen "the report is saved" "Report saved to"
printf '%s -> matched signature proxy_auth_407' "$EXCERPT" >"$T/want.txt"
assert_schema "the saved report: valid (tshoot-report)" tshoot-report "$(cat "$T/paste.json" 2>/dev/null)"
jq -j '.steps[] | select(.node == "paste-error") | .answer' "$T/paste.json" >"$T/got.txt" 2>&1
if cmp -s "$T/want.txt" "$T/got.txt"; then ok "the report keeps the pasted text byte for byte"; else
	not_ok "the report keeps the pasted text byte for byte"; cmp "$T/want.txt" "$T/got.txt" | sed 's/^/#   /'; fi
keys q
check_screen "q leaves at the end" "EXITED 0"
journal=$(ls "$T"/state/tshoot/sessions/*.journal 2>/dev/null | head -1)
# the answers file quotes the text YAML's way: \\ \" \n \r \t
q=${EXCERPT//\\/\\\\}; q=${q//\"/\\\"}; q=${q//$'\n'/\\n}; q=${q//$'\r'/\\r}; q=${q//$'\t'/\\t}
assert_contains "the answers export keeps it too" "$("$TSHOOT" report "$journal" --format answers 2>&1)" "\"paste-error\": \"$q\""

# --- Editing in the box: rows, Home, End, Backspace, Delete, Ctrl-K, UTF-8; what is
# submitted is what the box shows, trailing space and CRLF included.
rm -rf "$T/state/tshoot/sessions"
tui_start -- "$FLOW"
wait_for "Press Enter to go on"
keys Enter
wait_for "How to start"
keys 2
wait_for "$BOX"
paste_text $'first line\r\nsecond line'
check_screen "edit: a two-line paste" "second line"
keys Up
type_text "!"
check_screen "edit: Up goes to the line above (its end)" "first line!"
keys Home
type_text "> "
check_screen "edit: Home goes to the start of the line" "> first line!"
keys Down End BSpace BSpace BSpace BSpace
wait_gone "second line"
type_text "wörld"
check_screen "edit: End, Backspace and UTF-8 typing" "second wörld"
keys Left Left Left Left Left DC
check_screen "edit: Left over UTF-8 and Delete" "second örld"
keys C-k
wait_gone "örld"
keys Enter
check_screen "edit: submitted" "Not recognised"
keys q
wait_for "Quit tshoot?"
keys y
check_screen "edit: quit" "EXITED 0"
journal=$(ls "$T"/state/tshoot/sessions/*.journal 2>/dev/null | head -1)
"$TSHOOT" report "$journal" --format json >"$T/edit.json"
assert_schema "edit: the journal's report valid (tshoot-report)" tshoot-report "$(cat "$T/edit.json")"
jq -j '.steps[] | select(.node == "paste-error") | .answer' "$T/edit.json" >"$T/got.txt" 2>&1
printf '> first line!\r\nsecond  -> no signature matched' >"$T/want.txt"
if cmp -s "$T/want.txt" "$T/got.txt"; then ok "edit: the text submitted is the text edited"; else
	not_ok "edit: the text submitted is the text edited"; od -c "$T/got.txt" | head -5 | sed 's/^/#   /'; fi

# --- Beyond 256 KiB a paste is cut, and the screen says so.
tui_start -- "$FLOW"
wait_for "Press Enter to go on"
keys Enter
wait_for "How to start"
keys 2
wait_for "$BOX"
line=$(sed -n 11p "$TOP/tests/data/logs/WCM.log")
big=""
while [ ${#big} -le 270000 ]; do big+="$line"$'\n'; done
paste_text "$big"
check_screen "a paste beyond 256 KiB: the rest is left out, and the screen says so" "longer than 256 KiB" 600
keys Enter
check_joined "what was kept is classified" "Recognised: $(sig_title proxy_auth_407)"

done_testing
