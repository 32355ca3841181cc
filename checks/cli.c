/* cli.c — `tshoot check KIND ...`: parse the command line, validate everything before
 * any network traffic, run one check, print it readably or as JSON.
 * Exit: 0 ok, 1 a problem found, 2 bad input (one line on stderr), 128 + the signal when
 * SIGINT (130) or SIGTERM (143) stopped it. */
#include "checks/check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "checks/curl_dl.h"
#include "checks/http_internal.h"
#include "checks/net.h"
#include "src/flow.h"
#include "src/flow_catalog.h"
#include "src/report.h"
#include "src/secret.h"
#include "src/util.h"

enum { K_HTTP = 1, K_TLS = 2, K_PROXY = 4, K_TCP = 8, K_DNS = 16, K_LOG = 32, K_ALL = 63 };

struct cli_opt {
	const char *name;        /* "--expect" */
	const char *param;       /* request key, or NULL for flags handled here */
	const char *metavar;     /* NULL: takes no argument */
	unsigned kinds;
	const char *help;
};

static const struct cli_opt cli_opts[] = {
	{"--expect", "expect", "CODES", K_HTTP, "expected status codes: 200,401 or 200-299 (default 200-399)"},
	{"--follow", "follow", NULL, K_HTTP, "follow redirects (default: a 3xx is the answer)"},
	{"--target", "target", "URL", K_PROXY, "the URL to reach through the proxy (required)"},
	{"--proxy", "proxy", "URL", K_HTTP | K_TLS, "go through this proxy"},
	{"--proxy-user", "proxy_user", "USER", K_HTTP | K_PROXY,
	 "proxy account; the password comes from $TSHOOT_PROXY_PASSWORD or a prompt"},
	{"--name", "name", "FQDN", K_TLS, "name for SNI and to match the certificate (default HOST)"},
	{"--warn-days", "warn_days", "N", K_TLS, "warn when the certificate expires within N days (default 30)"},
	{"--cacert", "cacert", "FILE", K_HTTP | K_TLS, "trust the CA certificates in FILE"},
	{"--flow", "flow", "FLOW", K_LOG, "flow (path or id) whose signatures to match (default: the only or default flow)"},
	{"--timeout", "timeout", "S", K_ALL & ~K_LOG, "give up after S seconds (default 10)"},
	{"--json", NULL, NULL, K_ALL, "print one JSON object"},
	{"--help", NULL, NULL, K_ALL, "this help"},
	{NULL, NULL, NULL, 0, NULL},
};

static const struct {
	const char *kind;
	unsigned bit;
	const char *positional;   /* metavar of the one positional argument */
} cli_kinds[] = {
	{"http", K_HTTP, "URL"},
	{"tls", K_TLS, "HOST[:PORT]"},
	{"proxy", K_PROXY, "PROXY_URL"},
	{"tcp", K_TCP, "HOST:PORT"},
	{"dns", K_DNS, "NAME"},
	{"log", K_LOG, "FILE"},
};

/* The check's cancel flag: 0, or the number of the signal that stopped it. */
static atomic_int cli_cancel;

static void on_stop_signal(int sig)
{
	atomic_store(&cli_cancel, sig);
}

/* Parameters being collected for the request. */
struct params {
	const char *keys[16];
	char *values[16];
	size_t n;
};

static void params_set(struct params *p, const char *key, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		if (str_eq(p->keys[i], key)) {
			free(p->values[i]);
			p->values[i] = xstrdup(value);
			return;
		}
	}
	if (p->n < ARRAY_LEN(p->keys)) {
		p->keys[p->n] = key;
		p->values[p->n++] = xstrdup(value);
	}
}

static const char *params_get(const struct params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (str_eq(p->keys[i], key))
			return p->values[i];
	return NULL;
}

static void params_free(struct params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		/* a password, or a URL that may hold one */
		explicit_bzero(p->values[i], strlen(p->values[i]));
		free(p->values[i]);
	}
	p->n = 0;
}

