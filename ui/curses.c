/* curses.c — the full-screen front end (ncursesw with menu, form and panel).
 *
 * Every screen is the same frame: a title bar (flow, step), the node's title, the path
 * so far, the node's text (scrollable), a widget area (a menu of answers, a form, a
 * checklist, check rows), a notice line and a footer of key hints. A screen is a small
 * set of callbacks (struct scr_ops): how many rows its widget wants, build/unbuild its
 * curses objects for a layout, draw, and handle a key. The loop owns layout and
 * repaint; handlers never refresh. KEY_RESIZE rebuilds everything (ncurses delivers it;
 * we install no SIGWINCH handler). Keys come from one table, ui/keys.h. '/' searches
 * whatever a screen or panel shows (struct find); 'm' shows the flow map the driver
 * gives in the view (the path with its answers, the way on).
 *
 * The terminal belongs to this file from open() to close(): newterm (not initscr, so a
 * failure falls back to plain mode), signal flags acted on in the loop (SIGINT asks;
 * SIGTERM and SIGHUP stop the walk as UI_SIGNAL: the driver says so, close() gives the
 * terminal back, and tshoot exits 128 + the signal), crash handlers that restore the terminal and
 * re-raise, and an atexit hook. Nothing is written to stdout or stderr while curses
 * owns the screen; notices that arrive after the last screen are printed on close. */
#include "ui/ui.h"

#include <curses.h>
#include <errno.h>
#include <form.h>
#include <limits.h>
#include <menu.h>
#include <panel.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "src/util.h"
#include "ui/keys.h"

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

static const struct keyrow keyrows[] = {
#define X(act, ctx, k1, k2, k3, k4, keys, hint, help, man) {act, ctx, {k1, k2, k3, k4}, keys, hint, help},
	UI_KEYS(X)
#undef X
};

/* One key as read: type is OK (a character), KEY_CODE_YES (a function key) or ERR.
 * pasted: it came inside a bracketed paste, so it is text, never a command. */
struct key {
	int type;
	wint_t ch;
	bool pasted;
};

/* Bracketed paste (xterm mode 2004, asked for on open): the terminal sends a paste
 * between ESC[200~ and ESC[201~; define_key makes curses return these codes for them.
 * key_read consumes them and marks the keys between as pasted. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END   (KEY_MAX + 2)
#define PASTE_IDLE_MS   1000     /* a paste whose end marker never came ends after this */

static bool key_is(const struct key *k, int type, wint_t ch)
{
	return k->type == type && k->ch == ch;
}

/* The first table row for ctx that has this key. Characters and function-key codes
 * share a number space, so each is matched only against its own kind. */
static enum key_act key_lookup(unsigned ctx, const struct key *k)
{
	if (k->type == ERR || k->pasted)
		return KA_NONE;
	bool fn = k->type == KEY_CODE_YES;
	long code = (long)k->ch;
	for (size_t i = 0; i < ARRAY_LEN(keyrows); i++) {
		const struct keyrow *r = &keyrows[i];
		if (!(r->ctx & ctx))
			continue;
		if (r->ctx & KF_RANGE) {
			if (!fn && code >= r->k[0] && code <= r->k[1])
				return r->act;
			continue;
		}
		for (int j = 0; j < 4; j++) {
			int kk = r->k[j];
			if (!kk)
				continue;
			bool kfn = kk >= KEY_MIN && kk <= KEY_MAX;
			if (kfn == fn && kk == code)
				return r->act;
		}
	}
	return KA_NONE;
}

/* ---- Process-wide terminal state: signals can only reach globals. */
static volatile sig_atomic_t g_term;     /* SIGTERM or SIGHUP caught (its number): leave */
static volatile sig_atomic_t g_int;      /* SIGINT caught: ask to quit */
static volatile sig_atomic_t g_curses;   /* curses owns the terminal */
static bool g_eof;                       /* the terminal stopped giving input */
static bool g_atexit;
static struct sigaction g_old_int, g_old_term, g_old_hup;

static void on_term(int sig)
{
	g_term = sig;
}

static void on_int(int sig)
{
	(void)sig;
	g_int = 1;
}

/* A crash: give the terminal back, then die of the same signal (so a core is written
 * and the exit status tells). endwin is not async-signal-safe, but the process is
 * dying and a usable terminal matters more (htop does the same). */
static char g_paste_off[32];             /* this terminal's "bracketed paste off" */
static size_t g_paste_off_len;

static void on_crash(int sig)
{
	if (g_curses) {
		g_curses = 0;
		endwin();
		ssize_t w = write(STDOUT_FILENO, g_paste_off, g_paste_off_len);
		(void)w;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int crash_sigs[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};

/* The terminal's string for cap (BE/BD/PS/PE, ncurses' names for bracketed paste) or
 * xterm's, which terminals that lack it ignore (an unknown private mode). */
static const char *paste_cap(const char *cap, const char *xterm)
{
	const char *s = tigetstr(cap);
	return s && s != (char *)-1 && *s ? s : xterm;
}

/* Ask the terminal to bracket pastes (on open, again when a paste box is built: a
 * shell run while we were stopped may have turned it off), or stop asking (on close;
 * the crash handler writes g_paste_off itself). */
static void paste_mode(bool on)
{
	if (on) {
		const char *off = paste_cap("BD", "\033[?2004l");
		g_paste_off_len = strlen(off) < sizeof(g_paste_off) ? strlen(off) : 0;
		memcpy(g_paste_off, off, g_paste_off_len);
	}
	putp(on ? paste_cap("BE", "\033[?2004h") : paste_cap("BD", "\033[?2004l"));
	fflush(stdout);          /* putp may go through stdio, which holds it back */
}

/* Curses returns the paste markers as KEY_PASTE_BEGIN/END. */
static void paste_keys(void)
{
	define_key(paste_cap("PS", "\033[200~"), KEY_PASTE_BEGIN);
	define_key(paste_cap("PE", "\033[201~"), KEY_PASTE_END);
}

/* ---- The clipboard, through the terminal: OSC 52 (ESC ] 52 ; c ; BASE64 BEL) asks the
 * terminal to put the text on the clipboard of the machine it runs on, so a copy works
 * over ssh too. Inside tmux ($TMUX set) the sequence goes twice: as it is, which tmux
 * takes into a paste buffer and hands on to its own terminal when its set-clipboard
 * option is on; and wrapped in tmux's DCS passthrough (ESC P tmux; ... ESC \, each ESC
 * inside doubled), which reaches the terminal outside when allow-passthrough is on.
 * Which of them tmux allows cannot be asked without a reply to wait for, and the same
 * text put twice does no harm. Callers pass only text already on screen, masked. */
#define CLIP_MAX (64u * 1024)        /* bytes; some terminals take no more (tshoot(1)) */

/* Write all of s to the terminal, past short writes and signals (bounded). */
static void term_write(const char *s, size_t n)
{
	for (int tries = 0; n > 0 && tries < 100; tries++) {
		ssize_t w = write(STDOUT_FILENO, s, n);
		if (w > 0) {
			s += w;
			n -= (size_t)w;
		} else if (w < 0 && errno != EINTR && errno != EAGAIN) {
			return;
		}
	}
}

/* Put text on the clipboard, cleaned as for the screen (newlines and tabs kept), so
 * nothing pasted from it later can carry a control character. What the footer says,
 * newly allocated. Called between frames: curses has nothing of its own waiting to be
 * written. */
static char *clip_copy(const char *text)
{
	/* The Linux console has no OSC 52: it would print the text over the screen. */
	const char *term = getenv("TERM");
	if (term && str_starts(term, "linux"))
		return xstrdup("not copied: the Linux console has no clipboard");
	char *clean = str_clean_text_dup(text ? text : "");
	size_t n = strlen(clean);
	if (!n || n > CLIP_MAX) {
		free(clean);
		return n ? xasprintf("not copied: %zu bytes is more than the clipboard takes (%u)", n, CLIP_MAX)
			 : xstrdup("nothing to copy");
	}
	char *b64 = base64_dup(clean, n);
	free(clean);
	struct strbuf sb = {0};
	sb_printf(&sb, "\033]52;c;%s\a", b64);
	const char *tmux = getenv("TMUX");
	if (tmux && *tmux)
		sb_printf(&sb, "\033Ptmux;\033\033]52;c;%s\a\033\\", b64);
	fflush(stdout);
	term_write(sb.s, sb.len);
	sb_clear(&sb);
	free(b64);
	return xasprintf("copied %zu byte%s to the clipboard", n, n == 1 ? "" : "s");
}

/* ---- Symbols and text preparation. */
struct syms {
	const char *ok, *bad, *warn, *sep, *ell, *up, *down, *bullet, *mark;
	const char *const *spin;
	size_t nspin;
};
static const char *const spin_utf8[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
static const char *const spin_ascii[] = {"|", "/", "-", "\\"};
static const struct syms syms_utf8 = {"✓", "✗", "!", " › ", "…", "▲", "▼", "•", "> ", spin_utf8, 10};
static const struct syms syms_ascii = {"[OK]", "[X]", "[!]", " > ", "...", "^", "v", "*", "> ", spin_ascii, 4};

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

static struct cui *g_cui;    /* for atexit */
/* The one curses screen of the process: close ends curses mode but keeps it, and a
 * later open (the walk after the resume picker) takes it up again. A second newterm
 * would lose the first screen's panel-library entry for stdscr (a leak). */
static SCREEN *g_scr;

static attr_t pair(const struct cui *c, int p)
{
	return c->color ? COLOR_PAIR(p) : 0;
}

/* ASCII stand-ins for the punctuation flows and servers commonly use. */
static const char *ascii_for(uint32_t cp)
{
	switch (cp) {
	case 0x00a0: return " ";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212: return "-";
	case 0x2018: case 0x2019: case 0x201a: return "'";
	case 0x201c: case 0x201d: case 0x201e: return "\"";
	case 0x2026: return "...";
	case 0x2022: case 0x00b7: return "*";
	case 0x203a: case 0x00bb: return ">";
	case 0x2039: case 0x00ab: return "<";
	case 0x2192: return "->";
	case 0x2190: return "<-";
	case 0x2713: case 0x2714: return "[OK]";
	case 0x2717: case 0x2718: return "[X]";
	default: return "?";
	}
}

/* How the screen shows the character at p (not at its end): *n is its length in bytes,
 * out (NUL-terminated) what to draw. Layout first: newlines are kept, a tab becomes two
 * spaces, CR nothing; then the one cleaning rule (utf8_cp_unsafe: control and bidi
 * characters as '?', invalid UTF-8 as U+FFFD), and in a non-UTF-8 locale everything
 * non-ASCII transliterated. The one place the screen's rules live. */
static void glyph(const struct cui *c, const unsigned char *p, size_t *n, char out[8])
{
	uint32_t cp;
	size_t k = utf8_decode((const char *)p, &cp);
	*n = k ? k : 1;
	out[0] = 0;
	if (cp == '\r')
		return;
	if (cp == '\n')
		memcpy(out, "\n", 2);
	else if (cp == '\t')
		memcpy(out, "  ", 3);
	else if (cp == UTF8_INVALID)
		snprintf(out, 8, "%s", c->utf8 ? UTF8_REPLACEMENT : "?");
	else if (utf8_cp_unsafe(cp))
		memcpy(out, "?", 2);
	else if (cp < 0x80) {
		out[0] = (char)cp;
		out[1] = 0;
	} else if (c->utf8) {
		memcpy(out, p, *n);
		out[*n] = 0;
	} else
		snprintf(out, 8, "%s", ascii_for(cp));
}

/* A copy of s fit for the screen (see glyph). Never NULL. */
static char *prep(const struct cui *c, const char *s)
{
	struct strbuf sb = {0};
	sb_add(&sb, "");
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t n;
		char g[8];
		glyph(c, p, &n, g);
		sb_add(&sb, g);
		p += n;
	}
	return sb_steal(&sb);
}

/* One line (no newline) made safe and cut to cols display columns, with an ellipsis
 * when cut. */
static char *fit(const struct cui *c, const char *s, int cols)
{
	char *p = prep(c, s);
	for (char *q = p; *q; q++)
		if (*q == '\n')
			*q = ' ';
	if (cols < 1) {
		p[0] = 0;
		return p;
	}
	if (utf8_width(p) <= (size_t)cols)
		return p;
	size_t ew = utf8_width(c->sy->ell);
	size_t keep = utf8_prefix_for_width(p, (size_t)cols > ew ? (size_t)cols - ew : 0);
	char *r = xasprintf("%.*s%s", (int)keep, p, (size_t)cols > ew ? c->sy->ell : "");
	free(p);
	return r;
}

/* The tail of s that fits cols columns, led by an ellipsis when cut. */
static char *fit_tail(const struct cui *c, const char *s, int cols)
{
	if (utf8_width(s) <= (size_t)cols)
		return xstrdup(s);
	size_t ew = utf8_width(c->sy->ell);
	size_t room = (size_t)cols > ew ? (size_t)cols - ew : 0;
	const char *p = s;
	while (*p && utf8_width(p) > room) {
		uint32_t cp;
		p += utf8_decode(p, &cp);
	}
	return xasprintf("%s%s", c->sy->ell, p);
}

/* Write s at y,x in w, at most cols columns (s must already be prepared). */
static void put(WINDOW *w, int y, int x, const char *s, int cols, attr_t a)
{
	if (cols <= 0 || !s)
		return;
	size_t nb = utf8_prefix_for_width(s, (size_t)cols);
	if (!nb)
		return;
	if (a)
		wattron(w, a);
	mvwaddnstr(w, y, x, s, (int)nb);
	if (a)
		wattroff(w, a);
}

static int min_i(int a, int b)
{
	return a < b ? a : b;
}

static int max_i(int a, int b)
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

static void lines_push(struct lines *L, char *owned, attr_t a, int item)
{
	VEC_PUSH(L->v, L->n, L->cap);
	L->v[L->n++] = (struct line){owned, a, item, false};
}

static void lines_free(struct lines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i].s);
	free(L->v);
	memset(L, 0, sizeof(*L));
}

