/* progress.h — a one-line progress bar on a terminal (tshoot sweep): drawn in place on
 * stderr, gone before results are printed. The caller decides whether the stream is a
 * terminal; nothing here opens or asks anything. */
#ifndef TSHOOT_PROGRESS_H
#define TSHOOT_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

/* "[#######.......]  120/500  3 failed  ETA 0:42", fitted to the terminal's width. */
void progress_draw(FILE *out, size_t done, size_t total, size_t failed, long long elapsed_ms);
/* Erase the line drawn. */
void progress_clear(FILE *out);

#endif
