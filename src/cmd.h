/* cmd.h — the commands of tshoot(1), each a front end over the core: what was typed
 * in, an exit status out. main.c dispatches; cmd_run.c walks a flow; cmd_tools.c holds
 * list, lint, graph, sessions and report; cmd_stats.c stats; cmd_check.c is `tshoot check`.
 *
 * Exit status (tshoot(1)): 0 ok / resolved, 1 a problem found / escalate, 2 usage or
 * bad input, 3 internal error or a report not written, 128 + N stopped by signal N. */
#ifndef TSHOOT_CMD_H
#define TSHOOT_CMD_H

#include <stdio.h>

#define EXIT_PROBLEM  1
#define EXIT_USAGE    2
#define EXIT_INTERNAL 3
#define EXIT_SIGNAL_BASE 128

/* One line on stderr ("tshoot: ...") saying what is wrong, then the hint to see
 * --help. Returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line on stderr, no hint (bad input rather than bad usage). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* tshoot --help and --version, on out. */
void cmd_usage(FILE *out);
void cmd_version(FILE *out);

/* `tshoot [OPTIONS] [FLOW]`: argv as main() has it. */
int cmd_run(int argc, char **argv);
/* The commands: argv[0] is the command's name. */
int cmd_list(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_sessions(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stats(int argc, char **argv);

/* Shared by `tshoot stats` and `tshoot graph --heat` (cmd_stats.c). */
struct stats;
/* --since: YYYY-MM-DD (local midnight) or an age (parse_age) before now. 0 or -1. */
int stats_parse_since(const char *arg, long long *since);
/* Count the paths (the session directory when none); -1 after saying why not. */
int stats_read_paths(struct stats *s, char **paths, int npaths);
/* Say on stderr which files were skipped as neither journal nor report. */
void stats_say_unreadable(const struct stats *s);
/* `tshoot sweep`: a check or a walk per target (cmd_sweep.c). */
int cmd_sweep(int argc, char **argv);

#endif
