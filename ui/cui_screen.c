/* cui_screen.c — the frame every screen shares, and its loop.
 *
 * Every screen is the same frame: a title bar (flow, step), the node's title, the path
 * so far, the node's text (scrollable), a widget area (a menu of answers, a form, a
 * checklist, check rows: the screen's own, ui/scr_*.c), a notice line and a footer of
 * key hints. The loop (sc_run) owns layout and repaint; the screen's handlers never
 * refresh. KEY_RESIZE rebuilds everything. The keys every screen shares (paging, help,
 * search, map, note, back, restart, quit) are handled here when the screen's own
 * handler leaves them. */
#include "ui/cui.h"

#include <stdlib.h>
#include <string.h>

#include "src/util.h"

/* Pending notices (ops->notice) join the view's notice on the next screen. */
void sc_init(struct scr *s, struct cui *c, const struct ui_view *v, const struct scr_ops *ops,
		     void *st, unsigned ctx)
{
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->v = v;
	s->ops = ops;
	s->st = st;
	s->ctx = ctx;
	s->inwin = stdscr;
	s->quit_asks = true;
	s->t_flow = prep(c, v && v->flow_title ? v->flow_title : "tshoot");
	s->t_title = prep(c, v ? (v->title ? v->title : v->node_id) : "");
	struct strbuf sb = {0};
	sb_add(&sb, "");
	if (!v || !v->npath)
		sb_add(&sb, "(first step)");
	for (size_t i = 0; v && i < v->npath; i++) {
		if (i)
			sb_add(&sb, c->sy->sep);
		char *p = prep(c, v->path[i]);
		sb_add(&sb, p);
		free(p);
	}
	s->t_path = sb_steal(&sb);
	/* Notices given between screens belong to the next node shown; a screen drawn
	 * again for the same node (the checks screen, every 100 ms) keeps them. */
	const char *nid = v && v->node_id ? v->node_id : "";
	size_t step = v ? v->step_no : 0;
	if (c->npending) {
		struct strbuf pb = {0};
		for (size_t i = 0; i < c->npending; i++) {
			if (pb.len)
				sb_addc(&pb, '\n');
			sb_add(&pb, c->pending[i]);
			free(c->pending[i]);
		}
		c->npending = 0;
		free(c->note_text);
		free(c->note_node);
		c->note_text = sb_steal(&pb);
		c->note_node = xstrdup(nid);
		c->note_step = step;
	} else if (c->note_text && !(str_eq(c->note_node, nid) && c->note_step == step)) {
		FREE_NULL(c->note_text);
		FREE_NULL(c->note_node);
	}
	struct strbuf nb = {0};
	if (c->note_text)
		sb_add(&nb, c->note_text);
	if (v && v->notice) {
		if (nb.len)
			sb_addc(&nb, '\n');
		sb_add(&nb, v->notice);
	}
	s->t_notice = nb.len ? sb_steal(&nb) : NULL;
	sb_clear(&nb);
}

void sc_done(struct scr *s)
{
	if (s->built && s->ops->unbuild)
		s->ops->unbuild(s);
	s->built = false;
	free(s->t_flow);
	free(s->t_title);
	free(s->t_path);
	free(s->t_notice);
	free(s->local_notice);
	free(s->flash);
	lines_free(&s->text);
	lines_free(&s->notes);
	find_free(&s->find);
	leaveok(stdscr, TRUE);
	curs_set(0);
}

void sc_set_notice(struct scr *s, const char *msg)
{
	free(s->local_notice);
	s->local_notice = msg ? xstrdup(msg) : NULL;
}

/* Show msg (owned, handed over; NULL clears) in the footer until the next key. */
void sc_flash(struct scr *s, char *msg)
{
	free(s->flash);
	s->flash = msg;
}

/* The default text area: the node's text, and in training its why. */
void text_default(struct scr *s, struct lines *L, int width)
{
	const struct ui_view *v = s->v;
	if (!v)
		return;
	if (v->text && *v->text)
		lines_wrap(s->c, L, v->text, width, A_NORMAL, -1);
	if (v->training && v->why && *v->why) {
		if (L->n)
			lines_push(L, xstrdup(""), A_NORMAL, -1);
		char *w = xasprintf("Why: %s", v->why);
		lines_wrap(s->c, L, w, width, A_BOLD, -1);
		free(w);
	}
}

