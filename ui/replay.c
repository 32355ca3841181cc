/* replay.c — the answers-file front end: `tshoot --answers FILE` walks a flow with no
 * operator. Each screen is answered from the file, keyed by the node's id, and echoed
 * as "[step] title: answer" so a replay reads like a walk; what is only shown (check
 * results, the end, notices) goes to the line-mode front end underneath.
 *
 * A node the file does not answer, or answers wrongly, is said on stderr and the front
 * end returns UI_FAIL: the driver stops with exit status 2. */
#include "ui/replay.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/secret.h"
#include "src/util.h"

/* A replay that has answered this many screens is walking a loop of the flow's. */
#define REPLAY_MAX_TURNS 100000

struct replay {
	struct ui inner;                 /* line mode: shows results, the end, notices */
	const struct answers *ans;
	size_t turns;
	/* the last form or finished check screen answered: the same again means the
	 * driver refused what was given */
	char *last_node;
	size_t last_step;
	enum node_type last_type;
};

static struct replay *rp(struct ui *u)
{
	return u->priv;
}

/* Keep the line mode's word on signals where the driver looks for it. */
static enum ui_act from_inner(struct ui *u, enum ui_act act)
{
	u->signo = rp(u)->inner.signo;
	return act;
}

static enum ui_act fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static enum ui_act fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tshoot: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return UI_FAIL;
}

/* One more screen answered from the file; UI_FAIL once the walk is looping. */
static enum ui_act count_turn(struct ui *u)
{
	if (++rp(u)->turns > REPLAY_MAX_TURNS)
		return fail("answers file walks in a loop; giving up");
	return UI_OK;
}

static void echo(struct ui *u, const struct ui_view *v, const char *title, const char *answer)
{
	char *line = xasprintf("[%zu] %s: %s", v->step_no, title, answer);
	u->ops->notice(u, line);
	free(line);
}

/* The file's answer for this node, or NULL after saying that it has none. */
static const char *given(struct ui *u, const struct ui_view *v, const char *what)
{
	const char *a = answers_get_at0(rp(u)->ans, v->node_id, v->visit);
	if (!a)
		fail("answers file has no %s for node '%s'", what, v->node_id);
	return a;
}

static int replay_open(struct ui *u)
{
	struct replay *r = rp(u);
	return r->inner.ops->open(&r->inner);
}

static void replay_close(struct ui *u)
{
	struct replay *r = rp(u);
	if (!r)
		return;
	r->inner.ops->close(&r->inner);
	free(r->inner.note);
	free(r->last_node);
	free(r);
	u->priv = NULL;
}

/* Is this the screen answered last (the driver shows it again after refusing the
 * answer)? Remembers it for next time. */
static bool again(struct ui *u, const struct ui_view *v)
{
	struct replay *r = rp(u);
	bool same = r->last_node && r->last_step == v->step_no && r->last_type == v->type &&
		    str_eq(r->last_node, v->node_id);
	free(r->last_node);
	r->last_node = xstrdup(v->node_id);
	r->last_step = v->step_no;
	r->last_type = v->type;
	return same;
}

static enum ui_act replay_info(struct ui *u, const struct ui_view *v)
{
	echo(u, v, v->title, "(continue)");
	return count_turn(u);
}

/* An answer: the label (case-insensitive) or its 1-based number. */
static enum ui_act replay_question(struct ui *u, const struct ui_view *v, const char *const *labels,
				   size_t n, size_t *choice)
{
	const char *a = given(u, v, "answer");
	if (!a)
		return UI_FAIL;
	if (!ui_answer_index(a, labels, n, choice))
		return fail("answers file: '%s' is not an answer of node '%s'", a, v->node_id);
	echo(u, v, v->title, labels[*choice]);
	return count_turn(u);
}

/* The fields the file gives take its values; the others keep their defaults. Called
 * again with an error set, the driver refused a value: that ends the replay. */