/* Width of a paragraph's hanging indent: its leading spaces plus a list marker
 * ("• ", "* ", "- ", "12. ", "[x] ") when there is one. */
static size_t hang_width(const struct cui *c, const char *p)
{
	size_t sp = 0;
	while (p[sp] == ' ')
		sp++;
	const char *q = p + sp;
	const char *b = c->sy->bullet;
	if (str_starts(q, b) && q[strlen(b)] == ' ')
		return sp + utf8_width(b) + 1;
	if ((q[0] == '*' || q[0] == '-') && q[1] == ' ')
		return sp + 2;
	if (q[0] == '[' && q[1] && q[2] == ']' && q[3] == ' ')
		return sp + 4;
	size_t d = 0;
	while (q[d] >= '0' && q[d] <= '9')
		d++;
	if (d && d < 4 && q[d] == '.' && q[d + 1] == ' ')
		return sp + d + 2;
	return sp;
}

/* Add text (prepared here) wrapped to width columns; continuation lines of each
 * paragraph are indented under its first word (bullets, numbers). */
static void lines_wrap(const struct cui *c, struct lines *L, const char *text, int width, attr_t a, int item)
{
	char *t = prep(c, text);
	if (width < 4)
		width = 4;
	/* paragraph by paragraph, keeping empty lines */
	char *p = t;
	for (;;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = 0;
		size_t hang = hang_width(c, p);
		if (hang > (size_t)width / 2)
			hang = 0;
		size_t n = 0;
		char **w = wrap_text(p, (size_t)width, &n);
		if (n > 1 && hang) {
			/* rewrap the rest narrower so it fits under the hang */
			size_t first = strlen(w[0]);
			const char *rest = p + first;
			while (*rest == ' ')
				rest++;
			size_t n2 = 0;
			char **w2 = wrap_text(rest, (size_t)width - hang, &n2);
			lines_push(L, xstrdup(w[0]), a, item);
			for (size_t i = 0; i < n2; i++) {
				lines_push(L, xasprintf("%*s%s", (int)hang, "", w2[i]), a, item);
				L->v[L->n - 1].cont = true;
			}
			wrap_free(w2, n2);
		} else {
			for (size_t i = 0; i < n; i++) {
				lines_push(L, xstrdup(w[i]), a, item);
				L->v[L->n - 1].cont = i > 0;
			}
		}
		wrap_free(w, n);
		if (!nl)
			break;
		p = nl + 1;
	}
	free(t);
}

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

#define FIND_MAX_BYTES 256   /* the longest text searched for */

static void find_free(struct find *f)
{
	free(f->q);
	free(f->hits);
	free(f->msg);
	memset(f, 0, sizeof(*f));
}

static void find_say(struct find *f, char *owned)
{
	free(f->msg);
	f->msg = owned;
}

/* The bytes of h that q matches at its start, case folded; 0 when it does not. */
static size_t fold_match(const char *h, const char *q)
{
	const char *p = h;
	while (*q) {
		if (!*p)
			return 0;
		uint32_t a, b;
		size_t na = utf8_decode(p, &a), nb = utf8_decode(q, &b);
		bool same = a == UTF8_INVALID || b == UTF8_INVALID
				    ? na == nb && memcmp(p, q, na) == 0         /* bytes as they are */
				    : towlower((wint_t)a) == towlower((wint_t)b);
		if (!same)
			return 0;
		p += na;
		q += nb;
	}
	return (size_t)(p - h);
}

/* Find every match of f->q in L (none when no search is on). */
static void find_scan(struct find *f, const struct lines *L)
{
	f->nhits = 0;
	if (!f->q || !*f->q || !L->n)
		return;
	/* The lines joined: a wrapped line after a space (its indent left out), any other
	 * after a newline, which a one-line search never matches. */
	struct strbuf sb = {0};
	sb_add(&sb, "");
	size_t *beg = xcalloc(L->n, sizeof(*beg)), *skip = xcalloc(L->n, sizeof(*skip));
	for (size_t i = 0; i < L->n; i++) {
		const char *t = L->v[i].s;
		if (i)
			sb_addc(&sb, L->v[i].cont ? ' ' : '\n');
		if (L->v[i].cont)
			while (t[skip[i]] == ' ')
				skip[i]++;
		beg[i] = sb.len;
		sb_add(&sb, t + skip[i]);
	}
	size_t i = 0;                /* the line of the position p */
	for (size_t p = 0; p < sb.len;) {
		size_t n = fold_match(sb.s + p, f->q);
		if (!n) {
			uint32_t cp;
			p += utf8_decode(sb.s + p, &cp);
			continue;
		}
		while (i + 1 < L->n && beg[i + 1] <= p)
			i++;
		size_t e = p + n, j = i;
		while (j + 1 < L->n && beg[j + 1] < e)
			j++;
		size_t elen = strlen(L->v[j].s);
		VEC_PUSH(f->hits, f->nhits, f->cap);
		f->hits[f->nhits++] = (struct hit){
			.line = (int)i, .eline = (int)j, .off = skip[i] + (p - beg[i]),
			.eoff = skip[j] + (e - beg[j]) < elen ? skip[j] + (e - beg[j]) : elen,
		};
		p = e;
	}
	free(beg);
	free(skip);
	sb_clear(&sb);
	if (f->cur >= (int)f->nhits)
		f->cur = f->nhits ? (int)f->nhits - 1 : -1;
}

/* Line li of L at y, x in w (cols columns), with the matches on it marked: the one shown
 * in reverse video (on a line already reversed, the highlighted step, the other way
 * round), the others underlined. Without a search, just the line. */
static void find_put_line(WINDOW *w, int y, int x, const struct lines *L, int li, int cols, attr_t a,
			  const struct find *f)
{
	const char *t = L->v[li].s;
	put(w, y, x, t, cols, a);
	for (size_t k = 0; f && f->q && k < f->nhits; k++) {
		const struct hit *h = &f->hits[k];
		if (li < h->line || li > h->eline)
			continue;
		size_t b = li == h->line ? h->off : 0, e = li == h->eline ? h->eoff : strlen(t);
		while (li != h->line && t[b] == ' ')
			b++;                 /* a wrapped line's indent is no part of it */
		if (b >= e)
			continue;
		char *pre = xstrndup(t, b), *seg = xstrndup(t + b, e - b);
		int col = (int)utf8_width(pre);
		attr_t m = (int)k != f->cur ? a | A_UNDERLINE
			 : a & A_REVERSE ? (a & ~A_REVERSE) | A_BOLD | A_UNDERLINE : a | A_REVERSE | A_BOLD;
		if (col < cols)
			put(w, y, x + col, seg, cols - col, m);
		free(pre);
		free(seg);
	}
}

/* Go to a match: the first from line *top on (dir 0: a new search), the next (1) or the
 * previous (-1), round the ends. The view (*top, rows rows of L) moves to show it, and
 * the bottom line says which it is. Returns its line, or -1 when there is none. */
static int find_go(struct find *f, const struct lines *L, int *top, int rows, int dir)
{
	find_scan(f, L);
	if (!f->q)
		return -1;
	if (!f->nhits) {
		f->cur = -1;
		find_say(f, xasprintf("not found: %s", f->q));
		return -1;
	}
	int n = (int)f->nhits;
	bool wrapped = false;
	if (dir == 0) {
		f->cur = 0;
		while (f->cur < n && f->hits[f->cur].line < *top)
			f->cur++;
		if (f->cur == n) {
			f->cur = 0;
			wrapped = true;
		}
	} else if (f->cur < 0) {
		f->cur = dir > 0 ? 0 : n - 1;
	} else {
		f->cur += dir;
		wrapped = f->cur < 0 || f->cur >= n;
		f->cur = (f->cur + n) % n;
	}
	const struct hit *h = &f->hits[f->cur];
	if (h->line < *top || h->eline >= *top + rows)
		*top = max_i(0, min_i(h->line, (int)L->n - rows));
	find_say(f, xasprintf("%smatch %d of %d", wrapped ? "search wrapped: " : "", f->cur + 1, n));
	return h->line;
}

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