/* Lay the screen out for the terminal's size now: tear down and rebuild the widget. */
void sc_layout(struct scr *s)
{
	if (s->built && s->ops->unbuild)
		s->ops->unbuild(s);
	s->built = false;
	getmaxyx(stdscr, s->R, s->C);
	s->small = s->R < MIN_ROWS || s->C < MIN_COLS;
	if (s->small)
		return;
	int R = s->R, C = s->C;
	s->head = R >= 20 ? 4 : 3;
	lines_free(&s->text);
	(s->ops->text ? s->ops->text : text_default)(s, &s->text, C - 3);
	lines_free(&s->notes);
	struct strbuf nb = {0};
	if (s->t_notice)
		sb_add(&nb, s->t_notice);
	if (s->local_notice) {
		if (nb.len)
			sb_addc(&nb, '\n');
		sb_add(&nb, s->local_notice);
	}
	if (nb.len)
		lines_wrap(s->c, &s->notes, nb.s, C - 2, A_BOLD, -1);
	sb_clear(&nb);
	int maxnote = R >= 20 ? 3 : R >= 16 ? 2 : 1;
	s->note_rows = min_i((int)s->notes.n, maxnote);
	int B = R - s->head - 1 - s->note_rows;
	int W = s->ops->want ? s->ops->want(s, C - 2) : 0;
	int T = (int)s->text.n;
	int wid = 0;
	if (W > 0) {
		if (T == 0)
			wid = min_i(W, B);
		else if (T + 1 + W <= B)
			wid = W;
		else {
			wid = min_i(W, B - min_i(T, 2) - 1);
			wid = max_i(wid, min_i(W, B / 2));
		}
		wid = max_i(wid, 1);
	}
	s->text_top = s->head;
	s->text_rows = T == 0 ? 0 : wid ? min_i(T, B - wid - 1) : B;
	s->text_rows = max_i(s->text_rows, 0);
	s->wid_top = s->text_top + s->text_rows + (s->text_rows ? 1 : 0);
	s->wid_rows = wid;
	s->wid_w = C - 2;
	s->note_top = R - 1 - s->note_rows;
	int maxscroll = max_i(0, T - s->text_rows);
	s->scroll = max_i(0, min_i(s->scroll, maxscroll));
	if (s->ops->build && s->wid_rows > 0)
		s->ops->build(s);
	s->built = true;
}

/* Does an earlier row for ctx take every key of row i? (n while a search is on in a
 * checklist: the footer then leaves "n not fixed" out.) */
static bool row_shadowed(size_t i, unsigned ctx)
{
	const struct keyrow *r = &keyrows[i];
	if (r->ctx & KF_RANGE)
		return false;
	bool any = false;
	for (int j = 0; j < 4; j++) {
		if (!r->k[j])
			continue;
		any = true;
		bool taken = false;
		for (size_t e = 0; e < i && !taken; e++)
			if ((keyrows[e].ctx & ctx) && !(keyrows[e].ctx & KF_RANGE))
				for (int m = 0; m < 4 && !taken; m++)
					taken = keyrows[e].k[m] == r->k[j];
		if (!taken)
			return false;
	}
	return any;
}

/* The context keys are looked up in: the screen's, and KC_FOUND while a search is on. */
static unsigned sc_ctx(const struct scr *s)
{
	return s->ctx | (s->find.q && (s->ctx & KC_SEARCH) ? KC_FOUND : 0);
}

