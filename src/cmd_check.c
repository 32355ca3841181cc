/* cmd_check.c — `tshoot check KIND ...`: read the command line, validate everything
 * before any network traffic, ask for a proxy password on the terminal when needed, run
 * one check, print it readably or as JSON.
 *
 * The options, their arguments, help lines and limits all come from the kind's
 * parameter table (checks/check.h, struct check_param_info): a parameter written
 * warn_days in a flow is --warn-days here, with the same range and words.
 * Exit: 0 ok, 1 a problem found, 2 bad input (one line on stderr), 128 + the signal when
 * SIGINT (130) or SIGTERM (143) stopped it. With --nagios, a monitoring plugin: one line
 * on stdout (check_nagios_line, bad input too) and 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
#include "src/cmd_check.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "checks/check.h"
#include "src/flow.h"
#include "src/flow_catalog.h"
#include "src/report.h"
#include "src/secret.h"
#include "src/util.h"

#define EXIT_LINE "Exit status: 0 ok, 1 a problem was found, 2 bad input;\n" \
	"with --nagios 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad input too).\n"

static char *kind_names(void);

/* The check's cancel flag: 0, or the number of the signal that stopped it. */
static atomic_int cli_cancel;

/* --nagios anywhere on the command line: every message, bad input too, is the plugin's
 * one line on stdout, and the exit status its state. */
static bool nagios_mode;

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
	if (nagios_mode) {
		struct check_result r = {.kind = (char *)(kind ? kind : ""), .outcome = (char *)"error",
					 .summary = clean};
		char *line = check_nagios_line(NULL, &r);
		printf("%s\n", line);
		fflush(stdout);
		free(line);
		free(clean);
		free(msg);
		return CHECK_STATE_UNKNOWN;
	}
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

/* ---- Options from the parameter table ------------------------------------------- */

/* "--warn-days" for warn_days. Caller frees. */
static char *option_name(const struct check_param_info *p)
{
	char *o = xasprintf("--%s", p->key);
	for (char *c = o + 2; *c; c++)
		if (*c == '_')
			*c = '-';
	return o;
}

/* The parameter of k that option a (its first n characters) names, or NULL. */
static const struct check_param_info *option_param(const struct check_kind *k, const char *a, size_t n)
{
	for (const struct check_param_info *p = k->params; p->key; p++) {
		if (p->cli != CHECK_CLI_OPTION)
			continue;
		char *o = option_name(p);
		bool same = strlen(o) == n && strncmp(o, a, n) == 0;
		free(o);
		if (same)
			return p;
	}
	return NULL;
}

/* Is a (n characters) an option of some kind? */
static bool option_of_any_kind(const char *a, size_t n)
{
	for (size_t i = 0; check_kinds[i]; i++)
		if (option_param(check_kinds[i], a, n))
			return true;
	return false;
}

/* The parameter the positional argument fills. */
static const struct check_param_info *argument_param(const struct check_kind *k)
{
	for (const struct check_param_info *p = k->params; p->key; p++)
		if (p->cli == CHECK_CLI_ARGUMENT)
			return p;
	return NULL;
}

/* The help line of an option: the table's words, its default, and what is particular
 * to the command line. Caller frees. */
static char *option_help(const struct check_param_info *p)
{
	struct strbuf sb = {0};
	sb_add(&sb, p->doc);
	if (str_eq(p->key, "proxy_user"))
		sb_add(&sb, "; the password comes from $TSHOOT_PROXY_PASSWORD or a prompt");
	if (p->required)
		sb_add(&sb, " (required)");
	else if (p->type == CHECK_PARAM_FLOW)
		sb_add(&sb, " (default: the only or default flow)");
	else if (p->def && p->type != CHECK_PARAM_BOOL)
		sb_printf(&sb, " (default %s)", p->def);
	return sb_steal(&sb);
}

static void usage_line(FILE *out, const char *left, const char *help)
{
	fprintf(out, "  %-20s %s\n", left, help);
}