/* Pending notices (ops->notice) join the view's notice on the next screen. */
static void sc_init(struct scr *s, struct cui *c, const struct ui_view *v, const struct scr_ops *ops,
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

static void sc_done(struct scr *s)
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

static void sc_set_notice(struct scr *s, const char *msg)
{
	free(s->local_notice);
	s->local_notice = msg ? xstrdup(msg) : NULL;
}

/* Show msg (owned, handed over; NULL clears) in the footer until the next key. */
static void sc_flash(struct scr *s, char *msg)
{
	free(s->flash);
	s->flash = msg;
}

/* The default text area: the node's text, and in training its why. */
static void text_default(struct scr *s, struct lines *L, int width)
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
static void sc_layout(struct scr *s)
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

static void draw_small(struct scr *s)
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
static void sc_draw(struct scr *s)
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

static void frame(struct scr *s)
{
	if (s && s->cursor && !s->small)
		curs_set(1);
	else
		curs_set(0);
	update_panels();
	doupdate();
}

/* Read one key from w, waiting at most ms (negative: until a key or a signal). */
static struct key key_read1(struct cui *c, WINDOW *w, int ms)
{
	struct key k = {ERR, 0, false};
	wtimeout(w, ms);
	long long t0 = now_ms();
	int r = wget_wch(w, &k.ch);
	if (r == ERR) {
		/* A terminal that hung up answers every read at once with nothing: after a
		 * run of those, treat it as end of input rather than spin. */
		if (ms >= 40 && now_ms() - t0 < ms / 4 && !g_term && !g_int) {
			if (++c->fast_errs >= 50)
				g_eof = true;
		} else {
			c->fast_errs = 0;
		}
		return k;
	}
	c->fast_errs = 0;
	k.type = r;
	return k;
}

/* Read one key; the paste markers are taken here and mark what comes between them. */
static struct key key_read(struct cui *c, WINDOW *w, int ms)
{
	struct key k = {ERR, 0, false};
	for (int i = 0; i < 3; i++) {
		k = key_read1(c, w, ms);
		if (k.type == KEY_CODE_YES && (k.ch == KEY_PASTE_BEGIN || k.ch == KEY_PASTE_END)) {
			c->pasting = k.ch == KEY_PASTE_BEGIN;
			c->paste_ms = now_ms();
			k = (struct key){ERR, 0, false};
			continue;
		}
		if (k.type == ERR) {
			if (c->pasting && now_ms() - c->paste_ms > PASTE_IDLE_MS)
				c->pasting = false;
		} else if (c->pasting && !key_is(&k, KEY_CODE_YES, KEY_RESIZE)) {
			k.pasted = true;
			c->paste_ms = now_ms();
		}
		break;
	}
	return k;
}

/* Give back the key just read (read ahead, not ours): the next read returns it, and
 * marks it pasted or not as it was, since nothing was read after it. */
static void key_unget(const struct key *k)
{
	if (k->type == OK)
		unget_wch((wchar_t)k->ch);
	else if (k->type == KEY_CODE_YES)
		ungetch((int)k->ch);
}

static bool is_resize(const struct key *k)
{
	return key_is(k, KEY_CODE_YES, KEY_RESIZE);
}

/* ---- Modal dialogs over a screen (base may be NULL). */
static void base_redraw(struct scr *base, bool relayout)
{
	if (base) {
		if (relayout)
			sc_layout(base);
		sc_draw(base);
	} else {
		werase(stdscr);
		int R, C;
		getmaxyx(stdscr, R, C);
		if (R < MIN_ROWS || C < MIN_COLS)
			draw_small(NULL);
	}
}

static bool term_small(void)
{
	int R, C;
	getmaxyx(stdscr, R, C);
	return R < MIN_ROWS || C < MIN_COLS;
}

/* The top of a modal dialog's loop: repaint what lies under it; below the minimum
 * size, show "terminal too small" and wait (at most 200 ms) for a key or a resize.
 * Returns true with the screen's size in *R, *C when the dialog can be drawn, false
 * when the caller should go round its loop again. */
static bool modal_frame(struct cui *c, struct scr *base, int *R, int *C)
{
	base_redraw(base, false);
	if (term_small()) {
		frame(base);
		struct key k = key_read(c, stdscr, 200);
		if (is_resize(&k))
			base_redraw(base, true);
		return false;
	}
	getmaxyx(stdscr, *R, *C);
	return true;
}

static void box_ascii(const struct cui *c, WINDOW *w)
{
	if (c->utf8)
		box(w, 0, 0);
	else
		wborder(w, '|', '|', '-', '-', '+', '+', '+', '+');
}

/* Post menu m in sub (rows tall) of win, styled like every menu here, on item cur. */
static void menu_show(const struct cui *c, MENU *m, WINDOW *win, WINDOW *sub, int rows, ITEM *cur)
{
	set_menu_win(m, win);
	set_menu_sub(m, sub);
	set_menu_format(m, rows, 1);
	set_menu_mark(m, c->sy->mark);
	set_menu_fore(m, A_REVERSE | A_BOLD);
	set_menu_back(m, A_NORMAL);
	set_current_item(m, cur);
	post_menu(m);
}

/* Unpost and free menu m with its n items and their names (both arrays too). */
static void menu_drop(MENU *m, ITEM **items, char **names, size_t n)
{
	unpost_menu(m);
	free_menu(m);
	for (size_t i = 0; i < n; i++) {
		free_item(items[i]);
		free(names[i]);
	}
	free(items);
	free(names);
}

/* A dialog's width on a screen C columns wide: 64 (C - 4 at most), wider for long
 * items (a session to resume) up to C - 2. widest: the widest item's width. */
static int modal_width(int C, size_t widest)
{
	return max_i(min_i(C - 4, 64), min_i(C - 2, (int)widest + 12));
}

#define LIST_GAP     2       /* columns between a list's columns */
#define LIST_MIN_COL 12      /* a column is not narrowed below this (columns_fit) */

/* A list's rows (and its headings, when it has them, as row n) as menu names w columns
 * wide: "N. " then each column cut to the width columns_fit gives it. */
static char **list_rows(const struct cui *c, const struct ui_list *l, int w, char **head)
{
	size_t nc = l->ncols ? l->ncols : 1;
	size_t *want = xcalloc(nc, sizeof(*want)), *cw = xcalloc(nc, sizeof(*cw));
	for (size_t i = 0; i <= l->n; i++)
		for (size_t j = 0; j < nc; j++) {
			const char *t = i < l->n ? l->cells[i * nc + j] : l->heads ? l->heads[j] : NULL;
			char *p = prep(c, t ? t : "");
			size_t tw = utf8_width(p);
			free(p);
			if (tw > want[j])
				want[j] = tw;
		}
	int numw = snprintf(NULL, 0, "%zu", l->n);
	size_t room = w > numw + 2 ? (size_t)(w - numw - 2) : 0;
	size_t keep = columns_fit(want, nc, room, LIST_GAP, LIST_MIN_COL, cw);
	char **rows = xcalloc(l->n, sizeof(*rows));
	for (size_t i = 0; i <= l->n; i++) {
		if (i == l->n && !l->heads)
			break;
		struct strbuf sb = {0};
		if (i < l->n)
			sb_printf(&sb, "%*zu. ", numw, i + 1);
		else
			sb_printf(&sb, "%*s", numw + 2, "");
		for (size_t j = 0; j < keep; j++) {
			const char *t = i < l->n ? l->cells[i * nc + j] : l->heads[j];
			char *f = fit(c, t ? t : "", (int)cw[j]);
			if (j)
				sb_printf(&sb, "%*s", LIST_GAP, "");
			sb_add(&sb, f);
			if (j + 1 < keep)
				sb_printf(&sb, "%*s", (int)(cw[j] - utf8_width(f)), "");
			free(f);
		}
		if (i < l->n)
			rows[i] = sb_steal(&sb);
		else
			*head = sb_steal(&sb);
	}
	free(cw);
	free(want);
	return rows;
}

/* The width of a list's widest row after its number, the columns as wide as they
 * want to be. */
static size_t list_width(const struct cui *c, const struct ui_list *l)
{
	char *head = NULL;
	char **rows = list_rows(c, l, INT_MAX / 2, &head);
	size_t w = head ? utf8_width(head) : 0;
	for (size_t i = 0; i < l->n; i++) {
		if (utf8_width(rows[i]) > w)
			w = utf8_width(rows[i]);
		free(rows[i]);
	}
	free(rows);
	free(head);
	size_t numw = (size_t)snprintf(NULL, 0, "%zu", l->n) + 2;     /* "N. " */
	return w > numw ? w - numw : 0;
}

/* A choice among a list's items (a menu in a panel, its columns lined up under their
 * headings). Returns the index, -1 (Esc) or -3 (Ctrl-C). y and n answer items 0 and 1
 * when yesno. */
static int modal_list(struct cui *c, struct scr *base, const struct ui_list *l, size_t def, bool yesno)
{
	size_t n = l->n;
	size_t sel = def < n ? def : 0;
	int result = -2;
	size_t widest = list_width(c, l);
	int hh = l->heads ? 1 : 0;       /* the headings' row */
	while (result == -2) {
		if (g_term || g_eof)
			return -1;
		if (g_int)
			return -3;
		int R, C;
		if (!modal_frame(c, base, &R, &C))
			continue;
		int w = modal_width(C, widest);
		struct lines q = {0};
		lines_wrap(c, &q, l->question, w - 4, A_BOLD, -1);
		int qn = min_i((int)q.n, R - 6 - hh - (int)n);
		qn = max_i(qn, 1);
		int mh = min_i((int)n, R - 5 - hh - qn);
		mh = max_i(mh, 1);
		int h = qn + hh + mh + 3;
		WINDOW *win = newwin(h, w, (R - h) / 2, (C - w) / 2);
		keypad(win, TRUE);
		PANEL *pan = new_panel(win);
		box_ascii(c, win);
		for (int i = 0; i < qn; i++)
			put(win, 1 + i, 2, q.v[i].s, w - 4, A_BOLD);
		lines_free(&q);
		/* the menu's mark stands before each name: the headings start after it */
		int markw = (int)utf8_width(c->sy->mark);
		char *head = NULL;
		char **names = list_rows(c, l, w - 5 - markw, &head);
		if (head)
			put(win, qn + 2, 2 + markw, head, w - 4 - markw, A_BOLD | A_UNDERLINE);
		free(head);
		ITEM **it = xcalloc(n + 1, sizeof(*it));
		for (size_t i = 0; i < n; i++)
			it[i] = new_item(names[i], NULL);
		MENU *m = new_menu(it);
		WINDOW *sub = derwin(win, mh, w - 4, qn + 2 + hh, 2);
		menu_show(c, m, win, sub, mh, it[sel]);
		for (;;) {
			frame(NULL);
			if (g_term || g_eof) {
				result = -1;
				break;
			}
			if (g_int) {             /* Ctrl-C: the caller decides (see ask_yes) */
				result = -3;
				break;
			}
			struct key k = key_read(c, win, 200);
			if (k.type == ERR || k.pasted)   /* pasted text answers nothing */
				continue;
			if (is_resize(&k))
				break;
			if (yesno && (key_is(&k, OK, 'y') || key_is(&k, OK, 'Y'))) {
				result = 0;
				break;
			}
			if (yesno && (key_is(&k, OK, 'n') || key_is(&k, OK, 'N'))) {
				result = 1;
				break;
			}
			enum key_act a = key_lookup(KC_ASK, &k);
			if (a == KA_UP)
				menu_driver(m, REQ_UP_ITEM);
			else if (a == KA_DOWN)
				menu_driver(m, REQ_DOWN_ITEM);
			else if (a == KA_CHOOSE) {
				result = item_index(current_item(m));
				break;
			} else if (a == KA_NUMBER && (size_t)(k.ch - '1') < n) {
				result = (int)(k.ch - '1');
				break;
			} else if (key_is(&k, OK, 27) || key_is(&k, OK, 'q')) {
				result = -1;
				break;
			}
		}
		sel = (size_t)item_index(current_item(m));
		menu_drop(m, it, names, n);
		delwin(sub);
		del_panel(pan);
		delwin(win);
		if (result == -2)
			base_redraw(base, true);
	}
	if (base)
		base_redraw(base, false);
	return result;
}

/* A choice among n one-line items: modal_list with one column. */
static int modal_choice(struct cui *c, struct scr *base, const char *question, const char *const *items,
			size_t n, size_t def, bool yesno)
{
	struct ui_list l = {.question = question, .cells = items, .ncols = 1, .n = n};
	return modal_list(c, base, &l, def, yesno);
}

/* Yes or no. Ctrl-C while asking whether to quit means yes; on any other question it
 * means no, and the flag stays set so the screen's loop asks about quitting. */
static bool ask_yes(struct cui *c, struct scr *base, const char *question, bool quitting)
{
	static const char *const yn[] = {"Yes", "No"};
	int r = modal_choice(c, base, question, yn, 2, 1, true);
	if (r == -3) {
		if (!quitting)
			return false;
		g_int = 0;
		return true;
	}
	return r == 0;
}

/* The editing keys of a form's field (typing, deleting, moving along the line, Ctrl-A/E
 * home/end, Ctrl-U/K clear the field/the rest of the line). False when k is not one. */
static bool form_edit_key(FORM *fm, const struct key *k)
{
	if (k->type == OK && k->ch >= 32 && k->ch != 127)
		form_driver_w(fm, OK, k->ch);
	else if (key_is(k, KEY_CODE_YES, KEY_BACKSPACE) || key_is(k, OK, 127) || key_is(k, OK, 8))
		form_driver(fm, REQ_DEL_PREV);
	else if (key_is(k, KEY_CODE_YES, KEY_DC))
		form_driver(fm, REQ_DEL_CHAR);
	else if (key_is(k, KEY_CODE_YES, KEY_LEFT))
		form_driver(fm, REQ_PREV_CHAR);
	else if (key_is(k, KEY_CODE_YES, KEY_RIGHT))
		form_driver(fm, REQ_NEXT_CHAR);
	else if (key_is(k, KEY_CODE_YES, KEY_HOME) || key_is(k, OK, 1))
		form_driver(fm, REQ_BEG_LINE);
	else if (key_is(k, KEY_CODE_YES, KEY_END) || key_is(k, OK, 5))
		form_driver(fm, REQ_END_LINE);
	else if (key_is(k, OK, 21))
		form_driver(fm, REQ_CLR_FIELD);
	else if (key_is(k, OK, 11))
		form_driver(fm, REQ_CLR_EOL);
	else
		return false;
	return true;
}

/* The one-line prompt on the bottom row: "/" then the text. Enter searches (FP_OK,
 * *draft the text; an empty one cancels), Esc cancels; a resize returns FP_RESIZE with
 * what was typed in *draft, for the caller to lay out and ask again. */
enum { FP_OK, FP_CANCEL, FP_RESIZE };

static int find_prompt(struct cui *c, char **draft)
{
	int R, C;
	getmaxyx(stdscr, R, C);
	if (R < MIN_ROWS || C < MIN_COLS)
		return FP_CANCEL;
	WINDOW *win = newwin(1, C, R - 1, 0);
	keypad(win, TRUE);
	PANEL *pan = new_panel(win);
	put(win, 0, 0, "/", 1, A_BOLD);
	FIELD *ff[2] = {new_field(1, C - 2, 0, 0, 0, 0), NULL};
	field_opts_off(ff[0], O_AUTOSKIP | O_STATIC);
	set_max_field(ff[0], FIND_MAX_BYTES);
	set_field_buffer(ff[0], 0, *draft ? *draft : "");
	FORM *fm = new_form(ff);
	WINDOW *sub = derwin(win, 1, C - 2, 0, 1);
	set_form_win(fm, win);
	set_form_sub(fm, sub);
	post_form(fm);
	form_driver(fm, REQ_END_LINE);
	leaveok(win, FALSE);
	int r = FP_CANCEL;
	for (;;) {
		pos_form_cursor(fm);
		update_panels();
		curs_set(1);
		doupdate();
		if (g_term || g_eof || g_int)
			break;
		struct key k = key_read(c, win, 200);
		if (k.type == ERR)
			continue;
		if (is_resize(&k)) {
			r = FP_RESIZE;
			break;
		}
		enum key_act a = key_lookup(KC_FORM, &k);
		if (a == KA_SUBMIT) {
			r = FP_OK;
			break;
		}
		if (a == KA_FORM_BACK)
			break;
		form_edit_key(fm, &k);
	}
	form_driver(fm, REQ_VALIDATION);
	free(*draft);
	*draft = str_trim_dup(field_buffer(ff[0], 0));
	unpost_form(fm);
	free_form(fm);
	free_field(ff[0]);
	delwin(sub);
	del_panel(pan);
	delwin(win);
	curs_set(0);
	if (r == FP_OK && !**draft)
		r = FP_CANCEL;
	return r;
}

/* A new search for text (as typed): the first match from *top on. */
static int find_new(const struct cui *c, struct find *f, const char *text, const struct lines *L, int *top,
		    int rows)
{
	free(f->q);
	f->q = fit(c, text, FIND_MAX_BYTES);
	f->cur = -1;
	return find_go(f, L, top, rows, 0);
}

/* A scrolling panel of text lines (raw: wrapped here for the panel's width), searched
 * with '/', 'n' and 'N' as a screen's text is; the bottom border says what a search
 * found. copy (may be NULL) is what y puts on the clipboard; base's footer (under the
 * panel) says so. */
static void modal_text(struct cui *c, struct scr *base, const char *title, const struct lines *raw,
		       const char *copy)
{
	int top = 0;
	bool done = false;
	struct find f = {.cur = -1};
	char *draft = NULL;              /* a search being typed when the size changed */
	while (!done) {
		if (g_term || g_eof)
			break;
		int R, C;
		if (!modal_frame(c, base, &R, &C))
			continue;
		int w = min_i(C - 2, 90), h = R - 2;
		struct lines L = {0};
		for (size_t i = 0; i < raw->n; i++)
			lines_wrap(c, &L, raw->v[i].s, w - 4, raw->v[i].attr, -1);
		h = min_i(h, (int)L.n + 2);
		h = max_i(h, 5);
		WINDOW *win = newwin(h, w, (R - h) / 2, (C - w) / 2);
		keypad(win, TRUE);
		PANEL *pan = new_panel(win);
		int rows = h - 2;
		for (;;) {
			int maxtop = max_i(0, (int)L.n - rows);
			top = max_i(0, min_i(top, maxtop));
			find_scan(&f, &L);
			werase(win);
			box_ascii(c, win);
			char *t = fit(c, title, w - 6);
			put(win, 0, 2, " ", 1, A_BOLD);
			put(win, 0, 3, t, w - 6, A_BOLD);
			put(win, 0, 3 + (int)utf8_width(t), " ", 1, A_BOLD);
			free(t);
			for (int i = 0; i < rows && top + i < (int)L.n; i++)
				find_put_line(win, 1 + i, 2, &L, top + i, w - 4, L.v[top + i].attr, &f);
			if (top > 0)
				put(win, 1, w - 2, c->sy->up, 1, A_BOLD);
			if (top < maxtop)
				put(win, h - 2, w - 2, c->sy->down, 1, A_BOLD);
			char *hint = f.msg ? xasprintf(" %s ", f.msg)
					   : xasprintf(" %s%sEsc close ", top < maxtop ? "PgDn more, " : "",
						       copy ? "y copy, " : "");
			char *cut = fit(c, hint, w - 4);
			put(win, h - 1, max_i(2, w - 1 - (int)utf8_width(cut)), cut, w - 4, A_BOLD);
			free(cut);
			free(hint);
			frame(NULL);
			if (g_term || g_eof || g_int) {
				done = true;
				break;
			}
			int fp = FP_CANCEL;
			if (draft)               /* typing a search when the size changed: go on */
				fp = find_prompt(c, &draft);
			else {
				struct key k = key_read(c, win, 200);
				if (k.type == ERR || k.pasted)
					continue;
				if (is_resize(&k))
					break;
				FREE_NULL(f.msg);
				enum key_act a = key_lookup(KC_PANEL, &k);   /* n, N: with or without a search */
				if (base && base->flash) {     /* the footer's message lasts until the next key */
					sc_flash(base, NULL);
					base_redraw(base, false);
				}
				if (a == KA_COPY && copy && base) {
					sc_flash(base, clip_copy(copy));
					base_redraw(base, false);
				} else if (a == KA_UP)
					top--;
				else if (a == KA_DOWN)
					top++;
				else if (a == KA_PGUP)
					top -= max_i(1, rows - 1);
				else if (a == KA_PGDN)
					top += max_i(1, rows - 1);
				else if (a == KA_FIND)
					fp = find_prompt(c, &draft);
				else if (a == KA_FIND_NEXT || a == KA_FIND_PREV) {
					if (f.q)
						find_go(&f, &L, &top, rows, a == KA_FIND_NEXT ? 1 : -1);
					else
						find_say(&f, xstrdup("no search yet: / searches"));
				} else if (a == KA_CLOSE || key_is(&k, OK, '?') || key_is(&k, KEY_CODE_YES, KEY_F(1))) {
					done = true;
					break;
				}
				if (a != KA_FIND)
					continue;
			}
			if (fp == FP_RESIZE)
				break;               /* laid out again, then the prompt again */
			if (fp == FP_OK)
				find_new(c, &f, draft, &L, &top, rows);
			FREE_NULL(draft);
		}
		lines_free(&L);
		del_panel(pan);
		delwin(win);
		if (!done)
			base_redraw(base, true);
	}
	free(draft);
	find_free(&f);
	if (base)
		base_redraw(base, false);
}

/* Ask for one line of text in a small form; NULL on Esc. */
static char *modal_prompt(struct cui *c, struct scr *base, const char *question, const char *def)
{
	char *val = xstrdup(def ? def : "");
	char *result = NULL;
	bool done = false;
	while (!done) {
		if (g_term || g_eof)
			break;
		int R, C;
		if (!modal_frame(c, base, &R, &C))
			continue;
		int w = min_i(C - 4, 70);
		struct lines q = {0};
		lines_wrap(c, &q, question, w - 4, A_BOLD, -1);
		int qn = min_i((int)q.n, 3);
		int h = qn + 5;
		WINDOW *win = newwin(h, w, (R - h) / 2, (C - w) / 2);
		keypad(win, TRUE);
		PANEL *pan = new_panel(win);
		box_ascii(c, win);
		for (int i = 0; i < qn; i++)
			put(win, 1 + i, 2, q.v[i].s, w - 4, A_BOLD);
		lines_free(&q);
		put(win, h - 1, 2, " Enter save, Esc cancel ", w - 4, A_BOLD);
		FIELD *ff[2] = {new_field(1, w - 4, 0, 0, 0, 0), NULL};
		field_opts_off(ff[0], O_AUTOSKIP | O_STATIC);
		set_max_field(ff[0], 4096);
		set_field_back(ff[0], A_UNDERLINE);
		set_field_buffer(ff[0], 0, val);
		FORM *fm = new_form(ff);
		WINDOW *sub = derwin(win, 1, w - 4, qn + 2, 2);
		set_form_win(fm, win);
		set_form_sub(fm, sub);
		post_form(fm);
		form_driver(fm, REQ_END_LINE);
		leaveok(win, FALSE);
		for (;;) {
			pos_form_cursor(fm);
			update_panels();
			curs_set(1);
			doupdate();
			if (g_term || g_eof || g_int) {
				done = true;
				break;
			}
			struct key k = key_read(c, win, 200);
			if (k.type == ERR)
				continue;
			if (is_resize(&k))
				break;
			enum key_act a = key_lookup(KC_FORM, &k);
			if (a == KA_SUBMIT) {
				form_driver(fm, REQ_VALIDATION);
				char *t = str_trim_dup(field_buffer(ff[0], 0));
				if (*t)
					result = t;
				else
					free(t);
				done = true;
				break;
			}
			if (a == KA_FORM_BACK) {
				done = true;
				break;
			}
			form_edit_key(fm, &k);
		}
		form_driver(fm, REQ_VALIDATION);
		free(val);
		val = str_trim_dup(field_buffer(ff[0], 0));
		unpost_form(fm);
		free_form(fm);
		free_field(ff[0]);
		delwin(sub);
		del_panel(pan);
		delwin(win);
		curs_set(0);
		if (!done)
			base_redraw(base, true);
	}
	free(val);
	if (base)
		base_redraw(base, false);
	return result;
}

/* The '?' panel: why this step, then the keys of this screen, from the table. */
static void help_panel(struct scr *s, const char *extra_why)
{
	struct cui *c = s->c;
	struct lines raw = {0};
	if (s->notes.n > (size_t)s->note_rows) {
		lines_push(&raw, xstrdup("Messages"), A_BOLD, -1);
		if (s->t_notice)
			lines_push(&raw, xstrdup(s->t_notice), A_NORMAL, -1);
		if (s->local_notice)
			lines_push(&raw, xstrdup(s->local_notice), A_NORMAL, -1);
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
	}
	if (s->v && s->v->node_id)
		c->u->hints++;           /* help on a step: a hint, in training's score */
	lines_push(&raw, xstrdup("Why this step"), A_BOLD, -1);
	const char *why = s->v && s->v->why && *s->v->why ? s->v->why : NULL;
	if (why)
		lines_push(&raw, xasprintf("  %s", why), A_NORMAL, -1);
	if (extra_why && *extra_why)
		lines_push(&raw, xstrdup(extra_why), A_NORMAL, -1);
	if (!why && !(extra_why && *extra_why))
		lines_push(&raw, xstrdup("  This step has no further explanation."), A_NORMAL, -1);
	lines_push(&raw, xstrdup(""), A_NORMAL, -1);
	lines_push(&raw, xstrdup("Keys"), A_BOLD, -1);
	/* the search keys too, as they are while a search is on */
	unsigned ctx = s->ctx | (s->ctx & KC_SEARCH ? KC_FOUND : 0);
	size_t kw = 0;
	for (size_t i = 0; i < ARRAY_LEN(keyrows); i++)
		if (keyrows[i].ctx & ctx)
			kw = utf8_width(keyrows[i].keys) > kw ? utf8_width(keyrows[i].keys) : kw;
	for (size_t i = 0; i < ARRAY_LEN(keyrows); i++) {
		if (!(keyrows[i].ctx & ctx))
			continue;
		const char *help = keyrows[i].act == KA_QUIT && !s->quit_asks ? "quit" : keyrows[i].help;
		lines_push(&raw, xasprintf("  %-*s  %s", (int)kw, keyrows[i].keys, help), A_NORMAL, -1);
	}
	modal_text(c, s, "Help", &raw, NULL);
	lines_free(&raw);
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

#define MAP_ANSWER_COLS 120  /* an answer in the map is cut to this (a pasted log) */

/* The flow map ('m'): the steps so far with what was answered at each, the step you are
 * on, and what is left (the driver's shortest way on to an end). */
static void map_panel(struct scr *s)
{
	const struct ui_view *v = s->v;
	struct cui *c = s->c;
	if (!v)
		return;
	struct lines raw = {0};
	lines_push(&raw, xstrdup("The path so far"), A_BOLD, -1);
	for (size_t i = 0; i < v->npath; i++) {
		lines_push(&raw, xasprintf("  %zu. %s", i + 1, v->path[i]), A_NORMAL, -1);
		const char *ans = v->answers ? v->answers[i] : NULL;
		if (ans && *ans) {
			char *a = fit(c, ans, MAP_ANSWER_COLS);
			lines_push(&raw, xasprintf("     → %s", a), A_NORMAL, -1);
			free(a);
		}
	}
	lines_push(&raw, xasprintf("  %zu. %s (you are here)", v->step_no, v->title ? v->title : v->node_id),
		   A_BOLD, -1);
	lines_push(&raw, xstrdup(""), A_NORMAL, -1);
	lines_push(&raw, xstrdup("What is left"), A_BOLD, -1);
	if (v->type == NODE_END)
		lines_push(&raw, xstrdup("  Nothing: this is an end of the flow."), A_NORMAL, -1);
	else if (v->training)
		lines_push(&raw, xstrdup("  In training the way on is not shown: finding it is the exercise."), A_NORMAL, -1);
	else if (v->ahead_steps <= 0 || !v->ahead)
		lines_push(&raw, xstrdup("  No end of the flow can be reached from here."), A_NORMAL, -1);
	else {
		lines_push(&raw, xasprintf("  At least %d more step%s to an end. A shortest way on (the way the walk "
					   "takes depends on the answers and the checks):",
					   v->ahead_steps, v->ahead_steps == 1 ? "" : "s"),
			   A_NORMAL, -1);
		for (int k = 0; k < v->ahead_steps; k++) {
			bool last = k + 1 == v->ahead_steps;
			lines_push(&raw, xasprintf("  %zu. %s%s", v->step_no + (size_t)k + 1, v->ahead[k],
						   !last ? "" : v->ahead_result == END_RESOLVED ? " (end: resolved)"
											 : " (end: escalate)"),
				   A_NORMAL, -1);
		}
	}
	modal_text(c, s, "Where am I", &raw, NULL);
	lines_free(&raw);
}

/* Promise a resume only when the journal is whole. */
static const char *quit_question(const struct scr *s)
{
	return s->v && s->v->resumable ? "Quit tshoot? The session is kept and can be resumed." : "Quit tshoot?";
}

/* The loop of a screen. With once_ms >= 0: one frame and at most one key, then UI_NONE
 * (the checks screen while checks run). */
static enum ui_act sc_run(struct scr *s, int once_ms)
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

/* ---- info */
static int info_want(struct scr *s, int width)
{
	return 1;
}

static void info_draw(struct scr *s)
{
	put(stdscr, s->wid_top, 1, "Press Enter to go on.", s->wid_w, A_BOLD);
}

static int info_key(struct scr *s, const struct key *k, enum key_act a)
{
	return a == KA_NEXT ? UI_OK : -1;
}

static const struct scr_ops info_ops = {.want = info_want, .draw = info_draw, .key = info_key};

/* ---- question: a menu of answers */
struct ask_st {
	const char *const *labels;
	size_t n, sel;
	ITEM **items;
	char **names;
	MENU *menu;
	WINDOW *win, *sub;
	PANEL *pan;
	int menu_rows;           /* rows of the menu; the rest shows a cut label whole */
	int more_row;            /* the row that says how many answers are out of view
	                            (when not all fit), or -1 */
};

/* Is some answer too wide for one line? Then the highlighted one is also shown whole
 * under the menu. */
static bool ask_cut(const struct ask_st *a, int width)
{
	for (size_t i = 0; i < a->n; i++)
		if (utf8_width(a->labels[i]) + 3 > (size_t)width - 3)
			return true;
	return false;
}

static int ask_want(struct scr *s, int width)
{
	struct ask_st *a = s->st;
	return (int)a->n + (ask_cut(a, width) ? 4 : 0);
}

static void ask_draw(struct scr *s)
{
	struct ask_st *a = s->st;
	if (!a->menu || a->menu_rows >= s->wid_rows)
		return;
	int sel = item_index(current_item(a->menu));
	for (int y = a->menu_rows; y < s->wid_rows; y++) {
		wmove(a->win, y, 0);
		wclrtoeol(a->win);
	}
	if (a->more_row >= 0) {
		/* "▲ 2 more above  ▼ 3 more below": the menu scrolls without a sign of its own */
		int above = top_row(a->menu);
		int below = max_i(0, (int)a->n - above - a->menu_rows);
		struct strbuf sb = {0};
		sb_add(&sb, "");
		if (above > 0)
			sb_printf(&sb, "%s %d more above", s->c->sy->up, above);
		if (below > 0)
			sb_printf(&sb, "%s%s %d more below", above > 0 ? "  " : "", s->c->sy->down, below);
		put(a->win, a->more_row, 2, sb.s, s->wid_w - 2, A_BOLD);
		sb_clear(&sb);
	}
	if (sel < 0 || (size_t)sel >= a->n || utf8_width(a->labels[sel]) + 3 <= (size_t)s->wid_w - 3)
		return;
	struct lines L = {0};
	lines_wrap(s->c, &L, a->labels[sel], s->wid_w - 2, A_NORMAL, -1);
	for (int i = 0; i + a->menu_rows + 1 < s->wid_rows && i < (int)L.n; i++)
		put(a->win, a->menu_rows + 1 + i, 2, L.v[i].s, s->wid_w - 2, A_DIM);
	lines_free(&L);
}

static void ask_build(struct scr *s)
{
	struct ask_st *a = s->st;
	struct cui *c = s->c;
	if (!a->n)
		return;
	a->items = xcalloc(a->n + 1, sizeof(*a->items));
	a->names = xcalloc(a->n, sizeof(*a->names));
	for (size_t i = 0; i < a->n; i++) {
		char *l = i < 9 ? xasprintf("%zu. %s", i + 1, a->labels[i]) : xasprintf("   %s", a->labels[i]);
		a->names[i] = fit(c, l, s->wid_w - 3);
		if (!*a->names[i]) {
			free(a->names[i]);
			a->names[i] = xstrdup("?");
		}
		free(l);
		a->items[i] = new_item(a->names[i], NULL);
	}
	a->menu = new_menu(a->items);
	a->win = newwin(s->wid_rows, s->wid_w, s->wid_top, 1);
	keypad(a->win, TRUE);
	a->pan = new_panel(a->win);
	a->menu_rows = s->wid_rows;
	if (ask_cut(a, s->wid_w) && s->wid_rows > 3)
		a->menu_rows = max_i(min_i((int)a->n, s->wid_rows - 4), s->wid_rows / 2);
	a->menu_rows = min_i(a->menu_rows, s->wid_rows);
	/* Answers that do not all fit: a row under the menu says how many are out of view
	 * (the blank row above a cut label's whole text, when there is one). */
	a->more_row = -1;
	if ((int)a->n > a->menu_rows && s->wid_rows >= 2) {
		if (a->menu_rows == s->wid_rows)
			a->menu_rows--;
		a->more_row = a->menu_rows;
	}
	a->sub = derwin(a->win, a->menu_rows, s->wid_w, 0, 0);
	menu_show(c, a->menu, a->win, a->sub, a->menu_rows, a->items[a->sel < a->n ? a->sel : 0]);
}

static void ask_unbuild(struct scr *s)
{
	struct ask_st *a = s->st;
	if (!a->menu)
		return;
	a->sel = (size_t)item_index(current_item(a->menu));
	menu_drop(a->menu, a->items, a->names, a->n);
	a->items = NULL;
	a->names = NULL;
	delwin(a->sub);
	del_panel(a->pan);
	delwin(a->win);
	a->menu = NULL;
}

static int ask_key(struct scr *s, const struct key *k, enum key_act act)
{
	struct ask_st *a = s->st;
	if (!a->menu)
		return -1;
	switch (act) {
	case KA_UP:
		menu_driver(a->menu, REQ_UP_ITEM);
		return UI_NONE;
	case KA_DOWN:
		menu_driver(a->menu, REQ_DOWN_ITEM);
		return UI_NONE;
	case KA_CHOOSE:
		a->sel = (size_t)item_index(current_item(a->menu));
		return UI_OK;
	case KA_NUMBER:
		if ((size_t)(k->ch - '1') < a->n) {
			a->sel = (size_t)(k->ch - '1');
			set_current_item(a->menu, a->items[a->sel]);
			return UI_OK;
		}
		sc_flash(s, ui_no_answer_dup((long)(k->ch - '0'), a->n));
		return UI_NONE;
	default:
		if (key_is(k, KEY_CODE_YES, KEY_HOME)) {
			menu_driver(a->menu, REQ_FIRST_ITEM);
			return UI_NONE;
		}
		if (key_is(k, KEY_CODE_YES, KEY_END)) {
			menu_driver(a->menu, REQ_LAST_ITEM);
			return UI_NONE;
		}
		return -1;
	}
}

static const struct scr_ops ask_ops = {
	.want = ask_want, .build = ask_build, .unbuild = ask_unbuild, .draw = ask_draw, .key = ask_key,
};

/* ---- input: a form */
struct form_st {
	struct ui_field *f;      /* the fields */
	size_t n;
	char **vals;             /* what is typed so far, kept across rebuilds */
	size_t cur;              /* the input being edited */
	FIELD **ff;              /* all fields (labels too), NULL-terminated */
	size_t nff;
	FIELD **inputs;          /* the n input fields */
	FORM *form;
	WINDOW *win, *sub;
	PANEL *pan;
	int npages;
	char *page_hint;
};

static int form_block(const struct form_st *f, size_t i)
{
	return 2 + (f->f && f->f[i].error ? 1 : 0);
}

static int form_want(struct scr *s, int width)
{
	struct form_st *f = s->st;
	int r = 0;
	for (size_t i = 0; i < f->n; i++)
		r += form_block(f, i) + (i ? 1 : 0);
	return r;
}

static FIELD *label_field(struct cui *c, int row, int col, int width, const char *text, attr_t a)
{
	FIELD *l = new_field(1, width, row, col, 0, 0);
	char *t = fit(c, text, width);
	set_field_buffer(l, 0, t);
	free(t);
	field_opts_off(l, O_ACTIVE | O_EDIT);
	set_field_back(l, a);
	return l;
}

static void form_save_vals(struct form_st *f)
{
	if (!f->form)
		return;
	form_driver(f->form, REQ_VALIDATION);
	for (size_t i = 0; i < f->n; i++) {
		free(f->vals[i]);
		f->vals[i] = str_trim_dup(field_buffer(f->inputs[i], 0));
	}
}

static void form_build(struct scr *s)
{
	struct form_st *f = s->st;
	struct cui *c = s->c;
	int W = s->wid_w, rows = s->wid_rows;
	size_t cap = f->n * 4 + 4;
	f->ff = xcalloc(cap, sizeof(*f->ff));
	f->inputs = xcalloc(f->n ? f->n : 1, sizeof(*f->inputs));
	f->nff = 0;
	f->npages = 1;
	int row = 0;
	for (size_t i = 0; i < f->n; i++) {
		const struct ui_field *u = &f->f[i];
		int need = form_block(f, i);
		bool page = false;
		if (i && row + 1 + need > rows) {
			row = 0;
			page = true;
		} else if (i) {
			row++;
		}
		char *prompt = xasprintf("%s%s%s:", u->prompt ? u->prompt : u->name,
					 u->optional ? " (optional)" : "", u->secret ? " (hidden as you type)" : "");
		FIELD *lab = label_field(c, row, 0, W, prompt, A_BOLD);
		free(prompt);
		if (page) {
			set_new_page(lab, TRUE);
			f->npages++;
		}
		f->ff[f->nff++] = lab;
		f->ff[f->nff++] = label_field(c, row + 1, 0, 2, ">", A_NORMAL);
		FIELD *in = new_field(1, min_i(W - 2, 64), row + 1, 2, 0, 0);
		field_opts_off(in, O_AUTOSKIP | O_STATIC);
		if (u->secret)
			field_opts_off(in, O_PUBLIC);
		set_max_field(in, 4096);
		set_field_back(in, A_UNDERLINE);
		set_field_buffer(in, 0, f->vals[i]);
		f->ff[f->nff++] = in;
		f->inputs[i] = in;
		if (u->error && need == 3 && rows >= 3) {
			char *e = xasprintf("%s %s", c->sy->bad, u->error);
			f->ff[f->nff++] = label_field(c, row + 2, 2, W - 2, e, A_BOLD | pair(c, PAIR_BAD));
			free(e);
		}
		row += need;
	}
	f->ff[f->nff] = NULL;
	f->form = new_form(f->ff);
	f->win = newwin(rows, W, s->wid_top, 1);
	keypad(f->win, TRUE);
	leaveok(f->win, FALSE);
	f->pan = new_panel(f->win);
	f->sub = derwin(f->win, rows, W, 0, 0);
	set_form_win(f->form, f->win);
	set_form_sub(f->form, f->sub);
	if (post_form(f->form) != E_OK) {
		/* too little room even for one field per page: fall back to nothing posted */
		free_form(f->form);
		f->form = NULL;
	} else {
		set_current_field(f->form, f->inputs[f->cur < f->n ? f->cur : 0]);
		form_driver(f->form, REQ_END_LINE);
	}
	s->inwin = f->win;
	s->cursor = f->form != NULL;
}

static void form_unbuild(struct scr *s)
{
	struct form_st *f = s->st;
	if (f->form) {
		form_save_vals(f);
		FIELD *cur = current_field(f->form);
		for (size_t i = 0; i < f->n; i++)
			if (f->inputs[i] == cur)
				f->cur = i;
		unpost_form(f->form);
		free_form(f->form);
		f->form = NULL;
	}
	for (size_t i = 0; i < f->nff; i++)
		free_field(f->ff[i]);
	FREE_NULL(f->ff);
	FREE_NULL(f->inputs);
	f->nff = 0;
	if (f->win) {
		delwin(f->sub);
		del_panel(f->pan);
		delwin(f->win);
		f->win = NULL;
	}
	s->inwin = stdscr;
	s->cursor = false;
	s->footer_extra = NULL;
	FREE_NULL(f->page_hint);
}

static void form_draw(struct scr *s)
{
	struct form_st *f = s->st;
	if (!f->form)
		return;
	free(f->page_hint);
	f->page_hint = f->npages > 1 ? xasprintf("page %d of %d", form_page(f->form) + 1, f->npages) : NULL;
	s->footer_extra = f->page_hint;
	pos_form_cursor(f->form);
}

static int form_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct form_st *f = s->st;
	if (!f->form)
		return a == KA_FORM_BACK ? UI_BACK : -1;
	switch (a) {
	case KA_SUBMIT:
		form_save_vals(f);
		return UI_OK;
	case KA_FIELD_NEXT:
		form_driver(f->form, REQ_NEXT_FIELD);
		form_driver(f->form, REQ_END_LINE);
		return UI_NONE;
	case KA_FIELD_PREV:
		form_driver(f->form, REQ_PREV_FIELD);
		form_driver(f->form, REQ_END_LINE);
		return UI_NONE;
	case KA_FORM_BACK:
		form_save_vals(f);
		return UI_BACK;
	case KA_FORM_HELP: {
		struct strbuf sb = {0};
		for (size_t i = 0; f->f && i < f->n; i++) {
			if (!f->f[i].why)
				continue;
			sb_printf(&sb, "%s%s: %s", sb.len ? "\n" : "", f->f[i].prompt ? f->f[i].prompt : f->f[i].name,
				  f->f[i].why);
		}
		form_save_vals(f);
		help_panel(s, sb.len ? sb.s : NULL);
		sb_clear(&sb);
		return UI_NONE;
	}
	default:
		break;
	}
	if (a != KA_NONE)
		return -1;
	return form_edit_key(f->form, k) ? UI_NONE : -1;
}

static const struct scr_ops form_ops = {
	.want = form_want, .build = form_build, .unbuild = form_unbuild, .draw = form_draw, .key = form_key,
};

/* ---- classify: the paste box
 * A text area of our own rather than a form field: a multi-line field keeps a padded
 * grid, and text read back from it has a line break wherever the screen wrapped (and
 * no trailing spaces), so a signature cut by the wrap stopped matching. Here the text
 * is kept as it came, byte for byte, and only drawn wrapped. */
#define PB_MAX_BYTES (256u * 1024)   /* a longer paste is cut (tshoot(1) says so) */
#define PB_BURST     4096            /* keys taken at once before the screen is drawn */

struct pb_row {
	size_t b, e;             /* the bytes drawn on this row */
	bool hard;               /* a line break follows e */
};

struct pbox {
	char *t;                 /* the text, NUL-terminated, owned */
	size_t len, cap;
	size_t cur;              /* the cursor: a byte offset, never inside a character */
	int goal;                /* the column Up and Down keep to, or -1 */
	bool cut, cut_told;      /* text beyond PB_MAX_BYTES was left out; said so */
	struct pb_row *rows;     /* the text wrapped to bw columns (pb_layout) */
	size_t nrows, rcap;
	int top;                 /* the first row shown */
	int bw, bh, by;          /* the box: columns, rows, first row in win */
	WINDOW *win;
	PANEL *pan;
};

/* Bytes of the line break at pos: CRLF, LF, or a lone CR (a terminal's line break in a
 * paste); 0 when there is none. */
static size_t pb_brk(const struct pbox *b, size_t pos)
{
	if (pos >= b->len)
		return 0;
	if (b->t[pos] == '\r')
		return b->t[pos + 1] == '\n' ? 2 : 1;
	return b->t[pos] == '\n';
}

/* Where the character (or line break) at pos ends / the one before pos starts. */
static size_t pb_next(const struct pbox *b, size_t pos)
{
	if (pos >= b->len)
		return b->len;
	size_t n = pb_brk(b, pos);
	uint32_t cp;
	if (!n)
		n = utf8_decode(b->t + pos, &cp);
	pos += n ? n : 1;
	return pos < b->len ? pos : b->len;
}

static size_t pb_prev(const struct pbox *b, size_t pos)
{
	if (pos == 0)
		return 0;
	if (pos >= 2 && b->t[pos - 2] == '\r' && b->t[pos - 1] == '\n')
		return pos - 2;
	size_t p = pos - 1;
	for (int k = 0; k < 3 && p > 0 && ((unsigned char)b->t[p] & 0xc0) == 0x80; k++)
		p--;
	return pb_next(b, p) == pos ? p : pos - 1;
}

/* The columns the character at pos takes, its drawing in g (see glyph). */
static int pb_glyph(const struct pbox *b, const struct cui *c, size_t pos, size_t *n, char g[8])
{
	glyph(c, (const unsigned char *)b->t + pos, n, g);
	return (int)utf8_width(g);
}

static int pb_cols(const struct pbox *b, const struct cui *c, size_t from, size_t to)
{
	int col = 0;
	size_t n;
	char g[8];
	for (; from < to; from += n)
		col += pb_glyph(b, c, from, &n, g);
	return col;
}

/* Wrap the text into rows of bw columns, after a space where there is one. */
static void pb_layout(struct pbox *b, const struct cui *c)
{
	b->nrows = 0;
	size_t pos = 0;
	for (;;) {
		struct pb_row r = {pos, pos, false};
		size_t space = 0;        /* just after the row's last space */
		int col = 0;
		for (;;) {
			size_t bl = pb_brk(b, pos), n;
			if (bl || pos >= b->len) {
				r.e = pos;
				r.hard = bl > 0;
				pos += bl;
				break;
			}
			char g[8];
			int w = pb_glyph(b, c, pos, &n, g);
			if (col > 0 && col + w > b->bw) {
				r.e = pos = space ? space : pos;
				break;
			}
			col += w;
			pos += n;
			if (b->t[pos - n] == ' ')
				space = pos;
		}
		VEC_PUSH(b->rows, b->nrows, b->rcap);
		b->rows[b->nrows++] = r;
		if (!r.hard && pos >= b->len)
			break;
	}
}

/* The row the cursor at pos is on: the end of a wrapped row is the next one's start. */
static size_t pb_row_at(const struct pbox *b, size_t pos)
{
	for (size_t i = 0; i < b->nrows; i++) {
		const struct pb_row *r = &b->rows[i];
		if (pos < r->e || (pos == r->e && (r->hard || i + 1 == b->nrows)))
			return i;
	}
	return b->nrows - 1;
}

/* The position on row i nearest column goal (Up, Down). */
static size_t pb_at_col(const struct pbox *b, const struct cui *c, size_t i, int goal)
{
	const struct pb_row *r = &b->rows[i];
	size_t pos = r->b, n;
	char g[8];
	for (int col = 0; pos < r->e; pos += n) {
		col += pb_glyph(b, c, pos, &n, g);
		if (col > goal)
			break;
	}
	if (pos == r->e && !r->hard && i + 1 < b->nrows && pos > r->b)
		pos = pb_prev(b, pos);
	return pos;
}

static void pb_insert(struct pbox *b, const char *s, size_t n)
{
	if (b->len + n > PB_MAX_BYTES) {
		b->cut = true;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->t = xrealloc(b->t, b->cap);
	}
	memmove(b->t + b->cur + n, b->t + b->cur, b->len - b->cur + 1);
	memcpy(b->t + b->cur, s, n);
	b->len += n;
	b->cur += n;
}

static void pb_delete(struct pbox *b, size_t from, size_t to)
{
	memmove(b->t + from, b->t + to, b->len - to + 1);
	b->len -= to - from;
	b->cur = from;
}

/* A character as read, as bytes: UTF-8 in a UTF-8 locale, else the byte itself. */
static size_t pb_encode(const struct cui *c, wint_t ch, char out[4])
{
	if (ch < 0x80 || (!c->utf8 && ch < 0x100)) {
		out[0] = (char)ch;
		return 1;
	}
	if (!c->utf8 || ch > 0x10ffff || (ch >= 0xd800 && ch < 0xe000))
		return 0;
	size_t n = ch < 0x800 ? 2 : ch < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
	for (size_t i = n - 1; i > 0; i--, ch >>= 6)
		out[i] = (char)(0x80 | (ch & 0x3f));
	out[0] = (char)(lead[n] | ch);
	return n;
}

/* k as text: a pasted character as it is (line breaks, tabs and all), a typed one when
 * printable. False when k is not text. */
static bool pb_char(struct scr *s, const struct key *k)
{
	if (k->type != OK || k->ch == 0 || (!k->pasted && (k->ch < 32 || k->ch == 127)))
		return false;
	char u[4];
	size_t n = pb_encode(s->c, k->ch, u);
	pb_insert(s->st, u, n);
	return true;
}

static bool pb_is_enter(const struct key *k)
{
	return key_is(k, OK, '\r') || key_is(k, OK, '\n') || key_is(k, KEY_CODE_YES, KEY_ENTER);
}

/* Take k, then the keys already waiting behind it: a paste comes at once, and drawing
 * after each of its characters would be slow. A typed Enter submits, unless more input
 * follows at once: then it is a line break of a paste the terminal did not bracket.
 * UI_OK to submit, UI_NONE, or -1 when k is no text. */
static int pb_take(struct scr *s, struct key k)
{
	struct pbox *b = s->st;
	int r = UI_NONE;
	b->goal = -1;
	for (int i = 0; i < PB_BURST; i++) {
		if (!k.pasted && pb_is_enter(&k)) {
			struct key nk = key_read(s->c, b->win, 30);
			if (nk.type == ERR || is_resize(&nk)) {
				key_unget(&nk);
				r = UI_OK;
				break;
			}
			pb_insert(b, "\n", 1);
			k = nk;
			continue;
		}
		if (!pb_char(s, &k) && !k.pasted) {   /* a function key in a paste is dropped */
			if (i == 0)
				return -1;
			key_unget(&k);
			break;
		}
		k = key_read(s->c, b->win, 0);
		if (k.type == ERR)
			break;
	}
	if (b->cut && !b->cut_told) {
		b->cut_told = true;
		sc_set_notice(s, "The text is longer than 256 KiB: the rest was left out.");
		sc_layout(s);
	}
	return r;
}

/* Moving and deleting (Left, Right, Up, Down, Home/Ctrl-A, End/Ctrl-E, Backspace,
 * Delete, Ctrl-U clears, Ctrl-K deletes to the end of the line). False when k is none. */
static bool pb_edit(struct scr *s, const struct key *k)
{
	struct pbox *b = s->st;
	pb_layout(b, s->c);
	size_t i = pb_row_at(b, b->cur);
	const struct pb_row *r = &b->rows[i];
	int goal = b->goal;
	b->goal = -1;
	if (key_is(k, KEY_CODE_YES, KEY_BACKSPACE) || key_is(k, OK, 127) || key_is(k, OK, 8))
		pb_delete(b, pb_prev(b, b->cur), b->cur);
	else if (key_is(k, KEY_CODE_YES, KEY_DC))
		pb_delete(b, b->cur, pb_next(b, b->cur));
	else if (key_is(k, KEY_CODE_YES, KEY_LEFT))
		b->cur = pb_prev(b, b->cur);
	else if (key_is(k, KEY_CODE_YES, KEY_RIGHT))
		b->cur = pb_next(b, b->cur);
	else if (key_is(k, KEY_CODE_YES, KEY_HOME) || key_is(k, OK, 1))
		b->cur = r->b;
	else if (key_is(k, KEY_CODE_YES, KEY_END) || key_is(k, OK, 5))
		b->cur = r->hard || i + 1 == b->nrows ? r->e : pb_prev(b, r->e);
	else if (key_is(k, KEY_CODE_YES, KEY_UP) || key_is(k, KEY_CODE_YES, KEY_DOWN)) {
		b->goal = goal >= 0 ? goal : pb_cols(b, s->c, r->b, b->cur);
		bool up = key_is(k, KEY_CODE_YES, KEY_UP);
		if (up ? i > 0 : i + 1 < b->nrows)
			b->cur = pb_at_col(b, s->c, up ? i - 1 : i + 1, b->goal);
	} else if (key_is(k, OK, 21))
		pb_delete(b, 0, b->len);
	else if (key_is(k, OK, 11)) {
		size_t e = b->cur;
		while (e < b->len && !pb_brk(b, e))
			e = pb_next(b, e);
		pb_delete(b, b->cur, e > b->cur ? e : pb_next(b, e));
	} else
		return false;
	return true;
}

static int pb_want(struct scr *s, int width)
{
	return 7;
}

static void pb_build(struct scr *s)
{
	struct pbox *b = s->st;
	b->by = s->wid_rows >= 2 ? 1 : 0;
	b->bh = max_i(1, min_i(6, s->wid_rows - b->by));
	b->bw = max_i(1, s->wid_w - 3);
	b->win = newwin(s->wid_rows, s->wid_w, s->wid_top, 1);
	keypad(b->win, TRUE);
	leaveok(b->win, FALSE);
	b->pan = new_panel(b->win);
	s->inwin = b->win;
	s->cursor = true;
	paste_mode(true);
}

static void pb_unbuild(struct scr *s)
{
	struct pbox *b = s->st;
	if (!b->win)
		return;
	del_panel(b->pan);
	delwin(b->win);
	b->win = NULL;
	s->inwin = stdscr;
	s->cursor = false;
}

static void pb_draw(struct scr *s)
{
	struct pbox *b = s->st;
	struct cui *c = s->c;
	if (!b->win)
		return;
	pb_layout(b, c);
	int cr = (int)pb_row_at(b, b->cur);
	b->top = max_i(0, min_i(b->top, (int)b->nrows - b->bh));
	b->top = min_i(b->top, cr);
	b->top = max_i(b->top, cr - b->bh + 1);
	werase(b->win);
	if (b->by) {
		char *l = fit(c, "Paste or type the error text, then press Enter:", s->wid_w);
		put(b->win, 0, 0, l, s->wid_w, A_BOLD);
		free(l);
	}
	for (int y = 0; y < b->bh; y++) {
		mvwhline(b->win, b->by + y, 2, ' ' | A_UNDERLINE, b->bw);
		size_t i = (size_t)(b->top + y);
		if (i >= b->nrows)
			continue;
		struct strbuf sb = {0};
		sb_add(&sb, "");
		size_t n;
		char g[8];
		for (size_t p = b->rows[i].b; p < b->rows[i].e; p += n) {
			pb_glyph(b, c, p, &n, g);
			sb_add(&sb, g);
		}
		put(b->win, b->by + y, 2, sb.s, b->bw, A_UNDERLINE);
		sb_clear(&sb);
	}
	if (b->top > 0)
		put(b->win, b->by, 2 + b->bw, c->sy->up, 1, A_BOLD);
	if (b->top + b->bh < (int)b->nrows)
		put(b->win, b->by + b->bh - 1, 2 + b->bw, c->sy->down, 1, A_BOLD);
	wmove(b->win, b->by + cr - b->top, 2 + pb_cols(b, c, b->rows[cr].b, b->cur));
}

static int pb_key(struct scr *s, const struct key *k, enum key_act a)
{
	if (!((struct pbox *)s->st)->win)
		return a == KA_FORM_BACK ? UI_BACK : -1;
	if (k->pasted || a == KA_SUBMIT || a == KA_NONE) {
		int r = pb_take(s, *k);
		if (r != -1)
			return r;
	}
	switch (a) {
	case KA_FORM_BACK:
		return UI_BACK;
	case KA_FIELD_NEXT:          /* Down moves a row; Tab has no other field to go to */
	case KA_FIELD_PREV:
		pb_edit(s, k);
		return UI_NONE;
	case KA_NONE:
		return pb_edit(s, k) ? UI_NONE : -1;
	default:
		return -1;
	}
}

static const struct scr_ops pb_ops = {
	.want = pb_want, .build = pb_build, .unbuild = pb_unbuild, .draw = pb_draw, .key = pb_key,
};

/* The text to classify: a lone CR, a terminal's line break in a paste, becomes LF. */
static char *pb_text_dup(const struct pbox *b)
{
	char *t = xstrndup(b->t, b->len);
	for (size_t i = 0; i < b->len; i++)
		if (t[i] == '\r' && t[i + 1] != '\n')
			t[i] = '\n';
	return t;
}

/* ---- steps: a checklist, then "did it help?" */

/* ---- steps: a checklist, then "did it help?"
 *
 * The node's text and the steps scroll together in the widget area (the text area above
 * stays empty): PgDn pages through both, and the text of a long node can be read on a
 * small terminal. Keys that act on the highlighted step first bring it into view. */
struct steps_st {
	const struct flow_step *steps;
	const char *const *texts;
	size_t n, sel;
	bool *ticked;
	bool fixed;
	int top;                 /* first line of L shown */
	int rows;                /* list rows at the last draw */
	bool relaid;             /* laid out anew (size changed) since the last draw */
	bool seen;               /* the highlighted step was in view at the last draw */
	struct lines L;          /* the text, then the steps, wrapped to the widget's width */
};

static void steps_text(struct scr *s, struct lines *L, int width)
{
	/* nothing: the text scrolls with the steps (steps_lines) */
}

/* Step i: "[x] 12. " then its text, wrapped under its first word. The number is padded
 * to the widest so that every step's text starts in the same column. */
static void steps_item(struct scr *s, size_t i, int width)
{
	struct steps_st *st = s->st;
	int numw = snprintf(NULL, 0, "%zu", st->n);
	char *pre = xasprintf("[%c] %*zu. ", st->ticked[i] ? 'x' : ' ', numw, i + 1);
	int pw = (int)strlen(pre);
	struct lines T = {0};
	lines_wrap(s->c, &T, st->texts[i] ? st->texts[i] : "", width - pw, A_NORMAL, -1);
	for (size_t k = 0; k == 0 || k < T.n; k++) {
		char *l = xasprintf("%*s%s", pw, k ? "" : pre, k < T.n ? T.v[k].s : "");
		lines_push(&st->L, l, A_NORMAL, (int)i);
		st->L.v[st->L.n - 1].cont = k > 0 && T.v[k].cont;
	}
	lines_free(&T);
	free(pre);
}

static void steps_lines(struct scr *s, int width)
{
	struct steps_st *st = s->st;
	lines_free(&st->L);
	text_default(s, &st->L, width);
	while (st->L.n && !*st->L.v[st->L.n - 1].s)
		free(st->L.v[--st->L.n].s);
	if (st->L.n)
		lines_push(&st->L, xstrdup(""), A_NORMAL, -1);
	for (size_t i = 0; i < st->n; i++)
		steps_item(s, i, width);
}

/* The first and last line of step i in L (-1 when there is no such step). */
static void steps_span(const struct steps_st *st, size_t i, int *first, int *last)
{
	*first = *last = -1;
	for (size_t k = 0; k < st->L.n; k++) {
		if (st->L.v[k].item != (int)i)
			continue;
		if (*first < 0)
			*first = (int)k;
		*last = (int)k;
	}
}

static bool steps_in_view(const struct steps_st *st, size_t i)
{
	int first, last;
	steps_span(st, i, &first, &last);
	return first >= 0 && last >= st->top && first < st->top + st->rows;
}

static size_t steps_ticked(const struct steps_st *st)
{
	size_t t = 0;
	for (size_t i = 0; i < st->n; i++)
		t += st->ticked[i];
	return t;
}

static int steps_maxtop(const struct steps_st *st)
{
	return max_i(0, (int)st->L.n - st->rows);
}

/* Scroll so that step i shows whole (its first lines when it is taller than the list);
 * the first step brings the text above it along when both fit. */
static void steps_show(struct steps_st *st, size_t i)
{
	int first, last;
	steps_span(st, i, &first, &last);
	if (first < 0)
		return;
	if (i == 0 && last < st->rows)
		st->top = 0;
	else if (first < st->top || last - first >= st->rows)
		st->top = first;
	else if (last >= st->top + st->rows)
		st->top = last - st->rows + 1;
}

/* After a page scroll: keep the highlight when its step is in view, else move it to the
 * first (down) or last (up) step that starts in view; with none, it stays. */
static void steps_pick(struct steps_st *st, bool down)
{
	if (steps_in_view(st, st->sel))
		return;
	int pick = -1;
	for (int k = st->top; k < st->top + st->rows && k < (int)st->L.n; k++) {
		int item = st->L.v[k].item;
		bool starts = item >= 0 && (k == 0 || st->L.v[k - 1].item != item);
		if (starts && (pick < 0 || !down))
			pick = item;
	}
	if (pick >= 0)
		st->sel = (size_t)pick;
}

static int steps_want(struct scr *s, int width)
{
	struct steps_st *st = s->st;
	steps_lines(s, width);
	st->relaid = true;
	return (int)st->L.n + 1;
}

static void steps_draw(struct scr *s)
{
	struct steps_st *st = s->st;
	steps_lines(s, s->wid_w);
	st->rows = max_i(1, s->wid_rows - 1);
	if (st->relaid && st->seen)
		steps_show(st, st->sel);
	st->relaid = false;
	st->top = max_i(0, min_i(st->top, steps_maxtop(st)));
	st->seen = steps_in_view(st, st->sel);
	find_scan(&s->find, &st->L);
	/* The cursor goes to the highlighted step, else to the top of the list. */
	s->place = true;
	s->place_y = s->wid_top;
	s->place_x = 1;
	bool placed = false;
	for (int i = 0; i < st->rows && st->top + i < (int)st->L.n; i++) {
		const struct line *l = &st->L.v[st->top + i];
		int y = s->wid_top + i;
		attr_t a = l->attr;
		if (l->item >= 0 && l->item == (int)st->sel) {
			a = A_REVERSE;
			mvwhline(stdscr, y, 1, ' ' | A_REVERSE, s->wid_w);
			if (!placed)
				s->place_y = y;
			placed = true;
		}
		find_put_line(stdscr, y, 1, &st->L, st->top + i, s->wid_w, a, &s->find);
	}
	if (st->top > 0)
		put(stdscr, s->wid_top, s->C - 1, s->c->sy->up, 1, A_BOLD);
	if (st->top + st->rows < (int)st->L.n)
		put(stdscr, s->wid_top + st->rows - 1, s->C - 1, s->c->sy->down, 1, A_BOLD);
	char *m = xasprintf("%zu of %zu done. Finished? Enter, then say whether it helped.", steps_ticked(st),
			    st->n);
	char *cut = fit(s->c, m, s->wid_w);
	put(stdscr, s->wid_top + st->rows, 1, cut, s->wid_w, A_BOLD);
	free(cut);
	free(m);
}

/* Did it help? With nothing ticked the question says so, and offers to go back to the
 * list (also the default, and Esc): an untouched list is more often a slip than a fix.
 * UI_OK with st->fixed set, or UI_NONE to stay on the list. */
static int steps_ask(struct scr *s)
{
	struct steps_st *st = s->st;
	static const char *const items[] = {"Yes, the problem is fixed", "No, it is still there",
					    "Back to the list, to tick the steps done"};
	int r = steps_ticked(st)
		? modal_choice(s->c, s, "Did it help?", items, 2, 0, true)
		: modal_choice(s->c, s, "None of the steps are ticked. Did it help anyway?", items, 3, 2, true);
	if (r < 0 || r > 1)
		return UI_NONE;
	st->fixed = r == 0;
	return UI_OK;
}

static int steps_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct steps_st *st = s->st;
	int page = max_i(1, st->rows - 1);
	bool shown = steps_in_view(st, st->sel);
	switch (a) {
	case KA_UP:
	case KA_DOWN:
	case KA_TICK:
		if (!shown || !st->n)
			steps_show(st, st->sel);       /* first bring the highlight into view */
		else if (a == KA_TICK)
			st->ticked[st->sel] = !st->ticked[st->sel];
		else if (a == KA_UP && st->sel > 0)
			steps_show(st, --st->sel);
		else if (a == KA_DOWN && st->sel + 1 < st->n)
			steps_show(st, ++st->sel);
		else
			st->top = a == KA_UP ? 0 : steps_maxtop(st);
		return UI_NONE;
	case KA_FIRST:
		st->sel = 0;
		st->top = 0;
		return UI_NONE;
	case KA_LAST:
		st->sel = st->n ? st->n - 1 : 0;
		st->top = steps_maxtop(st);
		return UI_NONE;
	case KA_PGDN:
		if (st->top < steps_maxtop(st)) {
			st->top = min_i(st->top + page, steps_maxtop(st));
			steps_pick(st, true);
		} else {
			st->sel = st->n ? st->n - 1 : 0;
		}
		return UI_NONE;
	case KA_PGUP:
		if (st->top > 0) {
			st->top = max_i(0, st->top - page);
			steps_pick(st, false);
		} else {
			st->sel = 0;
		}
		return UI_NONE;
	case KA_FIXED:
		if (!steps_ticked(st))
			return steps_ask(s);
		st->fixed = true;
		return UI_OK;
	case KA_NOT_FIXED:
		st->fixed = false;
		return UI_OK;
	case KA_STEPS_DONE:
		return steps_ask(s);
	case KA_HELP: {
		struct strbuf sb = {0};
		for (size_t i = 0; i < st->n; i++)
			if (st->steps && st->steps[i].why)
				sb_printf(&sb, "%sStep %zu: %s", sb.len ? "\n" : "", i + 1, st->steps[i].why);
		help_panel(s, sb.len ? sb.s : NULL);
		sb_clear(&sb);
		return UI_NONE;
	}
	default:
		return -1;
	}
}

