/* training.h — how a trainee's walk compares with a training scenario's expected one:
 * wrong turns as they happen, and the debrief at the end (text for the end screen, one
 * line for the shell, JSON for the trainer: schema tshoot-training-result/1, tshoot(1)).
 *
 * Distances are shortest paths (src/flow_graph.h) with each check node taking the route
 * of its simulated outcome (scenario_route). A wrong turn is a step after which the
 * expected end can no longer be reached; a longer way that still gets there is not one
 * (it shows as steps against the shortest). */
#ifndef TSHOOT_TRAINING_H
#define TSHOOT_TRAINING_H

#include <stdbool.h>
#include <stddef.h>

#include "src/engine.h"
#include "src/scenario.h"

struct training;
/* Both are borrowed and must outlive it. */
struct training *training_new(const struct scenario *sc, const struct flow *f);
void training_free(struct training *t);
/* Did step s (just taken) leave every way to the expected end? */
bool training_wrong_turn(const struct training *t, const struct engine_step *s);
/* Wrong turns in e's history (a resumed walk's earlier steps). */
size_t training_wrong_turns(const struct training *t, const struct engine *e);

/* A trainee's name: NULL when fine, else a static one-line message. */
const char *training_name_problem(const char *name);

/* One step of a path: the walk as taken (answer = what was answered) or the expected
 * way on (answer = what to answer there, why = why the step matters). */
struct debrief_item {
	size_t n;                        /* step number, 1-based */
	const char *node;                /* node id (borrowed from the flow) */
	char *title, *answer, *why;      /* answer, why: NULL when none */
	bool literal;                    /* answer: the very words to give (a label), not a
	                                    description of them */
};

struct debrief {
	const char *scenario, *title, *flow;      /* ids and the scenario's title (borrowed) */
	const char *verdict;             /* "reached", "missed", "incomplete", or "ended" (no expect) */
	char *verdict_text;              /* "Well done: ..." / "Not quite: ...", or NULL */
	const char *expected_end;        /* node id or NULL */
	const char *reached_end;         /* the end node reached, or NULL */
	size_t steps, wrong_turns, hints;
	int shortest;                    /* steps of the shortest way to the expected end, or -1 */
	struct debrief_item *divergence; /* the step that left the expected path, or NULL */
	char *expected_answer;           /* there: the answer that stays on it */
	bool expected_literal;           /* ... the very words (else a description) */
	struct debrief_item *path;       /* the walk: every step, then where it stands */
	size_t npath;
	struct debrief_item *expected;   /* the shortest way on from the divergence (or from
	                                    where an unfinished walk stands), to the end */
	size_t nexpected;
};

/* The debrief of e's walk so far. wrong_turns: counted as the walk went (with the
 * ones undone by going back); hints: help opened. */
struct debrief *debrief_new(const struct training *t, const struct engine *e, size_t wrong_turns, size_t hints);
void debrief_free(struct debrief *d);
char *debrief_text(const struct debrief *d);                 /* lines for the end screen */
char *debrief_line(const struct debrief *d, const char *trainee);   /* one line */
/* The result as JSON (tshoot-training-result/1); times are Unix seconds (0: unknown). */
char *debrief_json(const struct debrief *d, const char *trainee, long long started, long long ended);

#endif