static void usage(FILE *out, const struct check_kind *k)
{
	if (!k) {
		fprintf(out, "usage: tshoot check KIND ARG [OPTIONS]\n\nkinds:\n");
		for (size_t i = 0; check_kinds[i]; i++)
			fprintf(out, "  %-6s %s\n", check_kinds[i]->name, check_kinds[i]->summary);
		fprintf(out, "\n`tshoot check KIND --help` lists a kind's options.\n" EXIT_LINE);
		return;
	}
	const struct check_param_info *arg = argument_param(k);
	fprintf(out, "usage: tshoot check %s %s [OPTIONS]\n%s\n\noptions:\n", k->name, arg ? arg->metavar : "",
		k->summary);
	for (const struct check_param_info *p = k->params; p->key; p++) {
		if (p->cli != CHECK_CLI_OPTION)
			continue;
		char *o = option_name(p);
		char *left = xasprintf("%s%s%s", o, p->metavar ? " " : "", p->metavar ? p->metavar : "");
		char *help = option_help(p);
		usage_line(out, left, help);
		free(help);
		free(left);
		free(o);
	}
	usage_line(out, "--json", "print one JSON object");
	usage_line(out, "--nagios", "print a monitoring plugin's line (Icinga, Nagios): exit 0 OK .. 3 UNKNOWN");
	usage_line(out, "--help", "this help");
	fprintf(out, "\noutcomes:");
	for (const char *const *oc = k->outcomes; *oc; oc++)
		fprintf(out, " %s", str_eq(*oc, "signature") ? "SIGNATURE-ID" : *oc);
	fprintf(out, "\n" EXIT_LINE);
}

/* ---- Reading the command line ----------------------------------------------------- */

struct cli {
	const struct check_kind *k;
	const char *kind;
	struct params p;
	char *positional;                  /* argv's, shown to ps with any password masked */
	char *positional_own;              /* its copy, password and all */
	bool json;
	bool nagios;
	bool help;
};

/* --proxy-user USER[:PASS]: a password here is visible to others; hide it from ps. */
static void take_proxy_user(struct cli *c, char *val)
{
	char *colon = strchr(val, ':');
	if (!colon) {
		params_set(&c->p, "proxy_user", val);
		return;
	}
	fprintf(stderr, "tshoot: check %s: warning: a password on the command line is visible "
			"to other users (ps); use TSHOOT_PROXY_PASSWORD or the prompt\n", c->kind);
	char *user = xstrndup(val, (size_t)(colon - val));
	params_set(&c->p, "proxy_user", user);
	params_set(&c->p, "proxy_password", colon + 1);
	free(user);
	/* hide it from ps as far as we can, as curl does */
	memset(colon + 1, '*', strlen(colon + 1));
}

/* One option at argv[*i] (--opt VALUE or --opt=VALUE); *i moves past its value. */
static int take_option(struct cli *c, int argc, char **argv, int *i)
{
	char *a = argv[*i];
	char *eq = strchr(a, '=');
	size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
	if ((nlen == 6 && strncmp(a, "--json", 6) == 0) || (nlen == 6 && strncmp(a, "--help", 6) == 0) ||
	    (nlen == 8 && strncmp(a, "--nagios", 8) == 0)) {
		/* the command line's own flags */
		if (eq)
			return bad(c->kind, "option %.*s takes no argument", (int)nlen, a);
		c->json = c->json || a[2] == 'j';
		c->help = c->help || a[2] == 'h';
		c->nagios = c->nagios || a[2] == 'n';
		if (c->json && c->nagios)
			return bad(c->kind, "--json and --nagios are two outputs: give one");
		return 0;
	}
	const struct check_param_info *p = option_param(c->k, a, nlen);
	if (!p) {
		char *name = xstrndup(a, nlen);
		int rc = option_of_any_kind(a, nlen) ? bad(c->kind, "option %s does not apply to check %s", name, c->kind)
						     : bad(c->kind, "unknown option '%s' (see tshoot check %s --help)", name,
							   c->kind);
		free(name);
		return rc;
	}
	char *o = option_name(p);
	int rc = 0;
	char *val = NULL;
	if (!p->metavar) {                 /* a flag: a true-or-false parameter set true */
		if (eq)
			rc = bad(c->kind, "option %s takes no argument", o);
		else
			params_set(&c->p, p->key, "true");
	} else if (!(val = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL)) {
		rc = bad(c->kind, "option %s needs an argument (%s)", o, p->metavar);
	} else if (str_eq(p->key, "proxy_user")) {
		take_proxy_user(c, val);
	} else if (!*val) {
		rc = bad(c->kind, "option %s needs a non-empty argument (%s)", o, p->metavar);
	} else {
		params_set(&c->p, p->key, val);
		if (p->type == CHECK_PARAM_URL || p->type == CHECK_PARAM_PROXY)
			hide_url_password(val);
	}
	free(o);
	return rc;
}