/* A search looks through the text and the steps, as they scroll together. */
static struct lines *steps_find_view(struct scr *s, int **top, int *rows)
{
	struct steps_st *st = s->st;
	*top = &st->top;
	*rows = st->rows;
	return &st->L;
}

/* A match in a step's text: the highlight goes to that step. */
static void steps_found(struct scr *s, int line)
{
	struct steps_st *st = s->st;
	if (line >= 0 && (size_t)line < st->L.n && st->L.v[line].item >= 0)
		st->sel = (size_t)st->L.v[line].item;
}

static const struct scr_ops steps_ops = {
	.want = steps_want, .text = steps_text, .draw = steps_draw, .key = steps_key,
	.find_view = steps_find_view, .found = steps_found,
};

/* ---- checks: one row per check, live */
struct chk_call {
	const struct ui_check_row *rows;
	size_t n;
	bool running;
};

static int chk_want(struct scr *s, int width)
{
	struct chk_call *k = s->st;
	return (int)k->n * 3 + (k->running ? 0 : 1);
}

/* The state words of a row: a symbol and words, never colour alone. */
/* With sum: the result line of a row. A summary that starts with the outcome's words
 * takes their place ("HTTP 503 Service Unavailable from http://..."); another follows
 * them after a colon. */
static char *row_status(const struct cui *c, const struct ui_check_row *r, attr_t *a, bool cancelling,
			const char *sum)
{
	*a = A_NORMAL;
	if (!r->done || !r->result) {
		*a = A_BOLD;
		return xasprintf("%s %s", c->sy->spin[(size_t)(now_ms() / 100) % c->sy->nspin],
				 cancelling ? "cancelling" : "running");
	}
	const struct check_result *res = r->result;
	if (r->status) {             /* training: a check the scenario leaves out */
		*a = A_BOLD;
		return xasprintf("%s %s (simulated)", c->sy->bullet, r->status);
	}
	const char *o = res->outcome ? res->outcome : "ok";
	char *human = outcome_human(o);
	const char *sym = str_eq(o, "ok") ? c->sy->ok : str_eq(o, "tls_expiring") ? c->sy->warn : c->sy->bad;
	*a = A_BOLD | pair(c, str_eq(o, "ok") ? PAIR_OK : PAIR_BAD);
	const char *words = str_eq(o, "ok") ? "OK" : human;
	const char *tags = res->simulated ? " (simulated)" : res->stale ? " (from before the interruption)" : "";
	char *s;
	if (sum && *sum && !res->simulated && strncasecmp(sum, human, strlen(human)) == 0)
		s = xasprintf("%s %s%s", sym, sum, tags);
	else if (sum && *sum && !res->simulated)
		s = xasprintf("%s %s%s: %s", sym, words, tags, sum);
	else
		s = xasprintf("%s %s%s", sym, words, tags);
	free(human);
	return s;
}

