/* cap.c: the frequency cap across campaigns */
#include <stdlib.h>
#include <string.h>

#include "crm/cap.h"
#include "store/cap.h"
#include "store/store.h"
#include "util/he.h"

#define DAY 86400

static int
cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
cap_check_pending(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int pending, int64_t *free_at)
{
	int64_t t[STORE_CAP_TIMES + 1], window = (int64_t)days * DAY;
	size_t n, in = 0;
	int rc;

	*free_at = now;
	if (max_mails <= 0 || days <= 0)
		return HE_OK;
	if ((rc = store_cap_get(st, txn, cand, 0, t, &n)) != HE_OK)
		return rc;
	qsort(t, n, sizeof *t, cmp_time);
	/* The mails inside the window (now - window, now], oldest first. */
	for (size_t i = 0; i < n; i++)
		if (t[i] > now - window && t[i] <= now)
			t[in++] = t[i];
	if (pending < 0)
		pending = 0;
	if (in + (size_t)pending < (size_t)max_mails)
		return HE_OK;
	/*
	 * One more may go once in + pending - max_mails + 1 of them have left
	 * the window: the pending ones count as sent now, after the stored.
	 */
	{
		size_t drop = in + (size_t)pending - (size_t)max_mails;

		*free_at = (drop < in ? t[drop] : now) + window;
	}
	return HE_BUSY;
}

int
cap_check(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now,
    int max_mails, int days, int64_t *free_at)
{
	return cap_check_pending(st, txn, cand, now, max_mails, days, 0, free_at);
}

int
cap_note(struct store *st, DB_TXN *txn, uint64_t cand, int64_t now, int days)
{
	int64_t t[STORE_CAP_TIMES + 1], window = (int64_t)(days > 0 ? days : 1) * DAY;
	size_t n, keep = 0;
	int rc;

	if ((rc = store_cap_get(st, txn, cand, 1, t, &n)) != HE_OK)
		return rc;
	qsort(t, n, sizeof *t, cmp_time);
	for (size_t i = 0; i < n; i++)
		if (t[i] > now - window)
			t[keep++] = t[i];
	/* Full: the oldest goes (the cap never counts that many). */
	if (keep == STORE_CAP_TIMES) {
		memmove(t, t + 1, (keep - 1) * sizeof *t);
		keep--;
	}
	t[keep++] = now;
	return store_cap_put(st, txn, cand, t, keep);
}

int
cap_purge(struct store *st, DB_TXN *txn, uint64_t cand)
{
	unsigned char key[8];
	int rc;

	store_u64_key(cand, key);
	rc = store_del_scrubbed(st, txn, STORE_CAP, key, sizeof key);
	return rc == HE_NOTFOUND ? HE_OK : rc;
}
