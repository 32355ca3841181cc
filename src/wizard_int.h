/* wizard_int.h — private to the driver (src/wizard*.c): what a screen shows, built from
 * the engine for each visit (wizard_view.c), and handed to the front end by wizard.c. */
#ifndef TSHOOT_WIZARD_INT_H
#define TSHOOT_WIZARD_INT_H

#include <stdbool.h>

#include "src/engine.h"
#include "src/wizard.h"
#include "ui/ui.h"

/* Everything a screen shows, built fresh for each visit; owns its strings. */
struct view_buf {
	struct ui_view v;
	char *title, *text, *why, *ask;
	char *heading;           /* the flow's title (and the sub-flows': flow_heading) */
	char **path;
	char **answers;          /* npath items */
	size_t npath;
	char **ahead;
	int nahead;
};

/* b: the current node's screen (title, texts, path with answers, the map's way on,
 * the heading with any sub-flows), notice shown on it. Free with view_clear. */
void view_build(struct view_buf *b, const struct engine *e, const struct wizard_opts *o,
		bool resumable, const char *notice);
void view_clear(struct view_buf *b);
/* A text as a screen shows it: expanded in the current node's scope, paragraphs
 * reflowed; NULL for NULL. Caller frees. */
char *screen_text(const struct engine *e, const char *tmpl);
/* A node's title expanded in its scope, or its id. Caller frees. */
char *node_title(const struct engine *e, const struct flow_node *n);

#endif