static void chk_draw(struct scr *s)
{
	struct chk_call *k = s->st;
	struct cui *c = s->c;
	struct chk_state *cs = &c->chk;
	int W = s->wid_w;
	int total = (int)k->n * 3 + (k->running ? 0 : 1);
	int rows = s->wid_rows;
	int sel_line = (int)cs->sel * 3;
	if (!k->running) {
		if (sel_line + 2 >= cs->list_top + rows)
			cs->list_top = sel_line + (cs->sel < k->n ? 3 : 1) - rows;
		if (sel_line < cs->list_top)
			cs->list_top = sel_line;
	}
	cs->list_top = max_i(0, min_i(cs->list_top, total - rows));
	for (int li = 0; li < rows; li++) {
		int line = cs->list_top + li;
		int y = s->wid_top + li;
		if (line >= total)
			break;
		size_t i = (size_t)line / 3;
		bool selected = !k->running && i == cs->sel;
		if (i == k->n) {
			attr_t a = selected ? A_REVERSE | A_BOLD : A_BOLD;
			if (selected)
				mvwhline(stdscr, y, 1, ' ' | A_REVERSE, W);
			put(stdscr, y, 1, c->utf8 ? "Continue ›" : "Continue >", W, a);
			continue;
		}
		const struct ui_check_row *r = &k->rows[i];
		if (line % 3 == 0) {
			attr_t sa;
			char *st = row_status(c, r, &sa, cs->cancel_sent, NULL);
			char *el = xasprintf("%ld.%ld s", r->elapsed_ms / 1000, (r->elapsed_ms % 1000) / 100);
			int ew = (int)utf8_width(el);
			attr_t base = selected ? A_REVERSE : A_NORMAL;
			if (selected)
				mvwhline(stdscr, y, 1, ' ' | A_REVERSE, W);
			char *label = fit(c, r->label ? r->label : "check", W - ew - 2);
			put(stdscr, y, 1, label, W - ew - 2, base | A_BOLD);
			put(stdscr, y, 1 + W - ew, el, ew, base);
			free(label);
			free(el);
			free(st);
		} else if (line % 3 == 1) {
			char *t = fit(c, r->target ? r->target : "", W - 2);
			put(stdscr, y, 3, t, W - 2, A_DIM);
			free(t);
		} else {
			attr_t sa;
			const char *sum = r->done && r->result ? r->result->summary : NULL;
			char *st = row_status(c, r, &sa, cs->cancel_sent, sum);
			char *line3 = xstrdup(st);
			char *t = fit(c, line3, W - 2);
			put(stdscr, y, 3, t, W - 2, sa);
			free(t);
			free(line3);
			free(st);
		}
	}
	if (cs->list_top > 0)
		put(stdscr, s->wid_top, s->C - 1, c->sy->up, 1, A_BOLD);
	if (cs->list_top + rows < total)
		put(stdscr, s->wid_top + rows - 1, s->C - 1, c->sy->down, 1, A_BOLD);
}

