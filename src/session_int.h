/* session_int.h — private to the session files (journal.c writes journals, session.c
 * reads and replays them, session_list.c lists and prunes them): who and where a walk
 * starts, which the start line records and a walk without a journal reports (defined
 * in journal.c). */
#ifndef TSHOOT_SESSION_INT_H
#define TSHOOT_SESSION_INT_H

#include <time.h>

/* A new session id from the local time at now and the pid: "20240501-113000-4242".
 * Caller frees. */
char *session_id_new(time_t now);
/* This machine's name, or NULL when it cannot be had. Caller frees. */
char *session_host_dup(void);
/* The effective user's name from the password database (not $USER, which anyone can
 * set), else "uid N". Caller frees. */
char *session_user_dup(void);

#endif
