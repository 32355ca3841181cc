/* test_lang.c — flows in languages (tshoot-flow(5), LANGUAGES): the tag rule, the
 * environment's language, which text a walk reads, translation file names (src/
 * flow_lang.c); texts read at load in the language asked for, inline and from a
 * translation file (src/flow_load_lang.c); and lint of texts missing in a declared
 * language, undeclared tags and translation files that do not fit, each at its
 * file:line:col (src/lint.c). */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/diag.h"
#include "src/flow.h"
#include "src/flow_lang.h"
#include "src/lint.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

START_TEST(test_tags)
{
	static const char *const good[] = {"en", "de", "pt-BR", "zh-Hant", "zh-Hant-TW", "es-419",
					   "fil", NULL};
	static const char *const bad[] = {"", "e", "EN", "english", "de_DE", "de-de", "pt-", "-en",
					  "en-US-GB", "zh-hant", "de.UTF-8", "C", NULL};
	for (size_t i = 0; good[i]; i++)
		ck_assert_msg(lang_tag_valid(good[i]), "'%s' is a tag", good[i]);
	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(!lang_tag_valid(bad[i]), "'%s' is no tag", bad[i]);
	ck_assert(!lang_tag_valid(NULL));
}
END_TEST

/* lang_from_env with LC_ALL, LC_MESSAGES and LANG as given (NULL: unset). */
static char *env_lang(const char *all, const char *msgs, const char *lang)
{
	const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *vals[] = {all, msgs, lang};
	for (size_t i = 0; i < 3; i++) {
		if (vals[i])
			setenv(names[i], vals[i], 1);
		else
			unsetenv(names[i]);
	}
	return lang_from_env();
}

#define ENV_IS(want, all, msgs, lang) do { \
	char *got_ = env_lang((all), (msgs), (lang)); \
	ck_assert_str_eq(got_, (want)); \
	free(got_); \
} while (0)

START_TEST(test_env)
{
	ENV_IS("en", NULL, NULL, NULL);
	ENV_IS("de-DE", NULL, NULL, "de_DE.UTF-8");
	ENV_IS("de", NULL, NULL, "de");
	ENV_IS("fr-FR", NULL, "fr_FR.UTF-8", "de_DE.UTF-8");
	ENV_IS("pt-BR", "pt_BR@euro", "fr_FR", "de_DE");
	ENV_IS("de-DE", "", "", "de_DE.UTF-8");      /* empty counts as unset */
	ENV_IS("en", "C", NULL, "de_DE.UTF-8");      /* C wins, and is English */
	ENV_IS("en", "POSIX", NULL, NULL);
	ENV_IS("en", NULL, NULL, "C.UTF-8");
	ENV_IS("en", NULL, NULL, "klingon_rubbish");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
}
END_TEST

START_TEST(test_pick)
{
	const char *const t[] = {"fr", "en", "de", "de-CH"};
	ck_assert_uint_eq(lang_pick("de", t, 4), 2);
	ck_assert_uint_eq(lang_pick("de-CH", t, 4), 3);
	ck_assert_uint_eq(lang_pick("de-AT", t, 4), 2);     /* its primary language */
	ck_assert_uint_eq(lang_pick("it", t, 4), 1);        /* en */
	ck_assert_uint_eq(lang_pick(NULL, t, 4), 1);
	const char *const u[] = {"fr", "de"};
	ck_assert_uint_eq(lang_pick("it", u, 2), 0);        /* the first written */
}
END_TEST

START_TEST(test_paths)
{
	char *p = lang_translation_path("flows/x.yaml", "de");
	ck_assert_str_eq(p, "flows/x.de.yaml");
	free(p);
	p = lang_translation_path("a.b/x.yml", "pt-BR");
	ck_assert_str_eq(p, "a.b/x.pt-BR.yml");
	free(p);
	char *two = test_flow_path("lang-two.yaml"), *de = test_flow_path("lang-two.de.yaml");
	char *of = lang_translation_flow(de);
	ck_assert_ptr_nonnull(of);
	ck_assert_str_eq(of, two);
	free(of);
	ck_assert_ptr_null(lang_translation_flow(two));         /* lang-two: no tag */
	char *nope = test_flow_path("lang-two.fr.yaml");        /* no such flow file matters */
	of = lang_translation_flow(nope);
	ck_assert_str_eq(of, two);
	free(of);
	free(nope);
	nope = test_flow_path("good-min.de.yaml");
	char *gm = lang_translation_flow(nope);              /* good-min.yaml exists */
	ck_assert_ptr_nonnull(gm);
	free(gm);
	free(nope);
	nope = test_flow_path("no-such.de.yaml");
	ck_assert_ptr_null(lang_translation_flow(nope));     /* no flow no-such.yaml */
	free(nope);
	free(two);
	free(de);
}
END_TEST