static void facts_panel(struct scr *s, const struct ui_check_row *r)
{
	struct cui *c = s->c;
	struct lines raw = {0};
	const struct check_result *res = r->result;
	attr_t a;
	char *st = row_status(c, r, &a, false, NULL);
	lines_push(&raw, xasprintf("Target: %s", r->target ? r->target : ""), A_NORMAL, -1);
	lines_push(&raw, xasprintf("Result: %s%s%s%s", st, res && res->outcome ? " (" : "",
				   res && res->outcome ? res->outcome : "", res && res->outcome ? ")" : ""), A_BOLD, -1);
	free(st);
	if (res && res->summary && *res->summary)
		lines_push(&raw, xasprintf("Summary: %s", res->summary), A_NORMAL, -1);
	lines_push(&raw, xasprintf("Time: %ld ms", r->elapsed_ms), A_NORMAL, -1);
	if (res && res->facts.n) {
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
		lines_push(&raw, xstrdup("Facts"), A_BOLD, -1);
		for (size_t i = 0; i < res->facts.n; i++) {
			char *v = str_clean_dup(res->facts.v[i].value ? res->facts.v[i].value : "");
			lines_push(&raw, xasprintf("  %s: %s", res->facts.v[i].key, v), A_NORMAL, -1);
			free(v);
		}
	}
	if (res && res->nproblems) {
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
		lines_push(&raw, xstrdup("Problems"), A_BOLD, -1);
		for (size_t i = 0; i < res->nproblems; i++) {
			char *h = outcome_human(res->problems[i]);
			lines_push(&raw, xasprintf("  %s %s (%s)", c->sy->bullet, h, res->problems[i]), A_NORMAL, -1);
			free(h);
		}
	}
	if (res && res->command && *res->command) {
		lines_push(&raw, xstrdup(""), A_NORMAL, -1);
		lines_push(&raw, xstrdup("The same check by hand"), A_BOLD, -1);
		lines_push(&raw, xasprintf("  %s", res->command), A_NORMAL, -1);
	}
	const char *copy = res && res->command && *res->command ? res->command : NULL;
	modal_text(c, s, r->label ? r->label : "Check", &raw, copy);
	lines_free(&raw);
}