static void usage(FILE *out, const char *kind, unsigned bit, const char *positional)
{
	if (!kind) {
		fprintf(out, "usage: tshoot check KIND ARG [OPTIONS]\n\nkinds:\n");
		for (size_t i = 0; check_kinds[i]; i++)
			fprintf(out, "  %-6s %s\n", check_kinds[i]->name, check_kinds[i]->summary);
		fprintf(out, "\n`tshoot check KIND --help` lists a kind's options.\n"
			     "Exit status: 0 ok, 1 a problem was found, 2 bad input.\n");
		return;
	}
	const struct check_kind *k = check_kind_get0(kind);
	fprintf(out, "usage: tshoot check %s %s [OPTIONS]\n%s\n\noptions:\n", kind, positional,
		k ? k->summary : "");
	for (const struct cli_opt *o = cli_opts; o->name; o++) {
		if (!(o->kinds & bit))
			continue;
		char *left = xasprintf("%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(out, "  %-20s %s\n", left, o->help);
		free(left);
	}
	if (k) {
		fprintf(out, "\noutcomes:");
		for (const char *const *oc = k->outcomes; *oc; oc++)
			fprintf(out, " %s", str_eq(*oc, "signature") ? "SIGNATURE-ID" : *oc);
		fprintf(out, "\nExit status: 0 ok, 1 a problem was found, 2 bad input.\n");
	}
}

/* Read a password from /dev/tty without echo. NULL when there is no terminal. */
static char *prompt_password(const char *user)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (!isatty(fd)) {
		close(fd);
		return NULL;
	}
	struct termios old, quiet;
	bool restored = tcgetattr(fd, &old) != 0;
	if (!restored) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	char *prompt = xasprintf("Password for proxy user %s: ", user);
	ssize_t w = write(fd, prompt, strlen(prompt));
	(void)w;
	free(prompt);
	struct strbuf sb = {0};
	char c;
	while (read(fd, &c, 1) == 1 && c != '\n' && c != '\r')
		sb_addc(&sb, c);
	if (!restored)
		tcsetattr(fd, TCSAFLUSH, &old);
	w = write(fd, "\n", 1);
	close(fd);
	return sb_steal(&sb);
}

/* One line on stderr, exit status 2. */
static int bad(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const char *kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* any URL password in the message masked, before cleaning */
	char *masked = secret_mask_urls_dup(msg);
	char *clean = str_clean_dup(masked);
	free(masked);
	if (kind)
		fprintf(stderr, "tshoot: check %s: %s\n", kind, clean);
	else
		fprintf(stderr, "tshoot: check: %s\n", clean);
	free(clean);
	free(msg);
	return 2;
}

/* "malformed WHAT 'URL': why", the URL's password masked (the URL may not parse). */
static int bad_url(const char *kind, const char *what, const char *url, const char *why)
{
	char *shown = secret_mask_url_dup(url);
	int rc = bad(kind, "malformed %s '%s': %s", what, shown, why);
	free(shown);
	return rc;
}

/* check log without --flow: the flow tshoot uses when none is named and nobody is
 * asked (flow_default); with none, or several and no default, says which there are. */
static int default_flow(const char *kind, struct params *p)
{
	size_t n;
	struct flow_entry *v = flow_catalog(&n);
	const struct flow_entry *def = flow_default(v, n);
	int rc = 0;
	if (def) {
		params_set(p, "flow", def->path);
	} else if (n == 0) {
		rc = bad(kind, "no --flow FLOW and no flow installed (%s)", FLOW_DIRS_TEXT);
	} else {
		char *ids = xstrdup("");
		for (size_t i = 0; i < n; i++) {
			char *t = xasprintf("%s%s%s", ids, i ? ", " : "", v[i].id);
			free(ids);
			ids = t;
		}
		rc = bad(kind, "several flows are installed and none is the default; name one with --flow (%s)", ids);
		free(ids);
	}
	flow_entries_free(v, n);
	return rc;
}

/* Hide the password of a URL argument from ps, as is done for --proxy-user; the
 * parameters hold their own copy. */
static void hide_url_password(char *arg)
{
	size_t off, len;
	if (secret_url_password(arg, &off, &len))
		memset(arg + off, '*', len);
}

static void print_text(const struct check_result *r)
{
	bool ok = str_eq(r->outcome, "ok");
	printf("%-4s  %s  %s  (%ld ms)\n", ok ? "OK" : "FAIL", r->outcome, r->summary ? r->summary : "",
	       r->elapsed_ms);
	for (size_t i = 0; i < r->facts.n; i++)
		if (!secret_name(r->facts.v[i].key))
			printf("  %s: %s\n", r->facts.v[i].key, r->facts.v[i].value);
	if (r->nproblems) {
		printf("  problems:");
		for (size_t i = 0; i < r->nproblems; i++)
			printf(" %s", r->problems[i]);
		printf("\n");
	}
	if (r->command && *r->command)
		printf("  command: %s\n", r->command);
}

