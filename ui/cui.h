/* cui.h — private to the full-screen front end: ui/curses.c (the ui_ops table),
 * ui/cui_*.c (what every screen shares) and ui/scr_*.c (one kind of screen each).
 * ui/curses.c lists which file holds what. Nothing outside ui/ includes this.
 *
 * The types every file of the front end sees (the state of the front end, a screen and
 * its callbacks, lines of text, a search), the process-wide flags the signal handlers
 * set, and the functions one file offers the others, each with its contract. A function
 * used in one file only stays static there. */
#ifndef TSHOOT_UI_CUI_H
#define TSHOOT_UI_CUI_H

#include <curses.h>
#include <form.h>
#include <menu.h>
#include <panel.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "ui/keys.h"
#include "ui/ui.h"

#define MIN_COLS 40
#define MIN_ROWS 12

/* ---- Keys: the action enum and lookup, from ui/keys.h. */
enum key_act {
#define X(act, ctx, k1, k2, k3, k4, keys, hint, help, man) act,
	UI_KEYS(X)
#undef X
	KA_NONE
};

struct keyrow {
	enum key_act act;
	unsigned ctx;
	int k[4];
	const char *keys, *hint, *help;
};

/* The table of ui/keys.h, one row per action (so KA_NONE rows), in its order: the key
 * lookup, the footer's hints and the help panel read it (ui/cui_term.c). */
extern const struct keyrow keyrows[KA_NONE];

/* One key as read: type is OK (a character), KEY_CODE_YES (a function key) or ERR.
 * pasted: it came inside a bracketed paste, so it is text, never a command. */
struct key {
	int type;
	wint_t ch;
	bool pasted;
};

/* ---- Symbols and colours. */
struct syms {
	const char *ok, *bad, *warn, *sep, *ell, *up, *down, *bullet, *mark;
	const char *const *spin;
	size_t nspin;
};

enum { PAIR_TITLE = 1, PAIR_OK, PAIR_BAD, PAIR_NOTE };

struct cui;
struct scr;

struct chk_state {           /* the checks screen, kept between calls */
	char *node_id;
	size_t step_no;
	size_t sel;
	int scroll;
	int list_top;
	bool running;            /* the last call was a running one */
	bool cancel_sent;
	int R, C;                /* size at the last layout */
};

struct cui {
	struct ui *u;            /* the front end this state belongs to: the signo a stop
	                            signal sets, the hints training counts, the note
	                            UI_NOTE hands over */
	SCREEN *scr;
	bool utf8, color;
	const struct syms *sy;
	char **pending;          /* notices not yet shown */
	size_t npending, cap;
	int fast_errs;           /* reads that failed at once, in a row */
	bool pasting;            /* inside a bracketed paste */
	long long paste_ms;      /* when its last key came */
	char *note_text, *note_node;   /* notices shown on node note_node at step note_step */
	size_t note_step;
	struct chk_state chk;
};

/* ---- Process-wide terminal state (ui/cui_term.c): signals can only reach globals, and
 * the loops act on these flags. */
extern volatile sig_atomic_t g_term;     /* SIGTERM or SIGHUP caught (its number): leave */
extern volatile sig_atomic_t g_int;      /* SIGINT caught: ask to quit */
extern bool g_eof;                       /* the terminal stopped giving input */
extern struct cui *g_cui;                /* the open front end, or NULL (draw_small(NULL)) */

static inline int min_i(int a, int b)
{
	return a < b ? a : b;
}

static inline int max_i(int a, int b)
{
	return a > b ? a : b;
}

/* ---- Lines with attributes: what text areas and panels show. */
struct line {
	char *s;
	attr_t attr;
	int item;            /* which list item it belongs to, or -1 */
	bool cont;           /* it goes on the paragraph of the line before (wrapped): a
	                        search reads the two as one, joined by a space */
};
struct lines {
	struct line *v;
	size_t n, cap;
};

/* ---- Search: '/' finds text among lines (a screen's text, a checklist, a panel), 'n'
 * and 'N' go from match to match. A wrapped paragraph is searched as one line, so a
 * match may run over a wrap; case is folded (towlower, by character). Matches are kept
 * by their number, so a new layout (a resize) keeps the one shown. */