/* The footer: a search's message, then this context's hints, as many whole ones as fit. */
static void draw_footer(struct scr *s, unsigned ctx, const char *extra)
{
	int R = s->R, C = s->C;
	attr_t bar = A_REVERSE | pair(s->c, PAIR_TITLE);
	wattron(stdscr, bar);
	mvwhline(stdscr, R - 1, 0, ' ', C);
	wattroff(stdscr, bar);
	struct strbuf sb = {0};
	sb_add(&sb, " ");
	bool more = s->text_rows && (int)s->text.n > s->text_rows;
	const char *sep = s->c->utf8 ? " · " : " | ";
	/* The quit and help hints are kept whatever else must go: quit is the way out, and
	 * help leads to all the other keys. They come last, in that order. */
	const char *help = NULL, *quit = NULL;
	for (size_t i = 0; i < ARRAY_LEN(keyrows); i++) {
		enum key_act a = keyrows[i].act;
		if (!(keyrows[i].ctx & ctx))
			continue;
		if (a == KA_HELP || a == KA_FORM_HELP)
			help = keyrows[i].hint;
		else if (a == KA_QUIT || a == KA_FORM_QUIT)
			quit = keyrows[i].hint;
	}
	size_t reserve = (help ? utf8_width(help) + utf8_width(sep) : 0) +
			 (quit ? utf8_width(quit) + utf8_width(sep) : 0);
	/* A message (a copy, a number with no answer) takes the place of the other hints,
	 * whole; quit and help follow it only as far as they fit. A search's message comes
	 * before the hints. */
	char *flash = s->flash ? fit(s->c, s->flash, C - 2) : NULL;
	if (flash) {
		sb_add(&sb, flash);
		reserve = 0;
	} else if (s->find.msg) {
		char *m = fit(s->c, s->find.msg, max_i(1, C - 2 - (int)reserve));
		sb_add(&sb, m);
		free(m);
	}
	/* While a search is on, its keys first (n has changed its meaning in a checklist);
	 * then the table's hints in order, "PgDn more" and the screen's extra; the hints to
	 * start a search and the map last (reading on matters more), the first to go. */
	const char *hints[ARRAY_LEN(keyrows) + 2];
	size_t nh = 0;
	for (int tier = 0; !flash && tier < 3; tier++) {
		for (size_t i = 0; i < ARRAY_LEN(keyrows); i++) {
			enum key_act a = keyrows[i].act;
			int t = (ctx & KC_FOUND) && (keyrows[i].ctx & KC_FOUND) ? 0 : a == KA_FIND || a == KA_MAP ? 2 : 1;
			if (t != tier || !(keyrows[i].ctx & ctx) || !keyrows[i].hint || keyrows[i].hint == help ||
			    keyrows[i].hint == quit || row_shadowed(i, ctx))
				continue;
			hints[nh++] = keyrows[i].hint;
		}
		if (tier == 1 && more)
			hints[nh++] = "PgDn more";
		if (tier == 1 && extra)
			hints[nh++] = extra;
	}
	for (size_t i = 0; i < nh; i++) {
		size_t need = utf8_width(hints[i]) + (sb.len > 1 ? utf8_width(sep) : 0);
		if (utf8_width(sb.s) + need + reserve > (size_t)C - 1)
			break;
		if (sb.len > 1)
			sb_add(&sb, sep);
		sb_add(&sb, hints[i]);
	}
	const char *last[] = {quit, help};
	for (size_t i = 0; i < ARRAY_LEN(last); i++) {
		if (!last[i])
			continue;
		if (flash && utf8_width(sb.s) + utf8_width(sep) + utf8_width(last[i]) > (size_t)C - 1)
			break;
		if (sb.len > 1)
			sb_add(&sb, sep);
		sb_add(&sb, last[i]);
	}
	put(stdscr, R - 1, 0, sb.s, C, bar);
	if (flash)
		put(stdscr, R - 1, 1, flash, C - 2, bar | A_BOLD);
	free(flash);
	sb_clear(&sb);
}

void draw_small(struct scr *s)
{
	werase(stdscr);
	int R, C;
	getmaxyx(stdscr, R, C);
	char *m = xasprintf("Terminal too small (%dx%d): tshoot needs at least %dx%d. Enlarge the window.",
			    C, R, MIN_COLS, MIN_ROWS);
	struct lines L = {0};
	lines_wrap(s ? s->c : g_cui, &L, m, C > 4 ? C - 2 : 2, A_BOLD, -1);
	for (size_t i = 0; i < L.n && (int)i < R; i++)
		put(stdscr, (int)i, C > 4 ? 1 : 0, L.v[i].s, C - 1, A_BOLD);
	lines_free(&L);
	free(m);
}