/* Kind-specific validation of the collected parameters; before any network traffic. */
static int validate(const char *kind, unsigned bit, struct params *p)
{
	const char *v, *why;
	if ((v = params_get(p, "timeout"))) {
		double s;
		if (!parse_double(v, 0.001, 3600, &s))
			return bad(kind, "--timeout must be a number of seconds from 0.001 to 3600, not '%s'", v);
	}
	if ((v = params_get(p, "cacert")) && access(v, R_OK) != 0)
		return bad(kind, "cannot read --cacert file '%s': %s", v, strerror(errno));
	/* URLs are parsed by libcurl (loaded here on first use); if it cannot be loaded,
	 * the http or proxy check itself reports that (outcome error), not a malformed URL */
	bool no_curl = (bit & (K_HTTP | K_PROXY)) && curl_dl_load();
	if ((v = params_get(p, "proxy")) && !no_curl) {
		char *u = http_proxy_url_dup(v);
		why = check_url_problem(u);
		free(u);
		if (why)
			return bad_url(kind, "proxy URL", v, why);
	}
	switch (bit) {
	case K_HTTP:
		v = params_get(p, "url");
		if (!no_curl && (why = check_url_problem(v)))
			return bad_url(kind, "URL", v, why);
		if ((why = http_expect_problem(params_get(p, "expect"))))
			return bad(kind, "--expect: %s", why);
		break;
	case K_PROXY:
		v = params_get(p, "proxy");
		if (!params_get(p, "target"))
			return bad(kind, "missing --target URL (the URL to reach through the proxy)");
		v = params_get(p, "target");
		if (!no_curl && (why = check_url_problem(v)))
			return bad_url(kind, "--target URL", v, why);
		break;
	case K_TLS:
	case K_TCP: {
		char *host = NULL, *port = NULL;
		v = params_get(p, "host");
		if ((why = check_host_url_problem(v)))
			return bad(kind, "bad host '%s': %s", v, why);
		if (!net_split_hostport(v, &host, &port)) {
			free(host);
			free(port);
			return bad(kind, "malformed address '%s': write HOST:PORT or [IPv6]:PORT", v);
		}
		int rc = 0;
		if ((why = check_host_problem(host)))
			rc = bad(kind, "bad host '%s': %s", host, why);
		else if (!port && bit == K_TCP)
			rc = bad(kind, "missing port in '%s' (write HOST:PORT)", v);
		else if (port && (why = check_port_problem(port)))
			rc = bad(kind, "bad port '%s': %s", port, why);
		else {
			params_set(p, "host", host);
			if (port)
				params_set(p, "port", port);
		}
		free(host);
		free(port);
		if (rc)
			return rc;
		if ((v = params_get(p, "name")) && (why = check_host_problem(v)))
			return bad(kind, "bad --name '%s': %s", v, why);
		long days;
		if ((v = params_get(p, "warn_days")) && !parse_long(v, 0, 3650, &days))
			return bad(kind, "--warn-days must be a number of days from 0 to 3650, not '%s'", v);
		break;
	}
	case K_DNS:
		v = params_get(p, "name");
		if ((why = check_host_problem(v)))
			return bad(kind, "bad name '%s': %s", v, why);
		break;
	case K_LOG: {
		v = params_get(p, "file");
		if (access(v, R_OK) != 0)
			return bad(kind, "cannot read log file '%s': %s", v, strerror(errno));
		const char *fl = params_get(p, "flow");
		if (!fl)
			return default_flow(kind, p);
		char *path = flow_find(fl);
		if (!path)
			return bad(kind, "no flow '%s' (not a file, nor a bundled or installed flow id)", fl);
		params_set(p, "flow", path);
		free(path);
		break;
	}
	default:
		break;
	}
	return 0;
}