static int chk_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct chk_call *call = s->st;
	struct chk_state *cs = &s->c->chk;
	if (call->running) {
		if (a == KA_CANCEL) {
			cs->cancel_sent = true;
			sc_set_notice(s, "Cancelling the checks...");
			return UI_CANCEL;
		}
		return -1;
	}
	switch (a) {
	case KA_UP:
		if (cs->sel > 0)
			cs->sel--;
		return UI_NONE;
	case KA_DOWN:
		if (cs->sel < call->n)
			cs->sel++;
		return UI_NONE;
	case KA_OPEN:
		if (cs->sel >= call->n)
			return UI_OK;
		facts_panel(s, &call->rows[cs->sel]);
		return UI_NONE;
	case KA_GO_ON:
		return UI_OK;
	case KA_RERUN:
		return UI_RERUN;
	default:
		return -1;
	}
}

static const struct scr_ops chk_ops = {.want = chk_want, .draw = chk_draw, .key = chk_key};

/* ---- end */
struct end_st {
	const struct ui_end *end;
};

static void end_text(struct scr *s, struct lines *L, int width)
{
	struct end_st *e = s->st;
	const struct ui_end *end = e->end;
	struct cui *c = s->c;
	bool ok = end->result == END_RESOLVED;
	char *banner = ok ? xasprintf("%s RESOLVED: the problem is solved.", c->sy->ok)
			  : xasprintf("%s ESCALATE: this needs someone else; pass on what is below.", c->sy->warn);
	lines_wrap(c, L, banner, width, A_BOLD | pair(c, ok ? PAIR_OK : PAIR_NOTE), -1);
	free(banner);
	if (end->verdict) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_wrap(c, L, end->verdict, width, A_BOLD, -1);
	}
	if (end->debrief) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_push(L, xstrdup("Debrief"), A_BOLD, -1);
		lines_wrap(c, L, end->debrief, width, A_NORMAL, -1);
	}
	if (end->text && *end->text) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_wrap(c, L, end->text, width, A_NORMAL, -1);
	}
	if (end->ncollect) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_push(L, xstrdup(ok ? "Worth keeping:" : "Collect before escalating:"), A_BOLD, -1);
		for (size_t i = 0; i < end->ncollect; i++) {
			char *t = xasprintf("  %s %s", c->sy->bullet, end->collect[i]);
			lines_wrap(c, L, t, width, A_NORMAL, -1);
			free(t);
		}
	}
	if (s->v && s->v->training && s->v->why) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		char *w = xasprintf("Why: %s", s->v->why);
		lines_wrap(c, L, w, width, A_BOLD, -1);
		free(w);
	}
	if (end->summary && *end->summary) {
		lines_push(L, xstrdup(""), A_NORMAL, -1);
		lines_push(L, xstrdup("Summary of the walk"), A_BOLD, -1);
		lines_wrap(c, L, end->summary, width, A_NORMAL, -1);
	}
}