/* argv[2...]: the positional argument and the options, in any order. */
static int read_args(struct cli *c, int argc, char **argv)
{
	const struct check_param_info *arg = argument_param(c->k);
	for (int i = 2; i < argc; i++) {
		char *a = argv[i];
		int rc = 0;
		if (str_eq(a, "-h")) {
			c->help = true;
			return 0;
		}
		if (a[0] != '-' || str_eq(a, "-")) {
			if (c->positional)
				rc = bad(c->kind, "unexpected argument '%s' (usage: tshoot check %s %s [OPTIONS])", a,
					 c->kind, arg->metavar);
			c->positional = a;
		} else {
			rc = take_option(c, argc, argv, &i);
		}
		if (rc || c->help)
			return rc;
	}
	if (!c->positional)
		return bad(c->kind, "missing %s (usage: tshoot check %s %s [OPTIONS])", arg->metavar, c->kind,
			   arg->metavar);
	/* the parameters take their own copy (check_cli_target_new) */
	c->positional_own = xstrdup(c->positional);
	if (arg->type == CHECK_PARAM_URL || arg->type == CHECK_PARAM_PROXY)
		hide_url_password(c->positional);
	return 0;
}

/* ---- Validation, before any traffic ----------------------------------------------- */

/* The positional HOST[:PORT] of tls and tcp: split into host and port. */
static int take_address(struct cli *c, const struct check_param_info *p, const char *v)
{
	const struct check_param_info *port_p = check_param_get0(c->k, "port");
	char *host = NULL, *port = NULL;
	const char *why;
	int rc = 0;
	if ((why = check_host_url_problem(v)))     /* before the split takes "https" for a host */
		rc = bad(c->kind, "bad %s '%s': %s", p->noun, v, why);
	else if (!check_split_hostport(v, &host, &port))
		rc = bad(c->kind, "malformed address '%s': write HOST:PORT or [IPv6]:PORT", v);
	else if ((why = check_host_problem(host)))
		rc = bad(c->kind, "bad %s '%s': %s", p->noun, host, why);
	else if (!port && port_p && port_p->required)
		rc = bad(c->kind, "missing port in '%s' (write %s)", v, p->metavar);
	else if (port && (why = check_port_problem(port)))
		rc = bad(c->kind, "bad port '%s': %s", port, why);
	if (!rc) {
		params_set(&c->p, p->key, host);
		if (port)
			params_set(&c->p, "port", port);
	}
	free(host);
	free(port);
	return rc;
}

/* The flow of a log check: a path or an installed flow's id, else the default one. */
static int take_flow(struct cli *c, const char *v)
{
	if (!v)
		return default_flow(c->kind, &c->p);
	char *path = flow_find(v);
	if (!path)
		return bad(c->kind, "no flow '%s' (not a file, nor a bundled or installed flow id)", v);
	params_set(&c->p, "flow", path);
	free(path);
	return 0;
}

/* One parameter's value against its table entry, in the command line's words. */
static int check_value(struct cli *c, const struct check_param_info *p, const char *v)
{
	bool is_arg = p->cli == CHECK_CLI_ARGUMENT;
	char *o = option_name(p);
	const char *label = is_arg ? p->noun : o;
	char buf[256];
	const char *why;
	int rc = 0;
	if (p->type == CHECK_PARAM_ADDRESS && is_arg) {
		rc = take_address(c, p, v);
	} else if ((p->type == CHECK_PARAM_URL || p->type == CHECK_PARAM_PROXY) && check_url_support_problem()) {
		rc = 0;      /* no libcurl: the check itself says so */
	} else if ((why = check_param_problem(p, v, label, buf, sizeof buf))) {
		switch (p->type) {
		case CHECK_PARAM_URL: {
			/* "malformed URL", "malformed --target URL" */
			char *what = is_arg ? xstrdup(p->noun) : xasprintf("%s URL", o);
			rc = bad_url(c->kind, what, v, why);
			free(what);
			break;
		}
		case CHECK_PARAM_PROXY:
			rc = bad_url(c->kind, p->noun, v, why);      /* "malformed proxy URL" */
			break;
		case CHECK_PARAM_DAYS:
		case CHECK_PARAM_SECONDS:
		case CHECK_PARAM_BOOL:
			rc = bad(c->kind, "%s, not '%s'", why, v);
			break;
		case CHECK_PARAM_CODES:
			rc = bad(c->kind, "%s: %s", o, why);
			break;
		case CHECK_PARAM_LOG:
			rc = bad(c->kind, "%s: %s", v, why);
			break;
		default:
			rc = bad(c->kind, "bad %s '%s': %s", label, v, why);
			break;
		}
	} else if (p->type == CHECK_PARAM_FILE) {
		/* "--cacert file"; a label that names a file already is kept ("certificate file") */
		char *what = str_ends_with(label, "file") ? xstrdup(label) : xasprintf("%s file", label);
		if ((why = check_param_file_problem(p, v, what, buf, sizeof buf)))
			rc = bad(c->kind, "%s", why);
		free(what);
	} else if (p->type == CHECK_PARAM_LOG && access(v, R_OK) != 0) {
		rc = bad(c->kind, "cannot read %s '%s': %s", p->noun, v, strerror(errno));
	}
	free(o);
	return rc;
}