struct hit {
	int line, eline;         /* the lines where the match starts and ends */
	size_t off, eoff;        /* its first byte in line, the byte after it in eline */
};

struct find {
	char *q;                 /* what is searched for (prepared), or NULL: no search on */
	int cur;                 /* the match shown (an index into hits), or -1 */
	struct hit *hits;        /* every match in the lines last scanned */
	size_t nhits, cap;
	char *msg;               /* for the bottom line until the next key, or NULL */
};

/* What find_prompt returns. */
enum { FP_OK, FP_CANCEL, FP_RESIZE };

/* ---- Screens. */
struct scr_ops {
	int (*want)(struct scr *s, int width);            /* rows the widget wants */
	void (*text)(struct scr *s, struct lines *L, int width);   /* the text area's lines */
	void (*build)(struct scr *s);                     /* curses objects for this layout */
	void (*unbuild)(struct scr *s);
	void (*draw)(struct scr *s);                      /* paint the widget area */
	/* A key: UI_NONE to go on, -1 when not handled (the common keys then apply), or
	 * the act to return. */
	int (*key)(struct scr *s, const struct key *k, enum key_act a);
	/* The lines a search looks through, with the first shown (*top) and how many show
	 * (*rows); NULL: the text area. */
	struct lines *(*find_view)(struct scr *s, int **top, int *rows);
	void (*found)(struct scr *s, int line);           /* a search went to line */
};

struct scr {
	struct cui *c;
	const struct ui_view *v;
	const struct scr_ops *ops;
	void *st;
	unsigned ctx;
	WINDOW *inwin;                 /* where keys are read (a form's window, or stdscr) */
	bool cursor;                   /* show the cursor (forms) */
	bool place;                    /* leave the (hidden) cursor at place_y, place_x: the
	                                  highlighted line, where screen readers look; set by
	                                  the screen's draw each frame */
	int place_y, place_x;
	bool quit_asks;                /* q asks before quitting */
	const char *footer_extra;      /* one more hint for the footer, or NULL */
	char *t_flow, *t_title, *t_path, *t_notice;   /* prepared chrome text */
	char *local_notice;            /* set by the screen; owned */
	char *flash;                   /* a message in the footer, in place of the hints,
	                                  until the next key ("copied 80 bytes ..."); owned */
	struct lines text, notes;
	int scroll;
	struct find find;              /* a search in the text ('/') */
	bool built, small;
	int R, C, head, text_top, text_rows, wid_top, wid_rows, wid_w, note_top, note_rows;
};

/* ---- ui/cui_term.c: the terminal's life, its signals, its keys, its clipboard. */
/* Take the terminal for c (sets c->scr, c->color): curses modes, colours, bracketed
 * paste, signal flags, crash handlers, atexit. -1 when it cannot (not a terminal, TERM
 * unset or dumb, newterm failed): the caller falls back to line mode. */
int term_open(struct cui *c);
/* Give the terminal back as it was and put back the signal handlers. Safe when closed. */
void term_close(void);
/* Ask the terminal to bracket pastes (true), or stop asking (false). */
void paste_mode(bool on);
/* Put text on the clipboard (OSC 52), cleaned as for the screen; what the footer says,
 * newly allocated. Call between frames. */
char *clip_copy(const char *text);
/* Is k this key (type OK or KEY_CODE_YES, and ch)? */
bool key_is(const struct key *k, int type, wint_t ch);
/* The action of the first keyrows row for ctx that has k; KA_NONE for none (and for a
 * pasted key or none read). */
enum key_act key_lookup(unsigned ctx, const struct key *k);
/* Read one key from w, waiting at most ms (negative: until a key or a signal); paste
 * markers are taken here and mark the keys between as pasted. type ERR: none. */
struct key key_read(struct cui *c, WINDOW *w, int ms);
/* Give back the key just read: the next key_read returns it. */
void key_unget(const struct key *k);
/* Is k the resize that ncurses delivers (KEY_RESIZE)? */
bool is_resize(const struct key *k);