static struct flow *load_in(const char *name, const char *lang, bool lint, struct diags *d)
{
	char *p = test_flow_path(name);
	struct flow_load_opts o = {.lang = lang, .lint = lint};
	struct flow *f = flow_load_opts(p, NULL, 0, &o, d, NULL);
	char *all = test_diags_text(d);
	ck_assert_msg(f != NULL, "%s does not load:\n%s", p, all);
	free(all);
	free(p);
	return f;
}

static const struct flow_node *node(const struct flow *f, const char *id)
{
	int i = flow_node_index(f, id);
	ck_assert_int_ge(i, 0);
	return &f->nodes[i];
}

START_TEST(test_load_two)
{
	struct diags d = {0};
	/* German: inline texts and the translation file's */
	struct flow *f = load_in("lang-two.yaml", "de", false, &d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_str_eq(f->lang, "de");
	ck_assert_uint_eq(f->nlangs, 2);
	ck_assert_str_eq(f->langs[1], "de");
	ck_assert_ptr_null(f->i18n);
	ck_assert_str_eq(f->title, "Testablauf Druckerwarteschlange");
	ck_assert_str_eq(f->description, "Prüft, warum ein Druckauftrag hängt.");
	ck_assert_str_eq(f->vars[0].prompt, "Name des Druckers");
	ck_assert_str_eq(f->vars[0].why, "Die Warteschlange gehört zu je einem Drucker.");
	ck_assert_str_eq(node(f, "intro")->text, "Halten Sie den Namen des Druckers bereit.");
	const struct flow_node *q = node(f, "stuck");
	ck_assert_str_eq(q->title, "Hängt ein Auftrag in der Warteschlange?");
	ck_assert_str_eq(q->answers[0].label, "Ja, einer hängt");
	ck_assert_str_eq(q->answers[1].label, "Nein, die Warteschlange ist leer");
	ck_assert_str_eq(q->answers[1].why, "Dann liegt es nicht an der Warteschlange.");
	const struct flow_node *s = node(f, "clear");
	ck_assert_str_eq(s->steps[0].text, "Öffnen Sie die Warteschlange von ${printer}.");
	ck_assert_str_eq(s->steps[1].text, "Brechen Sie den hängenden Auftrag ab.");
	ck_assert_str_eq(s->steps[1].why, "Ein hängender Auftrag hält alle dahinter auf.");
	ck_assert_str_eq(s->ask, "Druckt er jetzt?");
	ck_assert_str_eq(node(f, "other")->title, "Weitergeben");
	/* what is not text is the same in every language */
	ck_assert_str_eq(q->answers[0].next.id, "clear");
	ck_assert_str_eq(node(f, "probe")->checks[0].label, "Der Rohdaten-Port des Druckers");
	ck_assert_str_eq(node(f, "other")->collect[0], "the printer's name");
	flow_free(f);

	/* German of Switzerland: no de-CH texts, so de's (inline and the de file) */
	f = load_in("lang-two.yaml", "de-CH", false, &d);
	ck_assert_str_eq(f->lang, "de-CH");
	ck_assert_str_eq(f->title, "Testablauf Druckerwarteschlange");
	ck_assert_str_eq(node(f, "other")->title, "Weitergeben");
	flow_free(f);

	/* English, French (none: English) and no language at all */
	static const char *const langs[] = {"en", "fr", NULL};
	for (size_t i = 0; i < 3; i++) {
		f = load_in("lang-two.yaml", langs[i], false, &d);
		ck_assert_uint_eq(d.n, 0);
		ck_assert_str_eq(f->title, "Printer queue test flow");
		ck_assert_str_eq(node(f, "stuck")->answers[1].label, "No, the queue is empty");
		ck_assert_str_eq(node(f, "clear")->steps[0].text, "Open the queue of ${printer}.");
		ck_assert_str_eq(node(f, "other")->text, "Give the ticket to the print team.");
		ck_assert_str_eq(f->lang, langs[i] ? langs[i] : "en");
		flow_free(f);
	}

	/* for lint: nothing wrong with the pair */
	f = load_in("lang-two.yaml", NULL, true, &d);
	ck_assert_ptr_nonnull(f->i18n);
	ck_assert(f->i18n->file_found[1]);
	ck_assert_uint_eq(lint_flow(f, &d), 0);
	char *all = test_diags_text(&d);
	ck_assert_msg(d.n == 0, "lang-two gave diagnostics:\n%s", all);
	free(all);
	flow_free(f);
	diags_clear(&d);
}
END_TEST

static bool has(const struct diags *d, const char *file_end, int line, int col, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && d->v[i].col == col && strstr(d->v[i].msg, want) &&
		    str_ends_with(d->v[i].file, file_end))
			return true;
	return false;
}

