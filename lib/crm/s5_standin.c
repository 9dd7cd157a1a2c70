/* s5_standin.c: TEMPORARY (ws S): a stand-in for engage_event (ws E) while
 * crm/engage.h is not in main; compiled to nothing once it is. */
#include "crm/s5_standin.h"
#include "util/he.h"

#ifdef S5_STANDIN_ENGAGE
json_t *s5_standin_calls;

int
engage_event(struct store *st, DB_TXN *txn, uint64_t cand, enum engage_kind k,
    int64_t at)
{
	(void)st;
	(void)txn;
	(void)at;
	if (s5_standin_calls == NULL)
		s5_standin_calls = json_array();
	/* Bounded: a long-running program keeps the last ones only. */
	if (json_array_size(s5_standin_calls) > 1000)
		json_array_clear(s5_standin_calls);
	json_array_append_new(s5_standin_calls, json_pack("[s,I,i]", "engage",
	    (json_int_t)cand, (int)k));
	return HE_OK;
}
#endif
