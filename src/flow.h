/* flow.h — the flow model: a decision tree loaded from a YAML file (tshoot-flow(5)).
 *
 * A struct flow is immutable after flow_load_*() returns it; the engine, lint, the
 * front ends and the reports only read it. Every element keeps the position (line,
 * column, 1-based) of where it was written, so any message can point at it.
 * All strings are owned by the flow and freed by flow_free(). */
#ifndef TSHOOT_FLOW_H
#define TSHOOT_FLOW_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "src/diag.h"

/* Limits that keep a hostile file from exhausting memory or the stack. */
#define FLOW_MAX_FILE_BYTES   (4u * 1024 * 1024)
#define FLOW_MAX_DEPTH        32        /* YAML nesting */
#define FLOW_MAX_STRING       (64u * 1024)
#define FLOW_MAX_NODES        10000
#define FLOW_MAX_ITEMS        1000      /* answers, checks, steps, vars in one node */
#define FLOW_MAX_VISITS       1000      /* the largest max_visits a node may carry */

struct flow_pos {
	int line, col;
};

/* What the operator said at a steps node (the step's choice, as journals keep it). */
enum steps_outcome { STEPS_NOT_FIXED = 0, STEPS_FIXED = 1, STEPS_CANNOT = 2 };

/* NODE_FLOW: a call of a sub-flow (tshoot-flow(5), SUB-FLOWS). NODE_RETURN is never
 * written: flow_link (src/flow_link.h) turns a called flow's end nodes into returns,
 * which go on to where the call routes their result. */
enum node_type { NODE_INFO, NODE_QUESTION, NODE_INPUT, NODE_CHECK, NODE_CLASSIFY, NODE_STEPS, NODE_END,
		 NODE_BRANCH, NODE_FLOW, NODE_RETURN };
enum validate_kind { VALIDATE_NONE, VALIDATE_HOSTNAME, VALIDATE_PORT, VALIDATE_URL, VALIDATE_NONEMPTY };
enum end_result { END_RESOLVED, END_ESCALATE };

struct flow_var {
	char *name;
	char *prompt;                /* never NULL after load (defaults to the name) */
	char *def;                   /* default value or NULL */
	char *why;                   /* help text or NULL */
	enum validate_kind validate;
	bool secret;                 /* never shown, journaled or reported */
	bool optional;               /* may be left empty */
	struct flow_pos pos;
};

struct flow_sig {
	char *id;
	char *title;                 /* human description or NULL */
	char *text;                  /* the substring or the regex source */
	bool is_regex;               /* POSIX extended, case-insensitive */
	regex_t re;                  /* compiled when is_regex */
	struct flow_pos pos;
};

/* A reference to another node by id; idx is resolved at load (-1 when missing,
 * which lint reports). */
struct flow_ref {
	char *id;
	int idx;
	struct flow_pos pos;
};

/* One `set:` entry (format 2): variable name <- a template, applied when the answer is
 * chosen or the node is left. idx: the variable's index, resolved at load (-1 when it
 * is not declared, which lint reports). */
struct flow_set {
	char *name;
	char *value;                 /* a template (${...}) */
	int idx;
	struct flow_pos pos;
};

struct flow_answer {
	char *label;
	char *why;                   /* optional */
	struct flow_ref next;
	struct flow_set *sets;       /* set: on this answer */
	size_t nsets;
	struct flow_pos pos;
};

struct expr;

/* A rule of a branch node's `when:` list: if the condition holds, go to next. */
struct flow_rule {
	char *cond;                  /* the condition's source, as written */
	struct expr *expr;           /* parsed at load (src/expr.h); NULL after a syntax error */
	struct flow_ref next;
	struct flow_pos pos;         /* of the condition's value */
};

struct flow_param {
	char *key;
	char *value;                 /* as written; may hold ${var} templates */
	struct flow_pos pos;
};

/* One check of a check node: `- http: {url: ..., timeout: 10}` with optional `label:`. */
struct flow_check {
	char *kind;                  /* "http", "tls", "proxy", "tcp", "dns", "log" */
	char *label;                 /* human label or NULL */
	char *capture;               /* capture: LABEL (format 2), or NULL: its facts and
	                                outcome read as ${LABEL.fact} after the check */
	struct flow_pos capture_pos;
	struct flow_param *params;
	size_t nparams;
	struct flow_pos pos;
};