static enum ui_act replay_input(struct ui *u, const struct ui_view *v, struct ui_field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fields[i].error)
			return fail("answers file: node '%s': %s: %s", v->node_id, fields[i].name, fields[i].error);
	if (again(u, v))
		return fail("answers file: node '%s': input: %s", v->node_id,
			    v->notice ? v->notice : "invalid value");
	for (size_t i = 0; i < n; i++) {
		const char *a = answers_var_at0(rp(u)->ans, v->node_id, fields[i].name, v->visit);
		if (a) {
			free(fields[i].value);
			fields[i].value = xstrdup(a);
		}
	}
	for (size_t i = 0; i < n; i++)
		echo(u, v, fields[i].prompt, fields[i].secret ? SECRET_MASK : fields[i].value);
	return count_turn(u);
}

static enum ui_act replay_classify(struct ui *u, const struct ui_view *v, char **pasted)
{
	const char *a = given(u, v, "pasted text");
	if (!a)
		return UI_FAIL;
	*pasted = xstrdup(a);
	echo(u, v, v->title, a);
	return count_turn(u);
}

static enum ui_act replay_steps(struct ui *u, const struct ui_view *v, const struct flow_step *steps,
				const char *const *texts, size_t n, bool *ticked, enum steps_outcome *outcome)
{
	(void)steps;
	(void)texts;
	(void)n;
	(void)ticked;
	const char *a = given(u, v, v->cannot ? "answer (fixed / not fixed / cannot)" : "answer (fixed / not fixed)");
	if (!a)
		return UI_FAIL;
	if (!ui_parse_fixed(a, true, v->cannot, outcome))
		return fail("answers file: node '%s' takes %s, not '%s'", v->node_id,
			    v->cannot ? "'fixed', 'not fixed' or 'cannot'" : "'fixed' or 'not fixed'", a);
	echo(u, v, v->title, *outcome == STEPS_FIXED ? "fixed" : *outcome == STEPS_CANNOT ? "cannot" : "not fixed");
	return count_turn(u);
}

/* Checks run live and show in line mode. Results shown a second time for the same step
 * were refused by the driver (cancelled): nobody is there to run them again. */
static enum ui_act replay_checks(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows,
				 size_t n, bool running)
{
	struct replay *r = rp(u);
	if (!running && again(u, v))
		return fail("node '%s': the checks were cancelled", v->node_id);
	enum ui_act act = from_inner(u, r->inner.ops->checks(&r->inner, v, rows, n, running));
	if (act == UI_OK && count_turn(u) == UI_FAIL)
		return UI_FAIL;
	return act;
}

static enum ui_act replay_end(struct ui *u, const struct ui_view *v, const struct ui_end *end,
			      char **report_path)
{
	return from_inner(u, rp(u)->inner.ops->end(&rp(u)->inner, v, end, report_path));
}

static enum ui_act replay_page(struct ui *u, const struct ui_page *p)
{
	return from_inner(u, rp(u)->inner.ops->page(&rp(u)->inner, p));
}

static enum ui_act replay_choose(struct ui *u, const struct ui_list *l, size_t *choice)
{
	return from_inner(u, rp(u)->inner.ops->choose(&rp(u)->inner, l, choice));
}

static bool replay_confirm(struct ui *u, const char *question)
{
	return rp(u)->inner.ops->confirm(&rp(u)->inner, question);
}

static void replay_notice(struct ui *u, const char *msg)
{
	rp(u)->inner.ops->notice(&rp(u)->inner, msg);
}

const struct ui_ops replay_ui_ops = {
	.name = "replay",
	.open = replay_open,
	.close = replay_close,
	.info = replay_info,
	.question = replay_question,
	.input = replay_input,
	.classify = replay_classify,
	.steps = replay_steps,
	.checks = replay_checks,
	.end = replay_end,
	.page = replay_page,
	.confirm = replay_confirm,
	.choose = replay_choose,
	.notice = replay_notice,
};

void replay_ui_init(struct ui *u, const struct answers *ans, FILE *in, FILE *out)
{
	struct replay *r = xcalloc(1, sizeof(*r));
	r->ans = ans;
	r->inner = (struct ui){.ops = &plain_ui_ops, .in = in, .out = out};
	*u = (struct ui){.ops = &replay_ui_ops, .priv = r, .in = in, .out = out};
}