/* Up, Down, Home and End move the text area (screens that are all text). */
static int text_scroll_key(struct scr *s, const struct key *k, enum key_act a)
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

static int end_key(struct scr *s, const struct key *k, enum key_act a)
{
	struct end_st *e = s->st;
	if (a == KA_COPY) {
		sc_flash(s, clip_copy(e->end->summary));
		return UI_NONE;
	}
	return a == KA_SAVE ? UI_REPORT : text_scroll_key(s, k, a);
}

static const struct scr_ops end_ops = {.text = end_text, .key = end_key};

/* ---- a page before the walk (training: the brief), each line a paragraph */
static void page_text(struct scr *s, struct lines *L, int width)
{
	const struct ui_page *p = s->st;
	lines_wrap(s->c, L, p->text ? p->text : "", width, A_NORMAL, -1);
}

static int page_want(struct scr *s, int width)
{
	return 1;
}

static void page_draw(struct scr *s)
{
	put(stdscr, s->wid_top, 1, "Press Enter to begin.", s->wid_w, A_BOLD);
}

static int page_key(struct scr *s, const struct key *k, enum key_act a)
{
	return a == KA_BEGIN ? UI_OK : text_scroll_key(s, k, a);
}

static const struct scr_ops page_ops = {.want = page_want, .text = page_text, .draw = page_draw, .key = page_key};

/* ---- the ops */
static void cui_atexit(void)
{
	if (g_curses) {
		g_curses = 0;
		paste_mode(false);
		endwin();
	}
}

static int cui_open(struct ui *u)
{
	if (u->priv)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	const char *term = getenv("TERM");
	if (!term || !*term || str_eq(term, "dumb"))
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, NULL, &g_old_int);
	sigaction(SIGTERM, NULL, &g_old_term);
	sigaction(SIGHUP, NULL, &g_old_hup);
	fflush(stdout);
	bool again = g_scr != NULL;
	SCREEN *scr = again ? g_scr : newterm(NULL, stdout, stdin);
	if (!scr)
		return -1;
	g_scr = scr;
	set_term(scr);
	if (again)
		clearok(curscr, TRUE);   /* the first update resumes curses mode, repainting all */
	struct cui *c = xcalloc(1, sizeof(*c));
	c->u = u;
	c->scr = scr;
	c->u = u;
	c->utf8 = ui_locale_utf8();
	c->sy = c->utf8 ? &syms_utf8 : &syms_ascii;
	const char *nc = getenv("NO_COLOR");
	if (has_colors() && !(nc && *nc) && start_color() == OK) {
		use_default_colors();
		c->color = true;
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_BAD, COLOR_RED, -1);
		init_pair(PAIR_NOTE, COLOR_YELLOW, -1);
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	paste_keys();
	paste_mode(true);
	u->priv = c;
	g_cui = c;
	g_term = 0;
	g_int = 0;
	g_eof = false;
	g_curses = 1;
	/* Flags only; the loop acts on them. No SA_RESTART, so a wait for a key ends. */
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	struct sigaction crash;
	memset(&crash, 0, sizeof(crash));
	sigemptyset(&crash.sa_mask);
	crash.sa_handler = on_crash;
	crash.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < ARRAY_LEN(crash_sigs); i++)
		sigaction(crash_sigs[i], &crash, NULL);
	if (!g_atexit) {
		atexit(cui_atexit);
		g_atexit = true;
	}
	return 0;
}

static void cui_close(struct ui *u)
{
	struct cui *c = u ? u->priv : NULL;
	if (!c)
		return;
	if (g_curses) {
		g_curses = 0;
		werase(stdscr);
		paste_mode(false);
		/* after the last del_panel, update_panels frees the panel library's own
		 * stdscr entry; the screen stays (g_scr) for a later open */
		update_panels();
		doupdate();
		endwin();
	}
	sigaction(SIGINT, &g_old_int, NULL);
	sigaction(SIGTERM, &g_old_term, NULL);
	sigaction(SIGHUP, &g_old_hup, NULL);
	for (size_t i = 0; i < ARRAY_LEN(crash_sigs); i++)
		signal(crash_sigs[i], SIG_DFL);
	/* notices nobody saw on a screen (e.g. "session saved") go to the restored terminal */
	for (size_t i = 0; i < c->npending; i++) {
		fprintf(stdout, "%s\n", c->pending[i]);
		free(c->pending[i]);
	}
	fflush(stdout);
	free(c->pending);
	free(c->chk.node_id);
	free(c->note_text);
	free(c->note_node);
	free(c);
	u->priv = NULL;
	g_cui = NULL;
}

/* A screen from start to end: set up, run its loop until it says what happens next,
 * tear down (unbuild copies what a form holds into its state). */
static enum ui_act sc_once(struct cui *c, const struct ui_view *v, const struct scr_ops *ops, void *st,
			   unsigned ctx)
{
	struct scr s;
	sc_init(&s, c, v, ops, st, ctx);
	enum ui_act r = sc_run(&s, -1);
	sc_done(&s);
	return r;
}

static enum ui_act cui_info(struct ui *u, const struct ui_view *v)
{
	return sc_once(u->priv, v, &info_ops, NULL, KC_INFO);
}

static enum ui_act cui_question(struct ui *u, const struct ui_view *v, const char *const *labels, size_t n,
				size_t *choice)
{
	struct ask_st a = {.labels = labels, .n = n, .sel = *choice < n ? *choice : 0};
	enum ui_act r = sc_once(u->priv, v, &ask_ops, &a, KC_ASK);
	if (r == UI_OK)
		*choice = a.sel;
	return r;
}

static enum ui_act cui_input(struct ui *u, const struct ui_view *v, struct ui_field *fields, size_t n)
{
	struct form_st f = {.f = fields, .n = n};
	f.vals = xcalloc(n ? n : 1, sizeof(*f.vals));
	for (size_t i = 0; i < n; i++) {
		f.vals[i] = xstrdup(fields[i].value ? fields[i].value : "");
		if (fields[i].error && f.cur == 0 && !fields[0].error)
			f.cur = i;
	}
	enum ui_act r = sc_once(u->priv, v, &form_ops, &f, KC_FORM);
	for (size_t i = 0; i < n; i++) {
		if (r == UI_OK) {
			free(fields[i].value);
			fields[i].value = f.vals[i];
		} else {
			free(f.vals[i]);
		}
	}
	free(f.vals);
	return r;
}

static enum ui_act cui_classify(struct ui *u, const struct ui_view *v, char **pasted)
{
	struct pbox b = {.t = xstrdup(""), .cap = 1, .goal = -1};
	enum ui_act r = sc_once(u->priv, v, &pb_ops, &b, KC_FORM);
	if (r == UI_OK)
		*pasted = pb_text_dup(&b);
	free(b.t);
	free(b.rows);
	return r;
}

static enum ui_act cui_steps(struct ui *u, const struct ui_view *v, const struct flow_step *steps,
			     const char *const *texts, size_t n, bool *ticked, bool *fixed)
{
	struct steps_st st = {.steps = steps, .texts = texts, .n = n, .ticked = ticked};
	enum ui_act r = sc_once(u->priv, v, &steps_ops, &st, KC_STEPS);
	lines_free(&st.L);
	if (r == UI_OK)
		*fixed = st.fixed;
	return r;
}

static enum ui_act cui_checks(struct ui *u, const struct ui_view *v, const struct ui_check_row *rows, size_t n,
			      bool running)
{
	struct cui *c = u->priv;
	struct chk_state *cs = &c->chk;
	/* A new node (or step) starts fresh; a new run of the same node clears the cancel. */
	if (!str_eq(cs->node_id, v->node_id) || cs->step_no != v->step_no) {
		free(cs->node_id);
		*cs = (struct chk_state){.node_id = xstrdup(v->node_id), .step_no = v->step_no, .running = running};
		cs->sel = n;
	}
	if (running && !cs->running)
		cs->cancel_sent = false;
	if (!running && cs->running)
		cs->sel = n;          /* just finished: Enter goes on */
	cs->running = running;
	if (cs->sel > n)
		cs->sel = n;
	struct chk_call call = {.rows = rows, .n = n, .running = running};
	struct scr s;
	sc_init(&s, c, v, &chk_ops, &call, running ? KC_RUN : KC_DONE);
	s.scroll = cs->scroll;
	if (running && cs->cancel_sent)
		sc_set_notice(&s, "Cancelling the checks...");
	bool cancelled = false;
	for (size_t i = 0; i < n; i++)
		if (rows[i].done && rows[i].result && str_eq(rows[i].result->outcome, "cancelled"))
			cancelled = true;
	if (!running && cancelled && !(v->notice && strstr(v->notice, "cancelled")))
		sc_set_notice(&s, "Checks cancelled: r runs them again, b goes back.");
	enum ui_act r = sc_run(&s, running ? 50 : -1);
	cs->scroll = s.scroll;
	sc_done(&s);
	return r;
}

static enum ui_act cui_end(struct ui *u, const struct ui_view *v, const struct ui_end *end, char **report_path)
{
	struct cui *c = u->priv;
	struct end_st e = {.end = end};
	struct scr s;
	sc_init(&s, c, v, &end_ops, &e, KC_END);
	s.quit_asks = false;
	enum ui_act r;
	for (;;) {
		r = sc_run(&s, -1);
		if (r != UI_REPORT)
			break;
		char *p = modal_prompt(c, &s, "Save the report to (.txt, .md or .json):", "tshoot-report.txt");
		if (p) {
			*report_path = p;
			break;
		}
	}
	sc_done(&s);
	return r;
}

static enum ui_act cui_page(struct ui *u, const struct ui_page *p)
{
	struct ui_view v = {.flow_title = p->flow_title, .title = p->title, .training = true};
	struct scr s;
	sc_init(&s, u->priv, &v, &page_ops, (void *)p, KC_BRIEF);
	free(s.t_path);
	s.t_path = xstrdup("(the briefing, before the first step)");
	enum ui_act r = sc_run(&s, -1);
	sc_done(&s);
	return r;
}

static bool cui_confirm(struct ui *u, const char *question)
{
	struct cui *c = u->priv;
	if (!c)
		return false;
	if (g_term || g_eof)
		return true;
	bool r = ask_yes(c, NULL, question, false);
	werase(stdscr);
	return r;
}

/* A list to pick from before any walk: a menu in a box on a blank screen, its columns
 * lined up (modal_list). */
static enum ui_act cui_choose(struct ui *u, const struct ui_list *l, size_t *choice)
{
	struct cui *c = u->priv;
	if (!c || l->n == 0)
		return UI_QUIT;
	int r = modal_list(c, NULL, l, 0, false);
	werase(stdscr);
	if (g_term) {
		u->signo = g_term;
		return UI_SIGNAL;
	}
	if (g_eof)
		return UI_EOF;
	if (r == -3)
		g_int = 0;               /* Ctrl-C: no choice, as Esc */
	if (r < 0)
		return UI_QUIT;
	*choice = (size_t)r;
	return UI_OK;
}

static void cui_notice(struct ui *u, const char *msg)
{
	struct cui *c = u->priv;
	if (!msg)
		return;
	if (!c) {
		fprintf(u->out ? u->out : stdout, "%s\n", msg);
		return;
	}
	VEC_PUSH(c->pending, c->npending, c->cap);
	c->pending[c->npending++] = xstrdup(msg);
}

const struct ui_ops curses_ui_ops = {
	.name = "curses",
	.open = cui_open,
	.close = cui_close,
	.info = cui_info,
	.question = cui_question,
	.input = cui_input,
	.classify = cui_classify,
	.steps = cui_steps,
	.checks = cui_checks,
	.end = cui_end,
	.page = cui_page,
	.confirm = cui_confirm,
	.choose = cui_choose,
	.notice = cui_notice,
};
