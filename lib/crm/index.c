/* index.c: the index keys of a candidate record (see index.h) */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crm/engage.h"
#include "crm/index.h"
#include "store/store.h"
#include "util/he.h"
#include "util/words.h"

const char *const cand_statuses[] = {
	"sourced", "contacted", "engaged", "applied", "interviewing", "offered",
	"hired", "declined", "silver_medallist", "do_not_contact", NULL,
};

const char *const cand_levels[] = { "hot", "warm", "cold", NULL };

/* Words indexed per record at most (a long résumé stops there). */
#define WORDS_PER_RECORD 1000

int
cand_status_known(const char *s)
{
	for (size_t i = 0; s && cand_statuses[i]; i++)
		if (strcmp(s, cand_statuses[i]) == 0)
			return 1;
	return 0;
}

int
cand_tag_normalise(const char *in, char out[CAND_TAG_SIZE])
{
	size_t n = 0, chars = 0;
	int space = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = n > 0;
			continue;
		}
		if (c < 0x20 || c == 0x7f || c == ',')
			return HE_INVALID;
		if (space) {
			out[n++] = ' ';
			chars++;
			space = 0;
		}
		if (n + 2 >= CAND_TAG_SIZE)
			return HE_INVALID;
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		if ((c & 0xc0) != 0x80)
			chars++;
	}
	out[n] = 0;
	return n > 0 && chars <= 40 ? HE_OK : HE_INVALID;
}

void
keyset_init(struct cand_keyset *ks)
{
	memset(ks, 0, sizeof *ks);
}

void
keyset_free(struct cand_keyset *ks)
{
	free(ks->buf);
	free(ks->off);
	keyset_init(ks);
}

void
keyset_clear(struct cand_keyset *ks)
{
	ks->len = ks->n = 0;
	ks->failed = 0;
}

void
keyset_addn(struct cand_keyset *ks, const char *prefix, const char *s,
    size_t n)
{
	size_t pl = strlen(prefix), need = pl + n + 1;

	if (ks->failed)
		return;
	if (ks->len + need > ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 4096;
		char *b;

		while (cap < ks->len + need)
			cap *= 2;
		if ((b = realloc(ks->buf, cap)) == NULL) {
			ks->failed = 1;
			return;
		}
		ks->buf = b;
		ks->cap = cap;
	}
	if (ks->n == ks->ncap) {
		size_t cap = ks->ncap ? ks->ncap * 2 : 128;
		size_t *o = realloc(ks->off, cap * sizeof *o);

		if (o == NULL) {
			ks->failed = 1;
			return;
		}
		ks->off = o;
		ks->ncap = cap;
	}
	ks->off[ks->n++] = ks->len;
	memcpy(ks->buf + ks->len, prefix, pl);
	memcpy(ks->buf + ks->len + pl, s, n);
	ks->buf[ks->len + pl + n] = 0;
	ks->len += need;
}

void
keyset_add(struct cand_keyset *ks, const char *key)
{
	keyset_addn(ks, "", key, strlen(key));
}

static const char *sort_base;

static int
off_cmp(const void *a, const void *b)
{
	return strcmp(sort_base + *(const size_t *)a, sort_base + *(const size_t *)b);
}

int
keyset_finish(struct cand_keyset *ks)
{
	size_t w = 0;

	if (ks->failed)
		return HE_NOMEM;
	sort_base = ks->buf;
	if (ks->n > 1)
		qsort(ks->off, ks->n, sizeof *ks->off, off_cmp);
	for (size_t i = 0; i < ks->n; i++)
		if (w == 0 || strcmp(ks->buf + ks->off[i], ks->buf + ks->off[w - 1]))
			ks->off[w++] = ks->off[i];
	ks->n = w;
	return HE_OK;
}

const char *
keyset_at(const struct cand_keyset *ks, size_t i)
{
	return ks->buf + ks->off[i];
}