/* A route of a check or classify node: outcome pattern (or signature id) -> node.
 * Patterns: an outcome name ("ok", "refused", "http_503"), a class ("http_4xx",
 * "http_5xx", "tls_*", "proxy_*"), "problem" (any outcome but ok and error), "default"
 * (any but error); "error" (a check that could not run) is taken by "error" alone. */
struct flow_route {
	char *pattern;
	struct flow_ref next;
	struct flow_pos pos;
};

struct flow_step {
	char *text;
	char *why;                   /* optional */
	struct flow_pos pos;
};

struct flow_node {
	char *id;
	enum node_type type;
	char *title;                 /* short title or NULL (front ends fall back to the id) */
	char *text;                  /* body text or NULL; may hold ${var} */
	char *why;                   /* the reason behind the step, or NULL */
	struct flow_pos pos;

	struct flow_ref next;        /* info, input: where to go on (id NULL when absent) */
	struct flow_answer *answers; /* question */
	size_t nanswers;
	struct flow_ref *vars;       /* input: variable names (idx = index into flow->vars) */
	size_t nvars;
	struct flow_check *checks;   /* check */
	size_t nchecks;
	struct flow_route *routes;   /* check, classify: in the order written */
	size_t nroutes;
	struct flow_step *steps;     /* steps */
	size_t nsteps;
	struct flow_ref fixed, not_fixed;   /* steps */
	struct flow_ref cannot;      /* steps: "could not apply the steps" (id NULL when absent) */
	char *ask;                   /* steps: the "did it help?" question (template) or NULL */
	enum end_result result;      /* end */
	char **collect;              /* end: what to collect when escalating */
	size_t ncollect;
	/* Any type but end: a walk about to enter this node for the (max_visits + 1)th time
	 * goes to on_max instead (tshoot-flow(5), LOOPS). 0 / id NULL when not written. */
	int max_visits;
	struct flow_ref on_max;
	struct flow_rule *rules;     /* branch: when:, in order; the first that holds wins */
	size_t nrules;
	struct flow_ref def;         /* branch: default: where to go when none holds */
	struct flow_set *sets;       /* set: applied when the node is left (any type) */
	size_t nsets;
	/* flow (a sub-flow call): the callee as written (an id or a path relative to this
	 * file); with: the callee's variables preset (values are templates read in the
	 * caller; idx resolved by flow_link); the routes (on:) take the callee's end
	 * result or return name. Once linked, next leads to the callee's start. */
	char *callee;
	struct flow_pos callee_pos;
	struct flow_set *withs;
	size_t nwiths;
	char *ret;                   /* end: return: NAME, routable by the caller, or NULL;
	                                return (linked): the name its call routed on */
	int scope;                   /* the flow_scope this node belongs to (0: the flow
	                                itself; set by flow_link) */
};

/* A linked flow (flow_link) holds the nodes and variables of the flows it calls, each
 * call a scope: node ids and variable names prefixed "CALL/" (the call node's id,
 * nested calls joined the same way). Scope 0 is the flow itself, with prefix "". */
struct flow_scope {
	char *prefix;                /* "" or "reach-wsus/" */
	char *flow_id;               /* the id of the flow running in it */
	char *title;                 /* its title or NULL */
	int call;                    /* the call node's index, -1 for scope 0 */
	int parent;                  /* the calling scope, -1 for scope 0 */
	int depth;                   /* 0 for the flow itself, 1 for a call in it, ... */
};

struct flow {
	char *path;                  /* the file it came from */
	char *id;
	char *title;
	char *version;               /* NULL when not given */
	char *description;
	struct flow_ref start;
	struct flow_var *vars;
	size_t nvars;
	struct flow_sig *sigs;
	size_t nsigs;
	struct flow_node *nodes;
	size_t nnodes;
	struct flow_scope *scopes;   /* linked flows: one per call (scope 0 first); NULL
	                                until flow_link, which every walk uses */
	size_t nscopes;
	struct flow_pos pos;         /* of the document */
	/* Positions of top-level keys, for lint messages (0 when absent). */
	struct flow_pos id_pos, title_pos, start_pos;
	/* Languages (tshoot-flow(5), LANGUAGES): those `languages:` declares (none when not
	 * written), the one the texts were read in (flow_load_opts.lang), and what lint
	 * needs of the texts (src/flow_lang.h; NULL unless loaded with opts.lint). */
	char **langs;
	size_t nlangs;
	struct flow_pos langs_pos;
	char *lang;
	struct flow_i18n *i18n;
};

