/* test_flow_graph.c — the one edge walk and the one breadth-first search
 * (src/flow_graph.c): edges in their order with kind, label and target, absent
 * references no edge and missing ones to -1; a reference whose node was renamed leads
 * nowhere; the graph forwards and backwards; distances from one node or several; the
 * shortest path with check nodes routed. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "src/engine.h"
#include "src/flow.h"
#include "src/flow_graph.h"
#include "src/util.h"
#include "tests/unit/testutil.h"

/* intro 0, ask 1, probe 2, sort 3, fix 4, end-ok 5, end-bad 6, orphan 7, stub 8 */
static const char flow_yaml[] =
	"id: g\n"
	"title: G\n"
	"start: intro\n"
	"nodes:\n"
	"  intro: {type: info, next: ask}\n"
	"  ask:\n"
	"    type: question\n"
	"    answers:\n"
	"      - {label: Local, next: probe}\n"
	"      - {label: Remote, next: sort}\n"
	"      - {label: Lost, next: nowhere}\n"
	"      - {label: Unsure}\n"
	"  probe:\n"
	"    type: check\n"
	"    run: [{tcp: {host: h, port: '80'}}]\n"
	"    on: {ok: fix, refused: intro, default: end-bad}\n"
	"  sort: {type: classify, on: {default: fix}}\n"
	"  fix: {type: steps, steps: [restart it], fixed: end-ok, not_fixed: end-bad}\n"
	"  end-ok: {type: end, result: resolved}\n"
	"  end-bad: {type: end, result: escalate}\n"
	"  orphan: {type: info, next: end-ok}\n"
	"  stub: {type: info}\n";

enum { INTRO, ASK, PROBE, SORT, FIX, END_OK, END_BAD, ORPHAN, STUB, NNODES };

static struct flow *f;

static void setup(void)
{
	struct diags d = {0};
	f = flow_load_string("g.yaml", flow_yaml, strlen(flow_yaml), &d);
	char *all = test_diags_text(&d);
	ck_assert_msg(f != NULL, "did not load:\n%s", all);
	free(all);
	diags_clear(&d);
	ck_assert_uint_eq(f->nnodes, NNODES);
	ck_assert_str_eq(f->nodes[STUB].id, "stub");
}

static void teardown(void)
{
	flow_free(f);
}

/* The edges of node i as "KIND:label>to,..." (label "-" for none). */
static char *edges_text(size_t i)
{
	static const char *const kinds[] = {"next", "answer", "route", "fixed", "not_fixed"};
	struct strbuf sb = {0};
	struct flow_edge e;
	for (size_t c = 0; flow_edge_next(f, &f->nodes[i], &c, &e);) {
		ck_assert_ptr_nonnull(e.ref);
		ck_assert_ptr_nonnull(e.ref->id);
		sb_printf(&sb, "%s%s:%s>%d", sb.len ? "," : "", kinds[e.kind], e.label ? e.label : "-", e.to);
		if (e.kind == FLOW_EDGE_ANSWER)
			ck_assert_ptr_eq(e.ref, &f->nodes[i].answers[e.index].next);
		if (e.kind == FLOW_EDGE_ROUTE)
			ck_assert_ptr_eq(e.ref, &f->nodes[i].routes[e.index].next);
	}
	return sb_steal(&sb);
}

#define EDGES(i, want) do { \
	char *got_ = edges_text(i); \
	ck_assert_str_eq(got_, (want)); \
	free(got_); \
} while (0)

START_TEST(test_edges_in_order)
{
	EDGES(INTRO, "next:->1");
	/* "Lost" names no node: an edge to -1; "Unsure" has no next: no edge */
	EDGES(ASK, "answer:Local>2,answer:Remote>3,answer:Lost>-1");
	EDGES(PROBE, "route:ok>4,route:refused>0,route:default>6");
	EDGES(SORT, "route:default>4");
	EDGES(FIX, "fixed:fixed>5,not_fixed:not fixed>6");
	EDGES(END_OK, "");
	EDGES(STUB, "");
	/* the cursor stays past the end */
	size_t c = 0;
	struct flow_edge e;
	while (flow_edge_next(f, &f->nodes[SORT], &c, &e))
		;
	ck_assert(!flow_edge_next(f, &f->nodes[SORT], &c, &e));
}
END_TEST

START_TEST(test_ref_target_checks_the_id)
{
	ck_assert_int_eq(flow_ref_target(f, &f->start), INTRO);
	ck_assert_int_eq(flow_ref_target(f, &f->nodes[ASK].answers[3].next), -1);
	ck_assert_int_eq(flow_ref_target(f, NULL), -1);
	/* a node renamed after load: references to its old name lead nowhere */
	free(f->nodes[END_OK].id);
	f->nodes[END_OK].id = xstrdup("renamed");
	ck_assert_int_eq(flow_ref_target(f, &f->nodes[FIX].fixed), -1);
	EDGES(FIX, "fixed:fixed>-1,not_fixed:not fixed>6");
}
END_TEST

