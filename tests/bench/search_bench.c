/* search_bench.c: server-side times of the candidate list's query and of a pool's count, for the issue-4 benchmarks */

/*
 * Usage: search_bench [--queries Q] [--seed S] [--per-page P] [--deep D]
 *                     [--counts C] [--emit FILE] VAR
 *   VAR   a data directory made by gen_candidates (VAR/db, VAR/secret);
 *         only read. Run from the top of the source tree.
 *   --queries Q   distinct filters (default 300), each run 4 ways
 *   --seed S      the mix is a function of S (default 44)
 *   --per-page P  rows per page (default 50, the office list's)
 *   --deep D      the deep page's number (default 100; a result with
 *                 fewer pages is asked for its last one)
 *   --counts C    pool_get calls per pool for the count (default 200)
 *   --one TEXT [--sort S] [--page N]   runs only this filter, Q times,
 *                 printing each time (for profiling)
 *   --cache-mb M  Db.CacheMB (default 8), used when the environment's
 *                 regions are made anew (tests/bench/run removes them first)
 *   --emit FILE   also writes each run as a line "kind TAB sort TAB page
 *                 TAB query string" (the office list form's fields: q,
 *                 tags_any, status, engaged_after...; sort and page apart),
 *                 for the HTTP part of tests/bench/run
 *
 * The mix, like a recruiter's day (shares of Q):
 *   word        one word: a skill, a surname (as written, accents and
 *               scripts included), a first name, a title word   25%
 *   word_tag    a word and a tag                                 20%
 *   status_city status, city and a word                          20%
 *   tags        any of two tags, none of a third, sometimes a word 15%
 *   engaged     last engagement in a date range, with a status
 *               or a role interest                               10%
 *   stale       flagged stale, with an interest or a word        10%
 * Each is run with sort "newest" and "name", page 1 and page D (or the
 * last): cand_search() as the office list calls it, timed alone
 * ("search"), and with the page's records read as the list then does
 * ("page": search + store_cand_get of each row). The order of the runs is
 * shuffled so that no kind profits from the one before it; one unmeasured
 * pass over a tenth of them warms the cache first.
 *
 * Then each pool's count as the pool list shows it (pool_get, which reads
 * the postings key "pool:N"): C calls per pool, dynamic and static.
 *
 * Prints "key value" lines for tests/bench/run (times in ms):
 *   case KIND SORT PAGE n N p50 X p90 X p99 X max X
 *   all search|page n N p50 X p90 X p99 X max X mean X
 *   slowest search X ms: KIND SORT PAGE total T: TEXT    (the 5 slowest)
 *   pool ID KIND count M n N p50 X p99 X max X
 *   matches p50 T max T          (result sizes, for context)
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "crm/pool.h"
#include "crm/query.h"
#include "crm/setup.h"
#include "store/entities.h"
#include "store/store.h"
#include "util/conf.h"
#include "util/he.h"
#include "util/log.h"

#include "crm_vocab.h"

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t
below(size_t n)
{
	return (size_t)((double)(rnd() >> 11) / 9007199254740992.0 * (double)n);
}

/* A rough skew towards the start of a list (commoner values). */
static size_t
skewed(size_t n)
{
	size_t a = below(n), b = below(n);

	return a < b ? a : b;
}

enum kind { K_WORD, K_WORD_TAG, K_STATUS_CITY, K_TAGS, K_ENGAGED, K_STALE, K__MAX };
static const char *const kind_names[K__MAX] = {
	"word", "word_tag", "status_city", "tags", "engaged", "stale",
};
static const unsigned kind_share[K__MAX] = { 25, 20, 20, 15, 10, 10 };

struct qcase {
	enum kind kind;
	struct cand_query q;
	int textual;		/* the search box can say all of q in q.text */
};

static void
list_set(struct query_list *l, const char *v)
{
	snprintf(l->v[l->n++], sizeof l->v[0], "%s", v);
}

/* Appends to q's text, quoting a value with a space. */
static void
text_add(struct cand_query *q, const char *field, const char *v)
{
	size_t len = strlen(q->text);
	int quote = strchr(v, ' ') != NULL;

	snprintf(q->text + len, sizeof q->text - len, "%s%s%s%s%s%s",
	    len ? " " : "", field ? field : "", field ? ":" : "",
	    quote ? "\"" : "", v, quote ? "\"" : "");
}