#define EXPECT(d, file, line, col, want) do { \
	char *all_ = test_diags_text(d); \
	ck_assert_msg(has((d), (file), (line), (col), (want)), \
		      "want %s:%d:%d: ...%s...\ngot:\n%s", (file), (line), (col), (want), all_); \
	free(all_); \
} while (0)

START_TEST(test_load_errors)
{
	struct diags d = {0};
	const char *y =
		"id: t\n"
		"title: {en: T, EN: T2}\n"                           /* 2: a tag in capitals */
		"languages: [en, de, en, de_DE]\n"                   /* 3: twice; no tag */
		"start: a\n"
		"nodes:\n"
		"  a:\n"
		"    type: info\n"
		"    text: {}\n"                                     /* 8: empty */
		"    why: {en: [x]}\n"                               /* 9: not a text */
		"    title: [a]\n"                                   /* 10: a list */
		"    next: b\n"
		"  b: {type: end, result: resolved}\n";
	ck_assert_ptr_null(flow_load_string("l.yaml", y, strlen(y), &d));
	EXPECT(&d, "l.yaml", 2, 16, "'EN' is not a language tag");
	EXPECT(&d, "l.yaml", 3, 21, "language 'en' is declared twice");
	EXPECT(&d, "l.yaml", 3, 25, "'de_DE' in 'languages' is not a language tag");
	EXPECT(&d, "l.yaml", 8, 11, "'text' in node 'a' is an empty mapping");
	EXPECT(&d, "l.yaml", 9, 15, "'why' in node 'a' in language 'en' must be a text");
	EXPECT(&d, "l.yaml", 10, 12, "'title' in node 'a' must be a string or a mapping of languages");
	diags_clear(&d);
}
END_TEST

/* A flow and translation files in a new directory: dir/f.yaml and dir/f.TAG.yaml. */
static char *write_files(const char *flow, const char *const *tags, const char *const *texts)
{
	char tmpl[] = "/tmp/tshoot-lang-XXXXXX";
	char *dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	char *p = xasprintf("%s/f.yaml", dir);
	FILE *fp = fopen(p, "w");
	fputs(flow, fp);
	fclose(fp);
	for (size_t i = 0; tags && tags[i]; i++) {
		char *tp = lang_translation_path(p, tags[i]);
		fp = fopen(tp, "w");
		fputs(texts[i], fp);
		fclose(fp);
		free(tp);
	}
	return p;
}

static void remove_files(char *p, const char *const *tags)
{
	for (size_t i = 0; tags && tags[i]; i++) {
		char *tp = lang_translation_path(p, tags[i]);
		unlink(tp);
		free(tp);
	}
	unlink(p);
	*strrchr(p, '/') = '\0';
	rmdir(p);
	free(p);
}

static const char lint_flow_yaml[] =
	"id: t\n"
	"title: {en: T, de: T-de}\n"                             /* 2 */
	"languages: [en, de, fr]\n"                              /* 3 */
	"start: a\n"
	"nodes:\n"
	"  a:\n"
	"    type: question\n"
	"    title: {en: Q, es: Q-es}\n"                         /* 8: es undeclared */
	"    answers:\n"
	"      - {label: Yes, next: b}\n"                        /* 10 */
	"      - {label: No, next: b}\n"                         /* 11 */
	"  b:\n"
	"    type: end\n"
	"    result: resolved\n"
	"    text: Done\n";                                      /* 15 */

