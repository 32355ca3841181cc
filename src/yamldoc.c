/* yamldoc.c — small YAML files as libyaml documents (yamldoc.h). */
#include "src/yamldoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/util.h"

/* Read a whole file, refusing anything bigger than a flow may be. NULL with *err. */
static char *read_file_capped(const char *path, size_t *len, char **err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		*err = xasprintf("cannot open: %s", strerror(errno));
		return NULL;
	}
	struct strbuf sb = {0};
	char buf[8192];
	size_t r;
	while ((r = fread(buf, 1, sizeof buf, fp)) > 0) {
		sb_addn(&sb, buf, r);
		if (sb.len > FLOW_MAX_FILE_BYTES) {
			*err = xasprintf("file is larger than %u bytes", FLOW_MAX_FILE_BYTES);
			fclose(fp);
			sb_clear(&sb);
			return NULL;
		}
	}
	bool bad = ferror(fp);
	fclose(fp);
	if (bad) {
		*err = xasprintf("cannot read: %s", strerror(errno));
		sb_clear(&sb);
		return NULL;
	}
	*len = sb.len;
	return sb_steal(&sb);
}

/* libyaml's document loader has no nesting limit, and its scanner slows down
 * quadratically on "[[[[...": walk the events first, stopping at the flow loader's
 * depth limit as it does, so a hostile file is refused after a few bytes. false with
 * *at set when the first document nests deeper; a syntax error is left to the loader. */
static bool depth_ok(const char *text, size_t len, struct flow_pos *at)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return true;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	int depth = 0;
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev))
			break;
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > FLOW_MAX_DEPTH) {
				ok = false;
				at->line = (int)ev.start_mark.line + 1;
				at->col = (int)ev.start_mark.column + 1;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_DOCUMENT_END_EVENT:   /* yaml_parser_load reads one document */
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ok;
}

bool yamldoc_load(const char *path, yaml_document_t *doc, struct diags *d)
{
	char *err = NULL;
	size_t len = 0;
	char *text = read_file_capped(path, &len, &err);
	if (!text) {
		if (d)
			diags_add(d, DIAG_ERROR, path, 0, 0, "%s", err);
		free(err);
		return false;
	}
	struct flow_pos deep;
	if (!depth_ok(text, len, &deep)) {
		if (d)
			diags_add(d, DIAG_ERROR, path, deep.line, deep.col, "nesting deeper than %d levels",
				  FLOW_MAX_DEPTH);
		free(text);
		return false;
	}
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	bool ok = yaml_parser_load(&parser, doc);
	if (!ok && d)
		diags_add(d, DIAG_ERROR, path, (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
			  "YAML error: %s%s%s", parser.problem ? parser.problem : "malformed",
			  parser.context ? " " : "", parser.context ? parser.context : "");
	yaml_parser_delete(&parser);
	free(text);
	return ok;
}

const char *yamldoc_scalar0(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

struct flow_pos yamldoc_pos(const yaml_node_t *n)
{
	struct flow_pos p = {0, 0};
	if (n) {
		p.line = (int)n->start_mark.line + 1;
		p.col = (int)n->start_mark.column + 1;
	}
	return p;
}

void yamldoc_err(struct diags *d, const char *path, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	struct flow_pos p = yamldoc_pos(n);
	diags_add(d, DIAG_ERROR, path, p.line, p.col, "%s", msg);
	free(msg);
}