int
keyset_has(const struct cand_keyset *ks, const char *key)
{
	size_t lo = 0, hi = ks->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(key, ks->buf + ks->off[mid]);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* The SipHash key for index keys, derived from the site key. */
static void
hash_key(struct store *st, unsigned char out[crypto_shorthash_KEYBYTES])
{
	static const char ctx[] = "hearth index keys";

	crypto_generichash(out, crypto_shorthash_KEYBYTES,
	    (const unsigned char *)ctx, sizeof ctx - 1, st->site_key,
	    sizeof st->site_key);
}

static void
hash_hex(const unsigned char k[crypto_shorthash_KEYBYTES], const char *domain,
    const char *s, size_t n, char out[17])
{
	unsigned char buf[WORDS_MAX * 4 + 256], h[crypto_shorthash_BYTES];
	size_t dl = strlen(domain);

	if (dl + 1 + n > sizeof buf)
		n = sizeof buf - dl - 1;
	memcpy(buf, domain, dl);
	buf[dl] = 0;
	memcpy(buf + dl + 1, s, n);
	crypto_shorthash(h, buf, dl + 1 + n, k);
	sodium_bin2hex(out, 17, h, sizeof h);
}

void
cand_word_key(struct store *st, const char *w, size_t n,
    char out[CAND_WORDKEY_SIZE])
{
	unsigned char k[crypto_shorthash_KEYBYTES];

	hash_key(st, k);
	memcpy(out, "w:", 2);
	hash_hex(k, "w", w, n, out + 2);
}

void
cand_word_hasher(struct store *st, unsigned char k[CAND_HASHER_BYTES])
{
	hash_key(st, k);
}

void
cand_word_key_with(const unsigned char k[CAND_HASHER_BYTES], const char *w,
    size_t n, char out[CAND_WORDKEY_SIZE])
{
	memcpy(out, "w:", 2);
	hash_hex(k, "w", w, n, out + 2);
}

void
cand_hash_key(struct store *st, const char *prefix, const char *value,
    char out[64])
{
	unsigned char k[crypto_shorthash_KEYBYTES];
	char folded[256], hex[17];

	hash_key(st, k);
	words_fold(value, folded, sizeof folded);
	hash_hex(k, prefix, folded, strlen(folded), hex);
	snprintf(out, 64, "%s%s", prefix, hex);
}

struct words_ctx {
	struct cand_keyset *ks;
	const unsigned char *k;
	size_t count;
};

static int
add_word(const char *w, size_t n, void *arg)
{
	struct words_ctx *c = arg;
	char hex[17];

	if (n < 2 && !(n == 1 && w[0] >= '0' && w[0] <= '9'))
		return 0;
	if (c->count++ >= WORDS_PER_RECORD)
		return 1;
	hash_hex(c->k, "w", w, n, hex);
	keyset_addn(c->ks, "w:", hex, 16);
	return 0;
}

/*
 * Words of a field, and each space-separated chunk that is more than its
 * words ("c++", "node.js", "o'brien", an email address) as a term of its
 * own, lower-cased, so that a search for it as typed finds it.
 */
static void
add_text(struct words_ctx *c, const char *s)
{
	const char *p = s;

	if (s == NULL)
		return;
	words_each(s, strlen(s), add_word, c);
	while (*p) {
		const char *e;
		char chunk[WORDS_MAX + 1], folded[WORDS_MAX + 1];
		size_t n = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++)
			;
		if (e > p && (size_t)(e - p) <= WORDS_MAX) {
			for (const char *q = p; q < e; q++)
				chunk[n++] = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
			chunk[n] = 0;
			words_fold(chunk, folded, sizeof folded);
			if (strcmp(folded, chunk) != 0)
				add_word(chunk, n, c);
		}
		p = e;
	}
}

static const char *
str(json_t *rec, const char *field)
{
	const char *s = json_string_value(json_object_get(rec, field));

	return s && *s ? s : NULL;
}

static void
add_strings(struct cand_keyset *ks, const char *prefix, json_t *arr)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && json_string_length(v) > 0)
			keyset_addn(ks, prefix, json_string_value(v),
			    json_string_length(v));
}

static void
add_ints(struct cand_keyset *ks, const char *prefix, json_t *arr)
{
	size_t i;
	json_t *v;
	char num[24];

	json_array_foreach(arr, i, v)
		if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
			keyset_addn(ks, prefix, num, strlen(num));
		}
}