START_TEST(test_lint_languages)
{
	static const char *const tags[] = {"de", NULL};
	static const char *const texts[] = {
		"nodes:\n"
		"  a:\n"
		"    title: Frage\n"
		"    answers: [Ja, ~, Vielleicht]\n"                   /* 4:22: three of two */
		"    text: Gibt es nicht\n"                            /* 5:11: no text in the flow */
		"  z: {title: Z}\n"                                    /* 6:3: no node z */
		"  b: {result: x}\n"                                   /* 7:7: not a text field */
		"colour: red\n",                                       /* 8:1: unknown key */
	};
	char *p = write_files(lint_flow_yaml, tags, texts);
	struct diags d = {0};
	struct flow *f = flow_load_opts(p, NULL, 0, &(struct flow_load_opts){.lint = true}, &d,
					NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(d.n, 0);          /* the loader says nothing: lint does */
	lint_flow(f, &d);
	EXPECT(&d, "f.yaml", 3, 1, "language 'fr' is declared but no text is in it");
	EXPECT(&d, "f.yaml", 8, 20, "'title' in node 'a': language 'es' is not declared");
	EXPECT(&d, "f.yaml", 11, 17, "'label' in answer 2 of node 'a' has no text in de");
	EXPECT(&d, "f.yaml", 15, 11, "'text' in node 'b' has no text in de");
	EXPECT(&d, "f.de.yaml", 4, 22, "node 'a' has 2 items in 'answers', not 3");
	EXPECT(&d, "f.de.yaml", 5, 11, "'text' of node 'a': the flow has no such text");
	EXPECT(&d, "f.de.yaml", 6, 3, "the flow has no node 'z'");
	EXPECT(&d, "f.de.yaml", 7, 7, "unknown key 'result' in a node");
	EXPECT(&d, "f.de.yaml", 8, 1, "unknown key 'colour' at top level");
	/* said once for fr, not once per text */
	size_t fr = 0;
	for (size_t i = 0; i < d.n; i++)
		fr += strstr(d.v[i].msg, "'fr'") != NULL;
	ck_assert_uint_eq(fr, 1);
	/* the title is in en and de, answer 1 in de from the file: nothing said */
	for (size_t i = 0; i < d.n; i++)
		ck_assert_msg(d.v[i].line != 2 && d.v[i].line != 10, "%s", d.v[i].msg);
	flow_free(f);
	diags_clear(&d);

	/* for a walk the same file is read as far as it fits, its problems warnings */
	f = flow_load_opts(p, NULL, 0, &(struct flow_load_opts){.lang = "de"}, &d, NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(diags_count(&d, DIAG_ERROR), 0);
	ck_assert_uint_ge(diags_count(&d, DIAG_WARNING), 4);
	ck_assert_str_eq(f->nodes[0].title, "Frage");
	ck_assert_str_eq(f->nodes[0].answers[0].label, "Ja");
	ck_assert_str_eq(f->nodes[0].answers[1].label, "No");
	ck_assert_ptr_null(f->nodes[0].text);             /* not given a text it lacks */
	ck_assert_uint_eq(lint_flow(f, &d), 0);           /* a walk's lint leaves languages alone */
	flow_free(f);
	diags_clear(&d);
	remove_files(p, tags);
}
END_TEST

START_TEST(test_lint_twice_and_syntax)
{
	static const char *const tags[] = {"de", "fr", NULL};
	static const char *const texts[] = {
		"title: T-de-file\n",                                 /* 1:8: given twice */
		"nodes: [\n",                                        /* a syntax error */
	};
	char *p = write_files(lint_flow_yaml, tags, texts);
	struct diags d = {0};
	struct flow *f = flow_load_opts(p, NULL, 0, &(struct flow_load_opts){.lint = true}, &d,
					NULL);
	ck_assert_ptr_nonnull(f);
	lint_flow(f, &d);
	char *all = test_diags_text(&d);
	bool twice = false, syntax = false;
	for (size_t i = 0; i < d.n; i++) {
		twice |= d.v[i].sev == DIAG_WARNING && d.v[i].line == 1 && d.v[i].col == 8 &&
			 strstr(d.v[i].msg, "is given twice") && str_ends_with(d.v[i].file, "f.de.yaml");
		syntax |= d.v[i].sev == DIAG_ERROR && strstr(d.v[i].msg, "YAML syntax error") &&
			  str_ends_with(d.v[i].file, "f.fr.yaml");
	}
	ck_assert_msg(twice && syntax, "got:\n%s", all);
	free(all);
	flow_free(f);
	diags_clear(&d);

	/* a walk in de reads the file's title (it is read last) */
	f = flow_load_opts(p, NULL, 0, &(struct flow_load_opts){.lang = "de"}, &d, NULL);
	ck_assert_str_eq(f->title, "T-de-file");
	flow_free(f);
	diags_clear(&d);
	remove_files(p, tags);
}
END_TEST

START_TEST(test_format1_plain)
{
	/* a flow without languages loads as before, in whatever language is asked for */
	struct diags d = {0};
	struct flow *f = load_in("good-min.yaml", "de", true, &d);
	ck_assert_uint_eq(f->nlangs, 0);
	ck_assert_uint_eq(lint_flow(f, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	flow_free(f);
}
END_TEST

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	Suite *s = suite_create("lang");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_pick);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_load_two);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_lint_languages);
	tcase_add_test(tc, test_lint_twice_and_syntax);
	tcase_add_test(tc, test_format1_plain);
	suite_add_tcase(s, tc);
	return test_main(s);
}