/* How to load a flow. Zeroed: texts in LANG_DEFAULT (en), nothing kept for lint. */
struct flow_load_opts {
	const char *lang;            /* the language to read texts in (a tag), or NULL */
	bool lint;                   /* keep what lint needs of the texts in every declared
	                                language, translation files included (flow->i18n) */
};

/* Load a flow. On a YAML or structure error returns NULL and adds every error it found
 * to *d as file:line:col diagnostics; on success may still add warnings.
 * The loader checks shape (types, keys, values); cross-references are lint's job. */
struct flow *flow_load_file(const char *path, struct diags *d);
struct flow *flow_load_string(const char *name, const char *text, size_t len, struct diags *d);
/* The same for a file that may instead be a training scenario (its top-level mapping has
 * a "scenario" key: yamldoc_is_scenario, which scenario_is_file asks too): then NULL,
 * *is_scenario true and nothing added to *d. One parse either way. */
struct flow *flow_load_file_or_scenario(const char *path, struct diags *d, bool *is_scenario);
/* Any of the above with options (o may be NULL): a file (is_scenario may be NULL, as
 * flow_load_file) or, with text, a string named path. A file's translation file for
 * o->lang is read too (flow_lang.h); its problems are warnings here, lint's errors. */
struct flow *flow_load_opts(const char *path, const char *text, size_t len,
			    const struct flow_load_opts *o, struct diags *d, bool *is_scenario);
void flow_free(struct flow *f);
/* Release what node n owns and leave it empty (n itself is the caller's): flow_free
 * does it for every node. */
void flow_node_clear(struct flow_node *n);

int flow_node_index(const struct flow *f, const char *id);      /* -1 when absent */
int flow_var_index(const struct flow *f, const char *name);     /* -1 when absent */
/* The variable a template of a node in scope reads as name: the scope's prefix + name
 * (scope 0, or an unlinked flow: name as is); -1 when absent. */
int flow_var_index_in(const struct flow *f, int scope, const char *name);
/* The prefix of scope ("" for 0 and for a scope that is not there). */
const char *flow_scope_prefix(const struct flow *f, int scope);
/* A node the engine decides, never the operator: branch, flow (a call) and return. */
bool flow_node_automatic(enum node_type t);
/* The one question every way out asks (journal, report, --set messages, the engine
 * wiping a value, the expander): is variable vi of f secret, never shown, journaled or
 * reported? Its `secret: true`, or a secret name (secret_name), as the loader set it;
 * true for an index that is no variable of f, so nothing unknown is written out. */
bool flow_var_secret(const struct flow *f, int vi);
const struct flow_sig *flow_sig_get0(const struct flow *f, const char *id);
const char *flow_node_type_name(enum node_type t);              /* "question" */
const char *flow_validate_name(enum validate_kind v);           /* "hostname" */

/* Value validation shared by the loader (defaults), the engine and the front ends.
 * Returns NULL when value is acceptable, else a static message such as
 * "not a valid hostname". An empty value is accepted only for optional vars. */
const char *flow_var_check(const struct flow_var *v, const char *value);

/* Does a signature match somewhere in text? Substring signatures match
 * case-insensitively with runs of whitespace treated as one space; regex ones by
 * regexec. */
bool flow_sig_match(const struct flow_sig *s, const char *text);
/* Does a signature recognise a healthy line rather than an error? Those whose id starts
 * with "healthy_" (tshoot-flow(5), SIGNATURES). */
bool flow_sig_healthy(const struct flow_sig *s);
/* The same, and where: the match is text[*so, *eo) (so and eo may both be NULL). */
bool flow_sig_find(const struct flow_sig *s, const char *text, size_t *so, size_t *eo);

#endif
