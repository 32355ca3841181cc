/* wizard_view.c — what one screen of the walk shows (wizard_int.h): built from the
 * engine for each visit, owned by a struct view_buf. */
#include "src/wizard_int.h"

#include <stdlib.h>
#include <string.h>

#include "src/report.h"
#include "src/util.h"


void view_clear(struct view_buf *b)
{
	free(b->title);
	free(b->heading);
	free(b->text);
	free(b->why);
	free(b->ask);
	for (size_t i = 0; i < b->npath; i++) {
		free(b->path[i]);
		free(b->answers[i]);
	}
	free(b->path);
	free(b->answers);
	for (int i = 0; i < b->nahead; i++)
		free(b->ahead[i]);
	free(b->ahead);
	memset(b, 0, sizeof(*b));
}

/* A flow text for a screen: templated (secrets masked), soft line breaks joined so
 * each front end can wrap it to its own width. */
char *screen_text(const struct engine *e, const char *tmpl)
{
	if (!tmpl)
		return NULL;
	char *x = engine_expand(e, tmpl, false);
	char *r = text_reflow(x);
	free(x);
	return r;
}

char *node_title(const struct engine *e, const struct flow_node *n)
{
	return n->title ? engine_expand_in(e, n->scope, n->title, false) : xstrdup(n->id);
}

/* The header: the flow's title, and inside a sub-flow the titles of the flows called on
 * the way there, "Flow > Sub-flow > Its sub-flow" (depth bounded by flow_link). */
static char *flow_heading(const struct engine *e, int scope)
{
	const struct flow *f = engine_flow(e);
	if (scope <= 0 || (size_t)scope >= f->nscopes)
		return xstrdup(f->title ? f->title : f->id ? f->id : "");
	const struct flow_scope *s = &f->scopes[scope];
	char *up = flow_heading(e, s->parent);
	/* the call's own title says which call this is, when the flow is called twice */
	const struct flow_node *call = s->call >= 0 && (size_t)s->call < f->nnodes ? &f->nodes[s->call] : NULL;
	char *t = call && call->title ? node_title(e, call) : xstrdup(s->title ? s->title : s->flow_id);
	char *h = xasprintf("%s > %s", up, t);
	free(t);
	free(up);
	return h;
}

void view_build(struct view_buf *b, const struct engine *e, const struct wizard_opts *o,
		       bool resumable, const char *notice)
{
	const struct flow *f = engine_flow(e);
	const struct flow_node *n = engine_node(e);
	memset(b, 0, sizeof(*b));
	b->title = node_title(e, n);
	b->heading = flow_heading(e, n->scope);
	b->text = screen_text(e, n->text);
	b->why = screen_text(e, n->why);
	b->ask = n->type == NODE_STEPS && n->ask ? screen_text(e, n->ask) : NULL;
	size_t h = engine_history_len(e);
	b->path = xcalloc(h ? h : 1, sizeof(*b->path));
	b->answers = xcalloc(h ? h : 1, sizeof(*b->answers));
	for (size_t i = 0; i < h; i++) {
		b->answers[i] = report_step_answer(e, i);
		b->path[b->npath++] = node_title(e, &f->nodes[engine_history(e, i)->node]);
	}
	/* The map's way on; not in training, where finding it is the exercise. */
	int *way = NULL;
	int steps = o->scenario ? -1 : engine_way_to_end(e, &way);
	enum end_result ahead_result = n->result;
	b->ahead = xcalloc(steps > 0 ? (size_t)steps : 1, sizeof(*b->ahead));
	for (int i = 0; i < steps; i++) {
		b->ahead[b->nahead++] = node_title(e, &f->nodes[way[i]]);
		ahead_result = f->nodes[way[i]].result;
	}
	free(way);
	b->v = (struct ui_view){
		.flow_title = b->heading,
		.node_id = n->id,
		.title = b->title,
		.text = b->text,
		.why = b->why,
		.type = n->type,
		.step_no = engine_step_no(e),
		.visit = engine_visits(e, engine_node_idx(e)),
		.path = (const char *const *)b->path,
		.npath = b->npath,
		.answers = (const char *const *)b->answers,
		.ahead = (const char *const *)b->ahead,
		.ahead_steps = steps,
		.ahead_result = ahead_result,
		.training = o->scenario != NULL,
		.resumable = resumable,
		.notice = notice,
		.ask = b->ask,
		.cannot = n->type == NODE_STEPS && n->cannot.id,
	};
}