/* Every parameter of the kind, in its table's order. */
static int validate(struct cli *c)
{
	for (const struct check_param_info *p = c->k->params; p->key; p++) {
		const char *v = params_get(&c->p, p->key);
		int rc = 0;
		if (p->type == CHECK_PARAM_FLOW) {
			rc = take_flow(c, v);
		} else if (v) {
			rc = check_value(c, p, v);
		} else if (p->required && p->cli == CHECK_CLI_OPTION) {
			char *o = option_name(p);
			rc = bad(c->kind, "missing %s %s (%s)", o, p->metavar, p->doc);
			free(o);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* The proxy password: the environment, else a prompt on the terminal, else none. */
static void take_password(struct params *p, bool may_ask)
{
	const char *user = params_get(p, "proxy_user");
	if (!user || params_get(p, "proxy_password"))
		return;
	const char *env = getenv("TSHOOT_PROXY_PASSWORD");
	if (env) {
		params_set(p, "proxy_password", env);
		return;
	}
	if (!may_ask)
		return;         /* --nagios: a monitoring system has no one to ask */
	char *pw = prompt_password(user);
	if (pw) {
		params_set(p, "proxy_password", pw);
		explicit_bzero(pw, strlen(pw));
		free(pw);
	}
}

/* ---- The command line of a kind, for `tshoot check` and `tshoot sweep check` ------- */

struct check_cli {
	struct cli c;
};

struct check_cli_target {
	struct params p;
	const char *kind;
};

struct check_cli *check_cli_new(const char *kind)
{
	const struct check_kind *k = check_kind_get0(kind);
	if (!k) {
		char *names = kind_names();
		bad(NULL, "unknown check kind '%s' (%s)", kind, names);
		free(names);
		return NULL;
	}
	struct check_cli *cc = xcalloc(1, sizeof(*cc));
	cc->c.k = k;
	cc->c.kind = k->name;
	return cc;
}

void check_cli_free(struct check_cli *cc)
{
	if (!cc)
		return;
	params_free(&cc->c.p);
	if (cc->c.positional_own)
		explicit_bzero(cc->c.positional_own, strlen(cc->c.positional_own));
	free(cc->c.positional_own);
	free(cc);
}

int check_cli_option(struct check_cli *cc, int argc, char **argv, int *i)
{
	return take_option(&cc->c, argc, argv, i);
}

bool check_cli_json(const struct check_cli *cc)
{
	return cc->c.json;
}

bool check_cli_help(const struct check_cli *cc)
{
	return cc->c.help;
}

void check_cli_usage(FILE *out, const struct check_cli *cc)
{
	usage(out, cc->c.k);
}

bool check_cli_has_param(const struct check_cli *cc, const char *key)
{
	return check_param_get0(cc->c.k, key) != NULL;
}

/* The options read, the positional argument and any extra parameter, validated as one
 * command line of the kind (messages say "check KIND: WHERE: ..."). */
int check_cli_target_new(const struct check_cli *cc, const char *positional, const char *key, const char *value,
			 const char *where, struct check_cli_target **out)
{
	struct cli c = cc->c;
	char *label = where ? xasprintf("%s: %s", cc->c.kind, where) : NULL;
	memset(&c.p, 0, sizeof(c.p));
	for (size_t i = 0; i < cc->c.p.n; i++)
		params_set(&c.p, cc->c.p.keys[i], cc->c.p.values[i]);
	if (label)
		c.kind = label;
	params_set(&c.p, argument_param(c.k)->key, positional);
	if (key)
		params_set(&c.p, check_param_get0(c.k, key)->key, value);
	int rc = validate(&c);
	free(label);
	*out = NULL;
	if (rc) {
		params_free(&c.p);
		return rc;
	}
	struct check_cli_target *t = xcalloc(1, sizeof(*t));
	t->p = c.p;
	t->kind = cc->c.k->name;
	*out = t;
	return 0;
}

void check_cli_password(struct check_cli_target *const *v, size_t n)
{
	if (!n)
		return;
	take_password(&v[0]->p, !nagios_mode);
	const char *pw = params_get(&v[0]->p, "proxy_password");
	for (size_t i = 1; pw && i < n; i++)
		if (params_get(&v[i]->p, "proxy_user"))
			params_set(&v[i]->p, "proxy_password", pw);
}

void check_cli_target_request(const struct check_cli_target *t, const atomic_int *cancel, struct check_request *req)
{
	*req = (struct check_request){
		.kind = t->kind,
		.keys = t->p.keys,
		.values = (const char *const *)t->p.values,
		.nparams = t->p.n,
		.timeout_ms = 0,
		.cancel = cancel,
	};
}

void check_cli_target_free(struct check_cli_target *t)
{
	if (!t)
		return;
	params_free(&t->p);
	free(t);
}

/* ---- Running and printing ----------------------------------------------------------- */

/* Run the check, SIGINT and SIGTERM cancelling it rather than killing the process. */
static int run_check(const struct check_cli_target *t, struct check_result *res)
{
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	atomic_store(&cli_cancel, 0);
	struct check_request req;
	check_cli_target_request(t, &cli_cancel, &req);
	int run = check_run(&req, res);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return run;
}

/* Bad input only the kind could see: one line, as the command line's own. */
static int report_bad_input(const char *kind, const struct check_result *res)
{
	const char *s = res->summary ? res->summary : "bad input";
	const char *prefix = "check ";
	size_t pl = strlen(prefix) + strlen(kind) + 2;
	if (str_starts(s, prefix) && strlen(s) > pl && strncmp(s + strlen(prefix), kind, strlen(kind)) == 0 &&
	    s[strlen(prefix) + strlen(kind)] == ':')
		s += pl;   /* already says "check KIND: " */
	return bad(kind, "%s", s);
}

/* --nagios reads the thresholds from the target's parameters (t). */
static int print_result(struct cli *c, const struct check_cli_target *t, const struct check_result *res)
{
	if (c->nagios) {
		struct check_request req;
		check_cli_target_request(t, &cli_cancel, &req);
		char *line = check_nagios_line(&req, res);
		printf("%s\n", line);
		fflush(stdout);
		free(line);
		return (int)check_result_state(res);
	}
	if (c->json) {
		char *j = report_check_json(res);
		printf("%s\n", j);
		free(j);
	} else {
		print_text(res);
	}
	fflush(stdout);
	/* stopped by a signal: the shell's convention, whatever the check had seen */
	int sig = atomic_load(&cli_cancel);
	return sig ? 128 + sig : str_eq(res->outcome, "ok") ? 0 : 1;
}

/* "http, tls, proxy, tcp, dns, log". Caller frees. */
static char *kind_names(void)
{
	struct strbuf sb = {0};
	for (size_t i = 0; check_kinds[i]; i++)
		sb_printf(&sb, "%s%s", i ? ", " : "", check_kinds[i]->name);
	return sb_steal(&sb);
}

int cmd_check_main(int argc, char **argv)
{
	if (argc < 2 || str_eq(argv[1], "--help") || str_eq(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout, NULL);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 1; i < argc; i++)
		nagios_mode = nagios_mode || str_eq(argv[i], "--nagios");
	struct check_cli *cc = check_cli_new(argv[1]);
	if (!cc)        /* bad() has said why: bad input, UNKNOWN with --nagios */
		return nagios_mode ? CHECK_STATE_UNKNOWN : 2;
	struct cli *c = &cc->c;
	struct check_cli_target *t = NULL;
	int rc = read_args(c, argc, argv);
	if (!rc && c->help)
		usage(stdout, c->k);
	if (rc || c->help || (rc = check_cli_target_new(cc, c->positional_own, NULL, NULL, NULL, &t))) {
		check_cli_free(cc);
		return rc;
	}
	check_cli_password(&t, 1);
	struct check_result res;
	int run = run_check(t, &res);
	if (run != 0 || str_eq(res.outcome, "error"))
		rc = report_bad_input(c->kind, &res);
	else
		rc = print_result(c, t, &res);
	check_cli_target_free(t);
	check_result_clear(&res);
	check_cli_free(cc);
	return rc;
}