/* Paint the whole screen into curses' buffers (no doupdate). */
void sc_draw(struct scr *s)
{
	struct cui *c = s->c;
	s->place = false;
	if (s->small) {
		leaveok(stdscr, TRUE);
		draw_small(s);
		return;
	}
	werase(stdscr);
	int C = s->C;
	attr_t bar = A_REVERSE | pair(c, PAIR_TITLE);
	wattron(stdscr, bar);
	mvwhline(stdscr, 0, 0, ' ', C);
	wattroff(stdscr, bar);
	char *right = s->v && s->v->step_no
		? xasprintf("%sStep %zu ", s->v->training ? "Training " : "", s->v->step_no)
		: xstrdup("");
	int rw = (int)utf8_width(right);
	char *left = fit(c, s->t_flow, C - rw - 3);
	put(stdscr, 0, 1, left, C - rw - 2, bar | A_BOLD);
	put(stdscr, 0, C - rw, right, rw, bar);
	free(left);
	free(right);
	char *t = fit(c, s->t_title, C - 2);
	put(stdscr, 1, 1, t, C - 2, A_BOLD);
	free(t);
	put(stdscr, 2, 1, "Path:", 5, A_DIM);
	char *p = fit_tail(c, s->t_path, C - 8);
	put(stdscr, 2, 7, p, C - 8, A_DIM);
	free(p);
	if (s->head == 4) {
		if (c->utf8)
			mvwhline(stdscr, 3, 0, ACS_HLINE, C);
		else
			mvwhline(stdscr, 3, 0, '-', C);
	}
	if (!s->ops->find_view)
		find_scan(&s->find, &s->text);
	for (int i = 0; i < s->text_rows; i++) {
		size_t li = (size_t)(s->scroll + i);
		if (li >= s->text.n)
			break;
		find_put_line(stdscr, s->text_top + i, 1, &s->text, (int)li, C - 3, s->text.v[li].attr,
			      s->ops->find_view ? NULL : &s->find);
	}
	if (s->text_rows && s->scroll > 0)
		put(stdscr, s->text_top, C - 1, c->sy->up, 1, A_BOLD);
	if (s->text_rows && s->scroll + s->text_rows < (int)s->text.n)
		put(stdscr, s->text_top + s->text_rows - 1, C - 1, c->sy->down, 1, A_BOLD);
	for (int i = 0; i < s->note_rows; i++) {
		const char *n = s->notes.v[i].s;
		char *cut = NULL;
		if (i == s->note_rows - 1 && (size_t)s->note_rows < s->notes.n) {
			/* the rest is in the help panel */
			const char *more = " (? shows all)";
			size_t keep = utf8_prefix_for_width(n, (size_t)max_i(0, C - 2 - (int)utf8_width(more) -
									   (int)utf8_width(c->sy->ell)));
			cut = xasprintf("%.*s%s%s", (int)keep, n, c->sy->ell, more);
			n = cut;
		}
		put(stdscr, s->note_top + i, 1, n, C - 2, A_BOLD | pair(c, PAIR_NOTE));
		free(cut);
	}
	if (s->ops->draw && s->wid_rows > 0)
		s->ops->draw(s);
	draw_footer(s, sc_ctx(s), s->footer_extra);
	leaveok(stdscr, !s->place);
	if (s->place)
		wmove(stdscr, s->place_y, s->place_x);
}

void frame(struct scr *s)
{
	if (s && s->cursor && !s->small)
		curs_set(1);
	else
		curs_set(0);
	update_panels();
	doupdate();
}

/* A search on a screen: a new one (dir 0: asks for the text), or the next (1) or
 * previous (-1) match. A match on a list item (a step) moves the highlight to it. */
static void sc_find(struct scr *s, int dir)
{
	char *draft = NULL;
	if (dir == 0) {
		int fp;
		while ((fp = find_prompt(s->c, &draft)) == FP_RESIZE) {
			sc_layout(s);
			sc_draw(s);
		}
		if (fp != FP_OK) {
			free(draft);
			return;
		}
	} else if (!s->find.q) {
		find_say(&s->find, xstrdup("no search yet: / searches"));
		return;
	}
	int *top = &s->scroll, rows = s->text_rows;
	struct lines *L = s->ops->find_view ? s->ops->find_view(s, &top, &rows) : &s->text;
	int line = dir ? find_go(&s->find, L, top, rows, dir) : find_new(s->c, &s->find, draft, L, top, rows);
	free(draft);
	if (line >= 0 && s->ops->found)
		s->ops->found(s, line);
}

/* Promise a resume only when the journal is whole. */
static const char *quit_question(const struct scr *s)
{
	return s->v && s->v->resumable ? "Quit tshoot? The session is kept and can be resumed." : "Quit tshoot?";
}

/* The loop of a screen. With once_ms >= 0: one frame and at most one key, then UI_NONE
 * (the checks screen while checks run). */
