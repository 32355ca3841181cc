/* validate.c — input validation shared by the CLI, the loader, the engine and the
 * front ends. Messages are static, one line, and say what is wrong. */
#include "checks/check.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "checks/url.h"
#include "src/util.h"

/* Spaces and control characters are never part of a URL, host or port we accept. */
static const char *bad_chars_problem(const char *s, const char *what_space, const char *what_ctl)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ')
			return what_space;
		if (*p < 0x20 || *p == 0x7f)
			return what_ctl;
	}
	return NULL;
}

const char *check_port_problem(const char *port)
{
	long v;
	if (!port || !parse_long(port, 1, 65535, &v))
		return "port must be a number from 1 to 65535";
	return NULL;
}

static bool is_ipv4(const char *s)
{
	struct in_addr a;
	return inet_pton(AF_INET, s, &a) == 1;
}

static bool is_ipv6(const char *s)
{
	struct in6_addr a;
	char buf[INET6_ADDRSTRLEN + 1];
	const char *pct = strchr(s, '%');     /* zone id: fe80::1%eth0 */
	size_t n = pct ? (size_t)(pct - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/* A URL given where a host is asked ("https://sup.example.com/x", or without the scheme
 * "sup.example.com/x"): say so, rather than name the first odd character. */
const char *check_host_url_problem(const char *s)
{
	if (s && (strstr(s, "://") || strchr(s, '/')))
		return "enter a host name, not a URL";
	return NULL;
}

const char *check_host_problem(const char *host)
{
	if (!host || !*host)
		return "hostname is empty";
	const char *url = check_host_url_problem(host);
	if (url)
		return url;
	const char *bad = bad_chars_problem(host, "hostname contains a space",
					    "hostname contains a control character");
	if (bad)
		return bad;
	size_t len = strlen(host);
	if (host[0] == '[') {
		if (host[len - 1] != ']')
			return "IPv6 address is missing its closing ']'";
		char *inner = xstrndup(host + 1, len - 2);
		bool ok = is_ipv6(inner);
		free(inner);
		return ok ? NULL : "not a valid IPv6 address";
	}
	if (strchr(host, ':'))
		return is_ipv6(host) ? NULL : "hostname contains ':' (give the port separately)";
	if (is_ipv4(host))
		return NULL;
	/* RFC 1123 names: labels of letters, digits and hyphens, 1-63 long, not starting or
	 * ending with a hyphen; 253 characters in all; one trailing dot allowed. '_' is
	 * accepted because real internal names (SRV-style, some AD hosts) carry it. */
	if (host[len - 1] == '.')
		len--;
	if (len == 0)
		return "hostname is empty";
	if (len > 253)
		return "hostname is longer than 253 characters";
	size_t lab = 0;
	bool all_digits_or_dots = true;
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? host[i] : '.';
		if (c == '.') {
			if (lab == 0)
				return "hostname has an empty label (two dots in a row?)";
			if (host[i - 1] == '-' || host[i - lab] == '-')
				return "a hostname label may not start or end with '-'";
			lab = 0;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_';
		if (!ok) {
			if ((unsigned char)c >= 0x80)
				return "hostname contains non-ASCII characters (use its punycode form)";
			return "hostname contains a character not allowed in DNS names";
		}
		if (!(c >= '0' && c <= '9'))
			all_digits_or_dots = false;
		if (++lab > 63)
			return "a hostname label is longer than 63 characters";
	}
	if (all_digits_or_dots)
		return "not a valid IPv4 address";
	return NULL;
}

const char *check_url_support_problem(void)
{
	return curl_dl_load();
}

const char *check_url_problem(const char *url)
{
	if (!url || !*url)
		return "URL is empty";
	const char *bad = bad_chars_problem(url, "URL contains a space",
					    "URL contains a control character");
	if (bad)
		return bad;
	if (!strstr(url, "://"))
		return "URL must start with http:// or https://";
	const char *no_curl = curl_dl_load();
	if (no_curl)
		return no_curl;
	CURLU *u = curl_url();
	if (!u)
		return "out of memory";
	const char *problem = NULL;
	char *scheme = NULL, *host = NULL, *port = NULL;
	CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (rc != CURLUE_OK) {
		switch (rc) {
		case CURLUE_BAD_PORT_NUMBER:
			problem = "port must be a number from 1 to 65535";
			break;
		case CURLUE_UNSUPPORTED_SCHEME:
			problem = "URL scheme must be http or https";
			break;
		case CURLUE_NO_HOST:
			problem = "URL has no host";
			break;
		default:
			problem = "malformed URL";
			break;
		}
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    !(str_eq(scheme, "http") || str_eq(scheme, "https"))) {
		problem = "URL scheme must be http or https";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host) {
		problem = "URL has no host";
		goto out;
	}
	if (host[0] != '[' && (problem = check_host_problem(host)) != NULL)
		goto out;
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
		problem = check_port_problem(port);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return problem;
}

const char *check_proxy_problem(const char *proxy)
{
	if (!proxy || !*proxy)
		return "URL is empty";
	char *url = url_proxy_dup(proxy);
	const char *problem = check_url_problem(url);
	explicit_bzero(url, strlen(url));
	free(url);
	return problem;
}

bool check_split_hostport(const char *s, char **host, char **port)
{
	*host = NULL;
	*port = NULL;
	if (!s)
		return false;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close)
			return false;
		*host = xstrndup(s + 1, (size_t)(close - s - 1));
		if (close[1] == ':')
			*port = xstrdup(close + 2);
		else if (close[1] != '\0') {
			FREE_NULL(*host);
			return false;
		}
		return true;
	}
	const char *colon = strchr(s, ':');
	if (colon && !strchr(colon + 1, ':')) {          /* exactly one colon: host:port */
		*host = xstrndup(s, (size_t)(colon - s));
		*port = xstrdup(colon + 1);
	} else {
		*host = xstrdup(s);                           /* plain name, or bare IPv6 */
	}
	return true;
}