static void
add_hashed(struct cand_keyset *ks, const unsigned char *k, const char *prefix,
    const char *value)
{
	char folded[256], hex[17];

	if (value == NULL || words_fold(value, folded, sizeof folded) == 0)
		return;
	hash_hex(k, prefix, folded, strlen(folded), hex);
	keyset_addn(ks, prefix, hex, 16);
}

/* Duplicate keys: the LinkedIn profile path, the last 9 digits of the
 * phone, the sorted name words with the city. */
static void
add_dupe_keys(struct cand_keyset *ks, const unsigned char *k, json_t *rec)
{
	const char *url = str(rec, "url"), *phone = str(rec, "phone");
	const char *city = str(rec, "city"), *name = str(rec, "name");
	char buf[512], hex[17];
	size_t n = 0;

	if (url && strstr(url, "linkedin.com/")) {
		const char *p = strstr(url, "linkedin.com/") + 13;

		for (; *p && *p != '?' && *p != '#' && n + 1 < sizeof buf; p++)
			buf[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		while (n > 0 && buf[n - 1] == '/')
			n--;
		if (n > 0) {
			hash_hex(k, "dup:u:", buf, n, hex);
			keyset_addn(ks, "dup:u:", hex, 16);
		}
	}
	n = 0;
	for (const char *p = phone; p && *p; p++)
		if (*p >= '0' && *p <= '9')
			buf[n++ % 9] = *p;	/* the last nine, rotated */
	if (n >= 7) {
		char last[9];
		size_t m = n < 9 ? n : 9;

		for (size_t i = 0; i < m; i++)
			last[i] = buf[(n - m + i) % 9];
		hash_hex(k, "dup:p:", last, m, hex);
		keyset_addn(ks, "dup:p:", hex, 16);
	}
	if (name && city) {
		char folded[256], *words[16], *save = NULL, *w;
		size_t nw = 0, len = 0;

		words_fold(name, folded, sizeof folded);
		for (w = strtok_r(folded, " ", &save); w && nw < 16;
		    w = strtok_r(NULL, " ", &save))
			words[nw++] = w;
		for (size_t i = 1; i < nw; i++)	/* "Ana Silva" = "Silva Ana" */
			for (size_t j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
				char *t = words[j];

				words[j] = words[j - 1];
				words[j - 1] = t;
			}
		for (size_t i = 0; i < nw; i++)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ",
			    words[i]);
		if (nw >= 2 && len < sizeof buf) {
			len += words_fold(city, buf + len, sizeof buf - len);
			hash_hex(k, "dup:n:", buf, len, hex);
			keyset_addn(ks, "dup:n:", hex, 16);
		}
	}
}

static void
add_engaged(struct cand_keyset *ks, json_t *rec)
{
	json_t *v = json_object_get(rec, "last_engaged");
	time_t t;
	struct tm tm;
	char buf[16];

	if (json_is_integer(v) && json_integer_value(v) > 0) {
		t = (time_t)json_integer_value(v);
		gmtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%Y%m", &tm);
		keyset_addn(ks, "em:", buf, strlen(buf));
		strftime(buf, sizeof buf, "%Y%m%d", &tm);
		keyset_addn(ks, "ed:", buf, strlen(buf));
	}
	/* The day of the last edit: the freshness pass finds the records
	 * that went stale from these without reading the others. */
	v = json_object_get(rec, "updated");
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		t = (time_t)json_integer_value(v);
		gmtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%Y%m%d", &tm);
		keyset_addn(ks, "ud:", buf, strlen(buf));
	}
}

/* The buckets of the engagement score's sort key (engage.h): a record
 * with no score has none and sorts after those with one. */
static void
add_score(struct cand_keyset *ks, json_t *rec)
{
	char coarse[ENGAGE_KEY_SIZE], fine[ENGAGE_KEY_SIZE];
	double k;

	if (!engage_sort_k(rec, &k))
		return;
	engage_bucket_keys(k, coarse, fine);
	keyset_add(ks, coarse);
	keyset_add(ks, fine);
}