static char *adj_text(const struct flow_graph *g, size_t i)
{
	struct strbuf sb = {0};
	for (size_t k = g->off[i]; k < g->off[i + 1]; k++)
		sb_printf(&sb, "%s%d", sb.len ? "," : "", g->adj[k]);
	return sb_steal(&sb);
}

#define ADJ(g, i, want) do { \
	char *got_ = adj_text((g), (i)); \
	ck_assert_str_eq(got_, (want)); \
	free(got_); \
} while (0)

START_TEST(test_graph_both_ways)
{
	struct flow_graph g;
	flow_graph_build(&g, f, NULL, NULL, false);
	ck_assert_uint_eq(g.n, NNODES);
	ADJ(&g, ASK, "2,3");            /* the missing "nowhere" is left out */
	ADJ(&g, PROBE, "4,0,6");
	ADJ(&g, END_OK, "");
	ck_assert_uint_eq(g.off[NNODES], 10);
	flow_graph_clear(&g);
	ck_assert_ptr_null(g.adj);

	flow_graph_build(&g, f, NULL, NULL, true);
	ADJ(&g, END_BAD, "2,4");        /* probe's default, fix's not_fixed */
	ADJ(&g, END_OK, "4,7");
	ADJ(&g, INTRO, "2");
	ADJ(&g, FIX, "2,3");
	ADJ(&g, ORPHAN, "");
	ck_assert_uint_eq(g.off[NNODES], 10);
	flow_graph_clear(&g);
}
END_TEST

START_TEST(test_bfs)
{
	struct flow_graph g;
	int dist[NNODES];
	flow_graph_build(&g, f, NULL, NULL, false);
	int from = INTRO;
	flow_graph_bfs(&g, &from, 1, dist);
	const int want[NNODES] = {0, 1, 2, 2, 3, 4, 3, -1, -1};
	for (int i = 0; i < NNODES; i++)
		ck_assert_msg(dist[i] == want[i], "node %d: %d, want %d", i, dist[i], want[i]);
	flow_graph_clear(&g);

	/* backwards from every end at once: how far each node is from an end;
	 * sources out of range are ignored */
	flow_graph_build(&g, f, NULL, NULL, true);
	const int ends[] = {-1, END_OK, 99, END_BAD};
	flow_graph_bfs(&g, ends, 4, dist);
	const int back[NNODES] = {3, 2, 1, 2, 1, 0, 0, 1, -1};
	for (int i = 0; i < NNODES; i++)
		ck_assert_msg(dist[i] == back[i], "node %d: %d, want %d", i, dist[i], back[i]);
	/* no sources: nothing is reached */
	flow_graph_bfs(&g, ends, 0, dist);
	for (int i = 0; i < NNODES; i++)
		ck_assert_int_eq(dist[i], -1);
	flow_graph_clear(&g);
}
END_TEST

static int route_outcome(const struct flow_node *n, const void *outcome)
{
	return engine_route_outcome(n, outcome);
}

static int route_none(const struct flow_node *n, const void *ctx)
{
	return -1;
}

START_TEST(test_shortest_path_routed)
{
	ck_assert_int_eq(flow_shortest_path(f, INTRO, INTRO, NULL, NULL), 0);
	ck_assert_int_eq(flow_shortest_path(f, INTRO, END_BAD, NULL, NULL), 3);
	ck_assert_int_eq(flow_shortest_path(f, PROBE, END_BAD, NULL, NULL), 1);
	/* refused sends probe back to intro: the way to end-bad goes through sort and fix */
	ck_assert_int_eq(flow_shortest_path(f, INTRO, END_BAD, route_outcome, "refused"), 4);
	ck_assert_int_eq(flow_shortest_path(f, PROBE, END_BAD, route_outcome, "refused"), 5);
	ck_assert_int_eq(flow_shortest_path(f, PROBE, END_BAD, route_outcome, "ok"), 2);
	/* a check node the route sends nowhere is a dead end; other nodes keep every edge */
	ck_assert_int_eq(flow_shortest_path(f, PROBE, END_BAD, route_none, NULL), -1);
	ck_assert_int_eq(flow_shortest_path(f, INTRO, END_OK, route_none, NULL), 4);
	ck_assert_int_eq(flow_shortest_path(f, ORPHAN, INTRO, NULL, NULL), -1);
	ck_assert_int_eq(flow_shortest_path(f, INTRO, -1, NULL, NULL), -1);
	ck_assert_int_eq(flow_shortest_path(f, NNODES, INTRO, NULL, NULL), -1);
	/* the engine's names for it give the same */
	ck_assert_int_eq(engine_shortest_path(f, INTRO, END_BAD), 3);
	ck_assert_int_eq(engine_shortest_path_routed(f, PROBE, END_BAD, route_outcome, "refused"), 5);
}
END_TEST

static Suite *flow_graph_suite(void)
{
	Suite *s = suite_create("flow_graph");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_edges_in_order);
	tcase_add_test(tc, test_ref_target_checks_the_id);
	tcase_add_test(tc, test_graph_both_ways);
	tcase_add_test(tc, test_bfs);
	tcase_add_test(tc, test_shortest_path_routed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_main(flow_graph_suite());
}