enum ui_act sc_run(struct scr *s, int once_ms)
{
	struct cui *c = s->c;
	bool relayout = true;
	for (;;) {
		if (g_term) {
			c->u->signo = g_term;
			return UI_SIGNAL;
		}
		if (g_eof)
			return UI_EOF;
		if (relayout)
			sc_layout(s);
		relayout = false;
		if (g_int) {
			g_int = 0;
			sc_draw(s);
			if (ask_yes(c, s, quit_question(s), true))
				return UI_QUIT;
			continue;
		}
		sc_draw(s);
		frame(s);
		struct key k = key_read(c, s->inwin, once_ms >= 0 ? once_ms : 250);
		if (k.type == ERR) {
			if (once_ms >= 0)
				return UI_NONE;
			continue;
		}
		if (is_resize(&k)) {
			/* Lay out and repaint at once, also while checks run (once_ms): the
			 * driver's next call may be a tick away. */
			relayout = true;
			continue;
		}
		sc_flash(s, NULL);       /* a message lasts until the next key */
		if (s->small) {
			if (!k.pasted && key_is(&k, OK, 'q') && ask_yes(c, s, "Quit tshoot?", true))
				return UI_QUIT;
			if (once_ms >= 0)
				return UI_NONE;
			continue;
		}
		enum key_act a = key_lookup(sc_ctx(s), &k);
		FREE_NULL(s->find.msg);      /* a search's message stays until the next key */
		int r = s->ops->key ? s->ops->key(s, &k, a) : -1;
		if (r > UI_NONE)
			return (enum ui_act)r;
		if (r == -1) {
			int page = max_i(1, s->text_rows - 1);
			switch (a) {
			case KA_PGUP:
				s->scroll = max_i(0, s->scroll - page);
				break;
			case KA_PGDN:
				s->scroll = max_i(0, min_i(s->scroll + page, (int)s->text.n - s->text_rows));
				break;
			case KA_REDRAW:
				clearok(curscr, TRUE);
				relayout = true;
				break;
			case KA_HELP:
			case KA_FORM_HELP:
				help_panel(s, NULL);
				break;
			case KA_FIND:
				sc_find(s, 0);
				break;
			case KA_FIND_NEXT:
			case KA_FIND_PREV:
				sc_find(s, a == KA_FIND_NEXT ? 1 : -1);
				break;
			case KA_FIND_END:
				find_free(&s->find);
				s->find.cur = -1;
				find_say(&s->find, xstrdup("search ended"));
				break;
			case KA_MAP:
				map_panel(s);
				break;
			case KA_BACK:
				return UI_BACK;
			case KA_RESTART:
				if (ask_yes(c, s, "Start again from the beginning? (Variables keep their values.)", false))
					return UI_RESTART;
				break;
			case KA_QUIT:
			case KA_FORM_QUIT:
				if (!s->quit_asks || ask_yes(c, s, quit_question(s), true))
					return UI_QUIT;
				break;
			case KA_NOTE: {
				char *note = modal_prompt(c, s, "Note for the report (one line):", "");
				if (note) {
					free(c->u->note);
					c->u->note = note;
					return UI_NOTE;
				}
				break;
			}
			default:
				break;
			}
		}
		if (once_ms >= 0)
			return UI_NONE;
	}
}

/* Up, Down, Home and End move the text area (screens that are all text). */
int text_scroll_key(struct scr *s, const struct key *k, enum key_act a)
{
	int last = max_i(0, (int)s->text.n - s->text_rows);
	if (a == KA_UP)
		s->scroll = max_i(0, s->scroll - 1);
	else if (a == KA_DOWN)
		s->scroll = min_i(s->scroll + 1, last);
	else if (key_is(k, KEY_CODE_YES, KEY_HOME))
		s->scroll = 0;
	else if (key_is(k, KEY_CODE_YES, KEY_END))
		s->scroll = last;
	else
		return -1;
	return UI_NONE;
}

/* A screen from start to end: set up, run its loop until it says what happens next,
 * tear down (unbuild copies what a form holds into its state). */
enum ui_act sc_once(struct cui *c, const struct ui_view *v, const struct scr_ops *ops, void *st,
			   unsigned ctx)
{
	struct scr s;
	sc_init(&s, c, v, ops, st, ctx);
	enum ui_act r = sc_run(&s, -1);
	sc_done(&s);
	return r;
}
