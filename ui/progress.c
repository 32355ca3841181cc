/* progress.c — the sweep's progress bar: text and carriage returns, no curses. */
#include "ui/progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static size_t term_width(FILE *out)
{
	struct winsize ws;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void progress_draw(FILE *out, size_t done, size_t total, size_t failed, long long elapsed_ms)
{
	char tail[96];
	if (done > 0 && done < total) {
		long long eta = elapsed_ms / (long long)done * (long long)(total - done) / 1000;
		snprintf(tail, sizeof tail, " %zu/%zu  %zu failed  ETA %lld:%02lld", done, total, failed, eta / 60,
			 eta % 60);
	} else {
		snprintf(tail, sizeof tail, " %zu/%zu  %zu failed", done, total, failed);
	}
	size_t width = term_width(out) - 1, tl = strlen(tail);
	size_t bar = width > tl + 12 ? width - tl - 2 : 10;
	if (bar > 50)
		bar = 50;
	size_t fill = total ? bar * done / total : bar;
	fputs("\r[", out);
	for (size_t i = 0; i < bar; i++)
		fputc(i < fill ? '#' : '.', out);
	fprintf(out, "]%s\033[K", tail);
	fflush(out);
}

void progress_clear(FILE *out)
{
	fputs("\r\033[K", out);
	fflush(out);
}