/* One word people search for. */
static const char *
a_word(size_t *family)
{
	size_t f = skewed(NELEM(bv_families));
	size_t c;

	*family = f;
	switch (below(5)) {
	case 0:
	case 1: {
		/* a one-word skill of the family (multi-word ones go quoted) */
		const struct bv_list *l = &bv_skills[f];

		return l->v[skewed(l->n)];
	}
	case 2:
		c = below(NELEM(bv_cultures));
		return bv_cultures[c].last[skewed(bv_cultures[c].nlast)].s;
	case 3:
		c = below(NELEM(bv_cultures));
		return bv_cultures[c].first[skewed(bv_cultures[c].nfirst)].s;
	default: {
		static const char *const title_words[] = {
			"engineer", "manager", "designer", "analyst", "developer",
			"scientist", "recruiter", "accountant", "backend", "senior",
		};
		return title_words[below(NELEM(title_words))];
	}
	}
}

static void
make_case(struct qcase *c, int64_t today)
{
	unsigned x = (unsigned)below(100), acc = 0;
	size_t family, k;
	const char *w;

	memset(c, 0, sizeof *c);
	cand_query_init(&c->q);
	for (k = 0; k < K__MAX; k++)
		if (x < (acc += kind_share[k]))
			break;
	c->kind = (enum kind)k;
	c->textual = 1;
	switch (c->kind) {
	case K_WORD:
		text_add(&c->q, NULL, a_word(&family));
		break;
	case K_WORD_TAG:
		text_add(&c->q, NULL, a_word(&family));
		text_add(&c->q, "tag", bv_tags[skewed(NELEM(bv_tags))]);
		break;
	case K_STATUS_CITY: {
		const struct bv_place *p = &bv_places[skewed(NELEM(bv_places))];

		text_add(&c->q, "status", bv_statuses[skewed(NELEM(bv_statuses))]);
		text_add(&c->q, "city", p->city);
		w = a_word(&family);
		text_add(&c->q, NULL, w);
		break;
	}
	case K_TAGS:
		/* "any of" has no words in the search box: a form filter. */
		c->textual = 0;
		list_set(&c->q.tags_any, bv_tags[skewed(NELEM(bv_tags))]);
		do
			w = bv_tags[skewed(NELEM(bv_tags))];
		while (strcmp(w, c->q.tags_any.v[0]) == 0);
		list_set(&c->q.tags_any, w);
		do
			w = bv_tags[below(NELEM(bv_tags))];
		while (strcmp(w, c->q.tags_any.v[0]) == 0 ||
		    strcmp(w, c->q.tags_any.v[1]) == 0);
		list_set(&c->q.tags_none, w);
		if (below(2))
			text_add(&c->q, NULL, a_word(&family));
		break;
	case K_ENGAGED: {
		int64_t from = 30 + (int64_t)below(900), len = 7 + (int64_t)below(180);

		c->textual = 0;
		c->q.engaged_after = today - from - len;
		c->q.engaged_before = today - from;
		if (below(2))
			list_set(&c->q.status, bv_statuses[skewed(NELEM(bv_statuses))]);
		else
			list_set(&c->q.interest, bv_families[skewed(NELEM(bv_families))]);
		break;
	}
	case K_STALE:
		text_add(&c->q, "stale", "yes");
		if (below(2))
			text_add(&c->q, "interest", bv_families[skewed(NELEM(bv_families))]);
		else
			text_add(&c->q, NULL, a_word(&family));
		break;
	default:
		break;
	}
}

struct run {
	const struct qcase *c;
	enum cand_sort sort;
	int deep;
	double search_ms, page_ms;
	uint64_t total;
	size_t page;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double
pct(const double *v, size_t n, double p)
{
	size_t r = (size_t)(p * (double)n + 0.999999);

	return n == 0 ? 0 : v[r == 0 ? 0 : (r > n ? n : r) - 1];
}

static void
summary(const char *label, double *v, size_t n)
{
	double sum = 0;

	qsort(v, n, sizeof *v, dbl_cmp);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	printf("%s n %zu p50 %.3f p90 %.3f p99 %.3f max %.3f mean %.3f\n", label,
	    n, pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99),
	    n ? v[n - 1] : 0.0, n ? sum / (double)n : 0.0);
}

