/* main.c — command-line dispatch (tshoot(1)).
 *
 * `tshoot [OPTIONS] [FLOW]` walks a flow (cmd_run.c); `tshoot COMMAND ...` runs one of
 * the commands (lint, graph, list, sessions, report: cmd_tools.c; check: cmd_check.c).
 * Every problem with what was typed is exit 2 with one line on stderr ("tshoot: ...")
 * and a hint, before anything touches the terminal or the network (cmd.h). */
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checks/check.h"
#include "src/cmd.h"
#include "src/cmd_check.h"
#include "src/util.h"
#ifndef TSHOOT_VERSION
#define TSHOOT_VERSION "0.0.0"
#endif


static const char usage_text[] =
	"Usage: tshoot [OPTIONS] [FLOW]\n"
	"       tshoot COMMAND [ARGS...]\n"
	"\n"
	"Walk through a troubleshooting flow: full screen on a terminal, line mode otherwise.\n"
	"FLOW is a flow file or the id of a bundled or installed flow ('tshoot list').\n"
	"\n"
	"Options:\n"
	"  --plain                 line mode even on a terminal\n"
	"  --answers FILE          take answers from FILE (non-interactive replay)\n"
	"  --scenario FILE         training: simulated check outcomes, marked as simulated\n"
	"  --trainee NAME          training: the trainee's name, for the result\n"
	"  --results FILE          training: write the result (JSON) to FILE when the walk stops\n"
	"  --resume [JOURNAL]      continue an interrupted session (asks which on a terminal)\n"
	"  --report FILE           write the transcript to FILE when the walk ends\n"
	"  --ticket ID             the ticket this walk is for (shown in the report)\n"
	"  --format FMT            text, md, json or answers (default: by FILE's extension)\n"
	"  --set VAR=VALUE         preset a flow variable (repeatable)\n"
	"  --lang TAG              the flow's texts in language TAG (default: LC_ALL/LC_MESSAGES/LANG)\n"
	"  --node ID               start at node ID instead of the flow's start\n"
	"  --no-journal            do not keep a session journal\n"
	"  -h, --help              show this help\n"
	"  --version               show the version\n"
	"\n"
	"Commands:\n"
	"  lint FLOW...            validate flows and training scenarios; exit 1 on any error\n"
	"  graph FLOW [--heat [PATH...]] [--since DATE|AGE] [--format dot|svg|png]\n"
	"                          the decision tree as Graphviz dot; --heat: how often\n"
	"                          recorded walks passed each node and edge\n"
	"  list [--ids | --nodes FLOW | --vars FLOW]\n"
	"                          bundled and installed flows and training scenarios;\n"
	"                          one id a line: flows, or a flow's nodes or variables\n"
	"  check http URL [--expect CODE[,CODE...]] [--proxy URL] [--proxy-user USER:PASS]\n"
	"                 [--timeout S] [--cacert FILE] [--json]\n"
	"  check tls HOST[:PORT] [--name FQDN] [--warn-days N] [--crit-days N] [--cacert FILE]\n"
	"                 [--proxy URL] [--timeout S] [--json]\n"
	"  check cert FILE [--name FQDN] [--warn-days N] [--crit-days N] [--cacert FILE]\n"
	"                 [--password-env VAR] [--json]\n"
	"  check proxy PROXY_URL --target URL [--expect CODE[,CODE...]] [--proxy-user USER:PASS]\n"
	"                 [--timeout S] [--json]\n"
	"  check tcp HOST:PORT [--timeout S] [--json]\n"
	"  check dns NAME [--json]\n"
	"  check log FILE [--flow FLOW] [--json]\n"
	"  check KIND ... --nagios  a monitoring plugin's line; exit 0 OK, 1 WARNING, 2 CRITICAL,\n"
	"                 3 UNKNOWN\n"
	"  sessions [--prune [--older-than AGE]]\n"
	"                          sessions that can be resumed; --prune deletes stale ones\n"
	"                          (finished, or untouched for AGE: Nh, Nd or Nw; default 30d)\n"
	"  report JOURNAL [--format FMT] [-o FILE] [--lang TAG]\n"
	"                          the transcript of a session\n"
	"  stats [--flow ID] [--since DATE|AGE] [--json] [PATH...]\n"
	"                          how recorded walks went: ends, times, outcomes, backs\n"
	"  sweep check KIND --targets FILE [--port N] [--jobs N] [--json|--csv] [OPTIONS]\n"
	"  sweep FLOW --answers FILE --targets FILE --var VAR [--jobs N] [--json|--csv]\n"
	"                          a check or a walk per target, N at a time (default 16)\n"
	"  sweep --merge FILE...   one table of earlier sweeps' --json lines\n"
	"\n"
	"Exit status: 0 ok or resolved, 1 a problem was found (escalate),\n"
	"2 usage error or bad input, 3 internal error or a report not written,\n"
	"128+N stopped by signal N (129 SIGHUP, 130 SIGINT, 143 SIGTERM).\n"
	"See tshoot(1) and tshoot-flow(5).\n";

int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tshoot: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'tshoot --help'.\n", stderr);
	va_end(ap);
	return EXIT_USAGE;
}

void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tshoot: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cmd_usage(FILE *out)
{
	fputs(usage_text, out);
}

void cmd_version(FILE *out)
{
	fprintf(out, "tshoot %s\n", TSHOOT_VERSION);
}

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static int cmd_help(int argc, char **argv)
{
	cmd_usage(stdout);
	return 0;
}

static const struct command commands[] = {
	{"lint", cmd_lint},
	{"graph", cmd_graph},
	{"list", cmd_list},
	{"check", cmd_check_main},
	{"sessions", cmd_sessions},
	{"report", cmd_report},
	{"stats", cmd_stats},
	{"sweep", cmd_sweep},
	{"help", cmd_help},
};

int main(int argc, char **argv)
{
	/* Only the character type: display widths and UTF-8 symbols follow the terminal,
	 * while numbers in JSON and reports keep a '.' whatever LC_NUMERIC says (and start-up
	 * reads one locale file, not a dozen). */
	setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);
	if (argc > 1) {
		for (size_t i = 0; i < ARRAY_LEN(commands); i++)
			if (!strcmp(argv[1], commands[i].name))
				return commands[i].run(argc - 1, argv + 1);
	}
	return cmd_run(argc, argv);
}
