/* wizard.h — the driver: walks an engine through a front end. */
#ifndef TSHOOT_WIZARD_H
#define TSHOOT_WIZARD_H

#include <stdbool.h>

#include "checks/check.h"
#include "checks/runner.h"
#include "src/answers.h"
#include "src/engine.h"
#include "src/report.h"
#include "src/scenario.h"
#include "src/session.h"
#include "src/training.h"
#include "ui/ui.h"

/* Training: what a walk leaves for its caller to print and save once the terminal is
 * back (both newly allocated; the caller frees). */
struct wizard_debrief {
	char *line;                      /* the debrief's one-line summary */
	char *json;                      /* the result (tshoot-training-result/1) */
};

/* How the walk ended, for the line printed to the shell after a full-screen walk. */
struct wizard_end {
	bool reached;                    /* the walk stopped at an end node */
	enum end_result result;
	char *title;                     /* the end's title, templated (secrets masked); owned */
	char *report_path;               /* the last report written, or NULL; owned */
	char *error;                     /* why the walk stopped with status 2 (a flow's check
	                                    that templated into nonsense), for stderr once the
	                                    front end has given the terminal back, or NULL */
};
/* Release what we holds and leave it zeroed. */
void wizard_end_clear(struct wizard_end *we);

struct wizard_opts {
	struct ui *ui;
	struct check_runner runner;      /* live, or sim_runner_runner() */
	struct sim_runner *sim;          /* non-NULL in training/simulated runs */
	const struct scenario *scenario; /* training: brief, expected end, verdict */
	struct journal *journal;         /* NULL: no journal */
	const char *report_path;         /* write the transcript here at the end (or NULL) */
	enum report_format report_format;
	bool resumed;                    /* say so on the first screen */
	const char *trainee;             /* training: the trainee's name, or NULL */
	long long started;               /* Unix time the walk began (0: unknown) */
	struct wizard_debrief *debrief;  /* training: filled when the walk stops, or NULL */
	struct session_info *info;       /* the report's header (session, host, user, ticket,
	                                    times) and its notes: the wizard adds the operator's
	                                    notes and the end time here (may be NULL) */
	struct wizard_end *end_out;      /* filled when the walk stops (may be NULL) */
};

/* Walk until an end node is left or the operator quits. Returns the exit status:
 * 0 resolved (or quit), 1 escalate, 2 the front end could not answer (UI_FAIL: an answers
 * file without an answer), 3 the report could not be written, 128+N stopped by signal N. */
int wizard_run(struct engine *e, const struct wizard_opts *o);

#endif