/* One run: the search, then the page's records. */
static int
run_one(struct store *st, struct run *r, size_t per_page, size_t deep,
    uint64_t *ids)
{
	size_t n, page = 1;
	double t;
	int rc;

	if (r->deep) {
		uint64_t total;

		/* The deep page, or the last one a smaller result has: the
		 * office knows the count from page 1 before it links there. */
		if ((rc = cand_search(st, &r->c->q, r->sort, 1, 1, ids, &n,
		    &total)) != HE_OK)
			return rc;
		page = total > (uint64_t)(deep - 1) * per_page ? deep :
		    total ? (size_t)((total + per_page - 1) / per_page) : 1;
	}
	r->page = page;
	t = now_ms();
	if ((rc = cand_search(st, &r->c->q, r->sort, page, per_page, ids, &n,
	    &r->total)) != HE_OK)
		return rc;
	r->search_ms = now_ms() - t;
	for (size_t i = 0; i < n; i++) {
		json_t *rec;

		if ((rc = store_cand_get(st, NULL, ids[i], 0, &rec)) == HE_OK)
			json_decref(rec);
		else if (rc != HE_NOTFOUND)
			return rc;
	}
	r->page_ms = now_ms() - t;
	return HE_OK;
}

static int
run_cmp_search(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	return (y->search_ms > x->search_ms) - (y->search_ms < x->search_ms);
}

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "search_bench: %s: %s\n", what, he_strerror(rc));
	return 1;
}

static void
pool_counts(struct store *st, size_t calls)
{
	json_t *pools, *p;
	size_t i;
	double *v = calloc(calls, sizeof *v);

	if (v == NULL || pool_list(st, &pools) != HE_OK) {
		free(v);
		return;
	}
	json_array_foreach(pools, i, p) {
		uint64_t id = (uint64_t)json_integer_value(json_object_get(p, "id"));
		uint64_t count = 0;
		const char *kind = json_string_value(json_object_get(p, "kind"));
		char label[160];
		size_t n = 0;

		for (size_t k = 0; k < calls; k++) {
			json_t *pool;
			double t = now_ms();

			if (pool_get(st, id, &pool, &count) != HE_OK)
				break;
			v[n++] = now_ms() - t;
			json_decref(pool);
		}
		snprintf(label, sizeof label, "pool %llu %s count %llu",
		    (unsigned long long)id, kind ? kind : "?",
		    (unsigned long long)count);
		summary(label, v, n);
	}
	json_decref(pools);
	free(v);
}

/* --one: a single filter (search-box text) run `times` times, for
 * profiling; prints each time. */
static int
one_query(struct store *st, const char *text, enum cand_sort sort, size_t page,
    size_t per_page, size_t times)
{
	struct cand_query q;
	uint64_t *ids = calloc(per_page, sizeof *ids), total = 0;
	size_t n = 0;
	int rc = HE_OK;

	cand_query_init(&q);
	snprintf(q.text, sizeof q.text, "%s", text);
	for (size_t i = 0; ids && rc == HE_OK && i < times; i++) {
		double t = now_ms();

		rc = cand_search(st, &q, sort, page, per_page, ids, &n, &total);
		printf("one %.3f ms total %llu rows %zu\n", now_ms() - t,
		    (unsigned long long)total, n);
	}
	free(ids);
	store_close(st);
	return rc == HE_OK ? 0 : fail(text, rc);
}

/* Appends name=value to a query string, URL-encoded. */
static void
qs_add(char *qs, size_t size, const char *name, const char *value)
{
	size_t len = strlen(qs);

	len += (size_t)snprintf(qs + len, size - len, "%s%s=", len ? "&" : "", name);
	for (const unsigned char *p = (const unsigned char *)value;
	    *p && len + 4 < size; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			qs[len++] = (char)*p;
		else
			len += (size_t)snprintf(qs + len, size - len, "%%%02X", *p);
	}
	qs[len] = 0;
}

static void
qs_list(char *qs, size_t size, const char *name, const struct query_list *l,
    int joined)
{
	char buf[QUERY_LIST_MAX * (QUERY_VALUE_MAX + 2)] = "";

	for (size_t i = 0; i < l->n; i++) {
		if (!joined) {
			qs_add(qs, size, name, l->v[i]);
			continue;
		}
		strcat(buf, i ? "," : "");
		strcat(buf, l->v[i]);
	}
	if (joined && l->n)
		qs_add(qs, size, name, buf);
}