/* ---- ui/cui_text.c: text made fit for the screen (cleaned, cut, wrapped) and drawn. */
/* The symbols to draw with: UTF-8 ones, or ASCII. Static, never NULL. */
const struct syms *syms_get(bool utf8);
/* The attribute of colour pair p, or 0 without colour. */
attr_t pair(const struct cui *c, int p);
/* How the screen shows the character at p: *n its length in bytes, out what to draw. */
void glyph(const struct cui *c, const unsigned char *p, size_t *n, char out[8]);
/* A copy of s fit for the screen (see glyph), newly allocated; never NULL. */
char *prep(const struct cui *c, const char *s);
/* s as one line fit for the screen, cut to cols columns with an ellipsis; newly allocated. */
char *fit(const struct cui *c, const char *s, int cols);
/* The tail of s (already prepared) that fits cols columns, led by an ellipsis when cut. */
char *fit_tail(const struct cui *c, const char *s, int cols);
/* Write s (already prepared) at y,x in w, at most cols columns, with attribute a. */
void put(WINDOW *w, int y, int x, const char *s, int cols, attr_t a);
/* Add a line to L; owned is handed over. */
void lines_push(struct lines *L, char *owned, attr_t a, int item);
/* Free L's lines and empty it (L itself stays usable). */
void lines_free(struct lines *L);
/* Add text (prepared here) to L wrapped to width columns, list items hanging. */
void lines_wrap(const struct cui *c, struct lines *L, const char *text, int width, attr_t a, int item);

/* ---- ui/cui_find.c: search ('/', n, N). */
/* Free what f holds and empty it (no search on). */
void find_free(struct find *f);
/* Set f's message for the bottom line; owned is handed over. */
void find_say(struct find *f, char *owned);
/* Find every match of f->q in L (none when no search is on). */
void find_scan(struct find *f, const struct lines *L);
/* Draw line li of L at y,x in w (cols columns) with f's matches marked (f may be NULL). */
void find_put_line(WINDOW *w, int y, int x, const struct lines *L, int li, int cols, attr_t a,
		   const struct find *f);
/* Go to the next (dir 1) or previous (-1) match, or the first from *top on (0), moving
 * the view (*top, rows rows); its line, or -1 for none. */
int find_go(struct find *f, const struct lines *L, int *top, int rows, int dir);
/* The "/" prompt on the bottom row, editing *draft (replaced): FP_OK, FP_CANCEL or
 * FP_RESIZE (lay out, then ask again with *draft). */
int find_prompt(struct cui *c, char **draft);
/* A new search for text in L: find_go from *top on. */
int find_new(const struct cui *c, struct find *f, const char *text, const struct lines *L, int *top, int rows);

/* ---- ui/cui_modal.c: dialogs over a screen (base may be NULL: a blank screen). */
/* Post menu m in sub (rows tall) of win, styled like every menu here, on item cur. */
void menu_show(const struct cui *c, MENU *m, WINDOW *win, WINDOW *sub, int rows, ITEM *cur);
/* Unpost and free menu m, its n items and their names (both arrays too). */
void menu_drop(MENU *m, ITEM **items, char **names, size_t n);
/* A choice among a list's items: its index, -1 (Esc) or -3 (Ctrl-C). */
int modal_list(struct cui *c, struct scr *base, const struct ui_list *l, size_t def, bool yesno);
/* A choice among n one-line items: as modal_list. */
int modal_choice(struct cui *c, struct scr *base, const char *question, const char *const *items,
		 size_t n, size_t def, bool yesno);
/* Yes or no; Ctrl-C is yes when quitting asks, else no with g_int left set. */
bool ask_yes(struct cui *c, struct scr *base, const char *question, bool quitting);
/* Apply the editing key k to the form's current field; false when k is not one. */
bool form_edit_key(FORM *fm, const struct key *k);
/* A scrolling, searchable panel of raw's lines under title; y copies copy (may be NULL). */
void modal_text(struct cui *c, struct scr *base, const char *title, const struct lines *raw, const char *copy);
/* A one-line form's value, trimmed and newly allocated; the form, its field and its
 * sub-window are gone after (the caller still owns the panel and window). */
