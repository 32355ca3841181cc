/* cmd_check.h — `tshoot check KIND ARG [OPTIONS]`: one check from the command line. */
#ifndef TSHOOT_CMD_CHECK_H
#define TSHOOT_CMD_CHECK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct check_request;

/* argv[0] is "check". Prints the result (text or --json) on stdout, bad input as one
 * line on stderr. Returns the exit status: 0 ok, 1 a problem found, 2 bad input,
 * 128 + the signal when SIGINT or SIGTERM stopped it. */
int cmd_check_main(int argc, char **argv);

/* The command line of one check kind, read and validated by the rules of `tshoot check`
 * (the kind's parameter table): `tshoot sweep check` reads its check options with these,
 * and makes one validated request per target. Every function that refuses input has
 * said why in one line on stderr and returns 2. */
struct check_cli;
struct check_cli_target;
/* NULL (said why) when kind is not a check kind. */
struct check_cli *check_cli_new(const char *kind);
void check_cli_free(struct check_cli *c);
/* argv[*i], an option of the kind, --json or --help (--opt VALUE or --opt=VALUE); *i
 * moves past its value. 0, or 2. */
int check_cli_option(struct check_cli *c, int argc, char **argv, int *i);
bool check_cli_json(const struct check_cli *c);
bool check_cli_help(const struct check_cli *c);
void check_cli_usage(FILE *out, const struct check_cli *c);
/* Has the kind a parameter key ("port", "name")? */
bool check_cli_has_param(const struct check_cli *c, const char *key);
/* The options read, positional as the kind's argument and, when key is not NULL, that
 * parameter (one the kind has) set to value: validated before any traffic. where (or
 * NULL) says where positional came from, in messages ("hosts.txt:3"). 0 with *out, or 2. */
int check_cli_target_new(const struct check_cli *c, const char *positional, const char *key, const char *value,
			 const char *where, struct check_cli_target **out);
/* The proxy password when a proxy user is given: $TSHOOT_PROXY_PASSWORD, else asked
 * once on the terminal; every target of v gets it. */
void check_cli_password(struct check_cli_target *const *v, size_t n);
/* The target's request (pointing into t) with this cancel flag. */
void check_cli_target_request(const struct check_cli_target *t, const atomic_int *cancel, struct check_request *req);
void check_cli_target_free(struct check_cli_target *t);

#endif
