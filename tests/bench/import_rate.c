/* import_rate.c: the CSV import's rate for the issue-4 benchmarks, through the office's import job */

/*
 * Usage: import_rate [--rows N] [--seed S] [--dup-pct D] [--update-pct U] VAR
 *   VAR   a data directory made by gen_candidates (its candidates are the
 *         ones the file partly updates); the import writes into it.
 *   --rows N        rows of the file (default 1000000)
 *   --dup-pct D     rows repeating an address found earlier in the same
 *                   file, in percent (default 5)
 *   --update-pct U  rows whose address is an existing candidate's, in
 *                   percent (default 10)
 *   --cache-mb M    Db.CacheMB (default 8), used when the environment's
 *                   regions are made anew (tests/bench/run removes them)
 *
 * Run from the top of the source tree. Writes a CSV file of N rows in the
 * shape of a recruiting export (first and last name, email, phone, title,
 * city, country, LinkedIn, source, status, seniority, tags, skills, remote,
 * notes; names in many scripts, commas and quotes in cells) into the import
 * directory, then does what the office does with an upload: import_inspect
 * (its mapping: the guessed one), import_start with the policy "create or
 * update" and a lawful basis, and then, as the worker daemon does,
 * job_step_any until the job is over (a failed step is tried again when
 * the job says, as the worker would); only this part is timed. Rows of an
 * address already seen (in the file or in the database) update that
 * candidate: the same normalised email is never two records.
 *
 * Prints "key value" lines for tests/bench/run:
 *   file N rows B bytes in S seconds        (writing the CSV, not timed)
 *   imported N rows in S seconds: R rows/s  (the rows the job wrote, from
 *                              its start to the last step that wrote some)
 *   steps K, cpu U us/row
 *   result created C updated U unchanged X skipped K rejected J
 *   job STATE after S seconds: ERROR    (done, or failed and why)
 * Exits 1 when the benchmark cannot run; a job that fails is a result
 * (its last line says so), not an error of the benchmark.
 */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "crm/clock.h"
#include "crm/import.h"
#include "crm/job.h"
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