char *form_line_take(FORM *fm, FIELD *f, WINDOW *sub);
/* One line of text, def to start with: newly allocated, or NULL on Esc (or empty). */
char *modal_prompt(struct cui *c, struct scr *base, const char *question, const char *def);

/* ---- ui/cui_panels.c: the panels any screen opens with a key. */
/* '?': why this step (and extra_why, may be NULL), then the screen's keys. */
void help_panel(struct scr *s, const char *extra_why);
/* 'm': the path so far with its answers, and what is left. */
void map_panel(struct scr *s);

/* ---- ui/cui_screen.c: the frame every screen shares, and its loop. */
/* Set s up for view v (may be NULL) with ops, the screen's state st and key context
 * ctx; pending notices join the view's. sc_done undoes it. */
void sc_init(struct scr *s, struct cui *c, const struct ui_view *v, const struct scr_ops *ops, void *st,
	     unsigned ctx);
/* Tear s down (unbuild, free what it holds). */
void sc_done(struct scr *s);
/* Set the screen's own notice (a copy of msg; NULL clears). Shown from the next layout. */
void sc_set_notice(struct scr *s, const char *msg);
/* Show msg (handed over; NULL clears) in the footer until the next key. */
void sc_flash(struct scr *s, char *msg);
/* The default text area: the node's text, and in training its why. */
void text_default(struct scr *s, struct lines *L, int width);
/* Lay s out for the terminal's size now: the widget is torn down and built again. */
void sc_layout(struct scr *s);
/* Paint s into curses' buffers (no doupdate). */
void sc_draw(struct scr *s);
/* "Terminal too small" on stdscr (s may be NULL). */
void draw_small(struct scr *s);
/* Show what was drawn: panels and the cursor (s may be NULL). */
void frame(struct scr *s);
/* The loop of s until a handler says what happens next; with once_ms >= 0 one frame
 * and at most one key, then UI_NONE. */
enum ui_act sc_run(struct scr *s, int once_ms);
/* A screen from start to end: sc_init, sc_run, sc_done. */
enum ui_act sc_once(struct cui *c, const struct ui_view *v, const struct scr_ops *ops, void *st, unsigned ctx);
/* Up, Down, Home and End move the text area; -1 for any other key. */
int text_scroll_key(struct scr *s, const struct key *k, enum key_act a);

/* ---- ui/scr_*.c: one kind of screen each; what ui/curses.c's entry points run. */
/* ui/scr_info.c: information (Enter goes on), and the page before a walk. */
enum ui_act info_run(struct cui *c, const struct ui_view *v);
enum ui_act page_run(struct cui *c, const struct ui_page *p);
/* ui/scr_ask.c: a question, a menu of answers; *choice in/out. */
enum ui_act ask_run(struct cui *c, const struct ui_view *v, const char *const *labels, size_t n, size_t *choice);
/* ui/scr_form.c: input fields; their values replaced on UI_OK. */
enum ui_act form_run(struct cui *c, const struct ui_view *v, struct ui_field *fields, size_t n);
/* ui/scr_paste.c: the paste box; *pasted newly allocated on UI_OK. */
enum ui_act pb_run(struct cui *c, const struct ui_view *v, char **pasted);
/* ui/scr_steps.c: a checklist, then "did it help?". */
enum ui_act steps_run(struct cui *c, const struct ui_view *v, const struct flow_step *steps,
		      const char *const *texts, size_t n, bool *ticked, enum steps_outcome *outcome);
/* ui/scr_checks.c: check rows, live while running (one frame per call then). */
enum ui_act chk_run(struct cui *c, const struct ui_view *v, const struct ui_check_row *rows, size_t n,
		    bool running);
/* ui/scr_end.c: the end of the walk; UI_REPORT with *report_path (newly allocated)
 * when s asked for a report and a file name was given. */
enum ui_act end_run(struct cui *c, const struct ui_view *v, const struct ui_end *end, char **report_path);

#endif
