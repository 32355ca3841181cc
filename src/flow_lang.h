/* flow_lang.h — flows in several languages (tshoot-flow(5), LANGUAGES). The one owner of
 * the rules for a language tag, for the language a walk is in (--lang, else the
 * environment), for which written text a walk reads, and for the name of a flow's
 * translation file; and what the loader keeps for lint of a flow's texts (struct
 * flow_i18n, only when a flow is loaded for lint: flow_load_opts.lint).
 *
 * Texts are resolved when a flow is loaded (flow_load_opts.lang): the strings of struct
 * flow are plain, in one language, so the engine, the front ends and the reports know
 * nothing of languages. A journal records the language, so a resume reads the same. */
#ifndef TSHOOT_FLOW_LANG_H
#define TSHOOT_FLOW_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "src/diag.h"
#include "src/flow.h"

/* Most languages a flow may declare (`languages:`). */
#define FLOW_MAX_LANGS 32
/* The language used when none is asked for, and the one a text falls back to. */
#define LANG_DEFAULT "en"
/* The tag rule in words, for messages and the man page. */
#define LANG_TAG_RULE "2 or 3 lower-case letters, then optionally -Script (4 letters) " \
	"and -REGION (2 upper-case letters or 3 digits): en, de, pt-BR, zh-Hant"

/* Is tag a language tag we accept (LANG_TAG_RULE)? */
bool lang_tag_valid(const char *tag);

/* The language of the environment: the first non-empty of LC_ALL, LC_MESSAGES, LANG,
 * as a tag ("de_DE.UTF-8" -> "de-DE"); LANG_DEFAULT for C, POSIX, nothing set or
 * anything that is no tag. Newly allocated. */
char *lang_from_env(void);

/* Which of n written tags a walk in lang reads: lang itself, else its primary language
 * (de for de-CH), else LANG_DEFAULT, else the first written (0). lang NULL means
 * LANG_DEFAULT. n must be at least 1. */
size_t lang_pick(const char *lang, const char *const *tags, size_t n);

/* The translation file of the flow file at flow_path for tag: the flow file's name with
 * .TAG before .yaml ("flows/x.yaml", "de" -> "flows/x.de.yaml"). Newly allocated. */
char *lang_translation_path(const char *flow_path, const char *tag);
/* When path is a translation file (DIR/BASE.TAG.yaml, TAG a tag, and DIR/BASE.yaml a
 * file): that flow file's path, newly allocated; else NULL. The flow directories list
 * and lint ask here, so a translation file is never taken for a flow. */
char *lang_translation_flow(const char *path);

/* One text of a flow, as lint needs it (only with flow_load_opts.lint). */
struct flow_text_site {
	char *key;                   /* which text: lang_site_key */
	char *what;                  /* for messages: "title of node 'x'" */
	struct flow_pos pos;         /* of the value */
	char **tags;                 /* written inline (a mapping of languages); none for a
	                                plain string, which is in the first declared language */
	struct flow_pos *tag_pos;
	size_t ntags;
	unsigned long long in_file;  /* bit i: the translation file of languages[i] gives it */
};

struct flow_i18n {
	struct flow_text_site *sites;
	size_t nsites, cap;
	/* Problems of the translation files (their file:line:col), lint reports them. */
	struct diags problems;
	/* per declared language: whether its translation file was found */
	bool file_found[FLOW_MAX_LANGS];
};

/* The key of a text: section ("nodes", "vars", "signatures" or NULL for the top level),
 * owner (node id, variable name, signature id), list ("answers", "steps", "run" or NULL),
 * item (0-based, -1 when no list) and field ("title", "label"...). Newly allocated. */
char *lang_site_key(const char *sect, const char *owner, const char *list, int item,
		    const char *field);

void flow_i18n_free(struct flow_i18n *x);

#endif