int check_cli_main(int argc, char **argv)
{
	if (argc < 2 || str_eq(argv[1], "--help") || str_eq(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout, NULL, 0, NULL);
		return argc < 2 ? 2 : 0;
	}
	const char *kind = argv[1];
	unsigned bit = 0;
	const char *positional_name = NULL;
	for (size_t i = 0; i < ARRAY_LEN(cli_kinds); i++)
		if (str_eq(cli_kinds[i].kind, kind)) {
			bit = cli_kinds[i].bit;
			positional_name = cli_kinds[i].positional;
		}
	if (!bit)
		return bad(NULL, "unknown check kind '%s' (http, tls, proxy, tcp, dns, log)", kind);

	struct params p = {0};
	char *positional = NULL;
	bool json = false;
	int rc = 0;
	for (int i = 2; i < argc && rc == 0; i++) {
		char *a = argv[i];
		if (a[0] != '-' || str_eq(a, "-")) {
			if (positional)
				rc = bad(kind, "unexpected argument '%s' (usage: tshoot check %s %s [OPTIONS])", a,
					 kind, positional_name);
			positional = a;
			continue;
		}
		if (str_eq(a, "-h") || str_eq(a, "--help")) {
			usage(stdout, kind, bit, positional_name);
			params_free(&p);
			return 0;
		}
		/* --opt VALUE or --opt=VALUE */
		char *eq = strchr(a, '=');
		size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
		const struct cli_opt *o;
		for (o = cli_opts; o->name; o++)
			if (strlen(o->name) == nlen && strncmp(o->name, a, nlen) == 0)
				break;
		if (!o->name) {
			char *name = xstrndup(a, nlen);
			rc = bad(kind, "unknown option '%s' (see tshoot check %s --help)", name, kind);
			free(name);
			break;
		}
		if (!(o->kinds & bit)) {
			rc = bad(kind, "option %s does not apply to check %s", o->name, kind);
			break;
		}
		char *val = NULL;
		if (o->metavar) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				rc = bad(kind, "option %s needs an argument (%s)", o->name, o->metavar);
				break;
			}
		} else if (eq) {
			rc = bad(kind, "option %s takes no argument", o->name);
			break;
		}
		if (str_eq(o->name, "--json")) {
			json = true;
		} else if (str_eq(o->name, "--follow")) {
			params_set(&p, "follow", "true");
		} else if (str_eq(o->name, "--proxy-user")) {
			char *colon = strchr(val, ':');
			if (colon) {
				fprintf(stderr, "tshoot: check %s: warning: a password on the command line is visible "
						"to other users (ps); use TSHOOT_PROXY_PASSWORD or the prompt\n", kind);
				char *user = xstrndup(val, (size_t)(colon - val));
				params_set(&p, "proxy_user", user);
				params_set(&p, "proxy_password", colon + 1);
				free(user);
				/* hide it from ps as far as we can, as curl does */
				memset(colon + 1, '*', strlen(colon + 1));
			} else {
				params_set(&p, "proxy_user", val);
			}
		} else {
			if (!*val) {
				rc = bad(kind, "option %s needs a non-empty argument (%s)", o->name, o->metavar);
				break;
			}
			params_set(&p, o->param, val);
			if (str_eq(o->metavar, "URL"))
				hide_url_password(val);
		}
	}
	if (rc) {
		params_free(&p);
		return rc;
	}
	if (!positional) {
		params_free(&p);
		return bad(kind, "missing %s (usage: tshoot check %s %s [OPTIONS])", positional_name, kind,
			   positional_name);
	}
	static const char *const pos_key[] = {[K_HTTP] = "url", [K_TLS] = "host", [K_PROXY] = "proxy",
					       [K_TCP] = "host", [K_DNS] = "name", [K_LOG] = "file"};
	params_set(&p, pos_key[bit], positional);
	if (bit & (K_HTTP | K_PROXY))
		hide_url_password(positional);

	if ((rc = validate(kind, bit, &p))) {
		params_free(&p);
		return rc;
	}
	/* the password: environment, else a prompt on the terminal, else none */
	const char *user = params_get(&p, "proxy_user");
	if (user && !params_get(&p, "proxy_password")) {
		const char *env = getenv("TSHOOT_PROXY_PASSWORD");
		if (env) {
			params_set(&p, "proxy_password", env);
		} else {
			char *pw = prompt_password(user);
			if (pw) {
				params_set(&p, "proxy_password", pw);
				explicit_bzero(pw, strlen(pw));
				free(pw);
			}
		}
	}

	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	atomic_store(&cli_cancel, 0);

	struct check_request req = {
		.kind = kind,
		.keys = p.keys,
		.values = (const char *const *)p.values,
		.nparams = p.n,
		.timeout_ms = 0,
		.cancel = &cli_cancel,
	};
	struct check_result res;
	int run = check_run(&req, &res);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	params_free(&p);

	if (run != 0 || str_eq(res.outcome, "error")) {
		/* bad input only the kind could see */
		const char *s = res.summary ? res.summary : "bad input";
		const char *prefix = "check ";
		size_t pl = strlen(prefix) + strlen(kind) + 2;
		if (str_starts(s, prefix) && strlen(s) > pl && strncmp(s + strlen(prefix), kind, strlen(kind)) == 0 &&
		    s[strlen(prefix) + strlen(kind)] == ':')
			s += pl;   /* already says "check KIND: " */
		bad(kind, "%s", s);
		check_result_free(&res);
		return 2;
	}
	if (json) {
		char *j = report_check_json(&res);
		printf("%s\n", j);
		free(j);
	} else {
		print_text(&res);
	}
	fflush(stdout);
	/* stopped by a signal: the shell's convention, whatever the check had seen */
	int sig = atomic_load(&cli_cancel);
	int status = sig ? 128 + sig : str_eq(res.outcome, "ok") ? 0 : 1;
	check_result_free(&res);
	return status;
}