static void
day_text(int64_t day, char out[16])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;

	strftime(out, 16, "%Y-%m-%d", gmtime_r(&t, &tm));
}

/* The run as the office list's query string (its form's fields; sort and
 * page apart): "kind TAB sort TAB page TAB query string". */
static void
emit(FILE *f, const struct run *r)
{
	const struct cand_query *q = &r->c->q;
	char qs[4096] = "", day[16];

	if (q->text[0])
		qs_add(qs, sizeof qs, "q", q->text);
	qs_list(qs, sizeof qs, "tags_all", &q->tags_all, 1);
	qs_list(qs, sizeof qs, "tags_any", &q->tags_any, 1);
	qs_list(qs, sizeof qs, "tags_none", &q->tags_none, 1);
	qs_list(qs, sizeof qs, "status", &q->status, 0);
	qs_list(qs, sizeof qs, "interest", &q->interest, 0);
	if (q->engaged_after) {
		day_text(q->engaged_after, day);
		qs_add(qs, sizeof qs, "engaged_after", day);
	}
	if (q->engaged_before) {
		day_text(q->engaged_before, day);
		qs_add(qs, sizeof qs, "engaged_before", day);
	}
	fprintf(f, "%s\t%s\t%zu\t%s\n", kind_names[r->c->kind],
	    cand_sort_names[r->sort], r->page, qs);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "queries", required_argument, NULL, 'q' },
		{ "seed", required_argument, NULL, 's' },
		{ "per-page", required_argument, NULL, 'p' },
		{ "deep", required_argument, NULL, 'd' },
		{ "counts", required_argument, NULL, 'c' },
		{ "emit", required_argument, NULL, 'e' },
		{ "one", required_argument, NULL, 'o' },
		{ "cache-mb", required_argument, NULL, 'm' },
		{ "sort", required_argument, NULL, 'S' },
		{ "page", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	long nq = 300, seed = 44, per_page = 50, deep = 100, counts = 200;
	long cache_mb = 0;
	const char *emit_path = NULL, *one = NULL;
	enum cand_sort one_sort = SORT_NEWEST;
	long one_page = 1;
	struct qcase *cases;
	struct run *runs;
	size_t nruns, warm;
	uint64_t *ids;
	double *v;
	char path[1024], text[1024];
	struct store *st;
	HDF *conf;
	FILE *f;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		int str = c == 'e' || c == 'o' || c == 'S';
		long val = !str && optarg ? strtol(optarg, &end, 10) : 0;

		if (!str && (end == NULL || *end || val < 1)) {
			fprintf(stderr, "search_bench: bad option value\n");
			return 2;
		}
		switch (c) {
		case 'q': nq = val; break;
		case 's': seed = val; break;
		case 'p': per_page = val; break;
		case 'd': deep = val; break;
		case 'c': counts = val; break;
		case 'e': emit_path = optarg; break;
		case 'o': one = optarg; break;
		case 'S':
			for (one_sort = 0; one_sort < SORT__MAX &&
			    strcmp(cand_sort_names[one_sort], optarg) != 0; one_sort++)
				;
			if (one_sort == SORT__MAX)
				return 2;
			break;
		case 'P': one_page = val; break;
		case 'm': cache_mb = val; break;
		default: return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: search_bench [--queries Q] [--seed S] "
		    "[--per-page P] [--deep D] [--counts C] [--cache-mb M] "
		    "[--emit FILE] [--one TEXT [--sort S] [--page N]] VAR\n");
		return 2;
	}
	rng_state = (uint64_t)seed * 0x2545f4914f6cdd1dull + 7;
	if (sodium_init() < 0)
		return fail("libsodium", HE_IO);
	snprintf(text, sizeof text, "Db.Home = %s/db\nSite.SecretFile = %s/secret\n"
	    "Log.Level = warn\nDb.CacheMB = %ld\n", argv[optind], argv[optind],
	    cache_mb ? cache_mb : 8);
	snprintf(path, sizeof path, "%s/search_bench.hdf", argv[optind]);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0 ||
	    setenv("HEARTH_CONF", path, 1) != 0) {
		perror(path);
		return 1;
	}
	if ((rc = conf_load(&conf)) != HE_OK)
		return fail("the configuration", rc);
	log_setup("search_bench", conf_str(conf, "Log.Level", "warn"), 0);
	if ((rc = crm_open(conf, &st)) != HE_OK)
		return fail("the store", rc);

	if (one)
		return one_query(st, one, one_sort, (size_t)one_page,
		    (size_t)per_page, (size_t)nq);
	cases = calloc((size_t)nq, sizeof *cases);
	nruns = (size_t)nq * 4;
	runs = calloc(nruns, sizeof *runs);
	ids = calloc((size_t)per_page, sizeof *ids);
	v = calloc(nruns, sizeof *v);
	if (!cases || !runs || !ids || !v)
		return fail("memory", HE_NOMEM);
	for (long i = 0; i < nq; i++) {
		make_case(&cases[i], (int64_t)(time(NULL) / 86400));
		for (int k = 0; k < 4; k++) {
			struct run *r = &runs[i * 4 + k];

			r->c = &cases[i];
			r->sort = k < 2 ? SORT_NEWEST : SORT_NAME;
			r->deep = k % 2;
		}
	}
	for (size_t i = nruns - 1; i > 0; i--) {	/* Fisher-Yates */
		size_t j = below(i + 1);
		struct run t = runs[i];

		runs[i] = runs[j];
		runs[j] = t;
	}

	warm = nruns / 10;
	for (size_t i = 0; i < warm; i++) {
		struct run r = runs[nruns - 1 - i];

		if ((rc = run_one(st, &r, (size_t)per_page, (size_t)deep, ids)) != HE_OK)
			return fail(r.c->q.text, rc);
	}
	for (size_t i = 0; i < nruns; i++)
		if ((rc = run_one(st, &runs[i], (size_t)per_page, (size_t)deep,
		    ids)) != HE_OK)
			return fail(runs[i].c->q.text, rc);

	for (int k = 0; k < K__MAX; k++)
		for (int s = 0; s < 2; s++)
			for (int d = 0; d < 2; d++) {
				size_t n = 0;
				char label[96];

				for (size_t i = 0; i < nruns; i++)
					if ((int)runs[i].c->kind == k &&
					    runs[i].sort == (s ? SORT_NAME : SORT_NEWEST) &&
					    runs[i].deep == d)
						v[n++] = runs[i].search_ms;
				if (n == 0)
					continue;
				snprintf(label, sizeof label, "case %s %s %s", kind_names[k],
				    s ? "name" : "newest", d ? "deep" : "first");
				summary(label, v, n);
			}
	for (size_t i = 0; i < nruns; i++)
		v[i] = runs[i].search_ms;
	summary("all search", v, nruns);
	for (size_t i = 0; i < nruns; i++)
		v[i] = runs[i].page_ms;
	summary("all page", v, nruns);
	for (size_t i = 0; i < nruns; i++)
		v[i] = (double)runs[i].total;
	qsort(v, nruns, sizeof *v, dbl_cmp);
	printf("matches p50 %.0f p90 %.0f max %.0f\n", pct(v, nruns, 0.5),
	    pct(v, nruns, 0.9), v[nruns - 1]);

	if (emit_path) {
		if ((f = fopen(emit_path, "w")) == NULL) {
			perror(emit_path);
			return 1;
		}
		for (size_t i = 0; i < nruns; i++)
			emit(f, &runs[i]);
		if (fclose(f) != 0) {
			perror(emit_path);
			return 1;
		}
	}
	qsort(runs, nruns, sizeof *runs, run_cmp_search);
	for (size_t i = 0; i < nruns && i < 8; i++)
		printf("slowest %.3f ms: %s %s page %zu total %llu: %s%s\n",
		    runs[i].search_ms, kind_names[runs[i].c->kind],
		    cand_sort_names[runs[i].sort], runs[i].page,
		    (unsigned long long)runs[i].total, runs[i].c->q.text,
		    runs[i].c->textual ? "" : " (and form filters)");
	fflush(stdout);

	pool_counts(st, (size_t)counts);
	store_close(st);
	hdf_destroy(&conf);
	free(cases);
	free(runs);
	free(ids);
	free(v);
	return 0;
}
