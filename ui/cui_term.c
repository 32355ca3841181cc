/* cui_term.c — the terminal of the full-screen front end: its life, its signals, the
 * keys it sends and its clipboard.
 *
 * The terminal belongs to the front end from open() to close() (term_open, term_close):
 * newterm (not initscr, so a failure falls back to plain mode), signal flags acted on in
 * the loop (SIGINT asks; SIGTERM and SIGHUP stop the walk as UI_SIGNAL: the driver says
 * so, close() gives the terminal back, and tshoot exits 128 + the signal), crash handlers
 * that restore the terminal and re-raise, and an atexit hook. Nothing is written to
 * stdout or stderr while curses owns the screen; notices that arrive after the last
 * screen are printed on close (ui/curses.c). Keys are read here, bracketed paste marking
 * what was pasted, and looked up in the one table, ui/keys.h. */
#include "ui/cui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/util.h"

/* ---- Keys: the table and its lookup, from ui/keys.h. */
const struct keyrow keyrows[KA_NONE] = {
#define X(act, ctx, k1, k2, k3, k4, keys, hint, help, man) {act, ctx, {k1, k2, k3, k4}, keys, hint, help},
	UI_KEYS(X)
#undef X
};

/* Bracketed paste (xterm mode 2004, asked for on open): the terminal sends a paste
 * between ESC[200~ and ESC[201~; define_key makes curses return these codes for them.
 * key_read consumes them and marks the keys between as pasted. */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END   (KEY_MAX + 2)
#define PASTE_IDLE_MS   1000     /* a paste whose end marker never came ends after this */

bool key_is(const struct key *k, int type, wint_t ch)
{
	return k->type == type && k->ch == ch;
}

/* The first table row for ctx that has this key. Characters and function-key codes
 * share a number space, so each is matched only against its own kind. */
enum key_act key_lookup(unsigned ctx, const struct key *k)
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
volatile sig_atomic_t g_term;            /* SIGTERM or SIGHUP caught (its number): leave */
volatile sig_atomic_t g_int;             /* SIGINT caught: ask to quit */
static volatile sig_atomic_t g_curses;   /* curses owns the terminal */
bool g_eof;                              /* the terminal stopped giving input */
static bool g_atexit;
struct cui *g_cui;           /* the open front end (draw_small) */
/* The one curses screen of the process: close ends curses mode but keeps it, and a
 * later open (the walk after the resume picker) takes it up again. A second newterm
 * would lose the first screen's panel-library entry for stdscr (a leak). */
static SCREEN *g_scr;
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
void paste_mode(bool on)
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
char *clip_copy(const char *text)
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

/* ---- Reading keys. */
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
struct key key_read(struct cui *c, WINDOW *w, int ms)
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
void key_unget(const struct key *k)
{
	if (k->type == OK)
		unget_wch((wchar_t)k->ch);
	else if (k->type == KEY_CODE_YES)
		ungetch((int)k->ch);
}

bool is_resize(const struct key *k)
{
	return key_is(k, KEY_CODE_YES, KEY_RESIZE);
}

/* ---- The terminal's life. */
static void term_atexit(void)
{
	if (g_curses) {
		g_curses = 0;
		paste_mode(false);
		endwin();
	}
}

/* The signal handlers: flags only, the loop acts on them. No SA_RESTART, so a wait for
 * a key ends. And the crash handlers, which give the terminal back. */
static void term_trap(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
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
}

/* Take the terminal for c: newterm once per process (g_scr), the modes, colours,
 * bracketed paste, the flags cleared, the handlers set. */
int term_open(struct cui *c)
{
	if (!ui_terminal_ok())
		return -1;
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
	c->scr = scr;
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
	g_cui = c;
	g_term = 0;
	g_int = 0;
	g_eof = false;
	g_curses = 1;
	term_trap();
	if (!g_atexit) {
		atexit(term_atexit);
		g_atexit = true;
	}
	return 0;
}

/* Leave curses mode (the screen is kept for a later term_open) and put the signal
 * handlers back as they were. */
void term_close(void)
{
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
	g_cui = NULL;
}