/* A rough skew towards the start of a list. */
static size_t
skewed(size_t n)
{
	size_t a = below(n), b = below(n);

	return a < b ? a : b;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static int
fail(const char *what, int rc)
{
	fprintf(stderr, "import_rate: %s: %s\n", what, he_strerror(rc));
	return 1;
}

/* A cell, quoted when it holds a comma, a quote or a line break. */
static void
cell(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else
		fputs(s, f);
	fputs(last ? "\r\n" : ",", f);
}

/* The highest candidate id (a count of the whole B-tree would read it all). */
static uint64_t
last_id(struct store *st)
{
	DB *db = st->db[STORE_CAND];
	DBC *cur;
	DBT k = { .flags = DB_DBT_MALLOC }, d = { .flags = DB_DBT_PARTIAL };
	uint64_t id = 0;

	if (db->cursor(db, NULL, &cur, 0) != 0)
		return 0;
	if (cur->get(cur, &k, &d, DB_LAST) == 0 && k.size == 8)
		id = store_u64_from(k.data);
	cur->close(cur);
	free(k.data);
	return id;
}

/* The emails of some existing candidates, for rows that update them. */
static char **
existing_emails(struct store *st, size_t want, size_t *got)
{
	char **v = calloc(want ? want : 1, sizeof *v);
	size_t n = 0, tries = 0;
	uint64_t last = last_id(st);

	if (v == NULL || last == 0) {
		*got = 0;
		return v;
	}
	while (n < want && tries++ < want * 4) {
		json_t *rec;
		uint64_t id = 1 + below(last);
		const char *e;

		if (store_cand_get(st, NULL, id, 0, &rec) != HE_OK)
			continue;
		if ((e = json_string_value(json_object_get(rec, "email"))))
			v[n++] = strdup(e);
		json_decref(rec);
	}
	*got = n;
	return v;
}

static int
write_csv(struct store *st, const char *path, long rows, int dup_pct,
    int update_pct)
{
	static const char *const sources[] = {
		"LinkedIn", "Referral", "Career fair", "Agency", "Job board", "",
	};
	FILE *f = fopen(path, "w");
	char **known, **seen;
	size_t nknown, nseen = 0;
	long i;

	if (f == NULL)
		return -1;
	known = existing_emails(st, (size_t)(rows * update_pct / 100 / 4 + 1),
	    &nknown);
	seen = calloc((size_t)rows, sizeof *seen);
	if (known == NULL || seen == NULL) {
		fclose(f);
		return -1;
	}
	fputs("First Name,Last Name,Email,Phone,Title,City,Country,LinkedIn,"
	    "Source,Status,Seniority,Tags,Skills,Remote,Notes\r\n", f);
	for (i = 0; i < rows; i++) {
		const struct bv_culture *cu = &bv_cultures[skewed(NELEM(bv_cultures))];
		const struct bv_name *first = &cu->first[skewed(cu->nfirst)];
		const struct bv_name *last = &cu->last[skewed(cu->nlast)];
		const struct bv_place *pl = &bv_places[skewed(NELEM(bv_places))];
		size_t fam = skewed(NELEM(bv_families)), x = below(100);
		char email[256], buf[512], tags[256] = "", skills[512] = "";
		const char *e;

		if (x < (size_t)dup_pct && nseen > 0)
			e = seen[below(nseen)];		/* again, in this file */
		else if (x < (size_t)(dup_pct + update_pct) && nknown > 0)
			e = known[below(nknown)];	/* someone already there */
		else {
			/* New people, unique: a separate numbering from the data's. */
			snprintf(email, sizeof email, "%s.%s.%ld@%s", first->ascii,
			    last->ascii, i, bv_domains[skewed(NELEM(bv_domains))]);
			e = email;
			if ((seen[nseen] = strdup(email)) != NULL)
				nseen++;
		}
		cell(f, first->s, 0);
		cell(f, last->s, 0);
		/* Addresses as people type them: some in capitals. */
		if (below(10) == 0) {
			snprintf(buf, sizeof buf, "%s", e);
			for (char *p = buf; *p && *p != '@'; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
			cell(f, buf, 0);
		} else
			cell(f, e, 0);
		if (below(10) < 7)
			snprintf(buf, sizeof buf, "%s %u %03u %04u", pl->dial,
			    (unsigned)(100 + below(900)), (unsigned)below(1000),
			    (unsigned)below(10000));
		else
			buf[0] = 0;
		cell(f, buf, 0);
		cell(f, bv_titles[fam].v[skewed(bv_titles[fam].n)], 0);
		cell(f, pl->city, 0);
		cell(f, pl->country, 0);
		if (below(2))
			snprintf(buf, sizeof buf, "https://www.linkedin.com/in/%s-%s-%lx",
			    first->ascii, last->ascii, i);
		else
			buf[0] = 0;
		cell(f, buf, 0);
		cell(f, sources[skewed(NELEM(sources))], 0);
		cell(f, below(3) ? "sourced" : bv_statuses[skewed(NELEM(bv_statuses))], 0);
		cell(f, bv_seniorities[skewed(NELEM(bv_seniorities))], 0);
		for (size_t k = below(4); k > 0; k--) {
			const char *t = bv_tags[skewed(NELEM(bv_tags))];

			if (!strstr(tags, t))
				snprintf(tags + strlen(tags), sizeof tags - strlen(tags),
				    "%s%s", tags[0] ? ", " : "", t);
		}
		cell(f, tags, 0);
		for (size_t k = 3 + below(5); k > 0; k--) {
			const char *s = bv_skills[fam].v[skewed(bv_skills[fam].n)];

			if (!strstr(skills, s))
				snprintf(skills + strlen(skills),
				    sizeof skills - strlen(skills), "%s%s",
				    skills[0] ? ", " : "", s);
		}
		cell(f, skills, 0);
		cell(f, below(6) == 0 ? "yes" : "", 0);
		if (below(5) == 0)
			snprintf(buf, sizeof buf, "Met at the %s meetup, \"keen\"; %s",
			    pl->city, bv_text_words[skewed(NELEM(bv_text_words))]);
		else
			buf[0] = 0;
		cell(f, buf, 1);
	}
	for (size_t k = 0; k < nknown; k++)
		free(known[k]);
	for (size_t k = 0; k < nseen; k++)
		free(seen[k]);
	free(known);
	free(seen);
	return fclose(f);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rows", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "dup-pct", required_argument, NULL, 'd' },
		{ "update-pct", required_argument, NULL, 'u' },
		{ "cache-mb", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	long rows = 1000000, seed = 5, dup_pct = 5, update_pct = 10, cache_mb = 8;
	char path[1024], text[2048], why[256], *dir;
	struct import_head *head;
	struct import_params p = { 0 };
	struct stat sb;
	struct store *st;
	uint64_t job_id, steps = 0;
	json_int_t done = 0;
	json_t *job, *res;
	double t0, t, cpu0, t_last, cpu_last;
	HDF *conf;
	FILE *f;
	int c, rc, ran;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		long v = strtol(optarg, &end, 10);

		if (*end || v < 0) {
			fprintf(stderr, "import_rate: bad option value\n");
			return 2;
		}
		switch (c) {
		case 'r': rows = v; break;
		case 's': seed = v; break;
		case 'd': dup_pct = v; break;
		case 'u': update_pct = v; break;
		case 'c': cache_mb = v; break;
		default: return 2;
		}
	}
	if (optind != argc - 1 || rows < 1 || dup_pct + update_pct > 90) {
		fprintf(stderr, "usage: import_rate [--rows N] [--seed S] "
		    "[--dup-pct D] [--update-pct U] VAR\n");
		return 2;
	}
	rng_state = (uint64_t)seed * 0x2545f4914f6cdd1dull + 11;
	if (sodium_init() < 0)
		return fail("libsodium", HE_IO);
	snprintf(text, sizeof text, "Db.Home = %s/db\nSite.SecretFile = %s/secret\n"
	    "Office.ImportDir = %s/imports\nLog.Level = warn\nDb.CacheMB = %ld\n",
	    argv[optind], argv[optind], argv[optind], cache_mb);
	snprintf(path, sizeof path, "%s/import_rate.hdf", argv[optind]);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 || fclose(f) != 0 ||
	    setenv("HEARTH_CONF", path, 1) != 0) {
		perror(path);
		return 1;
	}
	if ((rc = conf_load(&conf)) != HE_OK)
		return fail("the configuration", rc);
	log_setup("import_rate", conf_str(conf, "Log.Level", "warn"), 0);
	if ((rc = crm_open(conf, &st)) != HE_OK)
		return fail("the store", rc);
	if ((dir = import_dir(conf)) == NULL || stat(dir, &sb) != 0)
		return fail("the import directory", HE_IO);

	snprintf(path, sizeof path, "%s/bench-%ld.csv", dir, rows);
	t = now_s();
	if (write_csv(st, path, rows, (int)dup_pct, (int)update_pct) != 0 ||
	    stat(path, &sb) != 0) {
		perror(path);
		return 1;
	}
	printf("file %ld rows %lld bytes in %.1f seconds\n", rows,
	    (long long)sb.st_size, now_s() - t);
	fflush(stdout);

	if ((rc = import_inspect(st, path, &head, why, sizeof why)) != HE_OK) {
		fprintf(stderr, "import_rate: the file: %s\n", why);
		return 1;
	}
	p.file = strrchr(path, '/') + 1;
	p.filename = "bench-candidates.csv";
	p.policy = IMPORT_BOTH;
	p.source = "CSV import";
	p.basis = "legitimate_interest";
	p.basis_note = "Candidates of our recruiting agency's database";
	memcpy(p.map, head->map, sizeof p.map);

	t0 = t_last = now_s();
	cpu0 = cpu_last = cpu_s();
	if ((rc = import_start(st, head, &p, 1, "192.0.2.20", &job_id)) != HE_OK)
		return fail("import_start", rc);
	/* As the worker: steps with a deadline a second away; a step that
	 * failed is tried again when its job says (retry_at), until the job
	 * is over, done or failed. */
	for (;;) {
		json_int_t d;

		if ((rc = job_step_any(st, conf, clock_now_us() + 1000000,
		    &ran)) != HE_OK)
			return fail("a step", rc);
		steps += ran;
		if ((rc = job_get(st, job_id, &job)) != HE_OK)
			return fail("the job", rc);
		d = json_integer_value(json_object_get(job, "done"));
		if (d > done) {
			done = d;
			t_last = now_s();
			cpu_last = cpu_s();
		}
		if (!job_is_open(job))
			break;
		json_decref(job);
		if (!ran) {
			struct timespec pause = { 0, 200000000 };

			nanosleep(&pause, NULL);
		}
	}
	t = t_last - t0;
	res = json_object_get(job, "result");
	/* The rate of the rows written, up to the last step that wrote some. */
	printf("imported %lld rows in %.3f seconds: %.0f rows/s\nsteps %llu, cpu "
	    "%.0f us/row\n", (long long)done, t, t > 0 ? (double)done / t : 0.0,
	    (unsigned long long)steps, done ? 1e6 * (cpu_last - cpu0) /
	    (double)done : 0.0);
	printf("result created %lld updated %lld unchanged %lld skipped %lld "
	    "rejected %lld\n",
	    (long long)json_integer_value(json_object_get(res, "created")),
	    (long long)json_integer_value(json_object_get(res, "updated")),
	    (long long)json_integer_value(json_object_get(res, "unchanged")),
	    (long long)json_integer_value(json_object_get(res, "skipped")),
	    (long long)json_integer_value(json_object_get(res, "rejected")));
	printf("job %s after %.0f seconds: %s\n",
	    job_state_name(job_state_of(job)), now_s() - t0,
	    json_string_value(json_object_get(job, "error")) ?:
	    json_string_value(json_object_get(job, "last_error")) ?: "");
	json_decref(job);
	import_head_free(head);
	free(dir);
	store_close(st);
	hdf_destroy(&conf);
	return rc;
}