const char *check_address_problem(const char *addr)
{
	char *host = NULL, *port = NULL;
	const char *problem = NULL;
	if ((problem = check_host_url_problem(addr)))
		return problem;
	if (!check_split_hostport(addr, &host, &port))
		problem = "write HOST:PORT or [IPv6]:PORT";
	else if (!(problem = check_host_problem(host)) && port)
		problem = check_port_problem(port);
	free(host);
	free(port);
	return problem;
}

/* One item of a list of codes: "200", "200-299", "2xx". */
static bool codes_item(const char *s, size_t n, long *lo, long *hi)
{
	char buf[16];
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (n == 3 && buf[0] >= '1' && buf[0] <= '5' && (buf[1] == 'x' || buf[1] == 'X') &&
	    (buf[2] == 'x' || buf[2] == 'X')) {
		*lo = (buf[0] - '0') * 100;
		*hi = *lo + 99;
		return true;
	}
	char *dash = strchr(buf, '-');
	if (dash) {
		*dash = '\0';
		return parse_long(buf, 100, 599, lo) && parse_long(dash + 1, 100, 599, hi) && *lo <= *hi;
	}
	if (!parse_long(buf, 100, 599, lo))
		return false;
	*hi = *lo;
	return true;
}

const char *check_codes_problem(const char *codes)
{
	if (!codes)
		return NULL;
	if (!*codes)
		return "expect is empty (give codes such as 200,401 or 200-299)";
	const char *p = codes;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		long lo, hi;
		if (!codes_item(p, n, &lo, &hi))
			return "expect must list HTTP codes 100-599 such as 200,401 or 200-299";
		if (!comma)
			return NULL;
		p = comma + 1;
	}
}

bool check_codes_has(const char *codes, long code)
{
	if (!codes)
		return code >= 200 && code <= 399;
	const char *p = codes;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		long lo, hi;
		if (codes_item(p, n, &lo, &hi) && code >= lo && code <= hi)
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}