static void
add_sort_name(struct cand_keyset *ks, json_t *rec)
{
	const char *n = str(rec, "last_name");
	char folded[64];

	if (n == NULL)
		n = str(rec, "name");
	/* Latin initials in order; other scripts after them. */
	if (n == NULL || words_fold(n, folded, sizeof folded) == 0 ||
	    (unsigned char)folded[0] >= 0x80) {
		keyset_add(ks, "sn:~");
		return;
	}
	keyset_addn(ks, "sn:", folded, folded[1] && folded[1] != ' ' &&
	    (unsigned char)folded[1] < 0x80 ? 2 : 1);
}

const char *
cand_resume_file(json_t *rec)
{
	return str(json_object_get(rec, "resume"), "file");
}

int
cand_resume_indexed(json_t *rec)
{
	const char *file = cand_resume_file(rec);
	const char *of = str(rec, "resume_terms_of");

	return file && of && strcmp(file, of) == 0;
}

int
cand_keys(struct store *st, json_t *rec, struct cand_keyset *ks)
{
	unsigned char k[crypto_shorthash_KEYBYTES];
	struct words_ctx wc = { ks, k, 0 };
	json_t *owner = json_object_get(rec, "owner"), *v;
	const char *s;
	char num[24];
	size_t i;

	hash_key(st, k);
	keyset_add(ks, "*");
	s = str(rec, "status");
	keyset_addn(ks, "st:", s ? s : "sourced", strlen(s ? s : "sourced"));
	if ((s = str(rec, "source")))
		keyset_addn(ks, "src:", s, strlen(s));
	if ((s = str(rec, "seniority")))
		keyset_addn(ks, "sen:", s, strlen(s));
	s = str(rec, "consent");
	keyset_addn(ks, "cs:", s ? s : "none", strlen(s ? s : "none"));
	if ((s = str(rec, "level")))
		keyset_addn(ks, "lvl:", s, strlen(s));
	if (json_is_integer(owner)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(owner));
		keyset_addn(ks, "own:", num, strlen(num));
	} else
		keyset_add(ks, "own:-");
	add_strings(ks, "int:", json_object_get(rec, "interests"));
	add_strings(ks, "tag:", json_object_get(rec, "tags"));
	add_ints(ks, "pool:", json_object_get(rec, "pools"));
	add_ints(ks, "pool:", json_object_get(rec, "dpools"));
	add_ints(ks, "mid:", json_object_get(rec, "merged_ids"));
	if (json_is_true(json_object_get(rec, "remote")))
		keyset_add(ks, "rem:1");
	if (json_is_true(json_object_get(rec, "stale")))
		keyset_add(ks, "stale");
	add_hashed(ks, k, "cty:", str(rec, "city"));
	add_hashed(ks, k, "ctry:", str(rec, "country"));
	add_engaged(ks, rec);
	add_sort_name(ks, rec);
	add_score(ks, rec);
	add_text(&wc, str(rec, "first_name"));
	add_text(&wc, str(rec, "last_name"));
	add_text(&wc, str(rec, "name"));
	add_text(&wc, str(rec, "title"));
	if ((s = str(rec, "email"))) {
		const char *at = strchr(s, '@');

		add_text(&wc, s);
		if (at)		/* the local part's words: "jane.doe" */
			words_each(s, (size_t)(at - s), add_word, &wc);
	}
	json_array_foreach(json_object_get(rec, "skills"), i, v)
		add_text(&wc, json_string_value(v));
	json_array_foreach(json_object_get(rec, "extra_terms"), i, v)
		if (json_is_string(v) && json_string_length(v) == 16)
			keyset_addn(ks, "w:", json_string_value(v), 16);
	/* A CV's words count while it is the record's CV: a new one drops the
	 * old one's words at once and waits for the worker's reading. */
	if (cand_resume_indexed(rec)) {
		json_array_foreach(json_object_get(rec, "resume_terms"), i, v)
			if (json_is_string(v) && json_string_length(v) == 16)
				keyset_addn(ks, "w:", json_string_value(v), 16);
	} else if (cand_resume_file(rec))
		keyset_add(ks, CAND_KEY_CV_TODO);
	add_dupe_keys(ks, k, rec);
	sodium_memzero(k, sizeof k);
	return keyset_finish(ks);
}
